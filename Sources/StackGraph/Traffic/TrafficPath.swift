/// Where the traffic that enters a stack goes, read from its wiring graph: the entry route the arrivals are sent
/// to, the queue it feeds and the mappings that consume it, the tables and topics those functions write and
/// publish to, the subscriber queues and their own consumers, and the query route; each with how many messages
/// reach it per arrival. One rule chooses the routes and the key for every reader (cost, simulate, load).
///
/// No function is found by name: each function's `Role` comes from what feeds it.
public struct TrafficPath: Sendable {
    /// A mapping that consumes a queue the traffic reaches, other than the entry consumer.
    public struct Downstream: Sendable, Equatable {
        public var consumer: StackGraph.Consumer
        public var function: StackGraph.FunctionNode
        /// Messages it receives per arrival.
        public var perArrival: Double
        /// Fed by a topic subscription; `false` for a second mapping on the entry queue.
        public var fromTopic = true
    }

    /// A function reading the change stream of a table the traffic writes (an outbox).
    public struct Outbox: Sendable, Equatable {
        public var consumer: StackGraph.StreamConsumer
        public var function: StackGraph.FunctionNode
        /// Stream records (stored items) per arrival.
        public var perArrival: Double
    }

    /// The graph the path was read from.
    public var graph: StackGraph
    /// The route the arrivals are sent to.
    public var entry: StackGraph.Route?
    /// The route the queries go to.
    public var queryRoute: StackGraph.Route?
    /// Why the traffic cannot be placed in the stack (no entry route, an unknown route name).
    public var problem: String?
    /// The queue the entry route feeds.
    public var intakeQueue: String?
    /// The entry queue's (first) consumer mapping and its function.
    public var entryMapping: StackGraph.Consumer?
    public var entryConsumer: StackGraph.FunctionNode?
    /// The part of the entry queue's messages the entry consumer takes (1 unless several mappings compete).
    public var entryShare = 1.0
    /// The function an entry route invokes directly (no queue), once per arrival.
    public var entryFunction: StackGraph.FunctionNode?
    /// The function behind the query route.
    public var query: StackGraph.FunctionNode?
    /// The Lambda authorizer in front of the entry and query routes.
    public var authorizer: StackGraph.FunctionNode?
    /// Consumers downstream of the entry queue.
    public var downstream: [Downstream] = []
    /// The outboxes of the tables the traffic writes.
    public var outboxes: [Outbox] = []
    /// Functions subscribed to a topic the traffic publishes to, invoked once per event.
    public var eventHandlers: [(function: StackGraph.FunctionNode, perArrival: Double)] = []
    /// Topics the traffic publishes to, with publishes per arrival.
    public var publishes: [(topic: String, perArrival: Double)] = []
    /// Subscriber queues no mapping in the stack consumes (consumed elsewhere), with messages per arrival.
    public var unconsumedQueues: [(queue: String, perArrival: Double)] = []
    /// Tables written, with messages written per arrival.
    public var writes: [(table: String, perArrival: Double)] = []
    /// Tables the query function reads.
    public var reads: [String] = []

    /// Places the traffic in `graph`: `entryRoute` and `queryRoute` as a profile names them (`POST /items`).
    public init(_ graph: StackGraph, entryRoute: String? = nil, queryRoute: String? = nil) {
        self.graph = graph
        chooseEntry(entryRoute)
        chooseQuery(queryRoute)
        follow()
    }

    /// Each function of the path with its role, in the order the traffic reaches them.
    public var roles: [(function: String, role: Role)] {
        var list: [(String, Role)] = []
        func add(_ node: StackGraph.FunctionNode?, _ role: Role) {
            if let node, !list.contains(where: { $0.0 == node.logicalId && $0.1 == role }) {
                list.append((node.logicalId, role))
            }
        }
        add(authorizer, .authorizer)
        add(entryFunction, .entryFunction)
        add(entryConsumer, .entryConsumer)
        add(query, .query)
        for flow in downstream { add(flow.function, .downstreamConsumer) }
        for handler in eventHandlers { add(handler.function, .eventHandler) }
        for outbox in outboxes { add(outbox.function, .outboxReader) }
        return list
    }

    /// The roles of one function (a function may consume the entry queue and read an outbox).
    public func roles(of function: String) -> [Role] { roles.filter { $0.function == function }.map(\.role) }
}
