import StackDSL
import StackGraph

extension OrderStack.Graph {
    /// A template's wiring graph drawn as the architecture: APIs with their routes to queues and functions,
    /// queues to their consumers, functions to the tables they write and read and the topics they publish to,
    /// topics to their subscribers; each function labelled with its role in the traffic's path.
    static func architecture(_ graph: StackGraph) -> ArchitectureGraph {
        let path = TrafficPath(graph)
        var drawn = ArchitectureGraph()
        for api in graph.apis { drawn.node(api.logicalId, "\(api.logicalId) (\(api.kind.rawValue) API)", .api) }
        for queue in graph.queues { drawn.node(queue.logicalId, "\(queue.logicalId) (SQS queue)", .queue) }
        for topic in graph.topics { drawn.node(topic, "\(topic) (SNS topic)", .topic) }
        for table in graph.tables { drawn.node(table.logicalId, "\(table.logicalId) (DynamoDB table)", .table) }
        for function in graph.functions {
            let roles = path.roles(of: function.logicalId).map(\.rawValue)
            let role = roles.isEmpty ? "" : ", \(roles.joined(separator: ", "))"
            drawn.node(function.logicalId, "\(function.logicalId) (Lambda\(role))", .function)
        }
        for route in graph.routes {
            switch route.target {
            case .queue(let queue): drawn.edge(route.api, queue, route.name)
            case .function(let function): drawn.edge(route.api, function, route.name)
            case .other: break
            }
        }
        for consumer in graph.consumers {
            drawn.edge(consumer.queue, consumer.function, "batches of \(Int(consumer.batchSize))")
        }
        for stream in graph.streamConsumers { drawn.edge(stream.table, stream.function, "stream") }
        for function in graph.functions {
            for table in function.writes { drawn.edge(function.logicalId, table, "writes") }
            for table in function.reads { drawn.edge(function.logicalId, table, "reads") }
            for topic in function.publishes { drawn.edge(function.logicalId, topic, "publish") }
        }
        for subscription in graph.subscriptions {
            if let endpoint = subscription.endpoint { drawn.edge(subscription.topic, endpoint, subscription.protocol) }
        }
        return drawn
    }
}
