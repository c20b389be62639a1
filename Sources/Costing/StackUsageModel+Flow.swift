import StackGraph

extension StackUsageModel {
    /// The log groups priced, with what writes to each; the groups Lambda creates for functions in the flow
    /// that declare none are added (they never expire).
    static func logGroups(of model: StackUsageModel) -> [LogGroupInfo] {
        var writers: [(function: String, writer: LogWriter)] = []
        if let processor = model.processor {
            writers.append((processor.logicalId, .function(.entryConsumer, mapping: nil)))
        }
        if let query = model.query { writers.append((query.logicalId, .function(.query, mapping: nil))) }
        for flow in model.consumers {
            writers.append((flow.function.logicalId, .function(.downstreamConsumer, mapping: flow.consumer.mapping)))
        }
        let accessGroups = Set(model.graph.apis.compactMap(\.accessLogGroup))
        var groups: [LogGroupInfo] = model.graph.logGroups.map { group in
            var info = LogGroupInfo(
                logicalId: group.logicalId, retentionDays: group.retentionDays,
                infrequentAccess: group.infrequentAccess, writer: .other, encrypted: group.encrypted)
            if let writer = writers.first(where: { model.graph.function($0.function)?.logGroup == group.logicalId }) {
                info.writer = writer.writer
            } else if accessGroups.contains(group.logicalId) {
                info.writer = .access
            }
            return info
        }
        for writer in writers where model.graph.function(writer.function)?.logGroup == nil {
            if groups.contains(where: { $0.writer == writer.writer && !$0.declared }) {
                continue
            }
            var info = LogGroupInfo(
                logicalId: "\(writer.function)'s group, created by Lambda", retentionDays: nil, infrequentAccess: false,
                writer: writer.writer)
            info.declared = false
            groups.append(info)
        }
        return groups
    }
}

extension StackUsageModel {
    /// What routes the traffic's events to subscriber queues: `SNS`, `EventBridge`, or both (`SNS` when nothing
    /// is published).
    var routers: String {
        let buses = publishes.filter { graph.eventBuses.contains($0.topic) }.count
        switch (buses, publishes.count - buses) {
        case (0, _): return "SNS"
        case (_, 0): return "EventBridge"
        default: return "SNS and EventBridge"
        }
    }
}
