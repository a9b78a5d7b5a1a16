"""`ecs-daemon-sim serve` for one test, and the environment that points real AWS clients at it.

The binary is `$ECS_DAEMON_SIM_BIN` (the test command sets it), else the debug build. Any access
key is accepted by the endpoint, so fixed example credentials keep the user's own out of the run.
"""

import json
import os
import pathlib
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("ECS_DAEMON_SIM_BIN", str(ROOT / "target" / "debug" / "ecs-daemon-sim"))


class Server:
    """A served account on a free port (`serve --port 0 ARGS`), stopped when the `with` block
    ends or by `stop()`."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", "0", *args], stdout=subprocess.PIPE, text=True
        )
        first = self.process.stdout.readline()
        if "http://" not in first:
            self.process.kill()
            raise RuntimeError(f"serve did not start: {first!r}")
        self.url = "http://" + first.split("http://", 1)[1].split()[0]
        # Whatever it prints later must not fill the pipe and block it.
        self.drain = threading.Thread(target=self.process.stdout.read, daemon=True)
        self.drain.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.drain.join(timeout=10)
        self.process.stdout.close()

    def send(self, method, path, headers=None, body=b""):
        """(status, lower-cased headers, body) of one raw request."""
        request = urllib.request.Request(
            self.url + path, data=body if method != "GET" else None, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    def control(self, method, path, body=None):
        """A `/_sim/` request; the JSON answer."""
        data = b"" if body is None else json.dumps(body).encode()
        status, _, answer = self.send(method, path, {}, data)
        assert status == 200, answer
        return json.loads(answer)

    def advance(self, seconds):
        self.control("POST", "/_sim/advance", {"seconds": seconds})

    def scenario(self):
        """The recorded inputs and the event-log hash: what a refused request must not change."""
        answer = self.control("GET", "/_sim/scenario?since=0")
        return answer["next"], answer["eventLogHash"]

    def env(self, speed=None):
        """The environment of an `aws` command aimed at this server, with no user configuration.
        With `speed`, `sleep N` sleeps N simulated seconds (N / speed wall seconds), as a script
        written for AWS means it."""
        env = dict(os.environ)
        for name in list(env):
            if name.startswith("AWS_"):
                del env[name]
        env.update(
            AWS_ENDPOINT_URL=self.url,
            AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
            AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_PAGER="",
        )
        if speed:
            shim = tempfile.mkdtemp(prefix="simulated-sleep-")
            path = os.path.join(shim, "sleep")
            with open(path, "w") as script:
                script.write(
                    "#!/bin/sh\n# sleep N simulated seconds: N / speed wall seconds\n"
                    f'exec /bin/sleep "$(awk -v s="${{1%s}}" \'BEGIN {{ print s / {speed} }}\')"\n'
                )
            os.chmod(path, 0o755)
            env["PATH"] = shim + os.pathsep + env["PATH"]
        return env


ACCOUNT = "123456789012"
NETWORK = {"subnets": ["subnet-0123456789abcdef0"], "securityGroups": ["sg-0123456789abcdef0"]}


def assume_role_policy(service):
    """The trust policy the tutorial's roles carry."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )


def managed_instances(iam, ecs, cluster, provider):
    """The tutorial's account in boto3 up to its capacity: the infrastructure and instance roles
    with their policies, the instance profile, a cluster and a Managed Instances capacity provider
    as its default strategy. Returns (cluster ARN, provider ARN, strategy)."""
    for role, service, policy in [
        ("ecsInfrastructureRole", "ecs.amazonaws.com", "AmazonECSInfrastructureRolePolicyForManagedInstances"),
        ("ecsInstanceRole", "ec2.amazonaws.com", "AmazonECSInstanceRolePolicyForManagedInstances"),
    ]:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=assume_role_policy(service))
        iam.attach_role_policy(RoleName=role, PolicyArn=f"arn:aws:iam::aws:policy/{policy}")
    iam.create_instance_profile(InstanceProfileName="ecsInstanceRole")
    iam.add_role_to_instance_profile(InstanceProfileName="ecsInstanceRole", RoleName="ecsInstanceRole")
    cluster_arn = ecs.create_cluster(clusterName=cluster)["cluster"]["clusterArn"]
    provider_arn = ecs.create_capacity_provider(
        name=provider,
        cluster=cluster,
        managedInstancesProvider={
            "infrastructureRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ecsInfrastructureRole",
            "instanceLaunchTemplate": {
                "ec2InstanceProfileArn": f"arn:aws:iam::{ACCOUNT}:instance-profile/ecsInstanceRole",
                "networkConfiguration": NETWORK,
                "instanceRequirements": {"vCpuCount": {"min": 2, "max": 4}, "memoryMiB": {"min": 4096, "max": 8192}},
            },
        },
    )["capacityProvider"]["capacityProviderArn"]
    strategy = [{"capacityProvider": provider, "weight": 1}]
    ecs.put_cluster_capacity_providers(
        cluster=cluster, capacityProviders=[provider], defaultCapacityProviderStrategy=strategy
    )
    return cluster_arn, provider_arn, strategy
