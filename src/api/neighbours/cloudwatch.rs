//! CloudWatch metric alarms: the configuration and state that daemon deployments watch.
//!
//! Metrics are not simulated, so an alarm changes state only through `SetAlarmState` (as the
//! tutorial-style scripts and the playground's "set alarm to ALARM" do). The API layer forwards
//! every accepted alarm change to the engine, which owns the deployment-side behaviour.
//! Error codes are CloudWatch's own: `MissingParameter`, `InvalidParameterValue`,
//! `ValidationError`, `ResourceNotFound`.

use crate::api::input::Members;
use crate::api::render;
use crate::api::{ArnContext, AwsError};
use crate::support::json::json;
use crate::support::Boxed;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const ALARM_STATES: &[&str] = &["OK", "ALARM", "INSUFFICIENT_DATA"];
const COMPARISON_OPERATORS: &[&str] = &[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];
const STATISTICS: &[&str] = &["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const TREAT_MISSING_DATA: &[&str] = &["breaching", "notBreaching", "ignore", "missing"];

#[derive(Debug, Clone, PartialEq)]
pub struct MetricAlarm {
    pub name: String,
    pub description: Option<String>,
    pub metric_name: Option<String>,
    pub namespace: Option<String>,
    pub statistic: Option<String>,
    pub dimensions: Vec<(String, String)>,
    pub period: Option<i64>,
    pub evaluation_periods: i64,
    pub threshold: Option<f64>,
    pub comparison_operator: String,
    pub treat_missing_data: Option<String>,
    pub actions_enabled: bool,
    pub state: String,
    pub state_reason: String,
    pub state_updated_ms: u64,
    pub configuration_updated_ms: u64,
}

/// An alarm change the API layer forwards to the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlarmChange {
    /// Created (state INSUFFICIENT_DATA) or reconfigured (state kept).
    Put {
        name: String,
        state: String,
    },
    SetState {
        name: String,
        state: String,
    },
    Deleted {
        names: Vec<String>,
    },
}

#[derive(Debug, Clone, Default)]
pub struct CloudWatch {
    /// Boxed: see [`crate::support::Boxed`].
    alarms: BTreeMap<String, Boxed<MetricAlarm>>,
}

fn missing(member: &str) -> AwsError {
    AwsError::new("MissingParameter", format!("The parameter {member} is required."))
}

fn enum_error(member: &str, value: &str, allowed: &[&str]) -> AwsError {
    AwsError::new(
        "ValidationError",
        format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ),
    )
}

fn opt_enum<'a>(m: &Members<'a>, member: &str, allowed: &[&str]) -> Result<Option<&'a str>, AwsError> {
    match m.opt_str(member)? {
        Some(value) if !allowed.contains(&value) => Err(enum_error(member, value, allowed)),
        other => Ok(other),
    }
}

fn alarm_name(m: &Members<'_>) -> Result<String, AwsError> {
    let name = m.opt_str("AlarmName")?.ok_or_else(|| missing("AlarmName"))?;
    let length = name.chars().count();
    if length == 0 || length > 255 {
        return Err(AwsError::new(
            "ValidationError",
            format!("1 validation error detected: Value '{name}' at 'alarmName' failed to satisfy constraint: Member must have length between 1 and 255"),
        ));
    }
    Ok(name.to_string())
}

impl CloudWatch {
    pub fn alarm(&self, name: &str) -> Option<&MetricAlarm> {
        self.alarms.get(name).map(|alarm| &**alarm)
    }

    fn alarm_json(arns: &ArnContext, alarm: &MetricAlarm) -> Value {
        let mut object = Map::new();
        object.insert("AlarmName".into(), json!(alarm.name));
        object.insert("AlarmArn".into(), json!(arns.alarm(&alarm.name)));
        if let Some(description) = &alarm.description {
            object.insert("AlarmDescription".into(), json!(description));
        }
        object.insert(
            "AlarmConfigurationUpdatedTimestamp".into(),
            render::timestamp(alarm.configuration_updated_ms),
        );
        object.insert("ActionsEnabled".into(), json!(alarm.actions_enabled));
        object.insert("OKActions".into(), json!([]));
        object.insert("AlarmActions".into(), json!([]));
        object.insert("InsufficientDataActions".into(), json!([]));
        object.insert("StateValue".into(), json!(alarm.state));
        object.insert("StateReason".into(), json!(alarm.state_reason));
        object.insert("StateUpdatedTimestamp".into(), render::timestamp(alarm.state_updated_ms));
        if let Some(metric) = &alarm.metric_name {
            object.insert("MetricName".into(), json!(metric));
        }
        if let Some(namespace) = &alarm.namespace {
            object.insert("Namespace".into(), json!(namespace));
        }
        if let Some(statistic) = &alarm.statistic {
            object.insert("Statistic".into(), json!(statistic));
        }
        let dimensions: Vec<Value> =
            alarm.dimensions.iter().map(|(name, value)| json!({"Name": name, "Value": value})).collect();
        object.insert("Dimensions".into(), json!(dimensions));
        if let Some(period) = alarm.period {
            object.insert("Period".into(), json!(period));
        }
        object.insert("EvaluationPeriods".into(), json!(alarm.evaluation_periods));
        if let Some(threshold) = alarm.threshold {
            object.insert("Threshold".into(), json!(threshold));
        }
        object.insert("ComparisonOperator".into(), json!(alarm.comparison_operator));
        if let Some(treat) = &alarm.treat_missing_data {
            object.insert("TreatMissingData".into(), json!(treat));
        }
        object.insert("StateTransitionedTimestamp".into(), render::timestamp(alarm.state_updated_ms));
        Value::Object(object)
    }

    /// Runs CloudWatch action `action`; on success also says what changed for the engine.
    pub fn call(
        &mut self,
        arns: &ArnContext,
        action: &str,
        input: &Value,
        now_ms: u64,
    ) -> Result<(Value, Option<AlarmChange>), AwsError> {
        let m = Members::root(input)?;
        match action {
            "PutMetricAlarm" => {
                let name = alarm_name(&m)?;
                let evaluation_periods =
                    m.opt_int("EvaluationPeriods")?.ok_or_else(|| missing("EvaluationPeriods"))?;
                if evaluation_periods < 1 {
                    return Err(AwsError::new(
                        "ValidationError",
                        "The parameter EvaluationPeriods must be greater than or equal to 1.",
                    ));
                }
                let comparison =
                    m.opt_str("ComparisonOperator")?.ok_or_else(|| missing("ComparisonOperator"))?;
                if !COMPARISON_OPERATORS.contains(&comparison) {
                    return Err(enum_error("comparisonOperator", comparison, COMPARISON_OPERATORS));
                }
                let statistic = opt_enum(&m, "Statistic", STATISTICS)?;
                let period = m.opt_int("Period")?;
                if let Some(period) = period {
                    if !(period == 10 || period == 30 || (period >= 60 && period % 60 == 0)) {
                        return Err(AwsError::new(
                            "InvalidParameterValue",
                            format!("The parameter Period must be 10, 30 or a multiple of 60; got {period}."),
                        ));
                    }
                }
                let metric_name = m.opt_str("MetricName")?;
                let namespace = m.opt_str("Namespace")?;
                if m.value("Metrics").is_none() && (metric_name.is_none() || namespace.is_none()) {
                    return Err(AwsError::new(
                        "ValidationError",
                        "Either MetricName and Namespace, or Metrics, must be specified.",
                    ));
                }
                if metric_name.is_some() && (statistic.is_none() && m.value("ExtendedStatistic").is_none()) {
                    return Err(AwsError::new(
                        "ValidationError",
                        "Exactly one of Statistic or ExtendedStatistic must be specified with MetricName.",
                    ));
                }
                let mut dimensions = Vec::new();
                for dimension in m.opt_obj_list("Dimensions")?.unwrap_or_default() {
                    let dimension_name =
                        dimension.opt_str("Name")?.ok_or_else(|| missing("Dimensions.member.Name"))?;
                    let value =
                        dimension.opt_str("Value")?.ok_or_else(|| missing("Dimensions.member.Value"))?;
                    dimensions.push((dimension_name.to_string(), value.to_string()));
                }
                if dimensions.len() > 30 {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        "An alarm can have at most 30 dimensions.",
                    ));
                }
                let threshold = m.opt_f64("Threshold")?;
                let treat = opt_enum(&m, "TreatMissingData", TREAT_MISSING_DATA)?;
                let description = m.opt_str("AlarmDescription")?;
                let actions_enabled = m.opt_bool("ActionsEnabled")?.unwrap_or(true);
                // Reconfiguring an existing alarm leaves its state as it is (CloudWatch documents this).
                let (state, state_reason, state_updated_ms) = match self.alarms.get(&name) {
                    Some(existing) => {
                        (existing.state.clone(), existing.state_reason.clone(), existing.state_updated_ms)
                    }
                    None => (
                        "INSUFFICIENT_DATA".to_string(),
                        "Unchecked: Initial alarm creation".to_string(),
                        now_ms,
                    ),
                };
                let alarm = MetricAlarm {
                    name: name.clone(),
                    description: description.map(str::to_string),
                    metric_name: metric_name.map(str::to_string),
                    namespace: namespace.map(str::to_string),
                    statistic: statistic.map(str::to_string),
                    dimensions,
                    period,
                    evaluation_periods,
                    threshold,
                    comparison_operator: comparison.to_string(),
                    treat_missing_data: treat.map(str::to_string),
                    actions_enabled,
                    state: state.clone(),
                    state_reason,
                    state_updated_ms,
                    configuration_updated_ms: now_ms,
                };
                self.alarms.insert(name.clone(), Box::new(alarm));
                Ok((json!({}), Some(AlarmChange::Put { name, state })))
            }
            "SetAlarmState" => {
                let name = alarm_name(&m)?;
                let state = m.opt_str("StateValue")?.ok_or_else(|| missing("StateValue"))?;
                if !ALARM_STATES.contains(&state) {
                    return Err(enum_error("stateValue", state, ALARM_STATES));
                }
                let reason = m.opt_str("StateReason")?.ok_or_else(|| missing("StateReason"))?;
                if reason.chars().count() > 1023 {
                    return Err(AwsError::new(
                        "ValidationError",
                        "StateReason must be at most 1023 characters long.",
                    ));
                }
                if let Some(data) = m.opt_str("StateReasonData")? {
                    if serde_json::from_str::<Value>(data).is_err() {
                        return Err(AwsError::new("InvalidFormat", "StateReasonData is not valid JSON."));
                    }
                }
                let alarm = self
                    .alarms
                    .get_mut(&name)
                    .ok_or_else(|| AwsError::new("ResourceNotFound", format!("Alarm {name} not found")))?;
                if alarm.state != state {
                    alarm.state_updated_ms = now_ms;
                }
                alarm.state = state.to_string();
                alarm.state_reason = reason.to_string();
                Ok((json!({}), Some(AlarmChange::SetState { name, state: state.to_string() })))
            }
            "DescribeAlarms" => {
                let names = m.opt_str_list("AlarmNames")?.unwrap_or_default();
                if names.len() > 100 {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        "AlarmNames can list at most 100 alarms.",
                    ));
                }
                let prefix = m.opt_str("AlarmNamePrefix")?;
                if prefix.is_some() && !names.is_empty() {
                    return Err(AwsError::new(
                        "InvalidParameterCombination",
                        "AlarmNames and AlarmNamePrefix cannot be specified together.",
                    ));
                }
                let state = opt_enum(&m, "StateValue", ALARM_STATES)?;
                let max = match m.opt_int("MaxRecords")? {
                    None => 50,
                    Some(max) if (1..=100).contains(&max) => max as usize,
                    Some(max) => {
                        return Err(AwsError::new(
                            "InvalidParameterValue",
                            format!("MaxRecords must be between 1 and 100; got {max}."),
                        ))
                    }
                };
                let alarms: Vec<Value> = self
                    .alarms
                    .values()
                    .filter(|alarm| names.is_empty() || names.contains(&alarm.name.as_str()))
                    .filter(|alarm| prefix.is_none_or(|prefix| alarm.name.starts_with(prefix)))
                    .filter(|alarm| state.is_none_or(|state| alarm.state == state))
                    .take(max)
                    .map(|alarm| Self::alarm_json(arns, alarm))
                    .collect();
                Ok((json!({ "MetricAlarms": alarms, "CompositeAlarms": [] }), None))
            }
            "DeleteAlarms" => {
                let names = m.opt_str_list("AlarmNames")?.ok_or_else(|| missing("AlarmNames"))?;
                if let Some(unknown) = names.iter().find(|name| !self.alarms.contains_key(**name)) {
                    return Err(AwsError::new("ResourceNotFound", format!("Alarm {unknown} not found")));
                }
                for name in &names {
                    self.alarms.remove(*name);
                }
                let names = names.iter().map(|name| name.to_string()).collect();
                Ok((json!({}), Some(AlarmChange::Deleted { names })))
            }
            other => Err(AwsError::unknown_operation("cloudwatch", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alarms_start_insufficient_and_change_only_by_set_alarm_state() {
        let mut cloudwatch = CloudWatch::default();
        let arns = ArnContext::default();
        let put = json!({"AlarmName": "agent-errors", "MetricName": "CPUUtilization", "Namespace": "AWS/ECS",
            "Statistic": "Average", "Period": 60, "EvaluationPeriods": 1, "Threshold": 90.0,
            "ComparisonOperator": "GreaterThanThreshold"});
        let (_, change) = cloudwatch.call(&arns, "PutMetricAlarm", &put, 1_000).unwrap();
        assert_eq!(
            change,
            Some(AlarmChange::Put { name: "agent-errors".into(), state: "INSUFFICIENT_DATA".into() })
        );
        let set = json!({"AlarmName": "agent-errors", "StateValue": "ALARM", "StateReason": "test"});
        cloudwatch.call(&arns, "SetAlarmState", &set, 2_000).unwrap();
        let (described, _) = cloudwatch
            .call(&arns, "DescribeAlarms", &json!({"AlarmNames": ["agent-errors"]}), 3_000)
            .unwrap();
        assert_eq!(described["MetricAlarms"][0]["StateValue"], "ALARM");
        assert_eq!(described["MetricAlarms"][0]["StateUpdatedTimestamp"].as_f64(), Some(2.0));
        let missing = json!({"AlarmName": "nope", "StateValue": "ALARM", "StateReason": "x"});
        assert_eq!(
            cloudwatch.call(&arns, "SetAlarmState", &missing, 0).unwrap_err().error_type,
            "ResourceNotFound"
        );
        let bad_state = json!({"AlarmName": "agent-errors", "StateValue": "RED", "StateReason": "x"});
        assert_eq!(
            cloudwatch.call(&arns, "SetAlarmState", &bad_state, 0).unwrap_err().error_type,
            "ValidationError"
        );
        assert_eq!(
            cloudwatch.call(&arns, "PutMetricAlarm", &json!({"AlarmName": "x"}), 0).unwrap_err().error_type,
            "MissingParameter"
        );
    }
}
