//! Shared setup for the API tests: seed 002's tutorial commands as API calls.
#![allow(dead_code)]

use ecs_daemon_sim::api::{Api, AwsError};
use ecs_daemon_sim::engine::SimConfig;
use serde_json::{json, Value};

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";
pub const INSTANCE_POLICY: &str = "arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances";
pub const LEGACY_POLICY: &str = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";

pub fn arn(resource: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:{resource}")
}

pub fn ok(api: &mut Api, service: &str, action: &str, input: Value) -> Value {
    api.call(service, action, &input).unwrap_or_else(|error| panic!("{service} {action}: {error}"))
}

pub fn err(api: &mut Api, service: &str, action: &str, input: Value) -> AwsError {
    match api.call(service, action, &input) {
        Ok(body) => panic!("{service} {action} was accepted: {body}"),
        Err(error) => error,
    }
}

fn trust(principal: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}]}).to_string()
}

/// The IAM part of seed 002; `instance_policy` is what the instance role gets.
pub fn roles(api: &mut Api, instance_policy: &str) {
    ok(
        api,
        "iam",
        "CreateRole",
        json!({"RoleName": "ecsInfrastructureRole", "AssumeRolePolicyDocument": trust("ecs.amazonaws.com")}),
    );
    ok(
        api,
        "iam",
        "AttachRolePolicy",
        json!({"RoleName": "ecsInfrastructureRole", "PolicyArn": "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"}),
    );
    ok(
        api,
        "iam",
        "CreateRole",
        json!({"RoleName": "ecsInstanceRole", "AssumeRolePolicyDocument": trust("ec2.amazonaws.com")}),
    );
    ok(api, "iam", "AttachRolePolicy", json!({"RoleName": "ecsInstanceRole", "PolicyArn": instance_policy}));
    ok(api, "iam", "CreateInstanceProfile", json!({"InstanceProfileName": "ecsInstanceRole"}));
    ok(
        api,
        "iam",
        "AddRoleToInstanceProfile",
        json!({"InstanceProfileName": "ecsInstanceRole", "RoleName": "ecsInstanceRole"}),
    );
}

/// Cluster, log group, capacity provider and default strategy of seed 002.
pub fn cluster(api: &mut Api, cluster: &str, provider: &str) {
    ok(api, "ecs", "CreateCluster", json!({"clusterName": cluster}));
    ok(api, "logs", "CreateLogGroup", json!({"logGroupName": format!("/ecs/{cluster}")}));
    ok(
        api,
        "ecs",
        "CreateCapacityProvider",
        json!({
            "name": provider,
            "cluster": cluster,
            "managedInstancesProvider": {
                "infrastructureRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/ecsInfrastructureRole"),
                "instanceLaunchTemplate": {
                    "ec2InstanceProfileArn": format!("arn:aws:iam::{ACCOUNT}:instance-profile/ecsInstanceRole"),
                    "networkConfiguration": {"subnets": ["subnet-0123"], "securityGroups": ["sg-0123"]},
                    "instanceRequirements": {"vCpuCount": {"min": 2, "max": 4}, "memoryMiB": {"min": 4096, "max": 8192}}
                }
            }
        }),
    );
    ok(
        api,
        "ecs",
        "PutClusterCapacityProviders",
        json!({
            "cluster": cluster,
            "capacityProviders": [provider],
            "defaultCapacityProviderStrategy": [{"capacityProvider": provider, "weight": 1}]
        }),
    );
}

pub fn daemon_task_definition(api: &mut Api, family: &str, image: &str) -> String {
    let body = ok(
        api,
        "ecs",
        "RegisterDaemonTaskDefinition",
        json!({
            "family": family,
            "executionRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"),
            "cpu": "256", "memory": "512",
            "containerDefinitions": [{
                "name": "agent", "image": image, "essential": true, "memoryReservation": 256,
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/daemon-test", "awslogs-region": REGION, "awslogs-stream-prefix": "daemon"}}
            }]
        }),
    );
    body["daemonTaskDefinitionArn"].as_str().unwrap().to_string()
}

pub fn app(api: &mut Api, cluster: &str, provider: &str) {
    ok(
        api,
        "ecs",
        "RegisterTaskDefinition",
        json!({
            "family": "test-app", "networkMode": "awsvpc",
            "requiresCompatibilities": ["MANAGED_INSTANCES"], "cpu": "512", "memory": "1024",
            "containerDefinitions": [{"name": "nginx", "image": "public.ecr.aws/docker/library/nginx:alpine", "essential": true,
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}]}]
        }),
    );
    ok(
        api,
        "ecs",
        "CreateService",
        json!({
            "cluster": cluster, "serviceName": "app-svc", "taskDefinition": "test-app:1", "desiredCount": 1,
            "capacityProviderStrategy": [{"capacityProvider": provider, "weight": 1}],
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0123"], "securityGroups": ["sg-0123"]}},
            "enableExecuteCommand": true
        }),
    );
}

/// Seed 002 up to the service: roles, cluster, provider, daemon, app service.
pub fn tutorial(seed: u64, instance_policy: &str) -> Api {
    let mut api = Api::new(SimConfig::with_seed(seed));
    roles(&mut api, instance_policy);
    cluster(&mut api, "daemon-test", "daemon-test-mi");
    let dtd =
        daemon_task_definition(&mut api, "monitoring-agent", "public.ecr.aws/docker/library/nginx:alpine");
    ok(
        &mut api,
        "ecs",
        "CreateDaemon",
        json!({
            "clusterArn": arn("cluster/daemon-test"),
            "daemonName": "monitoring-agent",
            "daemonTaskDefinitionArn": dtd,
            "capacityProviderArns": [arn("capacity-provider/daemon-test-mi")],
            "enableExecuteCommand": true
        }),
    );
    app(&mut api, "daemon-test", "daemon-test-mi");
    api
}

pub fn seconds(api: &mut Api, seconds: u64) {
    api.advance_by(seconds * 1000);
}
