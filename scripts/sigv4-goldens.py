#!/usr/bin/env python3
"""Print the botocore SigV4 signatures that Tests/AWSSigV4Tests pins (DynamoDB GetItem, SNS Publish, with a
session token, at 2026-11-28T04:05:06Z). botocore is the oracle: orderstack's signer must produce the same.

    python3 scripts/sigv4-goldens.py
"""
import datetime
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials

CREDENTIALS = botocore.credentials.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SESSIONTOKEN123")
FIXED = datetime.datetime(2026, 11, 28, 4, 5, 6)


def sign(url, body, headers, service):
    request = botocore.awsrequest.AWSRequest(method="POST", url=url, data=body, headers=headers)
    with mock.patch("botocore.auth.datetime") as clock:
        clock.datetime.utcnow.return_value = FIXED
        clock.datetime.now.return_value = FIXED
        clock.timezone = datetime.timezone
        botocore.auth.SigV4Auth(CREDENTIALS, service, "us-east-1").add_auth(request)
    return request.headers["Authorization"]


print(sign("https://dynamodb.us-east-1.amazonaws.com/", '{"TableName":"orders","Key":{"orderId":{"S":"order-0001"}}}',
           {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.GetItem"}, "dynamodb"))
print(sign("https://sns.us-east-1.amazonaws.com/",
           "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aevents&Message=hi",
           {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, "sns"))
