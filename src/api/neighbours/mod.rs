//! The AWS services next to ECS that the tutorial touches: STS, IAM, CloudWatch Logs, CloudWatch
//! alarms and EC2 instance termination. Each keeps the little state the tutorial needs and answers
//! with that service's own response shapes and error codes.

pub mod cloudwatch;
pub mod ec2;
pub mod iam;
pub mod logs;

pub use cloudwatch::{AlarmChange, CloudWatch};
pub use iam::Iam;
pub use logs::Logs;

use super::input::Members;
use super::{ArnContext, AwsError};
use crate::support::json::json;
use serde_json::Value;

/// The neighbouring services' state.
#[derive(Debug, Clone, Default)]
pub struct Neighbours {
    pub iam: Iam,
    pub logs: Logs,
    pub cloudwatch: CloudWatch,
}

/// `sts get-caller-identity`: the simulated account's admin user.
pub fn get_caller_identity(arns: &ArnContext) -> Value {
    json!({ "UserId": "AIDASIMULATEDADMIN01", "Account": arns.account, "Arn": arns.caller() })
}

/// Decodes `ec2 terminate-instances`: the instance ids, each well formed (`i-` + 8 or 17 hex).
/// Which ids exist is for the caller (the engine owns the instances) to decide.
pub fn terminate_instances_ids(input: &Value) -> Result<Vec<String>, AwsError> {
    let m = Members::root(input)?;
    let ids = m.opt_str_list("InstanceIds")?.ok_or_else(|| {
        AwsError::new("MissingParameter", "The request must contain the parameter InstanceIds")
    })?;
    if ids.is_empty() {
        return Err(AwsError::new("MissingParameter", "The request must contain the parameter InstanceIds"));
    }
    m.opt_bool("DryRun")?;
    for id in &ids {
        let hex = id.strip_prefix("i-").unwrap_or("");
        if !(hex.len() == 8 || hex.len() == 17)
            || !hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        {
            return Err(AwsError::new("InvalidInstanceID.Malformed", format!("Invalid id: \"{id}\"")));
        }
    }
    Ok(ids.iter().map(|id| id.to_string()).collect())
}

/// EC2's `DryRun`: a request that would have succeeded is answered with this error instead of
/// being carried out (the checks before it still answer their own errors).
pub fn dry_run(input: &Value) -> Result<(), AwsError> {
    if Members::root(input)?.opt_bool("DryRun")? == Some(true) {
        return Err(AwsError::new(
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        ));
    }
    Ok(())
}

/// The error EC2 answers for instance ids it does not know.
pub fn instances_not_found(ids: &[String]) -> AwsError {
    let quoted: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    if ids.len() == 1 {
        AwsError::new("InvalidInstanceID.NotFound", format!("The instance ID {} does not exist", quoted[0]))
    } else {
        AwsError::new(
            "InvalidInstanceID.NotFound",
            format!("The instance IDs {} do not exist", quoted.join(", ")),
        )
    }
}

/// One `TerminatingInstances` entry: running (16) → shutting-down (32).
pub fn terminating_instance(id: &str, was_running: bool) -> Value {
    let previous = if was_running {
        json!({"Code": 16, "Name": "running"})
    } else {
        json!({"Code": 32, "Name": "shutting-down"})
    };
    json!({ "InstanceId": id, "CurrentState": {"Code": 32, "Name": "shutting-down"}, "PreviousState": previous })
}

impl Neighbours {
    /// Runs an STS, IAM, Logs or CloudWatch action. EC2 needs the engine and is handled by the
    /// caller with [`terminate_instances_ids`].
    pub fn call(
        &mut self,
        arns: &ArnContext,
        service: &str,
        action: &str,
        input: &Value,
        now_ms: u64,
    ) -> Result<(Value, Option<AlarmChange>), AwsError> {
        match service {
            "sts" => match action {
                "GetCallerIdentity" => Ok((get_caller_identity(arns), None)),
                other => Err(AwsError::unknown_operation("sts", other)),
            },
            "iam" => self.iam.call(arns, action, input, now_ms).map(|body| (body, None)),
            "logs" => self.logs.call(arns, action, input, now_ms).map(|body| (body, None)),
            "cloudwatch" => self.cloudwatch.call(arns, action, input, now_ms),
            other => Err(AwsError::new(
                "UnknownServiceException",
                format!("The simulator has no service named {other}."),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_identity_names_the_configured_account() {
        let arns = ArnContext::new("111122223333", "us-west-2");
        let identity = get_caller_identity(&arns);
        assert_eq!(identity["Account"], "111122223333");
        assert_eq!(identity["Arn"], "arn:aws:iam::111122223333:user/admin");
    }

    #[test]
    fn terminate_instances_checks_id_format() {
        assert_eq!(
            terminate_instances_ids(&json!({"InstanceIds": ["i-0abcdef1234567890"]})).unwrap().len(),
            1
        );
        assert_eq!(
            terminate_instances_ids(&json!({"InstanceIds": ["i-xyz"]})).unwrap_err().error_type,
            "InvalidInstanceID.Malformed"
        );
        assert_eq!(terminate_instances_ids(&json!({})).unwrap_err().error_type, "MissingParameter");
        assert_eq!(
            instances_not_found(&["i-01234567".into()]).message,
            "The instance ID 'i-01234567' does not exist"
        );
    }
}
