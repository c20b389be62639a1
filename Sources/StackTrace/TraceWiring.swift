import CloudFormation

/// What `trace` needs of a stack, read from its template: which log group is the API's access log, the queues
/// consumers read with their dead-letter queues, the topics' subscriptions with their filter policies, and the
/// table's partition key. Nothing here knows what the stack carries.
public struct TraceWiring: Sendable, Equatable {
    /// A queue a function reads (through an event source mapping), and where SQS moves a message after
    /// `maxReceiveCount` receives.
    public struct ConsumedQueue: Sendable, Equatable {
        public var queue: String
        public var deadLetterQueue: String?
        public var maxReceiveCount: Int?
        /// The log group (logical ID) of the function that reads it, from its `LoggingConfig`.
        public var consumerLog: String?
    }

    /// One subscription of a topic: its endpoint queue, the string filter on message attributes (`nil`: none),
    /// whether the filter has forms `trace` does not evaluate, and the subscription's dead-letter queue.
    public struct Subscriber: Sendable, Equatable {
        public var subscription: String
        public var topic: String
        public var queue: String
        public var filter: [String: [String]]?
        public var filterEvaluable: Bool
        public var deadLetterQueue: String?
    }

    /// The log group (logical ID) an API stage writes its access log to.
    public var accessLog: String?
    /// The stack's log groups, by logical ID.
    public var logGroups: [String]
    public var consumed: [ConsumedQueue]
    public var subscribers: [Subscriber]
    /// The first table's logical ID and partition key attribute.
    public var table: (logicalId: String, key: String)?

    public static func == (lhs: TraceWiring, rhs: TraceWiring) -> Bool {
        lhs.accessLog == rhs.accessLog && lhs.logGroups == rhs.logGroups && lhs.consumed == rhs.consumed
            && lhs.subscribers == rhs.subscribers && lhs.table?.logicalId == rhs.table?.logicalId
            && lhs.table?.key == rhs.table?.key
    }

    /// Reads `template`.
    public init(_ template: Template) {
        logGroups = template.resources.filter { $0.type == "AWS::Logs::LogGroup" }.map(\.logicalId)
        accessLog =
            template.resources.lazy.filter { $0.type == "AWS::ApiGateway::Stage" }
            .compactMap { Self.logicalId($0["AccessLogSetting"]?["DestinationArn"]) }.first
        consumed = template.resources.filter { $0.type == "AWS::Lambda::EventSourceMapping" }.compactMap {
            mapping in
            guard let queue = Self.logicalId(mapping["EventSourceArn"]),
                template.resource(queue)?.type == "AWS::SQS::Queue"
            else { return nil }
            let redrive = template.resource(queue)?["RedrivePolicy"]
            let function = Self.function(mapping["FunctionName"], in: template)
            return ConsumedQueue(
                queue: queue, deadLetterQueue: Self.logicalId(redrive?["deadLetterTargetArn"]),
                maxReceiveCount: redrive?["maxReceiveCount"]?.intValue,
                consumerLog: Self.logicalId(function?["LoggingConfig"]?["LogGroup"]))
        }
        subscribers = template.resources.filter { $0.type == "AWS::SNS::Subscription" }.compactMap(Self.subscriber)
        table =
            template.resources.lazy.filter { $0.type == "AWS::DynamoDB::Table" }.compactMap { table in
                (table["KeySchema"]?.items ?? []).first { $0["KeyType"]?.stringValue == "HASH" }?["AttributeName"]?
                    .stringValue.map { (table.logicalId, $0) }
            }.first
    }

    static func subscriber(_ resource: Resource) -> Subscriber? {
        guard resource["Protocol"]?.stringValue == "sqs", let topic = logicalId(resource["TopicArn"]),
            let queue = logicalId(resource["Endpoint"])
        else { return nil }
        var filter: [String: [String]]?
        var evaluable = true
        if let policy = resource["FilterPolicy"]?.fields {
            // Only exact string matches on message attributes are evaluated; anything else (prefix, numeric,
            // anything-but, a payload scope) is reported as not evaluated.
            evaluable = resource["FilterPolicyScope"]?.stringValue ?? "MessageAttributes" == "MessageAttributes"
            var exact: [String: [String]] = [:]
            for entry in policy.entries {
                let values = entry.value.items?.compactMap(\.stringValue) ?? []
                if values.count != entry.value.items?.count ?? -1 { evaluable = false }
                exact[entry.key] = values
            }
            filter = exact
        }
        return Subscriber(
            subscription: resource.logicalId, topic: topic, queue: queue, filter: filter, filterEvaluable: evaluable,
            deadLetterQueue: logicalId(resource["RedrivePolicy"]?["deadLetterTargetArn"]))
    }

    /// The function a mapping names, directly or through its alias or version.
    static func function(_ value: Value?, in template: Template) -> Resource? {
        guard let resource = logicalId(value).flatMap(template.resource) else { return nil }
        if ["AWS::Lambda::Alias", "AWS::Lambda::Version"].contains(resource.type) {
            return logicalId(resource["FunctionName"]).flatMap(template.resource)
        }
        return resource
    }

    /// The logical ID a `Ref` or `Fn::GetAtt` names.
    static func logicalId(_ value: Value?) -> String? {
        switch value {
        case .ref(let id)?: id
        case .getAtt(let id, _)?: id
        default: nil
        }
    }
}
