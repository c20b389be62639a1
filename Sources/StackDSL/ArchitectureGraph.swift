/// The architecture as constructs and wiring edges, rendered by `orderstack graph`.
public struct ArchitectureGraph: Sendable, Equatable {
    /// A construct.
    public struct Node: Sendable, Equatable {
        /// A stable identifier (the construct's main logical ID).
        public var id: String
        /// A label for people, e.g. `OrderIntake (SQS queue)`.
        public var label: String
        /// The construct's kind, used for shapes.
        public var kind: Kind
    }

    /// Kinds of construct.
    public enum Kind: String, Sendable {
        case api, queue, function, table, topic, subscriber, deadLetterQueue, alarms
        /// Any other kind of construct (a parameter, a bucket).
        case other
    }

    /// A wiring edge.
    public struct Edge: Sendable, Equatable {
        /// Source node ID.
        public var from: String
        /// Target node ID.
        public var to: String
        /// What flows, e.g. `sqs:SendMessage` or `consumes (batch 10)`.
        public var label: String
    }

    /// Nodes in expansion order.
    public private(set) var nodes: [Node] = []
    /// Edges in expansion order.
    public private(set) var edges: [Edge] = []

    /// Creates an empty graph.
    public init() {}

    /// Adds a node once.
    public mutating func node(_ id: String, _ label: String, _ kind: Kind) {
        if !nodes.contains(where: { $0.id == id }) { nodes.append(Node(id: id, label: label, kind: kind)) }
    }

    /// Adds an edge.
    public mutating func edge(_ from: String, _ to: String, _ label: String) {
        edges.append(Edge(from: from, to: to, label: label))
    }

    /// A Mermaid `flowchart LR` diagram.
    public func mermaid() -> String {
        var lines = ["flowchart LR"]
        for node in nodes {
            let label = node.label.replacingOccurrences(of: "\"", with: "'")
            switch node.kind {
            case .table: lines.append("    \(node.id)[(\"\(label)\")]")
            case .queue, .deadLetterQueue, .subscriber: lines.append("    \(node.id)[[\"\(label)\"]]")
            case .topic: lines.append("    \(node.id){{\"\(label)\"}}")
            case .api: lines.append("    \(node.id)([\"\(label)\"])")
            case .function: lines.append("    \(node.id)[\"\(label)\"]")
            case .alarms: lines.append("    \(node.id)>\"\(label)\"]")
            case .other: lines.append("    \(node.id)[/\"\(label)\"/]")
            }
        }
        for edge in edges {
            lines.append("    \(edge.from) -->|\"\(edge.label.replacingOccurrences(of: "\"", with: "'"))\"| \(edge.to)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Graphviz DOT digraph.
    public func dot() -> String {
        var lines = ["digraph architecture {", "    rankdir=LR;", "    node [fontname=\"Helvetica\"];"]
        for node in nodes {
            let shape: String
            switch node.kind {
            case .table: shape = "cylinder"
            case .queue, .deadLetterQueue, .subscriber: shape = "box3d"
            case .topic: shape = "hexagon"
            case .api: shape = "oval"
            case .function: shape = "box"
            case .alarms: shape = "note"
            case .other: shape = "parallelogram"
            }
            lines.append("    \(node.id) [label=\"\(escape(node.label))\", shape=\(shape)];")
        }
        for edge in edges {
            lines.append("    \(edge.from) -> \(edge.to) [label=\"\(escape(edge.label))\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
