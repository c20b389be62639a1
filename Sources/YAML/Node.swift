/// The presentation style of a scalar: how it was written, or how it should be written.
public enum ScalarStyle: Sendable, Hashable {
    /// Unquoted.
    case plain
    /// `'...'`.
    case singleQuoted
    /// `"..."`.
    case doubleQuoted
    /// `|` block.
    case literal
    /// `>` block.
    case folded

    /// Whether the scalar was written without quotes or block indicators (only plain scalars are resolved to
    /// numbers, booleans and nulls).
    public var isPlain: Bool { self == .plain }
}

/// A node of a YAML document: a scalar, a sequence or a mapping, with its explicit tag and its position.
///
/// Mappings keep their pairs in source order, duplicates included, so that a reader can report duplicate keys.
/// Equality compares content and tags, never marks.
public struct Node: Sendable, Equatable {
    /// The content of a node.
    public indirect enum Content: Sendable, Equatable {
        /// A scalar with its text and style.
        case scalar(String, ScalarStyle)
        /// A sequence of nodes.
        case sequence([Node])
        /// A mapping, as key/value pairs in source order.
        case mapping([Pair])
    }

    /// A key/value pair of a mapping.
    public struct Pair: Sendable, Equatable {
        /// The key node (a scalar in every CloudFormation template).
        public var key: Node
        /// The value node.
        public var value: Node

        /// Creates a pair.
        public init(key: Node, value: Node) {
            self.key = key
            self.value = value
        }
    }

    /// What the node holds.
    public var content: Content
    /// The explicit tag (`!Ref`, `!GetAtt`, `tag:yaml.org,2002:str`), or `nil` when none was written.
    public var tag: String?
    /// Where the node starts in the source; `Mark.start` for nodes built in code.
    public var mark: Mark

    /// Creates a node.
    public init(_ content: Content, tag: String? = nil, mark: Mark = .start) {
        self.content = content
        self.tag = tag
        self.mark = mark
    }

    public static func == (lhs: Node, rhs: Node) -> Bool {
        lhs.tag == rhs.tag && lhs.content == rhs.content
    }

    /// A scalar written exactly as given (plain unless `style` says otherwise).
    public static func scalar(_ text: String, style: ScalarStyle = .plain, tag: String? = nil) -> Node {
        Node(.scalar(text, style), tag: tag)
    }

    /// A string scalar that reads back as the same string in YAML 1.1 and 1.2: plain where that is unambiguous,
    /// single-quoted where a plain scalar would read as a boolean, null, number or date, and a literal block for
    /// multi-line text.
    public static func string(_ text: String) -> Node {
        if text.contains("\n") { return Node(.scalar(text, .literal)) }
        return Node(.scalar(text, ScalarResolution.isAmbiguousAsPlain(text) ? .singleQuoted : .plain))
    }

    /// A sequence node.
    public static func sequence(_ items: [Node], tag: String? = nil) -> Node {
        Node(.sequence(items), tag: tag)
    }

    /// A mapping node from pairs of string keys and values, in the given order.
    public static func mapping(_ pairs: [(String, Node)], tag: String? = nil) -> Node {
        Node(.mapping(pairs.map { Pair(key: .string($0.0), value: $0.1) }), tag: tag)
    }

    /// The scalar text, if this is a scalar.
    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// A short name of the node's kind for messages: `scalar`, `sequence` or `mapping`.
    public var kindName: String {
        switch content {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }
}
