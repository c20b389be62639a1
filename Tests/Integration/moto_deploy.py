#!/usr/bin/env python3
"""Deploy a synthesized orderstack template through moto_server's CloudFormation API and check what it created.

Starts a real moto server (moto.server.ThreadedMotoServer) on 127.0.0.1 with a free port, uploads placeholder
Lambda zips to an artifact bucket, creates the stack, waits for CREATE_COMPLETE, then reads the queues, the
table, the topic, the subscriptions, the functions and the event source mapping back through their own APIs
and compares their attributes with what the template promises. Exit 0 when every check holds, 1 otherwise;
each failed check is printed.

    python3 Tests/Integration/moto_deploy.py output/orders-prod.yaml
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from motolib import check, client, create_stack, failures, placeholder_zip, with_moto  # noqa: E402

STACK = "orders-it"


def run(path, endpoint):
    body = open(path).read()
    s3 = client("s3", endpoint)
    s3.create_bucket(Bucket="orderstack-artifacts")
    for key in ("order-processor.zip", "order-query.zip"):
        s3.put_object(Bucket="orderstack-artifacts", Key=key, Body=placeholder_zip())

    cfn = client("cloudformation", endpoint)
    if not create_stack(cfn, STACK, body, "orderstack-artifacts"):
        return 1
    resources = {r["LogicalResourceId"]: r for r in cfn.describe_stack_resources(StackName=STACK)["StackResources"]
                 if "LogicalResourceId" in r}
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=STACK)["Stacks"][0].get("Outputs", [])}

    sqs = client("sqs", endpoint)
    urls = sqs.list_queues().get("QueueUrls", [])
    names = {url.rsplit("/", 1)[-1]: url for url in urls}
    for name in ("OrderIntake", "OrderIntake-dlq", "InventoryFulfillment", "InventoryFulfillment-dlq",
                 "Accounting", "Accounting-dlq"):
        check(f"{STACK}-{name}" in names, f"queue {STACK}-{name} exists")
    intake = names.get(f"{STACK}-OrderIntake")
    if intake:
        attrs = sqs.get_queue_attributes(QueueUrl=intake, AttributeNames=["All"])["Attributes"]
        redrive = json.loads(attrs.get("RedrivePolicy", "{}"))
        check(int(attrs["VisibilityTimeout"]) >= 6 * 30, f"intake visibility timeout >= 6 x 30 s (got {attrs['VisibilityTimeout']})")
        check(int(redrive.get("maxReceiveCount", 0)) == 5, f"intake redrives after 5 receives (got {redrive})")
        check(redrive.get("deadLetterTargetArn", "").endswith(f"{STACK}-OrderIntake-dlq"), "intake DLQ is OrderIntake-dlq")
        check(outputs.get("OrderIntakeQueueUrl", "").endswith(f"{STACK}-OrderIntake"), "output OrderIntakeQueueUrl names the intake queue")
    dlq = names.get(f"{STACK}-OrderIntake-dlq")
    if dlq:
        attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
        check(attrs.get("MessageRetentionPeriod") == "1209600", "intake DLQ keeps messages 14 days")

    ddb = client("dynamodb", endpoint)
    table_name = resources["OrdersTable"]["PhysicalResourceId"]
    table = ddb.describe_table(TableName=table_name)["Table"]
    check(table["KeySchema"] == [{"AttributeName": "orderId", "KeyType": "HASH"}], "table key is orderId (HASH)")
    check(table.get("BillingModeSummary", {}).get("BillingMode") == "PAY_PER_REQUEST", "table is on demand")
    check(outputs.get("OrdersTableName") == table_name, "output OrdersTableName is the table")

    sns = client("sns", endpoint)
    topic_arn = resources["OrderEventsTopic"]["PhysicalResourceId"]
    check(topic_arn.startswith("arn:aws:sns:"), "events topic exists")
    check(outputs.get("OrderEventsTopicArn") == topic_arn, "output OrderEventsTopicArn is the topic")
    # moto 5.2 has no CloudFormation support for AWS::SNS::Subscription, AWS::SQS::QueuePolicy, alarms or the
    # API stage (it says so and skips them); those are proven by cfn-lint, checkov and the unit tests instead.

    lam = client("lambda", endpoint)
    processor = lam.get_function(FunctionName=f"{STACK}-OrderProcessor")["Configuration"]
    check(processor["Runtime"] == "provided.al2023" and processor["Handler"] == "bootstrap", "processor runs provided.al2023 bootstrap")
    env = processor.get("Environment", {}).get("Variables", {})
    check(env.get("ORDERS_TABLE_NAME") == table_name, "processor knows the table name")
    check(env.get("ORDER_EVENTS_TOPIC_ARN") == topic_arn, "processor knows the topic ARN")
    mappings = lam.list_event_source_mappings(FunctionName=f"{STACK}-OrderProcessor")["EventSourceMappings"]
    sources = sorted(mapping["EventSourceArn"] for mapping in mappings)
    check(len(mappings) == 2 and any(arn.endswith(f"{STACK}-OrderIntake") for arn in sources),
          f"processor consumes the intake queue ({sources})")
    check(any(":table/" in arn and "/stream/" in arn for arn in sources),
          f"processor reads the orders table's change stream, the outbox ({sources})")
    check(env.get("ORDER_EVENTS_DELIVERY") == "outbox", "processor leaves announcing to the outbox")
    if mappings:
        check(mappings[0].get("BatchSize") == 10, f"batch size 10 (got {mappings[0].get('BatchSize')})")
    query = lam.get_function(FunctionName=f"{STACK}-OrderQuery")["Configuration"]
    check(query["Environment"]["Variables"].get("ORDERS_TABLE_NAME") == table_name, "query function knows the table name")

    print(f"{len(failures)} failed checks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(with_moto(run, sys.argv[1]))
