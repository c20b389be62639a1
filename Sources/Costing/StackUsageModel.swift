import CloudFormation

/// Where a profile's traffic goes in a stack, read from its wiring graph: the entry route the arrivals are sent
/// to, the queue it feeds and the mappings that consume it, the tables and topics those functions write and
/// publish to, the subscriber queues and their own consumers, and the query route; each with how many messages
/// reach it per arrival.
///
/// No function is found by name: the consumer of the entry route's queue is priced as the processor, the
/// function behind the query route as the query handler, a consumer of a subscriber queue as a downstream
/// consumer.
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
        /// What writes to it: `processor`, `query`, `consumer`, `access` or `other`.
        public var role: String
        /// The function or consumer mapping whose lines it holds, for `consumer`.
        public var writer: String?
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

    /// Reads the model from a template for a profile's routes.
    public init(_ template: Template, entryRoute: String? = nil, queryRoute: String? = nil) {
        self.init(graph: StackGraph(template), entryRoute: entryRoute, queryRoute: queryRoute)
    }

    /// Places the traffic in `graph`.
    public init(graph: StackGraph, entryRoute: String? = nil, queryRoute: String? = nil) {
        self.graph = graph
        chooseRoutes(entryRoute: entryRoute, queryRoute: queryRoute)
        follow()
        logGroups = Self.logGroups(of: self)
    }

    static func info(_ node: StackGraph.FunctionNode) -> FunctionInfo {
        FunctionInfo(logicalId: node.logicalId, memoryMB: node.memoryMB, architecture: node.architecture)
    }

    /// The entry route: the one named, else the only route that feeds a queue (or, failing that, the only
    /// non-GET route that invokes a function). The query route: the one named, else the only other GET route
    /// that invokes a function.
    mutating func chooseRoutes(entryRoute: String?, queryRoute: String?) {
        let routes = graph.routes
        let list = routes.map(\.name).joined(separator: ", ")
        if let entryRoute {
            entry = routes.first { $0.name == entryRoute }
            if entry == nil {
                problem =
                    "entry_route '\(entryRoute)' is not a route of the template; its routes: \(list.isEmpty ? "none" : list)"
            }
        } else {
            var candidates = routes.filter { if case .queue = $0.target { return true } else { return false } }
            if candidates.isEmpty {
                candidates = routes.filter {
                    guard case .function = $0.target else { return false }
                    return $0.method != "GET"
                }
            }
            if candidates.count == 1 {
                entry = candidates[0]
            } else if candidates.isEmpty {
                problem =
                    routes.isEmpty
                    ? "no API route: the traffic has no entry (the template needs an API Gateway route that feeds a queue or a function)"
                    : "no route feeds a queue or a function (routes: \(list)); nothing carries the traffic"
            } else {
                problem =
                    "several routes could take the traffic (\(candidates.map(\.name).joined(separator: ", "))); name one in the profile: entry_route: \(candidates[0].name)"
            }
        }
        let gets = routes.filter {
            guard case .function = $0.target, $0 != entry else { return false }
            return $0.method == "GET"
        }
        if let queryRoute {
            self.queryRoute = gets.first { $0.name == queryRoute }
            if self.queryRoute == nil {
                problem =
                    problem
                    ?? "query_route '\(queryRoute)' is not a GET route that invokes a function; those routes: \(gets.isEmpty ? "none" : gets.map(\.name).joined(separator: ", "))"
            }
        } else if gets.count == 1 {
            self.queryRoute = gets[0]
        }
        if case .function(let id)? = self.queryRoute?.target, let node = graph.function(id) {
            query = Self.info(node)
            reads = node.reads + node.writes
        }
        if let id = entry?.authorizer ?? self.queryRoute?.authorizer, let node = graph.function(id) {
            authorizer = Self.info(node)
        }
    }
}
