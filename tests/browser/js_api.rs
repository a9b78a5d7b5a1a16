//! The JavaScript API (`session::js::Simulator`) in headless Chromium: what a documentation page that
//! drives the simulator itself does, including the bad input it must answer with typed errors.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::session::js::Simulator;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn error_name(error: &JsValue) -> String {
    error.dyn_ref::<js_sys::Error>().expect("a JavaScript Error").name().into()
}

const SETUP: &str = r#"
aws iam create-role --role-name ecsInfrastructureRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInfrastructureRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances
aws iam create-role --role-name ecsInstanceRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances
aws iam create-instance-profile --instance-profile-name ecsInstanceRole
aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
aws ecs create-cluster --cluster-name demo
aws ecs create-capacity-provider --name demo-mi --cluster demo --managed-instances-provider '{"infrastructureRoleArn":"arn:aws:iam::123456789012:role/ecsInfrastructureRole","instanceLaunchTemplate":{"ec2InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/ecsInstanceRole","networkConfiguration":{"subnets":["subnet-1"]},"instanceRequirements":{"vCpuCount":{"min":2,"max":4},"memoryMiB":{"min":4096,"max":8192}}}}'
aws ecs put-cluster-capacity-providers --cluster demo --capacity-providers demo-mi --default-capacity-provider-strategy capacityProvider=demo-mi,weight=1
aws ecs register-daemon-task-definition --family agent --cpu 256 --memory 512 --container-definitions '[{"name":"agent","image":"public.ecr.aws/docker/library/nginx:alpine","essential":true}]'
aws ecs create-daemon --cluster-arn arn:aws:ecs:us-east-1:123456789012:cluster/demo --daemon-name agent --daemon-task-definition-arn arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:1 --capacity-provider-arns arn:aws:ecs:us-east-1:123456789012:capacity-provider/demo-mi
aws ecs register-task-definition --family app --cpu 512 --memory 1024 --requires-compatibilities MANAGED_INSTANCES --container-definitions '[{"name":"app","image":"nginx","essential":true}]'
aws ecs create-service --cluster demo --service-name web --task-definition app:1 --desired-count 2 --capacity-provider-strategy capacityProvider=demo-mi,weight=1
"#;

#[wasm_bindgen_test]
fn create_script_advance_snapshot_and_filtered_events() {
    let mut sim = Simulator::new(js(r#"{"seed": 7}"#)).unwrap();
    let cluster = sim.call("ecs", "DescribeClusters", js(r#"{"clusters":["missing"]}"#)).unwrap();
    assert_eq!(js_sys::Array::from(&get(&cluster, "failures")).length(), 1);

    let report = sim.script(SETUP).unwrap();
    assert_eq!(get(&report, "exit_status").as_f64(), Some(0.0), "every setup command succeeded");

    let start = sim.now();
    let changes = std::rc::Rc::new(std::cell::Cell::new(0));
    let seen = changes.clone();
    let callback = Closure::<dyn Fn(JsValue)>::new(move |_change: JsValue| seen.set(seen.get() + 1));
    let subscription = sim.subscribe(callback.as_ref().unchecked_ref::<js_sys::Function>().clone());
    sim.advance(10.0 * 60_000.0).unwrap();
    assert_eq!(sim.now() - start, 600_000.0);
    assert!(changes.get() > 0, "the subscriber heard about the fleet changing");
    assert!(sim.unsubscribe(subscription));

    let snapshot = sim.snapshot().unwrap();
    let instances = js_sys::Array::from(&get(&snapshot, "instances"));
    assert!(instances.length() >= 1, "a service on an empty capacity provider scaled it out");
    for instance in instances.iter() {
        assert_eq!(get(&instance, "status").as_string().as_deref(), Some("ACTIVE"));
        let daemon_tasks = js_sys::Array::from(&get(&instance, "daemon_tasks"));
        assert_eq!(daemon_tasks.length(), 1, "exactly one daemon task per instance");
        assert_eq!(get(&daemon_tasks.get(0), "status").as_string().as_deref(), Some("RUNNING"));
    }

    let all = js_sys::Array::from(&sim.events(None).unwrap());
    let deployments = js_sys::Array::from(
        &sim.events(Some(r#"{"detail-type":["ECS Daemon Deployment State Change"]}"#.into())).unwrap(),
    );
    assert!(deployments.length() >= 2 && deployments.length() < all.length());
    for event in deployments.iter() {
        assert_eq!(
            get(&event, "detail-type").as_string().as_deref(),
            Some("ECS Daemon Deployment State Change")
        );
    }

    // The same seed and inputs give the same run.
    let mut again = Simulator::new(js(r#"{"seed": 7}"#)).unwrap();
    again.call("ecs", "DescribeClusters", js(r#"{"clusters":["missing"]}"#)).unwrap();
    again.script(SETUP).unwrap();
    again.advance(10.0 * 60_000.0).unwrap();
    assert_eq!(again.event_log_hash(), sim.event_log_hash());
}

#[wasm_bindgen_test]
fn bad_input_is_answered_by_typed_errors_and_changes_nothing() {
    let mut sim = Simulator::new(JsValue::UNDEFINED).unwrap();
    sim.script("aws ecs create-cluster --cluster-name demo").unwrap();
    let hash = sim.event_log_hash();
    let now = sim.now();

    // An invalid request to an action: the AWS error type, naming the field.
    let error = sim.call("ecs", "CreateDaemon", js(r#"{"daemonName":"bad name!"}"#)).unwrap_err();
    assert_eq!(error_name(&error), "InvalidParameterException");
    // A malformed EventBridge pattern.
    let error = sim.events(Some(r#"{"source":"aws.ecs"}"#.into())).unwrap_err();
    assert_eq!(error_name(&error), "InvalidEventPatternException");
    // Time that is not a duration.
    let error = sim.advance(f64::NAN).unwrap_err();
    assert_eq!(error_name(&error), "InvalidParameterException");
    let error = sim.advance(-5.0).unwrap_err();
    assert_eq!(error_name(&error), "InvalidParameterException");
    // Options that are not options.
    let error = Simulator::new(js(r#"{"seed": "seven"}"#)).err().expect("refused");
    assert_eq!(error_name(&error), "InvalidParameterException");
    let error = Simulator::new(js(r#"{"sede": 7}"#)).err().expect("refused");
    assert!(error.dyn_ref::<js_sys::Error>().unwrap().message().as_string().unwrap().contains("sede"));
    // An unknown service.
    let error = sim.call("s3", "ListBuckets", JsValue::UNDEFINED).unwrap_err();
    assert_eq!(error_name(&error), "UnknownServiceException");

    assert_eq!(sim.event_log_hash(), hash, "no refusal changed the simulation");
    assert_eq!(sim.now(), now);
}
