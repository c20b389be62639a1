import CloudFormation

extension ExpansionContext {
    /// A downstream queue an EventBridge rule delivers the matching events of a bus to, and its DLQ: where the
    /// queue's consumers park what they cannot take after `maxReceiveCount` receives, and where EventBridge puts an
    /// event it could not deliver within a day of retries ("Using dead-letter queues to process undelivered
    /// events", EventBridge User Guide). Both admit only this rule (`aws:SourceArn`).
    mutating func expandRuleSubscriber(_ subscriber: Subscriber) {
        guard case .bus(let bus) = subscriber.source else { return }
        let queueId = "\(subscriber.name)Queue"
        let dlqId = "\(subscriber.name)DeadLetterQueue"
        let ruleId = "\(subscriber.name)Rule"
        addSubscriberQueues(subscriber, encryption: ("SqsManagedSseEnabled", .bool(true)))
        addSubscriberPolicy(
            subscriber, service: "events.amazonaws.com", source: .getAtt(ruleId, "Arn"), sid: "RuleDelivers")
        addRule(ruleId, subscriber: subscriber, bus: bus, queueId: queueId, dlqId: dlqId)
        graph.node(queueId, "\(subscriber.name) (subscriber queue)", .subscriber)
        graph.node(dlqId, "\(subscriber.name) DLQ", .deadLetterQueue)
        graph.edge("\(bus.name)EventBus", queueId, "rule \(ruleId)")
        graph.edge(queueId, dlqId, "after \(stage.maxReceiveCount) receives")
        alarms.append(dlqAlarm(subscriber.name, dlqId))
        output("\(subscriber.name)QueueUrl", .ref(queueId), "URL of the \(subscriber.name) subscriber queue")
        output("\(subscriber.name)QueueArn", .getAtt(queueId, "Arn"), "ARN of the \(subscriber.name) subscriber queue")
        output("\(subscriber.name)DeadLetterQueueUrl", .ref(dlqId), "URL of the \(subscriber.name) dead-letter queue")
    }

    /// The rule: the subscriber's pattern on the bus (every event when it has none), its queue as the target,
    /// retried for up to 24 hours (185 attempts, EventBridge's maximum) before the DLQ, whose alarm is the one on
    /// failed deliveries (the rule's own `FailedInvocations` metric is per rule name, which a custom bus's `Ref`
    /// does not give alone).
    mutating func addRule(_ ruleId: String, subscriber: Subscriber, bus: EventBus, queueId: String, dlqId: String) {
        let pattern: Value =
            subscriber.filter.isEmpty
            ? .object(["source": .list([.object(["prefix": .string("")])])])
            : .map(Fields(subscriber.filter.sorted { $0.key < $1.key }.map { ($0.key, Value.strings($0.value)) }))
        add(
            Resource(
                ruleId, type: "AWS::Events::Rule",
                properties: Fields([
                    ("Description", .string("\(subscriber.name): events of \(bus.name) it subscribes to")),
                    ("EventBusName", .getAtt("\(bus.name)EventBus", "Name")), ("EventPattern", pattern),
                    ("State", .string("ENABLED")),
                    (
                        "Targets",
                        .list([
                            .object([
                                "Id": .string(subscriber.name), "Arn": .getAtt(queueId, "Arn"),
                                "DeadLetterConfig": .object(["Arn": .getAtt(dlqId, "Arn")]),
                                "RetryPolicy": .object([
                                    "MaximumRetryAttempts": .int(185), "MaximumEventAgeInSeconds": .int(86_400),
                                ]),
                            ])
                        ])
                    ),
                ])))
    }
}
