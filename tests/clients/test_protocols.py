"""The endpoint's protocols as real AWS clients speak them.

Starts `ecs-daemon-sim serve --port 0 --speed 0` (the binary named by ECS_DAEMON_SIM_BIN, default
target/debug/ecs-daemon-sim) for each test, points boto3 (and the AWS CLI, when it sits next to this
Python) at it, and checks what botocore parses back: IAM and STS in the query protocol, EC2 in its
own, CloudWatch in the query protocol and in Smithy RPC v2 CBOR through botocore's own serializers
and parsers, and bad requests refused in each protocol's error shape without changing the account.

Run with the Python of a virtual environment that has boto3 (and awscli):
    python -m unittest discover -s tests/clients
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import unittest
import urllib.parse

import boto3
import botocore.parsers
import botocore.serialize
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

from served import NETWORK, ROOT, Server, managed_instances

AWS_CLI = pathlib.Path(sys.executable).parent / "aws"

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
INSTANCE_POLICY = "arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances"
ALARM = {
    "AlarmName": "daemon-cpu",
    "MetricName": "CPUUtilization",
    "Namespace": "AWS/ECS",
    "Statistic": "Average",
    "Period": 60,
    "EvaluationPeriods": 2,
    "Threshold": 90.5,
    "ComparisonOperator": "GreaterThanThreshold",
    "Dimensions": [{"Name": "ClusterName", "Value": "demo"}],
    "ActionsEnabled": False,
}


class ServerTest(unittest.TestCase):
    def setUp(self):
        self.server = Server("--speed", "0")
        self.addCleanup(self.server.stop)
        self.session = boto3.session.Session(
            aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1"
        )

    def client(self, service):
        config = Config(retries={"max_attempts": 1})
        return self.session.client(service, endpoint_url=self.server.url, config=config)

    def assert_error(self, call, code, status):
        with self.assertRaises(ClientError) as raised:
            call()
        self.assertEqual(raised.exception.response["Error"]["Code"], code)
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertTrue(raised.exception.response["Error"]["Message"])


class BotocoreWire:
    """A CloudWatch operation sent through botocore's own serializer and parsed by its parser."""

    def __init__(self, server, protocol):
        self.server = server
        self.protocol = protocol
        self.model = botocore.session.get_session().get_service_model("cloudwatch")

    def call(self, operation, params):
        operation_model = self.model.operation_model(operation)
        request = botocore.serialize.create_serializer(self.protocol).serialize_to_request(params, operation_model)
        body = request["body"]
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body).encode()
        status, headers, answer = self.server.send(request["method"], request["url_path"], request["headers"], body)
        parser = botocore.parsers.create_parser(self.protocol)
        parsed = parser.parse(
            {"status_code": status, "headers": headers, "body": answer}, operation_model.output_shape
        )
        return status, headers, parsed


class QueryProtocol(ServerTest):
    def test_iam_roles_policies_and_instance_profiles_round_trip_through_boto3(self):
        iam = self.client("iam")
        created = iam.create_role(
            RoleName="ecsInstanceRole",
            AssumeRolePolicyDocument=json.dumps(TRUST),
            Description="for <Managed Instances> & daemons",
            MaxSessionDuration=3600,
            Tags=[{"Key": "team", "Value": "platform"}],
        )["Role"]
        self.assertEqual(created["Arn"], "arn:aws:iam::123456789012:role/ecsInstanceRole")
        self.assertEqual(created["AssumeRolePolicyDocument"], TRUST, "the document decodes back")
        self.assertEqual(created["Description"], "for <Managed Instances> & daemons")
        self.assertEqual(created["MaxSessionDuration"], 3600)
        self.assertEqual(created["CreateDate"].year, 2026, "an ISO 8601 timestamp botocore parses")
        iam.attach_role_policy(RoleName="ecsInstanceRole", PolicyArn=INSTANCE_POLICY)
        attached = iam.list_attached_role_policies(RoleName="ecsInstanceRole")
        self.assertEqual([p["PolicyArn"] for p in attached["AttachedPolicies"]], [INSTANCE_POLICY])
        self.assertIs(attached["IsTruncated"], False)
        iam.create_instance_profile(InstanceProfileName="ecsInstanceRole")
        iam.add_role_to_instance_profile(InstanceProfileName="ecsInstanceRole", RoleName="ecsInstanceRole")
        profile = iam.get_instance_profile(InstanceProfileName="ecsInstanceRole")["InstanceProfile"]
        self.assertEqual([role["RoleName"] for role in profile["Roles"]], ["ecsInstanceRole"])
        self.assertEqual(profile["Roles"][0]["AssumeRolePolicyDocument"], TRUST)

        self.assert_error(lambda: iam.delete_role(RoleName="ecsInstanceRole"), "DeleteConflict", 409)
        self.assert_error(
            lambda: iam.create_role(RoleName="ECSINSTANCEROLE", AssumeRolePolicyDocument=json.dumps(TRUST)),
            "EntityAlreadyExists",
            409,
        )
        self.assert_error(lambda: iam.get_role(RoleName="nobody"), "NoSuchEntity", 404)
        self.assert_error(
            lambda: iam.create_role(RoleName="bad name", AssumeRolePolicyDocument="{}"), "ValidationError", 400
        )
        self.assert_error(
            lambda: iam.create_role(RoleName="r", AssumeRolePolicyDocument="{not json"), "MalformedPolicyDocument", 400
        )

        iam.remove_role_from_instance_profile(InstanceProfileName="ecsInstanceRole", RoleName="ecsInstanceRole")
        iam.delete_instance_profile(InstanceProfileName="ecsInstanceRole")
        iam.detach_role_policy(RoleName="ecsInstanceRole", PolicyArn=INSTANCE_POLICY)
        iam.delete_role(RoleName="ecsInstanceRole")
        self.assert_error(lambda: iam.delete_role(RoleName="ecsInstanceRole"), "NoSuchEntity", 404)

    def test_sts_names_the_account(self):
        identity = self.client("sts").get_caller_identity()
        self.assertEqual(identity["Account"], "123456789012")
        self.assertEqual(identity["Arn"], "arn:aws:iam::123456789012:user/admin")

    def test_cloudwatch_alarms_through_botocores_query_serializer_and_parser(self):
        wire = BotocoreWire(self.server, "query")
        status, headers, _ = wire.call("PutMetricAlarm", ALARM)
        self.assertEqual((status, headers["content-type"]), (200, "text/xml"))
        _, _, described = wire.call("DescribeAlarms", {"AlarmNames": ["daemon-cpu"]})
        alarm = described["MetricAlarms"][0]
        self.assertEqual(
            (alarm["Period"], alarm["EvaluationPeriods"], alarm["Threshold"], alarm["ActionsEnabled"]),
            (60, 2, 90.5, False),
        )
        self.assertEqual(alarm["Dimensions"], [{"Name": "ClusterName", "Value": "demo"}])
        self.assertEqual(alarm["StateValue"], "INSUFFICIENT_DATA")
        self.assertEqual(alarm["StateUpdatedTimestamp"].year, 2026)
        status, _, _ = wire.call("DeleteAlarms", {"AlarmNames": ["daemon-cpu"]})
        self.assertEqual(status, 200)
        status, _, refused = wire.call("DeleteAlarms", {"AlarmNames": ["daemon-cpu"]})
        self.assertEqual((status, refused["Error"]["Code"], refused["Error"]["Type"]), (404, "ResourceNotFound", "Sender"))
        _, _, described = wire.call("DescribeAlarms", {})
        self.assertEqual(described["MetricAlarms"], [])

    @unittest.skipUnless(AWS_CLI.exists(), "the AWS CLI is not installed next to this Python")
    def test_the_tutorials_iam_commands_and_cleanup_with_the_aws_cli(self):
        environment = self.server.env()
        environment["AWS_MAX_ATTEMPTS"] = "1"

        def aws(*words):
            done = subprocess.run([str(AWS_CLI), *words], env=environment, capture_output=True, text=True)
            return done.returncode, done.stdout, done.stderr

        trust = json.dumps(TRUST, indent=1)
        roles = [
            ("ecsInfrastructureRole", "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"),
            ("ecsInstanceRole", INSTANCE_POLICY),
            ("ecsExecTaskRole", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"),
        ]
        for role, policy in roles:
            status, out, err = aws("iam", "create-role", "--role-name", role, "--assume-role-policy-document", trust)
            self.assertEqual(status, 0, err)
            self.assertEqual(json.loads(out)["Role"]["AssumeRolePolicyDocument"], TRUST)
            self.assertEqual(aws("iam", "attach-role-policy", "--role-name", role, "--policy-arn", policy)[0], 0)
        status, out, err = aws("iam", "create-instance-profile", "--instance-profile-name", "ecsInstanceRole")
        self.assertEqual(status, 0, err)
        self.assertEqual(json.loads(out)["InstanceProfile"]["InstanceProfileName"], "ecsInstanceRole")
        status, _, err = aws(
            "iam", "add-role-to-instance-profile", "--instance-profile-name", "ecsInstanceRole", "--role-name", "ecsInstanceRole"
        )
        self.assertEqual(status, 0, err)
        self.assertEqual(aws("sts", "get-caller-identity", "--query", "Account", "--output", "text")[1], "123456789012\n")
        status, out, _ = aws("ec2", "describe-instances")
        self.assertEqual((status, json.loads(out)), (0, {"Reservations": []}))

        status, _, err = aws("iam", "delete-role", "--role-name", "no-such-role")
        self.assertNotEqual(status, 0)
        self.assertIn("(NoSuchEntity) when calling the DeleteRole operation", err)

        cleanup = [
            ("iam", "detach-role-policy", "--role-name", "ecsInfrastructureRole", "--policy-arn", roles[0][1]),
            ("iam", "delete-role", "--role-name", "ecsInfrastructureRole"),
            ("iam", "remove-role-from-instance-profile", "--instance-profile-name", "ecsInstanceRole", "--role-name", "ecsInstanceRole"),
            ("iam", "delete-instance-profile", "--instance-profile-name", "ecsInstanceRole"),
            ("iam", "detach-role-policy", "--role-name", "ecsInstanceRole", "--policy-arn", roles[1][1]),
            ("iam", "delete-role", "--role-name", "ecsInstanceRole"),
            ("iam", "detach-role-policy", "--role-name", "ecsExecTaskRole", "--policy-arn", roles[2][1]),
            ("iam", "delete-role", "--role-name", "ecsExecTaskRole"),
        ]
        for command in cleanup:
            status, _, err = aws(*command)
            self.assertEqual(status, 0, f"{command}: {err}")
        status, _, err = aws("iam", "get-role", "--role-name", "ecsInstanceRole")
        self.assertIn("(NoSuchEntity)", err)

        alarm = ["--alarm-name", "cpu", "--metric-name", "CPUUtilization", "--namespace", "AWS/ECS"]
        alarm += ["--statistic", "Average", "--period", "60", "--evaluation-periods", "1", "--threshold", "90"]
        alarm += ["--comparison-operator", "GreaterThanThreshold"]
        self.assertEqual(aws("cloudwatch", "put-metric-alarm", *alarm)[0], 0)
        status, out, _ = aws("cloudwatch", "describe-alarms", "--alarm-names", "cpu")
        self.assertEqual(json.loads(out)["MetricAlarms"][0]["Threshold"], 90.0)
        self.assertEqual(aws("cloudwatch", "delete-alarms", "--alarm-names", "cpu")[0], 0)
        self.assertIn("(ResourceNotFound)", aws("cloudwatch", "delete-alarms", "--alarm-names", "cpu")[2])


class Ec2Protocol(ServerTest):
    def launch_an_instance(self):
        """A cluster with a Managed Instances capacity provider and a service: one instance."""
        ecs = self.client("ecs")
        _, _, strategy = managed_instances(self.client("iam"), ecs, "demo", "mi")
        ecs.register_task_definition(
            family="app",
            networkMode="awsvpc",
            requiresCompatibilities=["MANAGED_INSTANCES"],
            cpu="512",
            memory="1024",
            containerDefinitions=[{"name": "web", "image": "nginx", "essential": True}],
        )
        ecs.create_service(
            cluster="demo",
            serviceName="web",
            taskDefinition="app:1",
            desiredCount=1,
            capacityProviderStrategy=strategy,
            networkConfiguration={"awsvpcConfiguration": NETWORK},
        )
        self.server.advance(300)

    def test_describe_and_terminate_instances(self):
        ec2 = self.client("ec2")
        self.assertEqual(ec2.describe_instances()["Reservations"], [])
        self.launch_an_instance()
        reservations = ec2.describe_instances()["Reservations"]
        self.assertEqual(len(reservations), 1)
        instance = reservations[0]["Instances"][0]
        self.assertEqual(reservations[0]["OwnerId"], "123456789012")
        self.assertTrue(instance["InstanceId"].startswith("i-"))
        self.assertEqual(instance["State"], {"Code": 16, "Name": "running"})
        self.assertEqual(instance["Placement"]["AvailabilityZone"], "us-east-1a")
        self.assertEqual(instance["LaunchTime"].year, 2026)
        self.assertIn({"Key": "aws:ecs:clusterName", "Value": "demo"}, instance["Tags"])
        running = ec2.describe_instances(
            InstanceIds=[instance["InstanceId"]],
            Filters=[{"Name": "instance-state-name", "Values": ["pending", "running"]}],
        )
        self.assertEqual(len(running["Reservations"]), 1)
        stopped = ec2.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["terminated"]}])
        self.assertEqual(stopped["Reservations"], [])

        self.assert_error(lambda: ec2.describe_instances(InstanceIds=["i-xyz"]), "InvalidInstanceID.Malformed", 400)
        self.assert_error(
            lambda: ec2.terminate_instances(InstanceIds=["i-0123456789abcdef0"]), "InvalidInstanceID.NotFound", 400
        )
        self.assert_error(
            lambda: ec2.describe_instances(Filters=[{"Name": "vpc-id", "Values": ["vpc-1"]}]), "InvalidParameterValue", 400
        )
        terminating = ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])["TerminatingInstances"]
        self.assertEqual(
            terminating,
            [
                {
                    "InstanceId": instance["InstanceId"],
                    "CurrentState": {"Code": 32, "Name": "shutting-down"},
                    "PreviousState": {"Code": 16, "Name": "running"},
                }
            ],
        )


class CborProtocol(ServerTest):
    def test_cloudwatch_alarms_through_botocores_cbor_serializer_and_parser(self):
        wire = BotocoreWire(self.server, "smithy-rpc-v2-cbor")
        status, headers, _ = wire.call("PutMetricAlarm", ALARM)
        self.assertEqual((status, headers["smithy-protocol"], headers["content-type"]), (200, "rpc-v2-cbor", "application/cbor"))
        _, _, described = wire.call("DescribeAlarms", {"AlarmNamePrefix": "daemon"})
        alarm = described["MetricAlarms"][0]
        self.assertEqual(alarm["AlarmName"], "daemon-cpu")
        self.assertEqual((alarm["Period"], alarm["Threshold"], alarm["ActionsEnabled"]), (60, 90.5, False))
        self.assertEqual(alarm["AlarmConfigurationUpdatedTimestamp"].year, 2026, "tag 1 epoch seconds")
        status, _, _ = wire.call("SetAlarmState", {"AlarmName": "daemon-cpu", "StateValue": "ALARM", "StateReason": "test"})
        self.assertEqual(status, 200)
        _, _, described = wire.call("DescribeAlarms", {"StateValue": "ALARM"})
        self.assertEqual([a["AlarmName"] for a in described["MetricAlarms"]], ["daemon-cpu"])
        self.assertEqual(wire.call("DeleteAlarms", {"AlarmNames": ["daemon-cpu"]})[0], 200)
        status, headers, refused = wire.call("DeleteAlarms", {"AlarmNames": ["daemon-cpu"]})
        self.assertEqual((status, refused["Error"]["Code"]), (404, "ResourceNotFound"))
        self.assertEqual(headers["x-amzn-query-error"], "ResourceNotFound;Sender")


class ModelTables(unittest.TestCase):
    """src/endpoint/model.rs's tables are what botocore's models say for the simulated actions."""

    ACTIONS = {
        "iam": [
            "CreateRole", "GetRole", "DeleteRole", "AttachRolePolicy", "DetachRolePolicy",
            "ListAttachedRolePolicies", "CreateInstanceProfile", "GetInstanceProfile",
            "DeleteInstanceProfile", "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile",
        ],
        "sts": ["GetCallerIdentity"],
        "cloudwatch": ["PutMetricAlarm", "SetAlarmState", "DescribeAlarms", "DeleteAlarms"],
        "ec2": ["DescribeInstances", "TerminateInstances"],
    }
    TYPES = {"integer": "Integer", "long": "Integer", "double": "Double", "boolean": "Boolean"}

    def test_the_non_string_input_members_are_the_models(self):
        source = (ROOT / "src" / "endpoint" / "model.rs").read_text()
        table = set(re.findall(r'\("(\w+)", "(\w+)", Scalar::(\w+)\)', source))
        found = set()

        def walk(service, name, shape, depth=0):
            if shape.type_name == "structure" and depth < 10:
                for member, member_shape in shape.members.items():
                    walk(service, member, member_shape, depth + 1)
            elif shape.type_name == "list" and depth < 10:
                walk(service, name, shape.member, depth + 1)
            elif shape.type_name in self.TYPES:
                found.add((service, name, self.TYPES[shape.type_name]))

        session = botocore.session.get_session()
        for service, actions in self.ACTIONS.items():
            model = session.get_service_model(service)
            for action in actions:
                shape = model.operation_model(action).input_shape
                if shape is not None:
                    walk(service, "", shape)
        self.assertEqual(table, found)


class BadInput(ServerTest):
    FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    CBOR = {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}
    CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/"

    def xml_code(self, body):
        text = body.decode()
        return text.split("<Code>", 1)[1].split("</Code>", 1)[0]

    def test_bad_requests_get_each_protocols_error_and_change_nothing(self):
        self.server.advance(1)
        before = self.server.scenario()
        query_cases = [
            (b"Action=CreateRole&Version=2010-05-08&RoleName=%zz&AssumeRolePolicyDocument=%7B%7D", 400, "MalformedQueryString"),
            (b"Action=CreateRole&Version=2010-05-08&RoleName=%C3%28&AssumeRolePolicyDocument=%7B%7D", 400, "MalformedQueryString"),
            (b"Action=CreateRole&Version=1999-01-01&RoleName=r", 400, "NoSuchVersion"),
            (b"Action=LaunchRockets&Version=2010-05-08", 400, "InvalidAction"),
            (b"Version=2010-05-08&RoleName=r", 400, "MissingAction"),
            (b"Action=CreateRole&Version=2010-05-08&RoleName=r", 400, "ValidationError"),
            (b"Action=DeleteRole&Version=2010-05-08&RoleName=nobody", 404, "NoSuchEntity"),
            (b"Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&Period=sixty", 400, "InvalidParameterValue"),
            (b"Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.2=a", 400, "MalformedQueryString"),
        ]
        for body, status, code in query_cases:
            got, headers, answer = self.server.send("POST", "/", self.FORM, body)
            self.assertEqual((got, self.xml_code(answer)), (status, code), body)
            self.assertEqual(headers["content-type"], "text/xml")
            self.assertIn(b"<ErrorResponse", answer)
        got, _, answer = self.server.send("GET", "/?Action=GetRole&Version=2010-05-08&RoleName=nobody")
        self.assertEqual((got, self.xml_code(answer)), (404, "NoSuchEntity"))
        got, _, answer = self.server.send(
            "POST", "/", self.FORM, b"Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-nope"
        )
        self.assertEqual((got, self.xml_code(answer)), (400, "InvalidInstanceID.Malformed"))
        self.assertIn(b"<Response><Errors><Error>", answer)

        cbor_cases = [
            ("PutMetricAlarm", b"\xff", "SerializationException"),
            ("PutMetricAlarm", b"\xa1\x61", "SerializationException"),
            ("PutMetricAlarm", b"\x81\x01", "SerializationException"),
            ("PutMetricAlarm", b"\xa1\x61a" + b"\x81" * 200 + b"\x01", "SerializationException"),
            ("PutMetricAlarm", b"\xa1\x69AlarmName\x01", "SerializationException"),
            ("PutMetricAlarm", b"", "MissingParameter"),
            ("LaunchRockets", b"", "UnknownOperationException"),
        ]
        for action, body, code in cbor_cases:
            got, headers, answer = self.server.send("POST", self.CBOR_PATH + action, self.CBOR, body)
            self.assertGreaterEqual(got, 400)
            self.assertEqual(headers["smithy-protocol"], "rpc-v2-cbor")
            self.assertEqual(headers["x-amzn-errortype"], code, body)
            self.assertIn(code.encode(), answer)
        got, _, _ = self.server.send("POST", self.CBOR_PATH + "DescribeAlarms", {"Content-Type": "application/cbor"}, b"")
        self.assertEqual(got, 400, "the smithy-protocol header is required")

        self.assertEqual(self.server.scenario(), before, "nothing was applied")


if __name__ == "__main__":
    unittest.main()
