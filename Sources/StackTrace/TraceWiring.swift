import CloudFormation
import StackGraph

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

    /// Reads `template`'s wiring graph.
    public init(_ template: Template) { self.init(StackGraph(template)) }

    /// What `trace` needs of `graph`.
    public init(_ graph: StackGraph) {
        logGroups = graph.logGroups.map(\.logicalId)
        // The access log of the API the traffic enters by, else the first API's that has one.
        let entryAPI = TrafficPath(graph).entry.flatMap { graph.api($0.api) }
        accessLog = entryAPI?.accessLogGroup ?? graph.apis.lazy.compactMap(\.accessLogGroup).first
        consumed = graph.consumers.map { consumer in
            let queue = graph.queue(consumer.queue)
            return ConsumedQueue(
                queue: consumer.queue, deadLetterQueue: queue?.deadLetterQueue,
                maxReceiveCount: queue?.maxReceiveCount.map { Int($0) },
                consumerLog: graph.function(consumer.function)?.logGroup)
        }
        subscribers = graph.subscriptions.compactMap(Self.subscriber)
        table = graph.tables.lazy.compactMap { table in table.partitionKey.map { (table.logicalId, $0) } }.first
    }

    static func subscriber(_ subscription: StackGraph.Subscription) -> Subscriber? {
        guard subscription.protocol == "sqs", let queue = subscription.endpoint else { return nil }
        var filter: [String: [String]]?
        var evaluable = true
        if let policy = subscription.filterPolicy?.fields {
            // Only exact string matches on message attributes are evaluated; anything else (prefix, numeric,
            // anything-but, a payload scope) is reported as not evaluated.
            evaluable = subscription.filterPolicyScope == "MessageAttributes"
            var exact: [String: [String]] = [:]
            for entry in policy.entries {
                let values = entry.value.items?.compactMap(\.stringValue) ?? []
                if values.count != entry.value.items?.count ?? -1 { evaluable = false }
                exact[entry.key] = values
            }
            filter = exact
        }
        return Subscriber(
            subscription: subscription.logicalId, topic: subscription.topic, queue: queue, filter: filter,
            filterEvaluable: evaluable, deadLetterQueue: subscription.deadLetterQueue)
    }
}
