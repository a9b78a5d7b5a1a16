//! `--generate-cli-skeleton [input]`: the request template the AWS CLI prints, built the way
//! botocore's `ArgumentGenerator` builds it from the input shape — `""` for strings, `0` for
//! integers, `0.0` for doubles, `true` for booleans, `"1970-01-01T00:00:00"` for timestamps, one
//! element per list, `{"KeyName": ""}` per map — printed as `json.dump(indent=4)`.
//!
//! The console's member table ([`super::shapes`]) keeps some members as free JSON (container
//! definitions, volumes) and does not list enum values; for the daemon actions the model's
//! structures and enum values are written out here, so their skeletons are the CLI's. botocore
//! picks a *random* enum value; the simulator picks the model's first, to stay deterministic.
//! Elsewhere free-JSON members print as `{}` and enum members as `""`.

use super::output::format_json;
use super::shapes::{parse_members, Member, Operation, Shape};
use serde_json::{Map, Value};

/// What `--generate-cli-skeleton` was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkeletonKind {
    Input,
    Output,
    YamlInput,
}

/// Free-JSON members of the daemon actions, as structures (botocore 1.44's model, in its order).
const EXPANDED: &[(&str, &str, &str)] = &[
    (
        "RegisterDaemonTaskDefinition",
        "containerDefinitions",
        "[{name:s image:s memory:i memoryReservation:i repositoryCredentials:{credentialsParameter:s} \
         healthCheck:{command:[s] interval:i timeout:i retries:i startPeriod:i} cpu:i essential:b \
         entryPoint:[s] command:[s] workingDirectory:s environmentFiles:[{value:s type:s}] \
         environment:[{name:s value:s}] secrets:[{name:s valueFrom:s}] readonlyRootFilesystem:b \
         mountPoints:[{sourceVolume:s containerPath:s readOnly:b}] \
         logConfiguration:{logDriver:s options:m secretOptions:[{name:s valueFrom:s}]} \
         firelensConfiguration:{type:s options:m} privileged:b user:s \
         ulimits:[{name:s softLimit:i hardLimit:i}] \
         linuxParameters:{capabilities:{add:[s] drop:[s]} \
         devices:[{hostPath:s containerPath:s permissions:[s]}] initProcessEnabled:b \
         tmpfs:[{containerPath:s size:i mountOptions:[s]}]} \
         dependsOn:[{containerName:s condition:s}] startTimeout:i stopTimeout:i \
         systemControls:[{namespace:s value:s}] interactive:b pseudoTerminal:b \
         restartPolicy:{enabled:b ignoredExitCodes:[i] restartAttemptPeriod:i}}]",
    ),
    (
        "RegisterDaemonTaskDefinition",
        "volumes",
        "[{name:s host:{sourcePath:s} logDriverVolumeConfiguration:{driver:s}}]",
    ),
];

/// The first enum value of string members of the daemon actions (paths without list brackets).
const ENUMS: &[(&str, &str, &str)] = &[
    ("RegisterDaemonTaskDefinition", "containerDefinitions.environmentFiles.type", "s3"),
    ("RegisterDaemonTaskDefinition", "containerDefinitions.logConfiguration.logDriver", "json-file"),
    ("RegisterDaemonTaskDefinition", "containerDefinitions.firelensConfiguration.type", "fluentd"),
    ("RegisterDaemonTaskDefinition", "containerDefinitions.ulimits.name", "core"),
    ("RegisterDaemonTaskDefinition", "containerDefinitions.linuxParameters.devices.permissions", "read"),
    ("RegisterDaemonTaskDefinition", "containerDefinitions.dependsOn.condition", "START"),
    ("RegisterDaemonTaskDefinition", "volumes.logDriverVolumeConfiguration.driver", "json-file"),
    ("RegisterDaemonTaskDefinition", "pidMode", "none"),
    ("RegisterDaemonTaskDefinition", "ipcMode", "none"),
    ("ListDaemonTaskDefinitions", "revision", "LAST_REGISTERED"),
    ("ListDaemonTaskDefinitions", "status", "ACTIVE"),
    ("ListDaemonTaskDefinitions", "sort", "ASC"),
    ("CreateDaemon", "propagateTags", "DAEMON"),
    ("UpdateDaemon", "propagateTags", "DAEMON"),
    ("ListDaemonDeployments", "status", "PENDING"),
];

/// The input skeleton of an operation, as the CLI prints it.
pub fn input_skeleton(operation: &Operation) -> String {
    let mut object = Map::new();
    for member in &operation.input {
        object.insert(member.name.clone(), member_skeleton(operation.name, member, &member.name));
    }
    // An operation without members prints `{}` (format_json leaves an empty object out).
    if object.is_empty() {
        return "{}\n".into();
    }
    format_json(&Value::Object(object))
}

fn member_skeleton(action: &str, member: &Member, path: &str) -> Value {
    if member.shape == Shape::Any {
        if let Some((_, _, text)) = EXPANDED.iter().find(|(a, m, _)| *a == action && *m == path) {
            // The expansion is one member's type: parse it as the type of a stand-in member.
            if let Ok(mut parsed) = parse_members(&format!("x:{text}")) {
                if let Some(expanded) = parsed.pop() {
                    return shape_skeleton(action, &expanded.shape, path);
                }
            }
        }
    }
    shape_skeleton(action, &member.shape, path)
}

fn shape_skeleton(action: &str, shape: &Shape, path: &str) -> Value {
    match shape {
        Shape::String => {
            let value = ENUMS.iter().find(|(a, p, _)| *a == action && *p == path).map(|(_, _, v)| *v);
            Value::String(value.unwrap_or("").into())
        }
        Shape::Integer => Value::from(0),
        Shape::Double => Value::from(0.0),
        Shape::Boolean => Value::Bool(true),
        Shape::Timestamp => Value::String("1970-01-01T00:00:00".into()),
        Shape::Any => Value::Object(Map::new()),
        Shape::Map => {
            let mut map = Map::new();
            map.insert("KeyName".into(), Value::String(String::new()));
            Value::Object(map)
        }
        Shape::List(element) => Value::Array(vec![shape_skeleton(action, element, path)]),
        Shape::Structure(members) => {
            let mut map = Map::new();
            for member in members {
                let inner = format!("{path}.{}", member.name);
                map.insert(member.name.clone(), member_skeleton(action, member, &inner));
            }
            Value::Object(map)
        }
    }
}
