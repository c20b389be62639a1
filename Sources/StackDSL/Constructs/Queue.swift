import CloudFormation

/// A standard SQS queue with its dead-letter queue.
///
/// Expands to the queue (SSE-SQS), its DLQ (14 days retention, redrive-allow limited to this queue), a TLS-only
/// queue policy, and alarms on DLQ depth and on the age of the oldest message.
public struct Queue: Sendable, Hashable {
    /// The construct name; the logical IDs are `<name>Queue` and `<name>DeadLetterQueue`.
    public let name: String
    /// Receives before a message moves to the DLQ (`maxReceiveCount`); `nil` takes the stage's value.
    public let deadLetterAfter: Int?

    /// Creates a queue.
    /// - Parameters:
    ///   - name: the construct name.
    ///   - deadLetterAfter: receives before a message moves to the DLQ; the stage's `queue.maxReceiveCount`
    ///     when omitted.
    public init(_ name: String, deadLetterAfter: Int? = nil) {
        self.name = name
        self.deadLetterAfter = deadLetterAfter
    }
}

extension Queue: Construct {
    public static let kind = "queue"
    public static let phase = ConstructPhase.queues

    public func expand(in context: inout ExpansionContext) { context.expand(self) }
}

extension ExpansionContext {
    static let dlqRetentionSeconds = 1_209_600

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
}
