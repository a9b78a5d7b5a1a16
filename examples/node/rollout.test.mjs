// An example consumer: the simulator's web bundle (what `trunk build --release` writes to dist/) in
// Node's own test runner. The bundle is instantiated from its bytes; nothing is fetched, no browser.
//
//   node --test examples/node/          (ECS_DAEMON_SIM_BUNDLE=DIR to use a bundle elsewhere)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = resolve(process.env.ECS_DAEMON_SIM_BUNDLE ?? join(here, '..', '..', 'dist'));
const { initSync, Simulator } = await import(pathToFileURL(join(bundle, 'playground.js')).href);
initSync({ module: readFileSync(join(bundle, 'playground_bg.wasm')) });

const shared = (name) => readFileSync(join(here, '..', 'shared', name), 'utf8');
const MINUTE = 60_000;
const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';

/// Runs an AWS-CLI script; fails on the first command that failed; returns the records.
function run(sim, script) {
  const report = sim.script(script);
  const failed = report.records.find((r) => !r.success);
  assert.equal(failed, undefined, failed && `\`${failed.command}\` failed: ${failed.stderr}`);
  return report.records;
}

/// The fleet of examples/shared/setup.sh, given 20 simulated minutes to come up.
function fleet(seed) {
  const sim = new Simulator({ seed });
  run(sim, shared('setup.sh'));
  sim.advance(20 * MINUTE);
  const ready = sim.snapshot().instances
    .filter((i) => i.status === 'ACTIVE' && i.app_tasks.some((t) => t.status === 'RUNNING'));
  assert.equal(ready.length, 12, 'the fleet is up');
  return sim;
}

test('the rollout plan of the Rust consumers: same batches, no downtime, same event-log hash', () => {
  const sim = fleet(2);
  const records = run(sim, shared('rollout.sh'));
  const deployment = JSON.parse(records.at(-1).stdout).deploymentArn;
  let largestBatch = 0;
  let fewestRunning = Infinity;
  for (let step = 0; step < (60 * MINUTE) / 5000; step++) {
    sim.advance(5000);
    const draining = sim.snapshot().instances
      .filter((i) => i.status === 'DRAINING' && i.drain_cause === 'DEPLOYMENT').length;
    largestBatch = Math.max(largestBatch, draining);
    const [service] = sim.call('ecs', 'DescribeServices', { cluster: 'demo', services: ['web'] }).services;
    fewestRunning = Math.min(fewestRunning, service.runningCount);
  }
  assert.equal(largestBatch, 3, 'drainPercent 25 of 12 instances: batches of 3');
  assert.ok(fewestRunning >= 12, `the service dropped to ${fewestRunning} running`);
  const successful = sim.events(JSON.stringify({
    source: ['aws.ecs'],
    'detail-type': ['ECS Daemon Deployment State Change'],
    detail: { eventName: ['DAEMON_DEPLOYMENT_SUCCESSFUL'], daemonDeploymentArn: [deployment] },
  }));
  assert.equal(successful.length, 1);
  assert.equal(sim.eventLogHash(), shared('rollout.hash').trim(), 'the hash the Rust consumers reach');
});

test('a revision whose image cannot be pulled is rolled back, and a rule sees each failed start', () => {
  const sim = fleet(3);
  const records = run(sim, `
sim fault image-pull --image agent:broken
aws ecs register-daemon-task-definition --family agent --cpu 256 --memory 512 --container-definitions '[{"name":"agent","image":"agent:broken","essential":true}]'
aws ecs update-daemon --daemon-arn ${ACCOUNT}:daemon/demo/agent --daemon-task-definition-arn agent:2 --capacity-provider-arns demo-mi --deployment-configuration drainPercent=25
`);
  const deployment = JSON.parse(records.at(-1).stdout).deploymentArn;
  sim.advance(90 * MINUTE);

  // The rule a platform team would put on the daemon's failed starts.
  const impaired = sim.events(JSON.stringify({
    source: ['aws.ecs'],
    'detail-type': ['ECS Daemon Service Action'],
    detail: { eventName: ['DAEMON_TASK_START_IMPAIRED'] },
  }));
  assert.ok(impaired.length >= 1, 'failed starts were reported');
  for (const event of impaired) {
    assert.equal(event.detail.eventType, 'WARNING');
    assert.equal(event.detail.daemonTaskDefinitionArn, `${ACCOUNT}:daemon-task-definition/agent:2`);
    assert.match(event.detail.reason, /CannotPullContainerError/);
  }

  const [described] = sim.call('ecs', 'DescribeDaemonDeployments', { daemonDeploymentArns: [deployment] })
    .daemonDeployments;
  assert.equal(described.status, 'ROLLBACK_SUCCESSFUL');
  const revisions = sim.snapshot().instances.flatMap((i) => i.daemon_tasks.map((d) => d.task_definition));
  assert.equal(revisions.length, 12);
  assert.ok(revisions.every((r) => r === 'agent:1'), revisions.join(', '));
  // The scenario file replays to the same run.
  assert.equal(Simulator.fromScenario(sim.exportScenario()).eventLogHash(), sim.eventLogHash());
});

test('bad input is an AWS error, thrown, and changes nothing', () => {
  const sim = new Simulator({ seed: 1 });
  const before = sim.eventLogHash();
  assert.throws(() => sim.call('ecs', 'CreateCluster', { clusterName: 'no spaces allowed' }),
    (error) => error.name === 'InvalidParameterException');
  assert.throws(() => sim.events('{"source": "aws.ecs"}'), (error) => error.name === 'InvalidEventPatternException');
  assert.equal(sim.eventLogHash(), before);
});
