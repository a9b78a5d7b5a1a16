//! ARNs in the formats of AWS's service authorization reference for Amazon ECS (resource types), and the
//! resolution of "name or ARN" references.
//!
//! An ARN given in a request must name this simulator's partition (`aws`), service, account and
//! region; anything else is refused with `InvalidParameterException`, because such a resource cannot
//! exist here.

use super::validate::resource_name;
use super::AwsError;
use crate::engine::arn::ArnScope;

/// The account and region every ARN is built in. Defaults: 123456789012 / us-east-1.
///
/// The ECS resource formats are the engine's ([`ArnScope`], reached through `Deref`): events carry
/// ARNs too, and there must be one statement of each format. This adds the other services' ARNs and
/// the parsing of references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnContext {
    scope: ArnScope,
}

impl Default for ArnContext {
    fn default() -> Self {
        Self::new("123456789012", "us-east-1")
    }
}

impl std::ops::Deref for ArnContext {
    type Target = ArnScope;

    fn deref(&self) -> &ArnScope {
        &self.scope
    }
}

/// The cluster an ECS action acts on when the request names none.
pub const DEFAULT_CLUSTER: &str = "default";

/// A daemon task definition reference: `family` (latest ACTIVE revision), `family:revision` or ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRef {
    /// The task definition family.
    pub family: String,
    /// The revision number; `None` for a bare family name.
    pub revision: Option<u32>,
}

/// A resource that lives in a cluster and is named by ARN or, where ECS allows it, by bare id/name
/// (then `cluster` is `None` and the request's `cluster` member decides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterScoped {
    /// The cluster named in a long-format ARN; `None` for a bare id or an old short-format ARN.
    pub cluster: Option<String>,
    /// The resource's id or name (the ARN's last segment).
    pub name: String,
}

/// `daemon/CLUSTER/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonRef {
    /// The daemon's cluster name.
    pub cluster: String,
    /// The daemon's name.
    pub daemon: String,
}

/// `daemon-deployment/CLUSTER/DAEMON/ID` or `daemon-revision/CLUSTER/DAEMON/ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonChildRef {
    /// The daemon's cluster name.
    pub cluster: String,
    /// The daemon's name.
    pub daemon: String,
    /// The deployment or revision id.
    pub id: String,
}

fn bad_arn(path: &str, value: &str, expected: &str) -> AwsError {
    AwsError::invalid_parameter(format!("{path} '{value}' is not a valid ARN; expected {expected}."))
}

fn parse_revision(path: &str, value: &str, text: &str) -> Result<u32, AwsError> {
    match text.parse::<u32>() {
        Ok(revision) if revision >= 1 && !text.starts_with('+') => Ok(revision),
        _ => Err(AwsError::invalid_parameter(format!(
            "{path} '{value}' has an invalid revision '{text}'; revisions are whole numbers from 1."
        ))),
    }
}

impl ArnContext {
    /// The context of account `account_id` in Region `region`.
    pub fn new(account_id: impl Into<String>, region: impl Into<String>) -> Self {
        Self { scope: ArnScope { region: region.into(), account: account_id.into() } }
    }

    pub(crate) fn iam_role(&self, name: &str, path: &str) -> String {
        format!("arn:aws:iam::{}:role{}{}", self.account, path, name)
    }

    pub(crate) fn iam_instance_profile(&self, name: &str, path: &str) -> String {
        format!("arn:aws:iam::{}:instance-profile{}{}", self.account, path, name)
    }

    pub(crate) fn caller(&self) -> String {
        format!("arn:aws:iam::{}:user/admin", self.account)
    }

    pub(crate) fn log_group(&self, name: &str) -> String {
        format!("arn:aws:logs:{}:{}:log-group:{}:*", self.region, self.account, name)
    }

    /// The resource part (`cluster/x`) of an ECS ARN of this account and region, or `None` when
    /// `value` is not an ARN at all.
    fn ecs_resource<'v>(
        &self,
        path: &str,
        value: &'v str,
        expected: &str,
    ) -> Result<Option<&'v str>, AwsError> {
        if !value.starts_with("arn:") {
            return Ok(None);
        }
        let parts: Vec<&str> = value.splitn(6, ':').collect();
        if parts.len() != 6 || parts[1] != "aws" || parts[2] != "ecs" {
            return Err(bad_arn(path, value, expected));
        }
        if parts[3] != self.region {
            return Err(AwsError::invalid_parameter(format!(
                "{path} '{value}' is in region '{}', but this endpoint is {}.",
                parts[3], self.region
            )));
        }
        if parts[4] != self.account {
            return Err(AwsError::invalid_parameter(format!(
                "{path} '{value}' belongs to account '{}', not to {}.",
                parts[4], self.account
            )));
        }
        Ok(Some(parts[5]))
    }

    /// The segments after `kind/` of an ECS ARN, exactly `count` of them, each non-empty.
    fn segments<'v>(
        &self,
        path: &str,
        value: &'v str,
        kind: &str,
        count: usize,
        expected: &str,
    ) -> Result<Option<Vec<&'v str>>, AwsError> {
        let Some(resource) = self.ecs_resource(path, value, expected)? else { return Ok(None) };
        let Some(rest) = resource.strip_prefix(kind).and_then(|rest| rest.strip_prefix('/')) else {
            return Err(bad_arn(path, value, expected));
        };
        let segments: Vec<&str> = rest.split('/').collect();
        if segments.len() != count || segments.iter().any(|segment| segment.is_empty()) {
            return Err(bad_arn(path, value, expected));
        }
        Ok(Some(segments))
    }

    /// A cluster given by name or ARN.
    pub fn cluster_name(&self, path: &str, value: &str) -> Result<String, AwsError> {
        let expected = "arn:aws:ecs:REGION:ACCOUNT:cluster/NAME or a cluster name";
        let name = match self.segments(path, value, "cluster", 1, expected)? {
            Some(segments) => segments[0],
            None => value,
        };
        resource_name(path, name, 255)?;
        Ok(name.to_string())
    }

    /// A capacity provider given by name or ARN.
    pub fn capacity_provider_name(&self, path: &str, value: &str) -> Result<String, AwsError> {
        let expected = "arn:aws:ecs:REGION:ACCOUNT:capacity-provider/NAME or a capacity provider name";
        let name = match self.segments(path, value, "capacity-provider", 1, expected)? {
            Some(segments) => segments[0],
            None => value,
        };
        resource_name(path, name, 255)?;
        Ok(name.to_string())
    }

    fn family_revision(&self, path: &str, value: &str, kind: &str) -> Result<RevisionRef, AwsError> {
        let expected =
            format!("arn:aws:ecs:REGION:ACCOUNT:{kind}/FAMILY:REVISION, FAMILY:REVISION or FAMILY");
        if let Some(segments) = self.segments(path, value, kind, 1, &expected)? {
            let Some((family, revision)) = segments[0].split_once(':') else {
                return Err(bad_arn(path, value, &expected));
            };
            resource_name(path, family, 255)?;
            return Ok(RevisionRef {
                family: family.to_string(),
                revision: Some(parse_revision(path, value, revision)?),
            });
        }
        match value.split_once(':') {
            Some((family, revision)) => {
                resource_name(path, family, 255)?;
                Ok(RevisionRef {
                    family: family.to_string(),
                    revision: Some(parse_revision(path, value, revision)?),
                })
            }
            None => {
                resource_name(path, value, 255)?;
                Ok(RevisionRef { family: value.to_string(), revision: None })
            }
        }
    }

    /// A daemon task definition: `family`, `family:revision` or its ARN.
    pub fn daemon_task_definition_ref(&self, path: &str, value: &str) -> Result<RevisionRef, AwsError> {
        self.family_revision(path, value, "daemon-task-definition")
    }

    /// An application task definition: `family`, `family:revision` or its ARN.
    pub fn task_definition_ref(&self, path: &str, value: &str) -> Result<RevisionRef, AwsError> {
        self.family_revision(path, value, "task-definition")
    }

    /// A daemon: its ARN `daemon/CLUSTER/NAME` (the daemon actions take ARNs only).
    pub fn daemon_ref(&self, path: &str, value: &str) -> Result<DaemonRef, AwsError> {
        let expected = "arn:aws:ecs:REGION:ACCOUNT:daemon/CLUSTER/DAEMON_NAME";
        let Some(segments) = self.segments(path, value, "daemon", 2, expected)? else {
            return Err(bad_arn(path, value, expected));
        };
        resource_name(path, segments[0], 255)?;
        resource_name(path, segments[1], 255)?;
        Ok(DaemonRef { cluster: segments[0].to_string(), daemon: segments[1].to_string() })
    }

    fn daemon_child(&self, path: &str, value: &str, kind: &str) -> Result<DaemonChildRef, AwsError> {
        let expected = format!("arn:aws:ecs:REGION:ACCOUNT:{kind}/CLUSTER/DAEMON_NAME/ID");
        let Some(segments) = self.segments(path, value, kind, 3, &expected)? else {
            return Err(bad_arn(path, value, &expected));
        };
        resource_name(path, segments[0], 255)?;
        resource_name(path, segments[1], 255)?;
        Ok(DaemonChildRef {
            cluster: segments[0].to_string(),
            daemon: segments[1].to_string(),
            id: segments[2].to_string(),
        })
    }

    pub(crate) fn daemon_deployment_ref(&self, path: &str, value: &str) -> Result<DaemonChildRef, AwsError> {
        self.daemon_child(path, value, "daemon-deployment")
    }

    pub(crate) fn daemon_revision_ref(&self, path: &str, value: &str) -> Result<DaemonChildRef, AwsError> {
        self.daemon_child(path, value, "daemon-revision")
    }

    /// A resource of `kind` given by ARN (`kind/CLUSTER/ID`, or the old `kind/ID`) or by bare id.
    fn cluster_scoped(&self, path: &str, value: &str, kind: &str) -> Result<ClusterScoped, AwsError> {
        let expected = format!("arn:aws:ecs:REGION:ACCOUNT:{kind}/CLUSTER/ID or an id");
        if value.is_empty() {
            return Err(AwsError::invalid_parameter(format!("{path} must not be empty.")));
        }
        let Some(resource) = self.ecs_resource(path, value, &expected)? else {
            if value.contains('/') {
                return Err(bad_arn(path, value, &expected));
            }
            return Ok(ClusterScoped { cluster: None, name: value.to_string() });
        };
        let Some(rest) = resource.strip_prefix(kind).and_then(|rest| rest.strip_prefix('/')) else {
            return Err(bad_arn(path, value, &expected));
        };
        let segments: Vec<&str> = rest.split('/').collect();
        match segments.as_slice() {
            [id] if !id.is_empty() => Ok(ClusterScoped { cluster: None, name: id.to_string() }),
            [cluster, id] if !cluster.is_empty() && !id.is_empty() => {
                Ok(ClusterScoped { cluster: Some(cluster.to_string()), name: id.to_string() })
            }
            _ => Err(bad_arn(path, value, &expected)),
        }
    }

    pub(crate) fn task_ref(&self, path: &str, value: &str) -> Result<ClusterScoped, AwsError> {
        self.cluster_scoped(path, value, "task")
    }

    pub(crate) fn container_instance_ref(&self, path: &str, value: &str) -> Result<ClusterScoped, AwsError> {
        self.cluster_scoped(path, value, "container-instance")
    }

    pub(crate) fn service_ref(&self, path: &str, value: &str) -> Result<ClusterScoped, AwsError> {
        let scoped = self.cluster_scoped(path, value, "service")?;
        resource_name(path, &scoped.name, 255)?;
        Ok(scoped)
    }

    /// An IAM role ARN (`arn:aws:iam::ACCOUNT:role/PATH/NAME`) of this account → the role name.
    pub fn iam_role_name(&self, path: &str, value: &str) -> Result<String, AwsError> {
        self.iam_name(path, value, "role")
    }

    /// An IAM instance profile ARN of this account → the instance profile name.
    pub fn iam_instance_profile_name(&self, path: &str, value: &str) -> Result<String, AwsError> {
        self.iam_name(path, value, "instance-profile")
    }

    fn iam_name(&self, path: &str, value: &str, kind: &str) -> Result<String, AwsError> {
        let expected = format!("arn:aws:iam::ACCOUNT:{kind}/NAME");
        let prefix = format!("arn:aws:iam::{}:{kind}/", self.account);
        let Some(rest) = value.strip_prefix(&prefix) else {
            if value.starts_with("arn:aws:iam::") && value.contains(&format!(":{kind}/")) {
                return Err(AwsError::invalid_parameter(format!(
                    "{path} '{value}' belongs to another account than {}.",
                    self.account
                )));
            }
            return Err(bad_arn(path, value, &expected));
        };
        match rest.rsplit('/').next() {
            Some(name) if !name.is_empty() => Ok(name.to_string()),
            _ => Err(bad_arn(path, value, &expected)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_spec_formats() {
        let arns = ArnContext::default();
        assert_eq!(arns.cluster("c"), "arn:aws:ecs:us-east-1:123456789012:cluster/c");
        assert_eq!(
            arns.daemon_task_definition("monitoring-agent", 1),
            "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/monitoring-agent:1"
        );
        assert_eq!(arns.daemon("c", "d"), "arn:aws:ecs:us-east-1:123456789012:daemon/c/d");
        assert_eq!(
            arns.daemon_deployment("c", "d", "x"),
            "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/c/d/x"
        );
    }

    #[test]
    fn resolves_names_and_arns() {
        let arns = ArnContext::default();
        assert_eq!(arns.cluster_name("cluster", "daemon-test").unwrap(), "daemon-test");
        assert_eq!(arns.cluster_name("cluster", &arns.cluster("x")).unwrap(), "x");
        assert!(arns.cluster_name("cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/x").is_err());
        assert!(arns.cluster_name("cluster", "arn:aws:ecs:us-east-1:999999999999:cluster/x").is_err());
        assert!(arns.cluster_name("cluster", "arn:aws:ecs:us-east-1:123456789012:service/x").is_err());
        let by_arn = arns.daemon_task_definition_ref("d", &arns.daemon_task_definition("fam", 3)).unwrap();
        assert_eq!(by_arn, RevisionRef { family: "fam".into(), revision: Some(3) });
        assert_eq!(arns.daemon_task_definition_ref("d", "fam").unwrap().revision, None);
        assert_eq!(arns.daemon_task_definition_ref("d", "fam:2").unwrap().revision, Some(2));
        assert!(arns.daemon_task_definition_ref("d", "fam:0").is_err());
        assert!(arns.daemon_task_definition_ref("d", "fam:x").is_err());
        assert!(arns
            .daemon_task_definition_ref("d", "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/fam")
            .is_err());
        assert_eq!(arns.daemon_ref("a", &arns.daemon("c", "d")).unwrap().daemon, "d");
        assert!(arns.daemon_ref("a", "d").is_err());
        assert!(arns.daemon_ref("a", "arn:aws:ecs:us-east-1:123456789012:daemon/c").is_err());
        let task = arns.task_ref("t", &arns.task("c", "abc")).unwrap();
        assert_eq!(task, ClusterScoped { cluster: Some("c".into()), name: "abc".into() });
        assert_eq!(arns.task_ref("t", "abc").unwrap().cluster, None);
        assert_eq!(
            arns.iam_instance_profile_name("p", "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole")
                .unwrap(),
            "ecsInstanceRole"
        );
        assert!(arns.iam_role_name("p", "arn:aws:iam::111111111111:role/x").is_err());
    }
}
