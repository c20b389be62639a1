"""What the moto_server deployment scripts share: a located check list, a moto server on a free loopback port,
boto3 clients for it, and a placeholder Lambda zip."""
import io
import pathlib
import socket
import time
import zipfile

import boto3
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
failures = []


def check(condition, message):
    """Prints `ok` or `FAIL` with the message and remembers failures."""
    if not condition:
        failures.append(message)
    print(("ok   " if condition else "FAIL ") + message)


def descendants(pid):
    """Every process below `pid`, its children's children included (children hang off the thread that started
    them: every task's list is read)."""
    found, frontier = set(), {pid}
    while frontier:
        children = set()
        for parent in frontier:
            for task in pathlib.Path(f"/proc/{parent}/task").glob("*"):
                try:
                    children |= {int(value) for value in (task / "children").read_text().split()}
                except OSError:
                    continue
        found |= children
        frontier = children
    return found


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def placeholder_zip():
    """A zip with an executable `bootstrap` that exits 0: enough for CloudFormation to create the function."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        archive.writestr(info, "#!/bin/sh\nexit 0\n")
    return buffer.getvalue()


def client(name, endpoint):
    return boto3.client(name, endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def with_moto(run, path):
    """Runs `run(path, endpoint)` against a moto server started for it and stopped afterwards."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        return run(path, f"http://127.0.0.1:{port}")
    finally:
        server.stop()


def without_aliases(body):
    """moto's CloudFormation has no AWS::Lambda::Alias (it skips the resource, so a mapping naming it fails with
    "Missing FunctionName"): every reference to a function's alias is pointed at the function, which is what the
    alias routes to on a first deploy (the version published from the same code). Said, not hidden: the alias and
    its CodeDeploy group are checked by cfn-lint, checkov, cdk-nag and the replayed deploys, not by moto."""
    import re
    aliases = dict(re.findall(r"\n  (\w+):\n    Type: AWS::Lambda::Alias\n(?:.*\n)*?      FunctionName: !Ref (\w+)\n", body))
    for alias, function in aliases.items():
        body = body.replace(f"!Ref {alias}\n", f"!Ref {function}\n").replace("${" + alias + "}", "${" + function + ".Arn}")
    return body


def create_stack(cfn, stack, body, bucket):
    """Creates `stack` from `body` with ArtifactBucket=`bucket` and waits; True at CREATE_COMPLETE, else prints
    the latest events and returns False."""
    body = without_aliases(body)
    cfn.create_stack(StackName=stack, TemplateBody=body, Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": "ArtifactBucket", "ParameterValue": bucket}])
    status = None
    for _ in range(120):
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            break
        time.sleep(0.5)
    check(status == "CREATE_COMPLETE", f"stack status is CREATE_COMPLETE (got {status})")
    if status != "CREATE_COMPLETE":
        for event in cfn.describe_stack_events(StackName=stack)["StackEvents"][:10]:
            print("  event:", event.get("LogicalResourceId"), event.get("ResourceStatus"), event.get("ResourceStatusReason"))
    return status == "CREATE_COMPLETE"
