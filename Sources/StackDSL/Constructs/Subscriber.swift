import CloudFormation

/// A downstream service's own queue subscribed to a topic: queue, DLQ (also the subscription's redrive target),
/// a queue policy that admits only that topic, raw message delivery, and DLQ alarms.
///
/// Subscriber queues are encrypted with the stack's customer-managed KMS key, because SNS cannot deliver to
/// queues encrypted with the AWS-managed `alias/aws/sqs` key.
public struct Subscriber: Sendable, Hashable {
    /// The construct name; the logical IDs start with it.
    public let name: String
    /// The topic subscribed to.
    public let topic: Topic
    /// An optional SNS filter policy on message attributes (`{"type": ["OrderAccepted"]}`).
    public let filter: [String: [String]]

    /// Creates a subscriber.
    public init(_ name: String, to topic: Topic, filter: [String: [String]] = [:]) {
        self.name = name
        self.topic = topic
        self.filter = filter
    }
}

extension Subscriber: Construct {
    public static let kind = "subscriber"
    public static let phase = ConstructPhase.subscribers
    public static let sharesLogicalIds = true

    public var reaches: [any Construct] { [topic] }

    public func expand(in context: inout ExpansionContext) { context.expand(self) }
}

extension ExpansionContext {
    /// A downstream queue subscribed to a topic, its DLQ (also the subscription's redrive target), and a policy
    /// admitting only that topic. Both queues use the stack key: SNS cannot use the AWS-managed SQS key.
    mutating func expand(_ subscriber: Subscriber) {
        let topicId = "\(subscriber.topic.name)Topic"
        let queueId = "\(subscriber.name)Queue"
        let dlqId = "\(subscriber.name)DeadLetterQueue"
        let keyArn = Value.getAtt(Self.keyId, "Arn")
        if !keyTopics.contains(.ref(topicId)) { keyTopics.append(.ref(topicId)) }
        add(
            Resource(
                dlqId, type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped("\(subscriber.name)-dlq")),
                    ("MessageRetentionPeriod", .int(Self.dlqRetentionSeconds)),
                    ("KmsMasterKeyId", keyArn),
                    ("RedriveAllowPolicy", redriveAllow(sourceName: subscriber.name)),
                ])))
        add(
            Resource(
                queueId, type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped(subscriber.name)),
                    ("VisibilityTimeout", .int(max(180, visibilityTimeout(for: Queue(subscriber.name))))),
                    ("MessageRetentionPeriod", .int(stage.queueRetentionDays * 86_400)),
                    ("KmsMasterKeyId", keyArn),
                    (
                        "RedrivePolicy",
                        .object([
                            "deadLetterTargetArn": .getAtt(dlqId, "Arn"),
                            "maxReceiveCount": .int(stage.maxReceiveCount),
                        ])
                    ),
                ])))
        let queueArns: [Value] = [.getAtt(queueId, "Arn"), .getAtt(dlqId, "Arn")]
        add(
            Resource(
                "\(queueId)Policy", type: "AWS::SQS::QueuePolicy",
                properties: Fields([
                    ("Queues", .list([.ref(queueId), .ref(dlqId)])),
                    (
                        "PolicyDocument",
                        policyDocument([
                            .allow(
                                ["sqs:SendMessage"], on: queueArns,
                                principal: .object(["Service": .string("sns.amazonaws.com")]),
                                condition: .object(["ArnEquals": .object(["aws:SourceArn": .ref(topicId)])]),
                                sid: "TopicDelivers"),
                            .denyInsecureTransport(service: "sqs", on: queueArns),
                        ])
                    ),
                ])))
        var subscription = Fields([
            ("TopicArn", .ref(topicId)),
            ("Protocol", .string("sqs")),
            ("Endpoint", .getAtt(queueId, "Arn")),
            ("RawMessageDelivery", .bool(true)),
            ("RedrivePolicy", .object(["deadLetterTargetArn": .getAtt(dlqId, "Arn")])),
        ])
        if !subscriber.filter.isEmpty {
            subscription["FilterPolicyScope"] = .string("MessageAttributes")
            subscription["FilterPolicy"] = .map(
                Fields(subscriber.filter.sorted { $0.key < $1.key }.map { ($0.key, Value.strings($0.value)) }))
        }
        add(
            Resource(
                "\(subscriber.name)Subscription", type: "AWS::SNS::Subscription", properties: subscription,
                dependsOn: ["\(queueId)Policy"]))
        graph.node(queueId, "\(subscriber.name) (subscriber queue)", .subscriber)
        graph.node(dlqId, "\(subscriber.name) DLQ", .deadLetterQueue)
        graph.edge(topicId, queueId, "raw delivery")
        graph.edge(queueId, dlqId, "after \(stage.maxReceiveCount) receives")
        alarms.append(dlqAlarm(subscriber.name, dlqId))
        output("\(subscriber.name)QueueUrl", .ref(queueId), "URL of the \(subscriber.name) subscriber queue")
        output(
            "\(subscriber.name)QueueArn", .getAtt(queueId, "Arn"),
            "ARN of the \(subscriber.name) subscriber queue (encrypted with StackKeyArn's key)")
        output("\(subscriber.name)DeadLetterQueueUrl", .ref(dlqId), "URL of the \(subscriber.name) dead-letter queue")
    }
}
