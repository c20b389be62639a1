import CLibYAML

/// Parses YAML (and JSON, its flow subset) into `Node` trees with libyaml, keeping tags and marks.
///
/// The parser owns its `yaml_parser_t` and a copy of the input; both are released when it goes away.
/// Composition is iterative, so deep nesting cannot overflow the stack: past `maximumDepth` levels it stops
/// with a composer error, and alias expansion is bounded by `maximumNodes`.
public final class Parser {
    /// The deepest nesting of sequences and mappings accepted.
    public static let maximumDepth = 256
    /// The most nodes one stream may compose into, aliases expanded (guards against alias bombs).
    public static let maximumNodes = 5_000_000

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>

    /// Creates a parser over `bytes` (UTF-8, UTF-16LE or UTF-16BE, detected by libyaml).
    public init(bytes: some Collection<UInt8>) {
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// Parses every document of `text`.
    /// - Throws: `YAMLError` with the line and column of the first syntax error.
    public static func parse(_ text: String) throws(YAMLError) -> [Node] {
        try Parser(bytes: Array(text.utf8)).documents()
    }

    /// Parses every document of `bytes`.
    /// - Throws: `YAMLError` with the line and column of the first syntax error.
    public static func parse(bytes: [UInt8]) throws(YAMLError) -> [Node] {
        try Parser(bytes: bytes).documents()
    }

    /// An open collection: its children are gathered here and the node is built when it closes, so appending
    /// never copies the children gathered so far.
    private struct Frame {
        var isSequence: Bool
        var tag: String?
        var mark: Mark
        var anchor: String?
        var items: [Node] = []
        var pairs: [Node.Pair] = []
        var pendingKey: Node?

        var node: Node {
            Node(isSequence ? .sequence(items) : .mapping(pairs), tag: tag, mark: mark)
        }
    }

    /// Composes every document of the stream into nodes.
    /// - Returns: one root node per document (an empty stream gives none).
    /// - Throws: `YAMLError` for syntax errors, undefined aliases, nesting past `maximumDepth`, or more than
    ///   `maximumNodes` nodes.
    public func documents() throws(YAMLError) -> [Node] {
        var documents: [Node] = []
        var stack: [Frame] = []
        var anchors: [String: Node] = [:]
        var nodeCount = 0
        var event = yaml_event_t()

        func attach(_ node: Node, anchor: String?) {
            if let anchor { anchors[anchor] = node }
            guard !stack.isEmpty else {
                documents.append(node)
                return
            }
            let top = stack.count - 1
            if stack[top].isSequence {
                stack[top].items.append(node)
            } else if let key = stack[top].pendingKey {
                stack[top].pairs.append(Node.Pair(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        }

        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw currentError() }
            defer { yaml_event_delete(&event) }
            let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_SCALAR_EVENT:
                nodeCount += 1
                let scalar = event.data.scalar
                let text = string(scalar.value, length: scalar.length)
                let node = Node(
                    .scalar(text, style(scalar.style)), tag: optionalString(scalar.tag), mark: mark)
                attach(node, anchor: optionalString(scalar.anchor))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                nodeCount += 1
                if stack.count >= Self.maximumDepth {
                    throw YAMLError(
                        kind: .composer, problem: "nesting deeper than \(Self.maximumDepth) levels", mark: mark)
                }
                let isSequence = event.type == YAML_SEQUENCE_START_EVENT
                let tag = isSequence ? event.data.sequence_start.tag : event.data.mapping_start.tag
                let anchor = isSequence ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                stack.append(
                    Frame(isSequence: isSequence, tag: optionalString(tag), mark: mark, anchor: optionalString(anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let frame = stack.popLast() { attach(frame.node, anchor: frame.anchor) }
            case YAML_ALIAS_EVENT:
                let name = optionalString(event.data.alias.anchor) ?? ""
                guard var node = anchors[name] else {
                    throw YAMLError(kind: .composer, problem: "found undefined alias '\(name)'", mark: mark)
                }
                nodeCount += node.count
                node.mark = mark
                attach(node, anchor: nil)
            default:
                break
            }
            if nodeCount > Self.maximumNodes {
                throw YAMLError(
                    kind: .composer, problem: "document expands to more than \(Self.maximumNodes) nodes", mark: mark)
            }
        }
    }

    private func currentError() -> YAMLError {
        let kind: YAMLError.Kind
        switch parser.pointee.error {
        case YAML_READER_ERROR: kind = .reader
        case YAML_SCANNER_ERROR: kind = .scanner
        case YAML_PARSER_ERROR: kind = .parser
        default: kind = .composer
        }
        let problemMark = parser.pointee.problem_mark
        var line = Int(problemMark.line) + 1
        var column = Int(problemMark.column) + 1
        if kind == .reader {
            // Reader errors carry a byte offset, not a line: count lines up to it.
            (line, column) = lineAndColumn(ofByte: Int(parser.pointee.problem_offset))
        }
        var problem = optionalString(parser.pointee.problem) ?? "unknown libyaml error"
        let index = Int(problemMark.index)
        if kind == .scanner, index < input.count, input[index] == UInt8(ascii: "\t") {
            problem = "found a tab character that cannot start any token (YAML does not allow tabs for indentation)"
        }
        return YAMLError(
            kind: kind,
            problem: problem,
            context: optionalString(parser.pointee.context),
            mark: Mark(line: line, column: column))
    }

    private func lineAndColumn(ofByte offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in input.prefix(min(offset, input.count)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}

private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
    guard let pointer else { return "" }
    return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
}

private func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

private func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

extension Node {
    /// The number of nodes in this subtree, itself included.
    public var count: Int {
        switch content {
        case .scalar: return 1
        case .sequence(let items): return items.reduce(1) { $0 + $1.count }
        case .mapping(let pairs): return pairs.reduce(1) { $0 + $1.key.count + $1.value.count }
        }
    }
}
