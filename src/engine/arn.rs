//! ARN formats (AWS: service authorization reference for Amazon ECS, resource types). The engine owns them
//! because events carry ARNs.

/// Partition, region and account: everything an ARN needs besides the resource part. The ECS
/// formats below abbreviate the common prefix `arn:aws:ecs:REGION:ACCOUNT` as `…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnScope {
    /// The Region, such as `us-east-1`.
    pub region: String,
    /// The 12-digit account id.
    pub account: String,
}

impl ArnScope {
    /// `arn:aws:ecs:REGION:ACCOUNT:` followed by `parts`, built in one allocation without the
    /// formatting machinery: task and container instance ARNs are made on the engine's hot path.
    fn ecs(&self, parts: &[&str]) -> String {
        const PREFIX: &str = "arn:aws:ecs:";
        let len = PREFIX.len()
            + self.region.len()
            + self.account.len()
            + 2
            + parts.iter().map(|p| p.len()).sum::<usize>();
        let mut arn = String::with_capacity(len);
        for part in [PREFIX, &self.region, ":", &self.account, ":"].into_iter().chain(parts.iter().copied()) {
            arn.push_str(part);
        }
        arn
    }
    /// `ecs(parts)` as a shared string in one allocation (built on the stack first), where
    /// `Arc::from(ecs(parts))` would allocate twice and copy: for the ARNs made per task and instance.
    fn ecs_shared(&self, parts: &[&str]) -> std::sync::Arc<str> {
        const PREFIX: &str = "arn:aws:ecs:";
        let mut buf = [0u8; 256];
        let mut len = 0;
        for part in [PREFIX, &self.region, ":", &self.account, ":"].into_iter().chain(parts.iter().copied()) {
            let Some(room) = buf.get_mut(len..len + part.len()) else {
                return self.ecs(parts).into();
            };
            room.copy_from_slice(part.as_bytes());
            len += part.len();
        }
        // Whole `&str`s joined: always UTF-8.
        std::str::from_utf8(&buf[..len]).map(Into::into).unwrap_or_else(|_| self.ecs(parts).into())
    }
    /// `…:cluster/CLUSTER`.
    pub fn cluster(&self, cluster: &str) -> String {
        self.ecs(&["cluster/", cluster])
    }
    /// `…:capacity-provider/NAME`.
    pub fn capacity_provider(&self, name: &str) -> String {
        self.ecs(&["capacity-provider/", name])
    }
    /// `…:container-instance/CLUSTER/ID`.
    pub fn container_instance(&self, cluster: &str, id: &str) -> String {
        self.ecs(&["container-instance/", cluster, "/", id])
    }
    /// `…:daemon-task-definition/FAMILY:REVISION`.
    pub fn daemon_task_definition(&self, family: &str, revision: u32) -> String {
        self.ecs(&["daemon-task-definition/", family, ":", &revision.to_string()])
    }
    /// `…:task-definition/FAMILY:REVISION`.
    pub fn task_definition(&self, family: &str, revision: u32) -> String {
        self.ecs(&["task-definition/", family, ":", &revision.to_string()])
    }
    /// `…:daemon/CLUSTER/NAME`.
    pub fn daemon(&self, cluster: &str, daemon: &str) -> String {
        self.ecs(&["daemon/", cluster, "/", daemon])
    }
    /// `…:daemon-revision/CLUSTER/DAEMON/ID`.
    pub fn daemon_revision(&self, cluster: &str, daemon: &str, id: &str) -> String {
        self.ecs(&["daemon-revision/", cluster, "/", daemon, "/", id])
    }
    /// `…:daemon-deployment/CLUSTER/DAEMON/ID`.
    pub fn daemon_deployment(&self, cluster: &str, daemon: &str, id: &str) -> String {
        self.ecs(&["daemon-deployment/", cluster, "/", daemon, "/", id])
    }
    /// `…:service/CLUSTER/NAME`.
    pub fn service(&self, cluster: &str, service: &str) -> String {
        self.ecs(&["service/", cluster, "/", service])
    }
    /// `…:task/CLUSTER/ID`.
    pub fn task(&self, cluster: &str, id: &str) -> String {
        self.ecs(&["task/", cluster, "/", id])
    }
    /// [`ArnScope::task`] as a shared string.
    pub fn task_shared(&self, cluster: &str, id: &str) -> std::sync::Arc<str> {
        self.ecs_shared(&["task/", cluster, "/", id])
    }
    /// [`ArnScope::container_instance`] as a shared string.
    pub fn container_instance_shared(&self, cluster: &str, id: &str) -> std::sync::Arc<str> {
        self.ecs_shared(&["container-instance/", cluster, "/", id])
    }
    /// `arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`.
    pub fn alarm(&self, name: &str) -> String {
        format!("arn:aws:cloudwatch:{}:{}:alarm:{}", self.region, self.account, name)
    }
}

/// The last `/`-separated segment of an ARN, or the input when it is a plain name.
pub fn last_segment(arn_or_name: &str) -> &str {
    arn_or_name.rsplit('/').next().unwrap_or(arn_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_have_the_documented_shapes() {
        let scope = ArnScope { region: "us-east-1".into(), account: "123456789012".into() };
        let p = "arn:aws:ecs:us-east-1:123456789012:";
        assert_eq!(scope.cluster("c"), format!("{p}cluster/c"));
        assert_eq!(scope.capacity_provider("cp"), format!("{p}capacity-provider/cp"));
        assert_eq!(scope.container_instance("c", "ab12"), format!("{p}container-instance/c/ab12"));
        assert_eq!(scope.daemon_task_definition("agent", 3), format!("{p}daemon-task-definition/agent:3"));
        assert_eq!(scope.task_definition("app", 12), format!("{p}task-definition/app:12"));
        assert_eq!(scope.daemon("c", "d"), format!("{p}daemon/c/d"));
        assert_eq!(scope.daemon_revision("c", "d", "r1"), format!("{p}daemon-revision/c/d/r1"));
        assert_eq!(scope.daemon_deployment("c", "d", "x9"), format!("{p}daemon-deployment/c/d/x9"));
        assert_eq!(scope.service("c", "web"), format!("{p}service/c/web"));
        assert_eq!(scope.task("c", "t1"), format!("{p}task/c/t1"));
        assert_eq!(scope.alarm("a"), "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a");
        assert_eq!(last_segment(&scope.task("c", "t1")), "t1");
        assert_eq!(&*scope.task_shared("c", "t1"), scope.task("c", "t1"));
        assert_eq!(&*scope.container_instance_shared("c", "ab12"), scope.container_instance("c", "ab12"));
        // Longer than the stack buffer: the same text through the fallback.
        let long = "x".repeat(300);
        assert_eq!(&*scope.task_shared(&long, "t1"), scope.task(&long, "t1"));
    }
}
