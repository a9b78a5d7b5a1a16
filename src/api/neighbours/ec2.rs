//! EC2 `DescribeInstances` over the engine's instances (Managed Instances are EC2 instances the
//! capacity provider launched). Error codes are EC2's: `InvalidInstanceID.Malformed`,
//! `InvalidInstanceID.NotFound`, `InvalidParameterValue`, `InvalidParameterCombination`.

use crate::api::input::Members;
use crate::api::request::paginate;
use crate::api::{render, ArnContext, AwsError};
use crate::engine::{ContainerInstance, Simulation};
use crate::support::json::json;
use serde_json::Value;

/// EC2's instance state for an engine instance: (code, name).
fn state(instance: &ContainerInstance) -> (u32, &'static str) {
    match instance.status_str() {
        "PROVISIONING" => (0, "pending"),
        "INACTIVE" => (48, "terminated"),
        _ => (16, "running"),
    }
}

fn instance_json(arns: &ArnContext, instance: &ContainerInstance) -> Value {
    let (code, name) = state(instance);
    json!({
        "InstanceId": &*instance.ec2_instance_id,
        "InstanceType": instance.instance_type,
        "LaunchTime": render::timestamp(instance.launched_at),
        "State": {"Code": code, "Name": name},
        "Placement": {"AvailabilityZone": format!("{}a", arns.region), "Tenancy": "default"},
        "Tags": [
            {"Key": "aws:ecs:clusterName", "Value": instance.cluster},
            {"Key": "aws:ecs:capacityProviderName", "Value": instance.capacity_provider},
        ],
    })
}

fn matches_filter(instance: &ContainerInstance, name: &str, values: &[&str]) -> bool {
    let value = match name {
        "instance-state-name" => state(instance).1.to_string(),
        "instance-id" => instance.ec2_instance_id.to_string(),
        "instance-type" => instance.instance_type.to_string(),
        "tag:aws:ecs:clusterName" => instance.cluster.clone(),
        "tag:aws:ecs:capacityProviderName" => instance.capacity_provider.clone(),
        _ => return false,
    };
    values.contains(&value.as_str())
}

const FILTERS: &[&str] = &[
    "instance-state-name",
    "instance-id",
    "instance-type",
    "tag:aws:ecs:clusterName",
    "tag:aws:ecs:capacityProviderName",
];

/// `ec2 describe-instances`: one reservation per instance, launch order.
pub fn describe_instances(sim: &Simulation, arns: &ArnContext, input: &Value) -> Result<Value, AwsError> {
    let m = Members::root(input)?;
    let ids = m.opt_str_list("InstanceIds")?.unwrap_or_default();
    for id in &ids {
        let hex = id.strip_prefix("i-").unwrap_or("");
        if !(hex.len() == 8 || hex.len() == 17) || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AwsError::new("InvalidInstanceID.Malformed", format!("Invalid id: \"{id}\"")));
        }
    }
    let mut filters: Vec<(String, Vec<&str>)> = Vec::new();
    for filter in m.opt_obj_list("Filters")?.unwrap_or_default() {
        let name = filter.opt_str("Name")?.unwrap_or("");
        if !FILTERS.contains(&name) {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!("The filter '{name}' is invalid (the simulator supports {}).", FILTERS.join(", ")),
            ));
        }
        filters.push((name.to_string(), filter.opt_str_list("Values")?.unwrap_or_default()));
    }
    let max = m.opt_int("MaxResults")?;
    if max.is_some() && !ids.is_empty() {
        return Err(AwsError::new(
            "InvalidParameterCombination",
            "The parameter instancesSet cannot be used with the parameter maxResults",
        ));
    }
    let max = match max {
        None => usize::MAX,
        Some(max) if (5..=1000).contains(&max) => max as usize,
        Some(max) => {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!(
                "Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000."
            ),
            ))
        }
    };
    let start = match m.opt_str("NextToken")? {
        None => 0,
        Some(token) => token
            .strip_prefix("ecs-sim-page-")
            .and_then(|offset| offset.parse().ok())
            .ok_or_else(|| AwsError::new("InvalidParameterValue", "The NextToken is invalid."))?,
    };
    let unknown: Vec<String> =
        ids.iter().filter(|id| sim.instance_by_ec2_id(id).is_none()).map(|id| id.to_string()).collect();
    if !unknown.is_empty() {
        return Err(super::instances_not_found(&unknown));
    }
    let reservations: Vec<Value> = sim
        .all_instances()
        .filter(|instance| ids.is_empty() || ids.contains(&&*instance.ec2_instance_id))
        .filter(|instance| filters.iter().all(|(name, values)| matches_filter(instance, name, values)))
        .map(|instance| {
            json!({
                "ReservationId": format!("r-{}", &instance.ec2_instance_id.trim_start_matches("i-")),
                "OwnerId": arns.account,
                "Groups": [],
                "Instances": [instance_json(arns, instance)],
            })
        })
        .collect();
    let (page, next) = paginate(reservations, start, max);
    let mut body = json!({ "Reservations": page });
    if let Some(next) = next {
        body["NextToken"] = json!(next);
    }
    Ok(body)
}
