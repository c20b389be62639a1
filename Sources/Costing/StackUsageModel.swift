import CloudFormation
import StackGraph

/// A profile's traffic placed in a stack as pricing and simulation read it: the `TrafficPath` (one rule for the
/// routes and roles, shared with load) with the functions' sizes and the log groups each role writes.
///
/// No function is found by name: the entry consumer (the consumer of the entry route's queue) is priced as the
/// processor, the query route's function as the query handler, a downstream consumer per its own flow.
public struct StackUsageModel: Sendable {
    /// A Lambda function as priced.
    public struct FunctionInfo: Sendable, Equatable {
        public var logicalId: String
        public var memoryMB: Double
        public var architecture: String
    }

    /// A log group as priced.
    public struct LogGroupInfo: Sendable, Equatable {
        public var logicalId: String
        public var retentionDays: Double?
        public var infrequentAccess: Bool
        /// What writes to it: a function of the traffic's path (entry consumer, query, downstream consumer with
        /// its mapping), an API's access log, or nothing priced.
        public var writer: LogWriter
        /// `false` for the group Lambda creates on first invocation (never expires, not in the template).
        public var declared = true
        /// Encrypted with a KMS key.
        public var encrypted = false
    }

    /// A mapping that consumes a queue the traffic reaches, other than the entry queue.
    public struct ConsumerFlow: Sendable, Equatable {
        public var consumer: StackGraph.Consumer
        public var function: FunctionInfo
        /// Messages it receives per arrival.
        public var perArrival: Double
        /// Fed by a topic subscription (SNS deliveries billed as SendMessage); `false` for a second mapping on
        /// the entry queue.
        public var fromTopic = true
    }

    /// A function reading the change stream of a table the traffic writes (an outbox).
    public struct OutboxFlow: Sendable, Equatable {
        public var consumer: StackGraph.StreamConsumer
        public var function: FunctionInfo
        /// Stream records (stored items) per arrival.
        public var perArrival: Double
    }

    /// The graph the model was read from.
    public var graph: StackGraph
    /// The route the arrivals are sent to.
    public var entry: StackGraph.Route?
    /// The route the queries go to.
    public var queryRoute: StackGraph.Route?
    /// Why the traffic cannot be placed in the stack (no entry route, an unknown route name), for the report.
    public var problem: String?

    public var restApis: Int { graph.apis.count }
    public var hasPostRoute: Bool { entry != nil }
    public var hasGetRoute: Bool { query != nil }
    /// The queue the entry route feeds.
    public var intakeQueue: String?
    /// The entry queue's consumer.
    public var processor: FunctionInfo?
    /// The entry consumer's mapping.
    public var intakeMapping: StackGraph.Consumer?
    /// The part of the entry queue's messages the processor takes (1 unless several mappings compete).
    public var processorShare = 1.0
    public var batchSize = 10.0
    public var batchingWindowSeconds = 0.0
    /// The function an entry route invokes directly (no queue), once per arrival.
    public var entryFunction: FunctionInfo?
    /// The function behind the query route.
    public var query: FunctionInfo?
    /// The Lambda authorizer in front of the entry and query routes.
    public var authorizer: FunctionInfo?
    /// Consumers downstream of the entry queue.
    public var consumers: [ConsumerFlow] = []
    /// The outboxes of the tables the traffic writes.
    public var outboxes: [OutboxFlow] = []
    /// Functions subscribed to a topic the traffic publishes to, invoked once per event.
    public var eventFunctions: [(function: FunctionInfo, perArrival: Double)] = []
    /// Topics the traffic publishes to, with publishes per arrival.
    public var publishes: [(topic: String, perArrival: Double)] = []
    /// Subscriber queues no mapping in the stack consumes (consumed elsewhere), with messages per arrival.
    public var subscriberFlows: [(queue: String, perArrival: Double)] = []
    /// Tables written, with messages written per arrival.
    public var writes: [(table: String, perArrival: Double)] = []
    /// Tables the query handler reads.
    public var reads: [String] = []
    public var tables: [String] { graph.tables.map(\.logicalId) }
    public var pitrTables: Int { graph.tables.filter(\.pointInTimeRecovery).count }
    public var logGroups: [LogGroupInfo] = []
    public var alarms: Int { graph.alarms.reduce(0) { $0 + $1.billedMetrics } }
    /// Alarms on `ReadThrottleEvents` (candidates to drop where reads are rare).
    public var readThrottleAlarms: Int { graph.alarms.filter { $0.metricName == "ReadThrottleEvents" }.count }
    public var dashboards: Int { graph.dashboards }
    public var kmsKeys: Int { graph.kmsKeys }
    /// Queues encrypted with a KMS key (not SSE-SQS): each makes data-key requests.
    public var kmsQueues: Int { graph.queues.filter(\.kmsEncrypted).count }
    public var tracedApi: Bool { graph.apis.contains(where: \.traced) }
    /// The entry consumer logs no platform lines.
    public var systemLogLevelQuiet = false

    /// The path the model was read from.
    public var path: TrafficPath

    /// Reads the model from a template for a profile's routes.
    public init(_ template: Template, entryRoute: String? = nil, queryRoute: String? = nil) {
        self.init(graph: StackGraph(template), entryRoute: entryRoute, queryRoute: queryRoute)
    }

    /// Places the traffic in `graph`.
    public init(graph: StackGraph, entryRoute: String? = nil, queryRoute: String? = nil) {
        self.init(path: TrafficPath(graph, entryRoute: entryRoute, queryRoute: queryRoute))
    }

    /// The model of a placed path.
    public init(path: TrafficPath) {
        self.path = path
        graph = path.graph
        (entry, queryRoute, problem, intakeQueue) = (path.entry, path.queryRoute, path.problem, path.intakeQueue)
        (processor, intakeMapping, processorShare) = (
            path.entryConsumer.map(Self.info), path.entryMapping, path.entryShare
        )
        if let mapping = path.entryMapping {
            (batchSize, batchingWindowSeconds) = (mapping.batchSize, mapping.batchingWindowSeconds)
        }
        systemLogLevelQuiet = path.entryConsumer?.quietSystemLogs ?? false
        (entryFunction, query, authorizer) = (
            path.entryFunction.map(Self.info), path.query.map(Self.info), path.authorizer.map(Self.info)
        )
        reads = path.reads
        consumers = path.downstream.map {
            ConsumerFlow(
                consumer: $0.consumer, function: Self.info($0.function), perArrival: $0.perArrival,
                fromTopic: $0.fromTopic)
        }
        outboxes = path.outboxes.map {
            OutboxFlow(consumer: $0.consumer, function: Self.info($0.function), perArrival: $0.perArrival)
        }
        eventFunctions = path.eventHandlers.map { (Self.info($0.function), $0.perArrival) }
        (publishes, subscriberFlows, writes) = (path.publishes, path.unconsumedQueues, path.writes)
        logGroups = Self.logGroups(of: self)
    }

    static func info(_ node: StackGraph.FunctionNode) -> FunctionInfo {
        FunctionInfo(logicalId: node.logicalId, memoryMB: node.memoryMB, architecture: node.architecture)
    }
}
