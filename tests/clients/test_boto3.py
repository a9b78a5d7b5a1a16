"""boto3 against `ecs-daemon-sim serve`: a fleet built, a daemon updated and waited for with the
`daemon_deployment_successful` waiter, a bad image rolled back, invalid requests refused with the
AWS error code — and every response checked against botocore's own model of it."""

import json
import unittest

import boto3
import botocore.config
import botocore.exceptions
import botocore.validate

from served import ACCOUNT, Server, managed_instances

# Simulated seconds per wall second: the waiters poll every wall second, one simulated minute.
SPEED = 60
WAIT = {"Delay": 1, "MaxAttempts": 120}
GOOD_IMAGE = "public.ecr.aws/docker/library/nginx:alpine"
BAD_IMAGE = "public.ecr.aws/example/agent:broken"


def unknown_members(value, shape, path="$"):
    """Members of a JSON response that the output shape does not have: botocore's parser drops
    them silently, so a misspelt member would otherwise pass unseen."""
    found = []
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member in value.items():
            if name not in shape.members:
                found.append(f"{path}.{name}")
            else:
                found += unknown_members(member, shape.members[name], f"{path}.{name}")
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            found += unknown_members(item, shape.member, f"{path}[{index}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            found += unknown_members(item, shape.value, f"{path}.{key}")
    return found


# Errors any AWS JSON service answers before an operation's own checks (a body of the wrong type,
# an unknown action): the operation models do not list them.
PROTOCOL_ERRORS = {"SerializationException", "UnknownOperationException"}


class ModelCheck:
    """Holds every ECS response to botocore's model of it: the parsed answer must validate as the
    output shape (types, required members), carry no member the shape lacks, and use only the
    enum values the model lists; an error's code must be one the operation declares."""

    def __init__(self):
        self.problems = []
        self.checked = 0

    def __call__(self, http_response, parsed, model, **_):
        self.checked += 1
        status = http_response.status_code
        if status >= 300:
            code = parsed.get("Error", {}).get("Code")
            declared = {shape.name for shape in model.error_shapes}
            if code not in declared | PROTOCOL_ERRORS:
                self.problems.append(f"{model.name}: error {code} is not one the operation declares")
            return
        if model.output_shape is None:
            return
        raw = json.loads(http_response.content or b"{}")
        self.problems += [f"{model.name}: unknown {m}" for m in unknown_members(raw, model.output_shape)]
        body = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
        report = botocore.validate.ParamValidator().validate(body, model.output_shape)
        if report.has_errors():
            self.problems.append(f"{model.name}: {report.generate_report()}")
        self.problems += [f"{model.name}: {p}" for p in bad_enums(raw, model.output_shape)]


def bad_enums(value, shape, path="$"):
    if shape.type_name == "string" and shape.enum and isinstance(value, str) and value not in shape.enum:
        return [f"{path} = {value!r} is not one of the model's values"]
    if shape.type_name == "structure" and isinstance(value, dict):
        return [p for k, v in value.items() if k in shape.members for p in bad_enums(v, shape.members[k], f"{path}.{k}")]
    if shape.type_name == "list" and isinstance(value, list):
        return [p for i, v in enumerate(value) for p in bad_enums(v, shape.member, f"{path}[{i}]")]
    return []


class Boto3(unittest.TestCase):
    def setUp(self):
        self.server = Server("--speed", str(SPEED), "--seed", "3")
        self.check = ModelCheck()
        session = boto3.session.Session(
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1"
        )
        self.ecs = session.client("ecs", endpoint_url=self.server.url)
        self.iam = session.client("iam", endpoint_url=self.server.url)
        # The same client without its own input checks, to send what AWS itself must refuse.
        self.raw_ecs = session.client(
            "ecs", endpoint_url=self.server.url, config=botocore.config.Config(parameter_validation=False)
        )
        for client in (self.ecs, self.raw_ecs):
            client.meta.events.register("after-call.ecs", self.check)

    def tearDown(self):
        self.server.stop()
        self.assertEqual(self.check.problems, [])

    def fleet(self):
        """The tutorial's account in boto3: roles, a cluster with a Managed Instances capacity
        provider, a daemon and a service of 3 tasks, running."""
        cluster, provider, strategy = managed_instances(self.iam, self.ecs, "fleet", "fleet-mi")
        revision = self.agent(GOOD_IMAGE)
        daemon = self.ecs.create_daemon(
            clusterArn=cluster, daemonName="agent", daemonTaskDefinitionArn=revision, capacityProviderArns=[provider]
        )
        self.ecs.get_waiter("daemon_active").wait(daemonArn=daemon["daemonArn"], WaiterConfig=WAIT)
        self.ecs.register_task_definition(
            family="app",
            requiresCompatibilities=["MANAGED_INSTANCES"],
            networkMode="awsvpc",
            cpu="1024",
            memory="2048",
            containerDefinitions=[{"name": "web", "image": GOOD_IMAGE, "essential": True}],
        )
        self.ecs.create_service(
            cluster="fleet",
            serviceName="app",
            taskDefinition="app",
            desiredCount=3,
            capacityProviderStrategy=strategy,
            networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-0123456789abcdef0"]}},
        )
        self.ecs.get_waiter("services_stable").wait(cluster="fleet", services=["app"], WaiterConfig=WAIT)
        return daemon["daemonArn"], provider

    def agent(self, image):
        return self.ecs.register_daemon_task_definition(
            family="agent",
            cpu="256",
            memory="512",
            containerDefinitions=[{"name": "agent", "image": image, "essential": True, "memoryReservation": 256}],
        )["daemonTaskDefinitionArn"]

    def test_an_update_is_waited_for_and_a_bad_image_rolls_back(self):
        daemon, provider = self.fleet()
        instances = self.ecs.list_container_instances(cluster="fleet")["containerInstanceArns"]
        self.assertGreaterEqual(len(instances), 2)

        update = self.ecs.update_daemon(
            daemonArn=daemon, daemonTaskDefinitionArn=self.agent(GOOD_IMAGE), capacityProviderArns=[provider]
        )
        self.ecs.get_waiter("daemon_deployment_successful").wait(
            daemonDeploymentArns=[update["deploymentArn"]], WaiterConfig=WAIT
        )
        done = self.ecs.describe_daemon_deployments(daemonDeploymentArns=[update["deploymentArn"]])
        self.assertEqual(done["daemonDeployments"][0]["status"], "SUCCESSFUL")
        self.assertEqual(done["daemonDeployments"][0]["circuitBreaker"]["failureCount"], 0)

        self.server.control("POST", "/_sim/command", {"command": f"fault image-pull --image {BAD_IMAGE}"})
        bad = self.ecs.update_daemon(
            daemonArn=daemon, daemonTaskDefinitionArn=self.agent(BAD_IMAGE), capacityProviderArns=[provider]
        )
        with self.assertRaises(botocore.exceptions.WaiterError) as failed:
            self.ecs.get_waiter("daemon_deployment_successful").wait(
                daemonDeploymentArns=[bad["deploymentArn"]], WaiterConfig=WAIT
            )
        self.assertIn("terminal failure state", str(failed.exception))
        [rolled_back] = failed.exception.last_response["daemonDeployments"]
        self.assertEqual(rolled_back["status"], "ROLLBACK_SUCCESSFUL")
        self.assertGreaterEqual(rolled_back["circuitBreaker"]["failureCount"], 3)
        listed = self.ecs.list_daemon_deployments(daemonArn=daemon)["daemonDeployments"]
        self.assertEqual(len(listed), 3, "the create, the good update and the bad one")
        self.assertGreater(self.check.checked, 20)

    def test_invalid_requests_raise_client_errors_with_the_aws_code(self):
        cases = [
            (lambda: self.ecs.describe_daemon(daemonArn=f"arn:aws:ecs:us-east-1:{ACCOUNT}:daemon/nope/agent"), {"ClusterNotFoundException", "DaemonNotFoundException"}),
            (lambda: self.ecs.delete_cluster(cluster="nope"), {"ClusterNotFoundException"}),
            (lambda: self.raw_ecs.create_daemon(daemonName="agent"), {"InvalidParameterException"}),
            (lambda: self.raw_ecs.update_daemon(daemonArn=7, daemonTaskDefinitionArn="x", capacityProviderArns=[]), {"InvalidParameterException", "SerializationException"}),
        ]
        for call, codes in cases:
            with self.assertRaises(botocore.exceptions.ClientError) as refused:
                call()
            self.assertIn(refused.exception.response["Error"]["Code"], codes)
            self.assertTrue(refused.exception.response["Error"]["Message"])
            self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        log = self.server.control("GET", "/_sim/scenario?since=0")["log"]
        self.assertEqual([entry for entry in log if "advance" not in entry], [], "nothing was applied")


if __name__ == "__main__":
    unittest.main()
