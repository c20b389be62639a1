import CloudFormation

/// A downstream service's own queue subscribed to a topic or an event bus: queue, DLQ (also where undeliverable
/// messages go), a queue policy that admits only that topic or rule, and DLQ alarms.
///
/// Queues subscribed to a topic are encrypted with the stack's customer-managed KMS key, because SNS cannot deliver
/// to queues encrypted with the AWS-managed `alias/aws/sqs` key; queues a rule delivers to use SQS-managed
/// encryption, which EventBridge can write to without a key grant.
public struct Subscriber: Sendable, Hashable {
    /// Where a subscriber's messages come from.
    public enum Source: Sendable, Hashable {
        /// An SNS topic (raw message delivery).
        case topic(Topic)
        /// An EventBridge bus, through a rule matching the subscriber's pattern.
        case bus(EventBus)
    }

    /// The construct name; the logical IDs start with it.
    public let name: String
    /// What it subscribes to.
    public let source: Source
    /// With a topic: an SNS filter policy on message attributes (`{"type": ["OrderAccepted"]}`). With a bus: the
    /// rule's event pattern, top-level fields of the event (`{"detail-type": ["OrderAccepted"]}`); empty: every
    /// event on the bus.
    public let filter: [String: [String]]

    /// Creates a subscriber to a topic.
    public init(_ name: String, to topic: Topic, filter: [String: [String]] = [:]) {
        self.name = name
        self.source = .topic(topic)
        self.filter = filter
    }

    /// Creates a subscriber to an event bus taking the events `pattern` matches.
    public init(_ name: String, to bus: EventBus, pattern: [String: [String]] = [:]) {
        self.name = name
        self.source = .bus(bus)
        self.filter = pattern
    }

    /// The topic subscribed to, when it is one.
    public var topic: Topic? {
        if case .topic(let topic) = source { return topic }
        return nil
    }
}

extension Subscriber: Construct {
    public static let kind = "subscriber"
    public static let phase = ConstructPhase.subscribers
    public static let sharesLogicalIds = true

    public var reaches: [any Construct] {
        switch source {
        case .topic(let topic): return [topic]
        case .bus(let bus): return [bus]
        }
    }

    public func expand(in context: inout ExpansionContext) { context.expand(self) }
}

extension ExpansionContext {
    /// A downstream queue subscribed to a topic, its DLQ (also the subscription's redrive target), and a policy
    /// admitting only that topic. Both queues use the stack key: SNS cannot use the AWS-managed SQS key.
    mutating func expand(_ subscriber: Subscriber) {
        guard let topic = subscriber.topic else { return expandRuleSubscriber(subscriber) }
        let topicId = "\(topic.name)Topic"
        let queueId = "\(subscriber.name)Queue"
        let dlqId = "\(subscriber.name)DeadLetterQueue"
        let keyArn = Value.getAtt(Self.keyId, "Arn")
        if !keyTopics.contains(.ref(topicId)) { keyTopics.append(.ref(topicId)) }
        addSubscriberQueues(subscriber, encryption: ("KmsMasterKeyId", keyArn))
        addSubscriberPolicy(subscriber, service: "sns.amazonaws.com", source: .ref(topicId), sid: "TopicDelivers")
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

extension ExpansionContext {
    /// The policy of a subscriber's queue and DLQ: `service` may send to them only for `source` (the topic or rule,
    /// `aws:SourceArn`), and only over TLS.
    mutating func addSubscriberPolicy(_ subscriber: Subscriber, service: String, source: Value, sid: String) {
        let queueId = "\(subscriber.name)Queue"
        let dlqId = "\(subscriber.name)DeadLetterQueue"
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
                                ["sqs:SendMessage"], on: queueArns, principal: .object(["Service": .string(service)]),
                                condition: .object(["ArnEquals": .object(["aws:SourceArn": source])]), sid: sid),
                            .denyInsecureTransport(service: "sqs", on: queueArns),
                        ])
                    ),
                ])))
    }

    /// A subscriber's queue and its DLQ (redrive after the stage's `maxReceiveCount` receives; the DLQ admits only
    /// that queue's redrive), both encrypted as `encryption` says.
    mutating func addSubscriberQueues(_ subscriber: Subscriber, encryption: (String, Value)) {
        let dlqId = "\(subscriber.name)DeadLetterQueue"
        add(
            Resource(
                dlqId, type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped("\(subscriber.name)-dlq")),
                    ("MessageRetentionPeriod", .int(Self.dlqRetentionSeconds)), encryption,
                    ("RedriveAllowPolicy", redriveAllow(sourceName: subscriber.name)),
                ])))
        add(
            Resource(
                "\(subscriber.name)Queue", type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped(subscriber.name)),
                    ("VisibilityTimeout", .int(max(180, visibilityTimeout(for: Queue(subscriber.name))))),
                    ("MessageRetentionPeriod", .int(stage.queueRetentionDays * 86_400)), encryption,
                    (
                        "RedrivePolicy",
                        .object([
                            "deadLetterTargetArn": .getAtt(dlqId, "Arn"),
                            "maxReceiveCount": .int(stage.maxReceiveCount),
                        ])
                    ),
                ])))
    }
}
