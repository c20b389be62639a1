#!/usr/bin/env python3
"""The benchmark's peer: the same order processor as a Python Lambda on boto3, the way such handlers are written.

A custom-runtime loop (urllib against AWS_LAMBDA_RUNTIME_API) so that both handlers run under the same test
Runtime API; boto3 clients for DynamoDB and SNS are created at init, as the AWS guidance recommends. Per message:
validate minimally, conditional put, publish with message attributes, mark published; partial batch failures.
Used only by scripts/bench-handlers.py.
"""
import json
import os
import urllib.request

import boto3
from botocore.exceptions import ClientError

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
TABLE = os.environ["ORDERS_TABLE_NAME"]
TOPIC = os.environ["ORDER_EVENTS_TOPIC_ARN"]
dynamodb = boto3.client("dynamodb")
sns = boto3.client("sns")


def process(body):
    order = json.loads(body)
    total = sum(item["quantity"] * item["unitPriceCents"] for item in order["items"])
    try:
        dynamodb.put_item(TableName=TABLE, ConditionExpression="attribute_not_exists(orderId)", Item={
            "orderId": {"S": order["orderId"]}, "status": {"S": "ACCEPTED"}, "totalCents": {"N": str(total)},
            "published": {"BOOL": False}, "channel": {"S": order["channel"]}})
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return
    sns.publish(TopicArn=TOPIC, Message=json.dumps({"type": "OrderAccepted", "orderId": order["orderId"],
                                                    "totalCents": total}),
                MessageAttributes={"type": {"DataType": "String", "StringValue": "OrderAccepted"},
                                   "channel": {"DataType": "String", "StringValue": order["channel"]}})
    dynamodb.update_item(TableName=TABLE, Key={"orderId": {"S": order["orderId"]}},
                         UpdateExpression="SET published = :t", ExpressionAttributeValues={":t": {"BOOL": True}})


def main():
    while True:
        try:
            response = urllib.request.urlopen(API + "/invocation/next")
        except Exception:
            return
        request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(response.read())
        failures = []
        for record in event["Records"]:
            try:
                process(record["body"])
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        answer = json.dumps({"batchItemFailures": failures}).encode()
        urllib.request.urlopen(urllib.request.Request(API + f"/invocation/{request_id}/response", data=answer,
                                                      method="POST"))


if __name__ == "__main__":
    main()
