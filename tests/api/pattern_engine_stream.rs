//! Seed 004's example patterns against a stream the real engine recorded: a console script in
//! us-west-2 over two clusters (`my-cluster`, the one the seed's cluster pattern names, and
//! `other-cluster`, which it must leave out) that produces DAEMON_TASK_START_IMPAIRED of both
//! failure types on both clusters, deployment state changes and the other ECS events. Every
//! pattern must match exactly what the plain-field oracle of `support::pattern` says.

use crate::support::pattern::check_seed_004_patterns;
use ecs_daemon_sim::api::Api;
use ecs_daemon_sim::cli::run_script;
use ecs_daemon_sim::engine::SimConfig;
use ecs_daemon_sim::pattern::EventPattern;
use serde_json::Value;

const MY_CLUSTER: &str = "arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster";
const OTHER_CLUSTER: &str = "arn:aws:ecs:us-west-2:123456789012:cluster/other-cluster";

/// One cluster's world: a capacity provider, a critical daemon whose image cannot be pulled
/// (TASK_FAILED_TO_RUN, the instance held REGISTERING), a non-critical daemon too large for the
/// 2-vCPU instance (TASK_CREATION_FAILED) and an app service.
fn cluster_script(cluster: &str, provider: &str, image: &str) -> String {
    format!(
        r#"
aws ecs create-cluster --cluster-name {cluster}
aws ecs create-capacity-provider --name {provider} --cluster {cluster} --managed-instances-provider '{{
  "infrastructureRoleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
  "instanceLaunchTemplate": {{
    "ec2InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole",
    "networkConfiguration": {{"subnets": ["subnet-0123456789abcdef0"]}},
    "instanceRequirements": {{"vCpuCount": {{"min": 2, "max": 2}}, "memoryMiB": {{"min": 4096, "max": 4096}}}}
  }}}}'
aws ecs put-cluster-capacity-providers --cluster {cluster} --capacity-providers {provider} \
  --default-capacity-provider-strategy capacityProvider={provider},weight=1
aws ecs register-daemon-task-definition --family {cluster}-agent --cpu 256 --memory 512 \
  --container-definitions '[{{"name": "agent", "image": "{image}", "essential": true}}]'
aws ecs register-daemon-task-definition --family {cluster}-huge --cpu 4096 --memory 512 \
  --container-definitions '[{{"name": "huge", "image": "agent:v1", "essential": true}}]'
aws ecs create-daemon --cluster-arn arn:aws:ecs:us-west-2:123456789012:cluster/{cluster} \
  --daemon-name my-daemon --daemon-task-definition-arn {cluster}-agent:1 \
  --capacity-provider-arns arn:aws:ecs:us-west-2:123456789012:capacity-provider/{provider}
aws ecs create-daemon --cluster-arn arn:aws:ecs:us-west-2:123456789012:cluster/{cluster} \
  --daemon-name huge-daemon --daemon-task-definition-arn {cluster}-huge:1 --no-critical \
  --capacity-provider-arns arn:aws:ecs:us-west-2:123456789012:capacity-provider/{provider}
aws ecs register-task-definition --family {cluster}-app --cpu 512 --memory 1024 \
  --requires-compatibilities MANAGED_INSTANCES \
  --container-definitions '[{{"name": "app", "image": "nginx:alpine", "essential": true}}]'
aws ecs create-service --cluster {cluster} --service-name app-svc --task-definition {cluster}-app:1 \
  --desired-count 1 --capacity-provider-strategy capacityProvider={provider},weight=1
"#
    )
}

const ROLES: &str = r#"
aws iam create-role --role-name ecsInfrastructureRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInfrastructureRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances
aws iam create-role --role-name ecsInstanceRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances
aws iam create-instance-profile --instance-profile-name ecsInstanceRole
aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
"#;

/// Both clusters with their faults, the pull fault cleared after five minutes, then a rolling
/// update of `my-daemon` on my-cluster (deployment state changes) and time for it to finish.
fn recorded_stream() -> Vec<Value> {
    let mut config = SimConfig::with_seed(4);
    config.region = "us-west-2".to_string();
    let mut api = Api::new(config);
    let script = format!(
        "{ROLES}sim fault image-pull --image agent:broken\n{}{}sleep 300\nsim fault clear\nsleep 300\n\
         aws ecs register-daemon-task-definition --family my-cluster-agent --cpu 256 --memory 512 \
         --container-definitions '[{{\"name\": \"agent\", \"image\": \"agent:v2\", \"essential\": true}}]'\n\
         aws ecs update-daemon --daemon-arn arn:aws:ecs:us-west-2:123456789012:daemon/my-cluster/my-daemon \
         --daemon-task-definition-arn my-cluster-agent:2 \
         --capacity-provider-arns arn:aws:ecs:us-west-2:123456789012:capacity-provider/my-capacity-provider\n\
         sleep 900\n",
        cluster_script("my-cluster", "my-capacity-provider", "agent:broken"),
        cluster_script("other-cluster", "other-capacity-provider", "agent:broken"),
    );
    let report = run_script(&mut api, &script);
    let failed: Vec<_> = report.records.iter().filter(|r| !r.success).collect();
    assert!(failed.is_empty(), "failed: {failed:#?}");
    api.simulation().events().iter().map(|event| event.to_json()).collect()
}

fn text<'a>(event: &'a Value, pointer: &str) -> &'a str {
    event.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

#[test]
fn every_seed_pattern_matches_exactly_its_events_in_the_engines_stream() {
    let events = recorded_stream();
    let matched = check_seed_004_patterns(events.clone());
    let [all_actions, creation_failed, my_cluster, deployments] = [0, 1, 2, 3].map(|i| &matched[i]);

    // The stream has what the patterns discriminate on, so none of them passes vacuously.
    let impaired = |failure: &str, cluster: &str| {
        all_actions.iter().any(|&i| {
            text(&events[i], "/detail/eventName") == "DAEMON_TASK_START_IMPAIRED"
                && text(&events[i], "/detail/failureType") == failure
                && text(&events[i], "/detail/clusterArn") == cluster
        })
    };
    for cluster in [MY_CLUSTER, OTHER_CLUSTER] {
        assert!(impaired("TASK_FAILED_TO_RUN", cluster), "pull failure on {cluster}");
        assert!(impaired("TASK_CREATION_FAILED", cluster), "placement failure on {cluster}");
    }
    // Pattern 2 took a strict subset of pattern 1, pattern 3 another one, and they differ.
    assert!(!creation_failed.is_empty() && creation_failed.len() < all_actions.len());
    assert!(!my_cluster.is_empty() && my_cluster.len() < all_actions.len());
    assert!(creation_failed.iter().any(|i| text(&events[*i], "/detail/clusterArn") == OTHER_CLUSTER));
    assert!(my_cluster.iter().any(|i| text(&events[*i], "/detail/failureType") == "TASK_FAILED_TO_RUN"));
    // The rolling update's state changes, in the order the engine emitted them.
    let names: Vec<&str> = deployments.iter().map(|&i| text(&events[i], "/detail/eventName")).collect();
    for name in ["DAEMON_DEPLOYMENT_PENDING", "DAEMON_DEPLOYMENT_IN_PROGRESS", "DAEMON_DEPLOYMENT_SUCCESSFUL"]
    {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    // And events no seed pattern takes: task, instance and other ECS events.
    let taken: std::collections::BTreeSet<usize> = matched.iter().flatten().copied().collect();
    let others: std::collections::BTreeSet<&str> =
        (0..events.len()).filter(|i| !taken.contains(i)).map(|i| text(&events[i], "/detail-type")).collect();
    assert!(others.contains("ECS Task State Change"), "{others:?}");
    assert!(others.contains("ECS Container Instance State Change"), "{others:?}");
    // Every event is in the region the cluster pattern names.
    assert!(events.iter().all(|e| text(e, "/region") == "us-west-2"));
}

#[test]
fn the_cluster_pattern_moved_to_the_other_cluster_takes_the_complement() {
    let events = recorded_stream();
    let pattern = |cluster: &str| {
        EventPattern::parse(&format!(
            r#"{{ "source": ["aws.ecs"], "detail-type": ["ECS Daemon Service Action"],
                 "detail": {{ "eventName": ["DAEMON_TASK_START_IMPAIRED"], "clusterArn": ["{cluster}"] }} }}"#
        ))
        .unwrap()
    };
    let mine = pattern(MY_CLUSTER).filter(&events);
    let other = pattern(OTHER_CLUSTER).filter(&events);
    let any_cluster = EventPattern::parse(
        r#"{ "detail-type": ["ECS Daemon Service Action"], "detail": { "eventName": ["DAEMON_TASK_START_IMPAIRED"] } }"#,
    )
    .unwrap()
    .filter(&events);
    assert!(!mine.is_empty() && !other.is_empty());
    assert_eq!(mine.len() + other.len(), any_cluster.len());
    assert!(mine.iter().all(|e| !other.contains(e)));
}
