import CloudFormation

/// The transactional outbox of `Function.publishes(_:from:)`: the table's change stream read by the function
/// that stores into it.
///
/// AWS behaviour relied on (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html and
/// https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html): each change appears
/// in the stream once, in order per item, for 24 hours; an event source mapping with `MaximumRetryAttempts: -1`
/// and `MaximumRecordAgeInSeconds: -1` retries a failing batch until its records expire, splits it on error
/// (`BisectBatchOnFunctionError`) and, with `ReportBatchItemFailures`, retries from the first failed sequence
/// number; what it gives up on is described (not copied) in a message to the `OnFailure` destination. Filter
/// criteria drop records before the function is invoked, and filtered records are not billed.
extension ExpansionContext {
    /// The failure queue's logical ID for `function`.
    static func outboxFailureQueueId(_ function: Function) -> String { "\(function.name)OutboxFailureQueue" }

    /// The permissions the outbox adds to the function's role.
    func outboxStatements(_ function: Function, table: Table) -> [Statement] {
        [
            .allow(
                [
                    "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:ListStreams",
                ],
                on: [.getAtt("\(table.name)Table", "StreamArn")], sid: "ReadOutbox\(table.name)"),
            .allow(
                ["sqs:SendMessage"], on: [.getAtt(Self.outboxFailureQueueId(function), "Arn")],
                sid: "ReportOutboxFailures"),
        ]
    }

    /// Whether some function publishes from `table`'s stream.
    func isOutbox(_ table: Table) -> Bool { model.functions.contains { $0.outbox == table } }

    /// The stream mapping, the failure queue with its TLS-only policy, and their alarms.
    mutating func expandOutbox(_ function: Function, table: Table, functionId: String) {
        let queueId = Self.outboxFailureQueueId(function)
        let tableId = "\(table.name)Table"
        add(
            Resource(
                queueId, type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped("\(function.name)-outbox-failures")),
                    ("MessageRetentionPeriod", .int(Self.dlqRetentionSeconds)),
                    ("SqsManagedSseEnabled", .bool(true)),
                ]),
                metadata: Self.suppressions(
                    checkov: [
                        (
                            "CKV_AWS_27",
                            "Encrypted with SSE-SQS (SqsManagedSseEnabled: true); checkov only recognises KmsMasterKeyId."
                        )
                    ],
                    cdkNag: [
                        (
                            "AwsSolutions-SQS3",
                            "This queue is the on-failure destination of the outbox's stream mapping: it is itself the dead-letter queue.",
                            []
                        )
                    ])))
        add(
            Resource(
                "\(queueId)Policy", type: "AWS::SQS::QueuePolicy",
                properties: Fields([
                    ("Queues", .list([.ref(queueId)])),
                    (
                        "PolicyDocument",
                        policyDocument([.denyInsecureTransport(service: "sqs", on: [.getAtt(queueId, "Arn")])])
                    ),
                ])))
        add(
            Resource(
                "\(function.name)\(table.name)OutboxEventSourceMapping", type: "AWS::Lambda::EventSourceMapping",
                properties: Fields([
                    ("EventSourceArn", .getAtt(tableId, "StreamArn")),
                    ("FunctionName", invocationTarget(function)),
                    ("StartingPosition", .string("TRIM_HORIZON")),
                    ("BatchSize", .int(100)),
                    // One second of gathering halves the invocations at a few orders a second (Lambda polls a shard
                    // 4 times a second) for at most a second more before an order is announced.
                    ("MaximumBatchingWindowInSeconds", .int(1)),
                    ("MaximumRetryAttempts", .int(-1)),
                    ("MaximumRecordAgeInSeconds", .int(-1)),
                    ("BisectBatchOnFunctionError", .bool(true)),
                    ("FunctionResponseTypes", .strings(["ReportBatchItemFailures"])),
                    (
                        "FilterCriteria",
                        .object([
                            "Filters": .list([
                                .object([
                                    "Pattern": .string(
                                        #"{"eventName":["INSERT","MODIFY"],"dynamodb":{"NewImage":{"published":{"BOOL":[false]}}}}"#
                                    )
                                ])
                            ])
                        ])
                    ),
                    (
                        "DestinationConfig",
                        .object(["OnFailure": .object(["Destination": .getAtt(queueId, "Arn")])])
                    ),
                    ("Enabled", .bool(true)),
                ])))
        graph.node(queueId, "\(function.name) outbox failures", .deadLetterQueue)
        graph.edge(tableId, functionId, "change stream (outbox): unpublished items")
        graph.edge(functionId, queueId, "records given up after 24 h")
        alarms.append(dlqAlarm("\(function.name) outbox failure", queueId))
        alarms.append(
            AlarmSpec(
                logicalId: "\(functionId)OutboxIteratorAgeAlarm",
                description: "\(function.name): the outbox's oldest unannounced change is 5 minutes old or more",
                namespace: "AWS/Lambda", metric: "IteratorAge", dimensions: [("FunctionName", .ref(functionId))],
                statistic: "Maximum", threshold: 300_000))
        widgets.append(
            WidgetSpec(
                title: "\(function.name): outbox age and failures",
                metrics: [
                    ["AWS/Lambda", "IteratorAge", "FunctionName", "${\(functionId)}"],
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "${\(queueId).QueueName}"],
                ], statistic: "Maximum"))
    }
}
