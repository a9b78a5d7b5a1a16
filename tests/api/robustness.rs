//! Mutated requests: thousands of seeded random variations of valid requests (members removed,
//! replaced by values of other JSON types, deep random JSON) sent to every ECS action through
//! `Api::call`. Nothing may panic, and every refused request must leave the simulation unchanged.

use ecs_daemon_sim::api::request::ECS_ACTIONS;
use serde_json::{json, Map, Value};

/// A small seeded PRNG (xorshift64*): the tests need reproducible variety, nothing more.
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_value(rng: &mut Prng, depth: u32) -> Value {
    let choices = if depth == 0 { 6 } else { 8 };
    match rng.below(choices) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        // Small valid numbers and the edges of the documented ranges; no huge valid counts, which
        // would only make the world (and the test) slow.
        2 => json!([-1, 0, 1, 2, 7, 20, 21, 51, 100, 101, 1440, 1441, 100_001, i64::MAX][rng.below(14)]),
        3 => json!((rng.next() % 100_000) as f64 / 7.0),
        4 => {
            const WORDS: &[&str] = &[
                "",
                "x",
                "monitoring-agent",
                "daemon-test",
                "daemon-test-mi",
                "arn:aws:ecs:us-east-1:123456789012:daemon/daemon-test/monitoring-agent",
                "arn:aws:ecs:us-east-1:123456789012:cluster/daemon-test",
                "aws:tag",
                "ACTIVE",
                "DRAINING",
                "monitoring-agent:1",
                "💥",
                "abcé",
                "aws:ñandú",
            ];
            json!(WORDS[rng.below(WORDS.len())])
        }
        5 => json!("y".repeat(rng.below(300))),
        6 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth - 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(4) {
                let key = ["name", "key", "value", "image", "min", "weight", "enable"][rng.below(7)];
                map.insert(key.to_string(), random_value(rng, depth - 1));
            }
            Value::Object(map)
        }
    }
}

/// Valid-looking bodies for the actions, to be mutated.
fn base(action: &str) -> Value {
    let daemon = crate::support::api::arn("daemon/daemon-test/monitoring-agent");
    match action {
        "CreateDaemon" => {
            json!({"clusterArn": "daemon-test", "daemonName": "d2", "daemonTaskDefinitionArn": "monitoring-agent:1",
            "capacityProviderArns": ["daemon-test-mi"], "deploymentConfiguration": {"drainPercent": 50.0, "bakeTimeInMinutes": 1,
            "alarms": {"alarmNames": ["a"], "enable": true}}, "tags": [{"key": "k", "value": "v"}], "clientToken": "t"})
        }
        "UpdateDaemon" => {
            json!({"daemonArn": daemon, "daemonTaskDefinitionArn": "monitoring-agent:1", "capacityProviderArns": ["daemon-test-mi"],
            "deploymentConfiguration": {"drainPercent": 100.0}})
        }
        "RegisterDaemonTaskDefinition" => {
            json!({"family": "f", "cpu": "256", "memory": "512", "containerDefinitions": [{"name": "a", "image": "i",
            "healthCheck": {"command": ["CMD", "true"]}}]})
        }
        "CreateCapacityProvider" => {
            json!({"name": "p2", "cluster": "daemon-test", "managedInstancesProvider": {
            "infrastructureRoleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
            "instanceLaunchTemplate": {"ec2InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole",
                "networkConfiguration": {"subnets": ["s"]}, "instanceRequirements": {"vCpuCount": {"min": 2}, "memoryMiB": {"min": 4096}}}}})
        }
        "CreateService" => {
            json!({"cluster": "daemon-test", "serviceName": "s2", "taskDefinition": "test-app:1", "desiredCount": 2,
            "capacityProviderStrategy": [{"capacityProvider": "daemon-test-mi", "weight": 1}]})
        }
        "UpdateService" => json!({"cluster": "daemon-test", "service": "app-svc", "desiredCount": 3}),
        "RunTask" => json!({"cluster": "daemon-test", "taskDefinition": "test-app:1", "count": 2}),
        "ListTasks" => {
            json!({"cluster": "daemon-test", "daemonName": "monitoring-agent", "desiredStatus": "RUNNING"})
        }
        "DescribeDaemonDeployments" => {
            json!({"daemonDeploymentArns": [crate::support::api::arn("daemon-deployment/daemon-test/monitoring-agent/x")]})
        }
        "PutClusterCapacityProviders" => {
            json!({"cluster": "daemon-test", "capacityProviders": ["daemon-test-mi"],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "daemon-test-mi", "weight": 1}]})
        }
        _ => {
            json!({"cluster": "daemon-test", "daemonArn": daemon, "clusterArn": "daemon-test", "daemonTaskDefinition": "monitoring-agent:1",
            "services": ["app-svc"], "tasks": ["t"], "containerInstances": ["ci"], "status": "DRAINING", "maxResults": 5})
        }
    }
}

/// Replaces, removes or adds one member somewhere in `value`.
fn mutate(rng: &mut Prng, value: &mut Value) {
    match value {
        Value::Object(map) if !map.is_empty() && rng.below(4) != 0 => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.below(keys.len())];
            match rng.below(3) {
                0 => {
                    map.remove(key);
                }
                1 => {
                    map.insert(key.clone(), random_value(rng, 3));
                }
                _ => mutate(rng, map.get_mut(key).expect("present")),
            }
        }
        Value::Array(items) if !items.is_empty() && rng.below(3) != 0 => {
            let index = rng.below(items.len());
            mutate(rng, &mut items[index]);
        }
        other => *other = random_value(rng, 3),
    }
}

#[test]
fn mutated_requests_never_panic_and_refusals_change_nothing() {
    let mut api = crate::support::api::tutorial(21, crate::support::api::INSTANCE_POLICY);
    crate::support::api::seconds(&mut api, 300);
    let mut rng = Prng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..1500 {
        let action = ECS_ACTIONS[rng.below(ECS_ACTIONS.len())];
        let mut input = base(action);
        for _ in 0..=rng.below(3) {
            mutate(&mut rng, &mut input);
        }
        let before = api.state_fingerprint();
        match api.call("ecs", action, &input) {
            Ok(_) => accepted += 1,
            Err(error) => {
                refused += 1;
                assert!(!error.error_type.is_empty() && !error.message.is_empty());
                assert_eq!(
                    api.state_fingerprint(),
                    before,
                    "round {round}: refused {action} {input} changed the simulation"
                );
            }
        }
        if round % 100 == 0 {
            crate::support::api::seconds(&mut api, 30);
        }
    }
    assert!(refused > 500, "the mutations should mostly be invalid ({refused} refused)");
    assert!(accepted > 0, "some mutations stay valid");
}
