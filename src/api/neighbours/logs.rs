//! CloudWatch Logs log groups: create, delete, describe. Tasks do not write logs in the simulation;
//! the groups exist so the tutorial's commands (and their errors) behave as in AWS.

use crate::api::input::Members;
use crate::api::request::paginate;
use crate::api::{ArnContext, AwsError};
use crate::support::json::json;
use crate::support::Boxed;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct LogGroup {
    pub name: String,
    pub created_ms: u64,
    pub retention_days: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Logs {
    /// Boxed: see [`crate::support::Boxed`].
    groups: BTreeMap<String, Boxed<LogGroup>>,
}

fn group_name(members: &Members<'_>, member: &str) -> Result<String, AwsError> {
    let name = members.req_str(member)?;
    let length = name.chars().count();
    let valid_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || "._-/#".contains(c));
    if length == 0 || length > 512 || !valid_chars {
        return Err(AwsError::new(
            "InvalidParameterException",
            format!(
                "1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ and have length between 1 and 512"
            ),
        ));
    }
    Ok(name.to_string())
}

impl Logs {
    pub fn call(
        &mut self,
        arns: &ArnContext,
        action: &str,
        input: &Value,
        now_ms: u64,
    ) -> Result<Value, AwsError> {
        let m = Members::root(input)?;
        match action {
            "CreateLogGroup" => {
                let name = group_name(&m, "logGroupName")?;
                m.opt_str("kmsKeyId")?;
                m.opt_str_map("tags")?;
                if self.groups.contains_key(&name) {
                    return Err(AwsError::new(
                        "ResourceAlreadyExistsException",
                        "The specified log group already exists",
                    ));
                }
                self.groups.insert(
                    name.clone(),
                    Box::new(LogGroup { name, created_ms: now_ms, retention_days: None }),
                );
                Ok(json!({}))
            }
            "DeleteLogGroup" => {
                let name = group_name(&m, "logGroupName")?;
                if self.groups.remove(&name).is_none() {
                    return Err(AwsError::new(
                        "ResourceNotFoundException",
                        "The specified log group does not exist.",
                    ));
                }
                Ok(json!({}))
            }
            "DescribeLogGroups" => {
                let prefix = m.opt_str("logGroupNamePrefix")?.unwrap_or("");
                let limit = match m.opt_int("limit")? {
                    None => 50,
                    Some(limit) if (1..=50).contains(&limit) => limit as usize,
                    Some(limit) => {
                        return Err(AwsError::new(
                            "InvalidParameterException",
                            format!("limit must be between 1 and 50; got {limit}."),
                        ))
                    }
                };
                let start = match m.opt_str("nextToken")? {
                    None => 0,
                    Some(token) => token
                        .strip_prefix("ecs-sim-page-")
                        .and_then(|offset| offset.parse().ok())
                        .ok_or_else(|| {
                            AwsError::new("InvalidParameterException", "The specified nextToken is invalid.")
                        })?,
                };
                let groups: Vec<Value> = self
                    .groups
                    .values()
                    .filter(|group| group.name.starts_with(prefix))
                    .map(|group| {
                        json!({
                            "logGroupName": group.name,
                            "creationTime": group.created_ms,
                            "metricFilterCount": 0,
                            "arn": arns.log_group(&group.name),
                            "storedBytes": 0,
                        })
                    })
                    .collect();
                let (page, next) = paginate(groups, start, limit);
                let mut body = json!({ "logGroups": page });
                if let Some(next) = next {
                    body["nextToken"] = json!(next);
                }
                Ok(body)
            }
            other => Err(AwsError::unknown_operation("logs", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_twice_and_delete_missing_fail_with_the_logs_error_types() {
        let mut logs = Logs::default();
        let arns = ArnContext::default();
        let create = json!({"logGroupName": "/ecs/daemon-test"});
        logs.call(&arns, "CreateLogGroup", &create, 5).unwrap();
        assert_eq!(
            logs.call(&arns, "CreateLogGroup", &create, 6).unwrap_err().error_type,
            "ResourceAlreadyExistsException"
        );
        let listed =
            logs.call(&arns, "DescribeLogGroups", &json!({"logGroupNamePrefix": "/ecs"}), 7).unwrap();
        assert_eq!(listed["logGroups"][0]["creationTime"], 5);
        logs.call(&arns, "DeleteLogGroup", &create, 8).unwrap();
        assert_eq!(
            logs.call(&arns, "DeleteLogGroup", &create, 9).unwrap_err().error_type,
            "ResourceNotFoundException"
        );
        assert_eq!(
            logs.call(&arns, "CreateLogGroup", &json!({"logGroupName": "bad name"}), 9)
                .unwrap_err()
                .error_type,
            "InvalidParameterException"
        );
    }
}
