// The JavaScript API from a plain page: create a simulated account with a seed, run an AWS-CLI
// script, advance simulated time, read a snapshot, read EventBridge events filtered by a pattern,
// subscribe to changes, and see bad input answered by a typed error.
import init, { Simulator } from '../playground.js';

const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';

// The tutorial's steps: roles, a cluster with a Managed Instances capacity provider, a daemon, and a
// service whose four tasks make the provider launch four instances.
const SETUP = `
aws iam create-role --role-name ecsInfrastructureRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInfrastructureRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances
aws iam create-role --role-name ecsInstanceRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances
aws iam create-instance-profile --instance-profile-name ecsInstanceRole
aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
aws ecs create-cluster --cluster-name demo
aws ecs create-capacity-provider --name demo-mi --cluster demo --managed-instances-provider '{"infrastructureRoleArn":"arn:aws:iam::123456789012:role/ecsInfrastructureRole","instanceLaunchTemplate":{"ec2InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/ecsInstanceRole","networkConfiguration":{"subnets":["subnet-1"]},"instanceRequirements":{"vCpuCount":{"min":2,"max":4},"memoryMiB":{"min":4096,"max":8192}}}}'
aws ecs put-cluster-capacity-providers --cluster demo --capacity-providers demo-mi --default-capacity-provider-strategy capacityProvider=demo-mi,weight=1
aws ecs register-daemon-task-definition --family agent --cpu 256 --memory 512 --container-definitions '[{"name":"agent","image":"agent:v1","essential":true}]'
aws ecs create-daemon --cluster-arn ${ACCOUNT}:cluster/demo --daemon-name agent --daemon-task-definition-arn ${ACCOUNT}:daemon-task-definition/agent:1 --capacity-provider-arns ${ACCOUNT}:capacity-provider/demo-mi
aws ecs register-task-definition --family app --cpu 1536 --memory 3072 --requires-compatibilities MANAGED_INSTANCES --container-definitions '[{"name":"app","image":"nginx","essential":true}]'
aws ecs create-service --cluster demo --service-name web --task-definition app:1 --desired-count 4 --capacity-provider-strategy capacityProvider=demo-mi,weight=1
`;

const ROLLOUT = `
aws ecs register-daemon-task-definition --family agent --cpu 256 --memory 512 --container-definitions '[{"name":"agent","image":"agent:v2","essential":true}]'
aws ecs update-daemon --daemon-arn ${ACCOUNT}:daemon/demo/agent --daemon-task-definition-arn agent:2 --capacity-provider-arns demo-mi --deployment-configuration drainPercent=50
`;

const DEPLOYMENTS = '{"source":["aws.ecs"],"detail-type":["ECS Daemon Deployment State Change"]}';
const MINUTE = 60_000;

const $ = (id) => document.getElementById(id);

function failures(report) {
  return report.records.filter((r) => !r.success);
}

async function main() {
  await init({ module_or_path: new URL('../playground_bg.wasm', import.meta.url) });
  const sim = new Simulator({ seed: 7 });
  let changes = 0;
  let changedInstances = 0;
  const subscription = sim.subscribe((change) => {
    changes += 1;
    changedInstances += change.changed.length;
  });

  const setup = sim.script(SETUP);
  $('script-summary').textContent =
    `${setup.records.length} commands run, ${failures(setup).length} failed (exit status ${setup.exit_status}).`;

  sim.advance(10 * MINUTE);
  const snapshot = sim.snapshot();
  const byStatus = new Map();
  for (const instance of snapshot.instances) {
    byStatus.set(instance.status, (byStatus.get(instance.status) ?? 0) + 1);
  }
  $('counts').tBodies[0].replaceChildren(...[...byStatus].map(([status, n]) => {
    const row = document.createElement('tr');
    row.dataset.status = status;
    row.innerHTML = '<td></td><td></td>';
    row.cells[0].textContent = status;
    row.cells[1].textContent = String(n);
    return row;
  }));

  const rollout = sim.script(ROLLOUT);
  if (failures(rollout).length > 0) {
    throw new Error(`the rollout script failed: ${failures(rollout).map((r) => r.stderr).join(' ')}`);
  }
  sim.advance(60 * MINUTE);
  $('pattern').textContent = DEPLOYMENTS;
  const deployments = sim.events(DEPLOYMENTS);
  $('events').replaceChildren(...deployments.map((event) => {
    const item = document.createElement('li');
    item.textContent = `${event.time}  ${event.detail.eventName}  ${event.detail.daemonDeploymentArn.split("/").pop()}`;
    return item;
  }));

  sim.unsubscribe(subscription);
  $('changes').textContent = `${changes} notifications, ${changedInstances} instance changes in all.`;

  try {
    sim.call('ecs', 'UpdateDaemon', { daemonArn: 'not-an-arn' });
  } catch (error) {
    $('error').textContent = `sim.call('ecs', 'UpdateDaemon', { daemonArn: 'not-an-arn' })\n→ ${error.name}: ${error.message}`;
    $('error').dataset.errorType = error.name;
  }

  $('hash').textContent = sim.eventLogHash();
  $('status').textContent = `Done: ${snapshot.instances.length} instances after ten minutes, ` +
    `${deployments.length} deployment events after the rollout.`;
  $('status').dataset.state = 'done';
}

main().catch((error) => {
  $('status').textContent = `Failed: ${error}`;
  $('status').dataset.state = 'failed';
  throw error;
});
