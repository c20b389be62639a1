extension StackUsageModel {
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
            entryFunction = Self.info(node)
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
            if !entry { subscriberFlows.append((queue, perArrival)) }
            return
        }
        let share = perArrival / Double(mappings.count)
        for (index, mapping) in mappings.enumerated() {
            guard let node = graph.function(mapping.function) else { continue }
            if entry && index == 0 {
                processor = Self.info(node)
                intakeMapping = mapping
                processorShare = share
                batchSize = mapping.batchSize
                batchingWindowSeconds = mapping.batchingWindowSeconds
                systemLogLevelQuiet = node.quietSystemLogs
            } else {
                consumers.append(
                    ConsumerFlow(consumer: mapping, function: Self.info(node), perArrival: share, fromTopic: !entry))
            }
            reach(function: node, perArrival: share, depth: depth + 1, visited: &visited)
        }
    }

    /// What a function does with each message: writes its tables, publishes to its topics.
    mutating func reach(
        function node: StackGraph.FunctionNode, perArrival: Double, depth: Int, visited: inout Set<String>
    ) {
        for table in node.writes {
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
                    outboxes.append(OutboxFlow(consumer: stream, function: Self.info(reader), perArrival: perArrival))
                }
            }
        }
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
                        eventFunctions.append((Self.info(target), perArrival))
                        reach(function: target, perArrival: perArrival, depth: depth + 1, visited: &visited)
                    }
                default: break
                }
            }
        }
    }

    /// The log groups priced, with what writes to each; the groups Lambda creates for functions in the flow
    /// that declare none are added (they never expire).
    static func logGroups(of model: StackUsageModel) -> [LogGroupInfo] {
        var writers: [(function: String, role: String, writer: String?)] = []
        if let processor = model.processor { writers.append((processor.logicalId, "processor", nil)) }
        if let query = model.query { writers.append((query.logicalId, "query", nil)) }
        for flow in model.consumers { writers.append((flow.function.logicalId, "consumer", flow.consumer.mapping)) }
        let accessGroups = Set(model.graph.apis.compactMap(\.accessLogGroup))
        var groups: [LogGroupInfo] = model.graph.logGroups.map { group in
            var info = LogGroupInfo(
                logicalId: group.logicalId, retentionDays: group.retentionDays,
                infrequentAccess: group.infrequentAccess, role: "other", encrypted: group.encrypted)
            if let writer = writers.first(where: { model.graph.function($0.function)?.logGroup == group.logicalId }) {
                info.role = writer.role
                info.writer = writer.writer
            } else if accessGroups.contains(group.logicalId) {
                info.role = "access"
            }
            return info
        }
        for writer in writers where model.graph.function(writer.function)?.logGroup == nil {
            if groups.contains(where: { $0.role == writer.role && $0.writer == writer.writer && !$0.declared }) {
                continue
            }
            var info = LogGroupInfo(
                logicalId: "\(writer.function)'s group, created by Lambda", retentionDays: nil, infrequentAccess: false,
                role: writer.role, writer: writer.writer)
            info.declared = false
            groups.append(info)
        }
        return groups
    }
}
