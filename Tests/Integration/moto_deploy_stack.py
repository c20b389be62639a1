#!/usr/bin/env python3
"""Deploy any synthesized orderstack template through moto_server's CloudFormation API and check it against the
template itself: the generic counterpart of moto_deploy.py, for stacks other than the orders one.

Starts a real moto server (moto.server.ThreadedMotoServer) on 127.0.0.1 with a free port, uploads a placeholder zip
under the default key of every `<Function>CodeKey` parameter, creates the stack with ArtifactBucket, waits for
CREATE_COMPLETE, and then reads back, through each service's own API, what the template declares: every queue
(with its redrive policy), table (key schema, billing mode), topic, function (runtime, handler, environment keys)
and event source mapping (queue, batch size). Resource types moto's CloudFormation does not create (subscriptions,
queue policies, alarms, API stages) are listed, not failed; cfn-lint and the unit tests cover them. Exit 0 when
every check holds, 1 otherwise.

    python3 Tests/Integration/moto_deploy_stack.py examples/webhooks/output/webhooks-dev.yaml
"""
import json
import pathlib
import sys

from cfnlint.decode import decode

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from motolib import check, client, create_stack, failures, placeholder_zip, with_moto  # noqa: E402

STACK = "example-it"
BUCKET = "orderstack-artifacts"
REQUIRED = {"AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::SNS::Topic", "AWS::Lambda::Function",
            "AWS::Lambda::EventSourceMapping", "AWS::IAM::Role", "AWS::SSM::Parameter"}


# Types moto's CloudFormation does not create at all (no model behind them), so a reference to one resolves to
# nothing there; AWS creates them.
MOTO_UNIMPLEMENTED = {"AWS::SecretsManager::Secret"}


def ref_target(value):
    """The logical ID a `Ref` or `Fn::GetAtt` names, else None."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return target[0] if isinstance(target, list) else str(target).split(".")[0]
    return None


def create(path, endpoint):
    template, matches = decode(path)
    if matches:
        raise SystemExit(f"{path}: cannot be read: {matches[0]}")
    s3 = client("s3", endpoint)
    s3.create_bucket(Bucket=BUCKET)
    for name, parameter in template.get("Parameters", {}).items():
        if name.endswith("CodeKey") and "Default" in parameter:
            s3.put_object(Bucket=BUCKET, Key=parameter["Default"], Body=placeholder_zip())
    cfn = client("cloudformation", endpoint)
    if not create_stack(cfn, STACK, open(path).read(), BUCKET):
        return template, None
    created = {r["LogicalResourceId"]: r["PhysicalResourceId"]
               for r in cfn.describe_stack_resources(StackName=STACK)["StackResources"]
               if r.get("LogicalResourceId") and r.get("PhysicalResourceId")}
    return template, created


def check_bucket(s3, logical, name, properties):
    """The bucket exists. moto's CloudFormation creates a bucket with none of its configuration (versioning, the
    public access block, default encryption read back empty, checked here to say so); cfn-lint and the unit tests
    hold the template's, and AWS applies them at creation."""
    s3.head_bucket(Bucket=name)
    check(True, f"{logical} exists")
    ignored = [key for key in ("VersioningConfiguration", "PublicAccessBlockConfiguration", "BucketEncryption",
                               "LifecycleConfiguration", "OwnershipControls") if key in properties]
    print(f"note {logical}: moto's CloudFormation does not apply {', '.join(ignored)}")


def check_rule(events, logical, physical, properties, created):
    """The rule's schedule or pattern, and each target's ARN and dead-letter queue naming the template's queues."""
    name = physical.split("|")[-1].split("/")[-1]
    # The bus the rule is on, found by the rule's name (moto lists no physical ID for a bus it created).
    buses = [bus["Name"] for bus in events.list_event_buses()["EventBuses"]]
    bus_name = next((bus for bus in buses if any(rule["Name"] == name for rule in
                                                  events.list_rules(EventBusName=bus)["Rules"])), None)
    check(bus_name is not None, f"{logical} exists on a bus")
    if bus_name is None:
        return
    check(("EventBusName" in properties) == (bus_name != "default"),
          f"{logical} is on {'its stack bus' if 'EventBusName' in properties else 'the default bus'} (got {bus_name})")
    rule = events.describe_rule(Name=name, EventBusName=bus_name)
    if "ScheduleExpression" in properties:
        check(rule.get("ScheduleExpression") == properties["ScheduleExpression"],
              f"{logical} runs on {properties['ScheduleExpression']} (got {rule.get('ScheduleExpression')})")
    else:
        check(json.loads(rule.get("EventPattern", "{}")) == properties["EventPattern"],
              f"{logical} matches {properties['EventPattern']}")
    targets = events.list_targets_by_rule(Rule=name, EventBusName=bus_name)["Targets"]
    check(len(targets) == len(properties["Targets"]), f"{logical} has {len(properties['Targets'])} target(s)")
    for declared, target in zip(properties["Targets"], targets):
        dlq = created.get(ref_target(declared.get("DeadLetterConfig", {}).get("Arn")) or "")
        got = target.get("DeadLetterConfig", {}).get("Arn", "")
        check(dlq is None or got.endswith(dlq.rsplit("/", 1)[-1]), f"{logical} target {declared['Id']} parks failures in its DLQ (got {got})")


def run(path, endpoint):
    template, created = create(path, endpoint)
    if created is None:
        return 1
    resources = template["Resources"]
    skipped = sorted({body["Type"] for logical, body in resources.items()
                      if logical not in created and body["Type"] not in REQUIRED})
    for logical, body in resources.items():
        if body["Type"] in REQUIRED:
            check(logical in created, f"{logical} ({body['Type']}) was created")
    print("note moto's CloudFormation does not create: " + (", ".join(skipped) or "nothing"))

    sqs, ddb, lam = client("sqs", endpoint), client("dynamodb", endpoint), client("lambda", endpoint)
    ssm, s3, events = client("ssm", endpoint), client("s3", endpoint), client("events", endpoint)
    for logical, body in resources.items():
        properties = body.get("Properties", {})
        physical = created.get(logical)
        if physical is None:
            continue
        if body["Type"] == "AWS::SQS::Queue":
            attributes = sqs.get_queue_attributes(QueueUrl=physical, AttributeNames=["All"])["Attributes"]
            if "RedrivePolicy" in properties:
                redrive = json.loads(attributes.get("RedrivePolicy", "{}"))
                want = properties["RedrivePolicy"]["maxReceiveCount"]
                check(int(redrive.get("maxReceiveCount", 0)) == int(want),
                      f"{logical} redrives after {want} receives (got {redrive.get('maxReceiveCount')})")
                dlq = created.get(ref_target(properties["RedrivePolicy"]["deadLetterTargetArn"]) or "", "")
                check(dlq and redrive.get("deadLetterTargetArn", "").endswith(dlq.rsplit("/", 1)[-1]),
                      f"{logical}'s dead-letter queue is the template's")
        elif body["Type"] == "AWS::DynamoDB::Table":
            table = ddb.describe_table(TableName=physical)["Table"]
            check(table["KeySchema"] == properties["KeySchema"], f"{logical} key schema is {properties['KeySchema']}")
            check(table.get("BillingModeSummary", {}).get("BillingMode") == properties.get("BillingMode"),
                  f"{logical} billing mode is {properties.get('BillingMode')}")
        elif body["Type"] == "AWS::Lambda::Function":
            function = lam.get_function(FunctionName=physical)["Configuration"]
            check(function["Runtime"] == properties["Runtime"] and function["Handler"] == properties["Handler"],
                  f"{logical} runs {properties['Runtime']} {properties['Handler']}")
            # A variable naming a resource of a type moto's CloudFormation does not implement (a Secrets Manager
            # secret) is left out by moto: AWS sets it (the secret's Ref is its ARN).
            variables = properties.get("Environment", {}).get("Variables", {})
            want = sorted(name for name, value in variables.items()
                          if resources.get(ref_target(value) or "", {}).get("Type") not in MOTO_UNIMPLEMENTED)
            got = sorted(function.get("Environment", {}).get("Variables", {}))
            check(got == want, f"{logical} has the environment variables {want}" + ("" if got == want else f" (got {got})"))
        elif body["Type"] == "AWS::SSM::Parameter":
            value = ssm.get_parameter(Name=physical)["Parameter"]["Value"]
            target = created.get(ref_target(properties.get("Value")) or "")
            check(target is None or value == target, f"{logical} holds {properties.get('Value')} (got {value})")
        elif body["Type"] == "AWS::S3::Bucket":
            check_bucket(s3, logical, physical, properties)
        elif body["Type"] == "AWS::Events::Rule":
            check_rule(events, logical, physical, properties, created)
        elif body["Type"] == "AWS::Lambda::EventSourceMapping":
            mapping = lam.get_event_source_mapping(UUID=physical)
            queue = created.get(ref_target(properties["EventSourceArn"]) or "", "")
            check(queue and mapping["EventSourceArn"].endswith(queue.rsplit("/", 1)[-1]), f"{logical} reads its queue")
            check(mapping.get("BatchSize") == properties.get("BatchSize"),
                  f"{logical} batch size {properties.get('BatchSize')} (got {mapping.get('BatchSize')})")
    print(f"{len(failures)} failed checks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(with_moto(run, sys.argv[1]))
