import CloudFormation

extension ExpansionContext {
    static let dlqRetentionSeconds = 1_209_600

    /// The table: on demand, encrypted, point-in-time recovery, deletion protection, retained on delete and replace.
    mutating func expand(_ table: Table) {
        let logicalId = "\(table.name)Table"
        add(
            Resource(
                logicalId, type: "AWS::DynamoDB::Table",
                properties: Fields(
                    [
                        ("BillingMode", .string("PAY_PER_REQUEST")),
                        (
                            "AttributeDefinitions",
                            .list([
                                .object(["AttributeName": .string(table.partitionKey), "AttributeType": .string("S")])
                            ])
                        ),
                        (
                            "KeySchema",
                            .list([.object(["AttributeName": .string(table.partitionKey), "KeyType": .string("HASH")])])
                        ),
                        ("PointInTimeRecoverySpecification", .object(["PointInTimeRecoveryEnabled": .bool(true)])),
                        ("SSESpecification", .object(["SSEEnabled": .bool(true)])),
                        ("DeletionProtectionEnabled", .bool(stage.deletionProtection)),
                    ]
                        + (isOutbox(table)
                            ? [("StreamSpecification", .object(["StreamViewType": .string("NEW_IMAGE")]))] : [])),
                deletionPolicy: .string("Retain"), updateReplacePolicy: .string("Retain"),
                metadata: Self.suppressions(
                    checkov: [
                        (
                            "CKV_AWS_119",
                            "Encrypted at rest with the AWS-managed DynamoDB key (SSEEnabled). A customer-managed key would need a key policy naming every reader and writer role and adds KMS cost to every request; no compliance rule here asks for it."
                        )
                    ],
                    orderstack: stage.deletionProtection
                        ? []
                        : [
                            (
                                "OS2023",
                                "Stage \(stage.name) sets table.deletionProtection: false so the stack can be torn down; the table is still retained on delete and replace."
                            )
                        ])))
        graph.node(logicalId, "\(table.name) (DynamoDB table)", .table)
        alarms.append(
            AlarmSpec(
                logicalId: "\(logicalId)WriteThrottleAlarm",
                description: "\(table.name) table: write requests throttled",
                namespace: "AWS/DynamoDB", metric: "WriteThrottleEvents", dimensions: [("TableName", .ref(logicalId))],
                statistic: "Sum", threshold: 1))
        alarms.append(
            AlarmSpec(
                logicalId: "\(logicalId)ReadThrottleAlarm", description: "\(table.name) table: read requests throttled",
                namespace: "AWS/DynamoDB", metric: "ReadThrottleEvents", dimensions: [("TableName", .ref(logicalId))],
                statistic: "Sum", threshold: 1))
        widgets.append(
            WidgetSpec(
                title: "\(table.name) table: capacity and throttles",
                metrics: [
                    ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", "${\(logicalId)}"],
                    ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", "${\(logicalId)}"],
                    ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", "${\(logicalId)}"],
                ]))
        output("\(table.name)TableName", .ref(logicalId), "Name of the \(table.name) DynamoDB table")
    }

    /// The visibility timeout a queue needs: 6 x the longest consumer timeout plus its batching window (AWS's
    /// guidance for Lambda consumers), or 30 s without consumers.
    func visibilityTimeout(for queue: Queue) -> Int {
        let consumers = model.functions.filter { function in function.consumes.contains { $0.queue.name == queue.name }
        }
        guard !consumers.isEmpty else { return 30 }
        let timeout = consumers.map { settings(for: $0).timeoutSeconds }.max() ?? 30
        let window =
            consumers.map { stage.consumer(function: $0.name, queue: queue.name).batchingWindowSeconds }.max() ?? 0
        return 6 * timeout + window
    }

    /// A work queue with its DLQ and TLS-only policy.
    mutating func expand(_ queue: Queue) {
        let queueId = "\(queue.name)Queue"
        let dlqId = "\(queue.name)DeadLetterQueue"
        let queueName = "\(queue.name)"
        let sseReason = (
            "CKV_AWS_27",
            "Encrypted with SSE-SQS (SqsManagedSseEnabled: true); checkov only recognises KmsMasterKeyId. SSE-SQS needs no key policy for API Gateway and Lambda and costs nothing."
        )
        add(
            Resource(
                dlqId, type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped("\(queueName)-dlq")),
                    ("MessageRetentionPeriod", .int(Self.dlqRetentionSeconds)),
                    ("SqsManagedSseEnabled", .bool(true)),
                    ("RedriveAllowPolicy", redriveAllow(sourceName: queueName)),
                ]),
                metadata: Self.suppressions(checkov: [sseReason])))
        add(
            Resource(
                queueId, type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped(queueName)),
                    ("VisibilityTimeout", .int(visibilityTimeout(for: queue))),
                    ("MessageRetentionPeriod", .int(stage.queueRetentionDays * 86_400)),
                    ("SqsManagedSseEnabled", .bool(true)),
                    (
                        "RedrivePolicy",
                        .object([
                            "deadLetterTargetArn": .getAtt(dlqId, "Arn"),
                            "maxReceiveCount": .int(queue.deadLetterAfter ?? stage.maxReceiveCount),
                        ])
                    ),
                ]),
                metadata: Self.suppressions(checkov: [sseReason])))
        add(
            Resource(
                "\(queue.name)QueuePolicy", type: "AWS::SQS::QueuePolicy",
                properties: Fields([
                    ("Queues", .list([.ref(queueId), .ref(dlqId)])),
                    (
                        "PolicyDocument",
                        policyDocument([
                            .denyInsecureTransport(
                                service: "sqs", on: [.getAtt(queueId, "Arn"), .getAtt(dlqId, "Arn")])
                        ])
                    ),
                ])))
        graph.node(queueId, "\(queue.name) (SQS queue)", .queue)
        graph.node(dlqId, "\(queue.name) DLQ", .deadLetterQueue)
        graph.edge(queueId, dlqId, "after \(queue.deadLetterAfter ?? stage.maxReceiveCount) receives")
        alarms.append(dlqAlarm(queue.name, dlqId))
        alarms.append(
            AlarmSpec(
                logicalId: "\(queueId)AgeAlarm",
                description: "\(queue.name) queue: oldest message waiting \(stage.alarms.queueAgeSeconds) s or more",
                namespace: "AWS/SQS", metric: "ApproximateAgeOfOldestMessage",
                dimensions: [("QueueName", .getAtt(queueId, "QueueName"))], statistic: "Maximum",
                threshold: stage.alarms.queueAgeSeconds))
        widgets.append(
            WidgetSpec(
                title: "\(queue.name) queue: backlog and age",
                metrics: [
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "${\(queueId).QueueName}"],
                    ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "${\(queueId).QueueName}"],
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "${\(dlqId).QueueName}"],
                ], statistic: "Maximum"))
        output("\(queue.name)QueueUrl", .ref(queueId), "URL of the \(queue.name) queue")
        output("\(queue.name)DeadLetterQueueUrl", .ref(dlqId), "URL of the \(queue.name) dead-letter queue")
    }

    func redriveAllow(sourceName: String) -> Value {
        .object([
            "redrivePermission": .string("byQueue"),
            "sourceQueueArns": .list([
                .sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}-\(sourceName)", nil)
            ]),
        ])
    }

    func dlqAlarm(_ name: String, _ dlqId: String) -> AlarmSpec {
        AlarmSpec(
            logicalId: "\(dlqId)DepthAlarm", description: "\(name) dead-letter queue holds messages",
            namespace: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible",
            dimensions: [("QueueName", .getAtt(dlqId, "QueueName"))], statistic: "Maximum", threshold: 1)
    }

    /// The stage settings of a function: its `functions.<Name>` entry over the stage's defaults, and the memory the
    /// blueprint gives it, if any.
    func settings(for function: Function) -> StageSettings.FunctionSettings {
        var settings = stage.function(function.name)
        if let memory = function.memoryMB { settings.memoryMB = memory }
        return settings
    }
}
