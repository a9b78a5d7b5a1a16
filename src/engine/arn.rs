//! ARN formats of spec section 1.1. The engine owns them because events carry ARNs.

/// Partition, region and account: everything an ARN needs besides the resource part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnScope {
    pub region: String,
    pub account: String,
}

impl ArnScope {
    fn ecs(&self, resource: &str) -> String {
        format!("arn:aws:ecs:{}:{}:{}", self.region, self.account, resource)
    }
    pub fn cluster(&self, cluster: &str) -> String {
        self.ecs(&format!("cluster/{cluster}"))
    }
    pub fn capacity_provider(&self, name: &str) -> String {
        self.ecs(&format!("capacity-provider/{name}"))
    }
    pub fn container_instance(&self, cluster: &str, id: &str) -> String {
        self.ecs(&format!("container-instance/{cluster}/{id}"))
    }
    pub fn daemon_task_definition(&self, family: &str, revision: u32) -> String {
        self.ecs(&format!("daemon-task-definition/{family}:{revision}"))
    }
    pub fn task_definition(&self, family: &str, revision: u32) -> String {
        self.ecs(&format!("task-definition/{family}:{revision}"))
    }
    pub fn daemon(&self, cluster: &str, daemon: &str) -> String {
        self.ecs(&format!("daemon/{cluster}/{daemon}"))
    }
    pub fn daemon_revision(&self, cluster: &str, daemon: &str, id: &str) -> String {
        self.ecs(&format!("daemon-revision/{cluster}/{daemon}/{id}"))
    }
    pub fn daemon_deployment(&self, cluster: &str, daemon: &str, id: &str) -> String {
        self.ecs(&format!("daemon-deployment/{cluster}/{daemon}/{id}"))
    }
    pub fn service(&self, cluster: &str, service: &str) -> String {
        self.ecs(&format!("service/{cluster}/{service}"))
    }
    pub fn task(&self, cluster: &str, id: &str) -> String {
        self.ecs(&format!("task/{cluster}/{id}"))
    }
    pub fn alarm(&self, name: &str) -> String {
        format!("arn:aws:cloudwatch:{}:{}:alarm:{}", self.region, self.account, name)
    }
}

/// The last `/`-separated segment of an ARN, or the input when it is a plain name.
pub fn last_segment(arn_or_name: &str) -> &str {
    arn_or_name.rsplit('/').next().unwrap_or(arn_or_name)
}
