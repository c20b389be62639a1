extension TrafficPath {
    /// How far fan-out is followed (topic → queue → consumer → topic ...).
    static let maximumDepth = 6

    /// Follows the traffic from the entry route through queues, consumers, tables and topics.
    mutating func follow() {
        guard let entry else { return }
        var visited: Set<String> = []
        switch entry.target {
        case .queue(let queue):
            intakeQueue = queue
            reach(queue: queue, perArrival: 1, depth: 0, entry: true, visited: &visited)
        case .function(let id):
            guard let node = graph.function(id) else { return }
            entryFunction = node
            reach(function: node, perArrival: 1, depth: 0, visited: &visited)
        case .other: break
        }
    }

    /// Messages reaching `queue`: its consumers share them; without one (a downstream service's queue), they
    /// are consumed outside the stack.
    mutating func reach(queue: String, perArrival: Double, depth: Int, entry: Bool, visited: inout Set<String>) {
        guard depth <= Self.maximumDepth, visited.insert(queue).inserted else { return }
        let mappings = graph.consumers(of: queue)
        if mappings.isEmpty {
            if !entry { unconsumedQueues.append((queue, perArrival)) }
            return
        }
        let share = perArrival / Double(mappings.count)
        for (index, mapping) in mappings.enumerated() {
            guard let node = graph.function(mapping.function) else { continue }
            if entry && index == 0 {
                entryConsumer = node
                entryMapping = mapping
                entryShare = share
            } else {
                downstream.append(Downstream(consumer: mapping, function: node, perArrival: share, fromTopic: !entry))
            }
            reach(function: node, perArrival: share, depth: depth + 1, visited: &visited)
        }
    }

    /// What a function does with each message: writes its tables, publishes to its topics.
    mutating func reach(
        function node: StackGraph.FunctionNode, perArrival: Double, depth: Int, visited: inout Set<String>
    ) {
        for table in node.writes { write(table, perArrival: perArrival) }
        for topic in node.publishes {
            if let index = publishes.firstIndex(where: { $0.topic == topic }) {
                publishes[index].perArrival += perArrival
            } else {
                publishes.append((topic, perArrival))
            }
            for subscription in graph.subscriptions(of: topic) {
                guard let endpoint = subscription.endpoint else { continue }
                switch subscription.protocol {
                case "sqs":
                    reach(queue: endpoint, perArrival: perArrival, depth: depth + 1, entry: false, visited: &visited)
                case "lambda":
                    if let target = graph.function(endpoint), visited.insert(endpoint).inserted {
                        eventHandlers.append((target, perArrival))
                        reach(function: target, perArrival: perArrival, depth: depth + 1, visited: &visited)
                    }
                default: break
                }
            }
        }
    }

    /// A table written per arrival, and the outboxes reading its stream.
    mutating func write(_ table: String, perArrival: Double) {
        if let index = writes.firstIndex(where: { $0.table == table }) {
            writes[index].perArrival += perArrival
        } else {
            writes.append((table, perArrival))
        }
        for stream in graph.streamConsumers where stream.table == table {
            guard let reader = graph.function(stream.function) else { continue }
            if let index = outboxes.firstIndex(where: { $0.consumer.mapping == stream.mapping }) {
                outboxes[index].perArrival += perArrival
            } else {
                outboxes.append(Outbox(consumer: stream, function: reader, perArrival: perArrival))
            }
        }
    }
}
