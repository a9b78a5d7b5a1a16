// Follow mode end to end: `ecs-daemon-sim serve` with its clock stopped (`--speed 0`) serves the
// built playground; a fleet is driven over HTTP as an AWS client would (AWS JSON 1.1 with
// X-Amz-Target; the IAM setup as a script through /_sim/script), time moved by /_sim/advance. The
// page opened from the server follows it: at a paused moment it shows as many instances as
// ListContainerInstances and the event-log hash of GET /_sim/clock; drainPercent and a fault from
// the page reach the server (its log grows with them). Simulated time only moves by the test's
// own requests, so nothing here waits on wall time for simulated behaviour: the waits are for
// polls to arrive (bounded by wall-time guards).
// Usage: node follow.mjs BINARY DIST OUT_DIR (BINARY: target/debug/ecs-daemon-sim)
import { check, collectErrors, finish, launch } from './harness.mjs';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [binary, dist, outDir] = process.argv.slice(2);
if (!binary || !dist || !outDir) {
  console.error('usage: node follow.mjs BINARY DIST OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

/// The server on a free port; resolves with its base URL once it prints its address.
function startServer() {
  const child = spawn(binary, ['serve', '--port', '0', '--speed', '0', '--seed', '5', '--playground', dist],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const address = /http:\/\/(\S+?)[\s;]/.exec(line)?.[1];
      if (address) resolve({ child, base: `http://${address}` });
      else reject(new Error(`no address in ${line}`));
    });
  });
}

const { child, base } = await startServer();
const ecs = async (action, input) => {
  const response = await fetch(base + '/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AmazonEC2ContainerServiceV20141113.${action}` },
    body: JSON.stringify(input),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${action}: ${JSON.stringify(body)}`);
  return body;
};
const control = async (path, body) => {
  const response = await fetch(base + path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return response.json();
};
const account = '123456789012';

const context = await launch('ecs-daemon-sim-follow-', { width: 1280, height: 800 });
try {
  // The account, as a platform team's tooling would build it.
  // IAM's protocol is not AWS JSON: the tutorial setup's IAM lines go in as a script.
  const setup = readFileSync(new URL('../../examples/shared/setup.sh', import.meta.url), 'utf8');
  const iamLines = setup.split('\n').filter((line) => line.startsWith('aws iam '));
  const iam = await control('/_sim/script', { script: iamLines.join('\n') + '\n' });
  check('the IAM setup runs on the server', iam.exitStatus === 0 && iamLines.length === 6, iam.stderr);
  await ecs('CreateCluster', { clusterName: 'demo' });
  await ecs('CreateCapacityProvider', {
    name: 'demo-mi', cluster: 'demo', managedInstancesProvider: {
      infrastructureRoleArn: `arn:aws:iam::${account}:role/ecsInfrastructureRole`,
      instanceLaunchTemplate: {
        ec2InstanceProfileArn: `arn:aws:iam::${account}:instance-profile/ecsInstanceRole`,
        networkConfiguration: { subnets: ['subnet-1'] },
        instanceRequirements: { vCpuCount: { min: 2, max: 4 }, memoryMiB: { min: 4096, max: 8192 } },
      },
    },
  });
  await ecs('PutClusterCapacityProviders', { cluster: 'demo', capacityProviders: ['demo-mi'],
    defaultCapacityProviderStrategy: [{ capacityProvider: 'demo-mi', weight: 1 }] });
  await ecs('RegisterDaemonTaskDefinition', { family: 'agent', cpu: '256', memory: '512',
    containerDefinitions: [{ name: 'agent', image: 'agent:v1', essential: true }] });
  const daemon = await ecs('CreateDaemon', { clusterArn: 'demo', daemonName: 'agent', daemonTaskDefinitionArn: 'agent:1',
    capacityProviderArns: ['demo-mi'] });
  await ecs('RegisterTaskDefinition', { family: 'app', cpu: '1536', memory: '3072', requiresCompatibilities: ['MANAGED_INSTANCES'],
    containerDefinitions: [{ name: 'app', image: 'nginx', essential: true }] });
  await ecs('CreateService', { cluster: 'demo', serviceName: 'web', taskDefinition: 'app:1', desiredCount: 6,
    capacityProviderStrategy: [{ capacityProvider: 'demo-mi', weight: 1 }] });
  await control('/_sim/advance', { seconds: 600 });
  await control('/_sim/pause', {});

  const page = context.pages()[0] ?? await context.newPage();
  const errors = collectErrors(page);
  await page.goto(base + '/', { waitUntil: 'load' });
  check('the page opened from the server follows it', page.url() === `${base}/?follow=${base}`, page.url());
  await page.waitForSelector('#follow[data-state="live"], #follow[data-state="paused"]', { timeout: 60000 });
  check('the banner names the server', (await page.textContent('#follow-server')) === base);

  // At this paused moment the page shows the server's fleet and event log.
  const clock = await control('/_sim/clock');
  const listed = await ecs('ListContainerInstances', { cluster: 'demo' });
  const caughtUp = (ms, hash) => page.waitForFunction(([ms, hash]) => {
    const h = document.querySelector('#follow-hash');
    return document.querySelector('#clock')?.dataset.elapsedMs === String(ms) && h?.dataset.local === hash;
  }, [clock.elapsedMs, clock.eventLogHash], { timeout: 60000 }).then(() => true, () => false);
  const reached = await caughtUp(clock.elapsedMs, clock.eventLogHash);
  check('the page reaches the server\'s simulated time and event-log hash', reached,
    `server ${clock.elapsedMs} ms ${clock.eventLogHash}; page ${await page.getAttribute('#clock', 'data-elapsed-ms')} ms ${await page.getAttribute('#follow-hash', 'data-local')}`);
  check('the page says the logs match', (await page.getAttribute('#follow-hash', 'data-verdict')) === 'match');
  const tiles = await page.locator('#grid .tile:not(.ghost)').count();
  check('the page shows as many instances as ListContainerInstances', tiles === listed.containerInstanceArns.length && tiles > 0,
    `${tiles} tiles, ${listed.containerInstanceArns.length} listed`);
  check('the banner says the server is paused', (await page.getAttribute('#follow', 'data-state')) === 'paused');
  check('the deployment panel shows the followed daemon', (await page.getAttribute('#deployment-status', 'data-status')) !== 'NONE');
  await page.screenshot({ path: join(outDir, 'follow-1280x800.png') });
  await page.setViewportSize({ width: 800, height: 500 });
  await page.screenshot({ path: join(outDir, 'follow-800x500.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  // drainPercent from the page: an UpdateDaemon on the server, which its log records.
  const before = (await control('/_sim/scenario?since=0')).next;
  await page.$eval('#drain-percent', (input) => {
    input.value = '50';
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForSelector('#follow-sent[data-ok="true"]', { timeout: 30000 }).catch(() => {});
  const afterKnob = await control(`/_sim/scenario?since=${before}`);
  const update = afterKnob.log.find((e) => e.call?.action === 'UpdateDaemon');
  check('drainPercent from the page reaches the server as UpdateDaemon', update?.call.input.deploymentConfiguration?.drainPercent === 50
    && update.call.input.daemonArn === daemon.daemonArn, JSON.stringify(update ?? afterKnob.log));

  // A fault from the page: Stop daemon task on the first instance, a StopTask on the server.
  await page.click('#grid .tile:not(.ghost)');
  await page.click('#inspector button[data-action="stop-daemon"]');
  let stopped = false;
  for (let attempt = 0; attempt < 100 && !stopped; attempt++) {
    stopped = (await control(`/_sim/scenario?since=${before}`)).log.some((e) => e.call?.action === 'StopTask');
    if (!stopped) await new Promise((r) => setTimeout(r, 200));
  }
  check('a fault from the page reaches the server as StopTask', stopped,
    stopped ? '' : `${await page.textContent('#last-error').catch(() => '')} ${await page.textContent('#follow-sent').catch(() => '')}`);

  // The console's script runs on the server.
  await page.click('#tab-console');
  await page.fill('#console-script', "aws ecs list-clusters --query 'length(clusterArns)' --output text\n");
  await page.click('#console-run');
  const ran = await page.waitForFunction(() => /exit status 0: 1\b/.test(document.querySelector('#follow-sent')?.textContent ?? ''),
    null, { timeout: 30000 }).then(() => true, () => false);
  check('the console\'s script runs on the server', ran, await page.textContent('#follow-sent').catch(() => ''));
  await page.click('#tab-console');

  // The server moves on (the deployment the knob started, the repair the fault started): the page follows.
  await control('/_sim/advance', { seconds: 900 });
  const later = await control('/_sim/clock');
  const followed = await page.waitForFunction(([ms, hash]) => {
    const h = document.querySelector('#follow-hash');
    return document.querySelector('#clock')?.dataset.elapsedMs === String(ms) && h?.dataset.local === hash;
  }, [later.elapsedMs, later.eventLogHash], { timeout: 60000 }).then(() => true, () => false);
  check('after the knob, the fault and 15 more minutes the page still has the server\'s event log', followed,
    `${later.elapsedMs} ms ${later.eventLogHash} vs ${await page.getAttribute('#follow-hash', 'data-local')}`);
  const deployment = await page.getAttribute('#deployment-status', 'data-status');
  check('the page shows the deployment the knob started', ['IN_PROGRESS', 'SUCCESSFUL'].includes(deployment),
    `${deployment}: ${await page.textContent('section.deployment').catch(() => '')}`);
  await page.screenshot({ path: join(outDir, 'follow-after-knob.png') });
  check('no page errors while following', errors.length === 0, errors.join(' | '));

  // A bad follow parameter: a clear message, and a playground of the page's own.
  const bad = await context.newPage();
  const badErrors = collectErrors(bad);
  await bad.goto(`${base}/?follow=not-a-server`, { waitUntil: 'load' });
  await bad.waitForSelector('#grid .tile', { timeout: 30000 });
  const notice = await bad.textContent('#notices [data-subject="follow"]').catch(() => '');
  check('a bad follow parameter is explained and the page runs on its own', notice.includes('not a server address')
    && await bad.locator('#follow').count() === 0, notice);
  check('no page errors with a bad follow parameter', badErrors.length === 0, badErrors.join(' | '));
  await bad.close();

  // The server goes away: the banner says so and the page keeps what it showed.
  child.kill();
  const lost = await page.waitForSelector('#follow[data-state="lost"]', { timeout: 30000 }).then(() => true, () => false);
  check('a lost server is said in the banner, the run kept', lost && await page.locator('#grid .tile').count() > 0,
    await page.textContent('#follow-status'));
} finally {
  child.kill();
  await context.close();
}
finish();
