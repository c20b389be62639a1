import CloudFormation

/// An SNS topic that announces events to subscribers.
public struct Topic: Sendable, Hashable {
    /// The construct name; the logical ID is `<name>Topic`.
    public let name: String
    /// A display name.
    public let displayName: String?

    /// Creates a topic.
    public init(_ name: String, displayName: String? = nil) {
        self.name = name
        self.displayName = displayName
    }
}

extension Topic: Construct {
    public static let kind = "topic"
    public static let phase = ConstructPhase.topics

    public func expand(in context: inout ExpansionContext) { context.expand(self) }
}

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
}
