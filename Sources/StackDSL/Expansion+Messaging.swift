import CloudFormation

extension ExpansionContext {
    /// An event topic (AWS-managed SNS key, so publishers need no KMS grant) with a TLS-only policy.
    mutating func expand(_ topic: Topic) {
        let topicId = "\(topic.name)Topic"
        var properties = Fields([("KmsMasterKeyId", .string("alias/aws/sns"))])
        if let display = topic.displayName { properties["DisplayName"] = .string(display) }
        add(Resource(topicId, type: "AWS::SNS::Topic", properties: properties))
        add(
            Resource(
                "\(topicId)Policy", type: "AWS::SNS::TopicPolicy",
                properties: Fields([
                    ("Topics", .list([.ref(topicId)])),
                    ("PolicyDocument", policyDocument([.denyInsecureTransport(service: "sns", on: [.ref(topicId)])])),
                ])))
        graph.node(topicId, "\(topic.name) (SNS topic)", .topic)
        alarms.append(
            AlarmSpec(
                logicalId: "\(topicId)FailedNotificationsAlarm",
                description: "\(topic.name) topic: deliveries to subscribers failed",
                namespace: "AWS/SNS", metric: "NumberOfNotificationsFailed",
                dimensions: [("TopicName", .getAtt(topicId, "TopicName"))], statistic: "Sum", threshold: 1))
        widgets.append(
            WidgetSpec(
                title: "\(topic.name) topic: published and failed",
                metrics: [
                    ["AWS/SNS", "NumberOfMessagesPublished", "TopicName", "${\(topicId).TopicName}"],
                    ["AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", "${\(topicId).TopicName}"],
                    ["AWS/SNS", "NumberOfNotificationsFailed", "TopicName", "${\(topicId).TopicName}"],
                ]))
        output("\(topic.name)TopicArn", .ref(topicId), "ARN of the \(topic.name) topic")
    }

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
