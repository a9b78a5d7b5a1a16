// The AWS SDK for JavaScript v3 against `ecs-daemon-sim serve`: CreateDaemon, DescribeDaemon and
// ListDaemonDeployments round-trip with typed results (the SDK's own deserializers: dates as Date,
// enums as the model's strings). Run by the test command with `node --test`; the binary is
// $ECS_DAEMON_SIM_BIN, else the debug build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  ECSClient, CreateClusterCommand, CreateCapacityProviderCommand, RegisterDaemonTaskDefinitionCommand,
  CreateDaemonCommand, DescribeDaemonCommand, ListDaemonDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import {
  IAMClient, CreateRoleCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand,
  AddRoleToInstanceProfileCommand,
} from '@aws-sdk/client-iam';

const binary = process.env.ECS_DAEMON_SIM_BIN
  ?? fileURLToPath(new URL('../../target/debug/ecs-daemon-sim', import.meta.url));
const ACCOUNT = '123456789012';

/** Starts a served account on a free port; resolves to its URL and a stop function. */
async function serve(...args) {
  const child = spawn(binary, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]);
  const url = /http:\/\/\S+/.exec(line ?? '')?.[0];
  if (!url) { child.kill(); throw new Error(`serve did not start: ${line}`); }
  return { url, stop: () => child.kill() };
}

const assume = (service) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

test('CreateDaemon, DescribeDaemon and ListDaemonDeployments round-trip with typed results', async () => {
  const server = await serve('--speed', '0', '--seed', '5');
  try {
    const config = {
      endpoint: server.url, region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    };
    const iam = new IAMClient(config);
    const ecs = new ECSClient(config);
    for (const [role, service, policy] of [
      ['ecsInfrastructureRole', 'ecs.amazonaws.com', 'AmazonECSInfrastructureRolePolicyForManagedInstances'],
      ['ecsInstanceRole', 'ec2.amazonaws.com', 'AmazonECSInstanceRolePolicyForManagedInstances'],
    ]) {
      const created = await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: assume(service) }));
      assert.ok(created.Role.CreateDate instanceof Date, 'IAM (query protocol, XML) dates are Dates');
      await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
    }
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'ecsInstanceRole' }));

    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'sdk' }));
    const { capacityProvider } = await ecs.send(new CreateCapacityProviderCommand({
      name: 'sdk-mi', cluster: 'sdk',
      managedInstancesProvider: {
        infrastructureRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRole`,
        instanceLaunchTemplate: {
          ec2InstanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceRole`,
          networkConfiguration: { subnets: ['subnet-0123456789abcdef0'] },
          instanceRequirements: { vCpuCount: { min: 2, max: 4 }, memoryMiB: { min: 4096, max: 8192 } },
        },
      },
    }));
    const { daemonTaskDefinitionArn } = await ecs.send(new RegisterDaemonTaskDefinitionCommand({
      family: 'agent', cpu: '256', memory: '512',
      containerDefinitions: [{ name: 'agent', image: 'public.ecr.aws/docker/library/nginx:alpine', essential: true }],
    }));

    const created = await ecs.send(new CreateDaemonCommand({
      clusterArn: cluster.clusterArn, daemonName: 'agent', daemonTaskDefinitionArn,
      capacityProviderArns: [capacityProvider.capacityProviderArn],
    }));
    assert.equal(created.$metadata.httpStatusCode, 200);
    assert.match(created.daemonArn, /^arn:aws:ecs:us-east-1:123456789012:daemon\/sdk\/agent$/);
    assert.ok(created.createdAt instanceof Date, 'createdAt is a Date');
    assert.match(created.deploymentArn, /:daemon-deployment\/sdk\/agent\//);

    const { daemon } = await ecs.send(new DescribeDaemonCommand({ daemonArn: created.daemonArn }));
    assert.equal(daemon.daemonArn, created.daemonArn);
    assert.equal(daemon.clusterArn, cluster.clusterArn);
    assert.ok(daemon.createdAt instanceof Date);
    assert.equal(daemon.createdAt.getTime(), created.createdAt.getTime());
    assert.equal(daemon.status, 'ACTIVE');
    assert.equal(daemon.deploymentArn, created.deploymentArn);
    assert.ok(Array.isArray(daemon.currentRevisions));
    for (const revision of daemon.currentRevisions) {
      assert.equal(typeof revision.totalRunningCount, 'number', 'counts are numbers');
    }

    const { daemonDeployments } = await ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn }));
    assert.equal(daemonDeployments.length, 1);
    assert.equal(daemonDeployments[0].daemonDeploymentArn, created.deploymentArn);
    assert.ok(['PENDING', 'IN_PROGRESS', 'SUCCESSFUL'].includes(daemonDeployments[0].status));
    assert.ok(daemonDeployments[0].createdAt instanceof Date);

    await assert.rejects(
      ecs.send(new DescribeDaemonCommand({ daemonArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:daemon/sdk/nope` })),
      (error) => error.name === 'DaemonNotFoundException' && error.$metadata.httpStatusCode === 400,
    );
  } finally {
    server.stop();
  }
});
