import CLibYAML

/// Writes `Node` trees as YAML text with libyaml.
///
/// Explicit tags are written on scalars, sequences and mappings alike (`!Ref X`, `!GetAtt X.Arn`,
/// `!Join [...]`): every tagged event is emitted with the implicit flags off, which is what makes libyaml print the
/// tag. Untagged scalars with a quoted style keep their quotes. Block style is used for collections, flow style
/// for empty ones. The emitter owns its `yaml_emitter_t` and frees it when it goes away.
public final class Emitter {
    /// Layout options.
    public struct Options: Sendable {
        /// Spaces per indentation level (2 to 9).
        public var indent: Int = 2
        /// Preferred line width; `-1` never folds long scalars.
        public var width: Int = -1

        /// Default options: two-space indent, no line folding.
        public init() {}
    }

    private final class Output {
        var bytes: [UInt8] = []
    }

    private let emitter: UnsafeMutablePointer<yaml_emitter_t>
    private let output = Output()

    /// Creates an emitter with `options`.
    public init(options: Options = Options()) {
        emitter = .allocate(capacity: 1)
        yaml_emitter_initialize(emitter)
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_width(emitter, Int32(options.width))
        yaml_emitter_set_indent(emitter, Int32(options.indent))
        yaml_emitter_set_output(
            emitter,
            { context, buffer, size in
                guard let context, let buffer else { return 0 }
                let output = Unmanaged<Output>.fromOpaque(context).takeUnretainedValue()
                output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
                return 1
            }, Unmanaged.passUnretained(output).toOpaque())
    }

    deinit {
        yaml_emitter_delete(emitter)
        emitter.deallocate()
    }

    /// Renders one document.
    /// - Parameters:
    ///   - node: the document's root.
    ///   - options: layout options.
    /// - Returns: the YAML text, ending with a newline.
    /// - Throws: `YAMLError` of kind `.emitter` if libyaml refuses the events.
    public static func render(_ node: Node, options: Options = Options()) throws(YAMLError) -> String {
        let emitter = Emitter(options: options)
        try emitter.document(node)
        return emitter.finish()
    }

    private var started = false

    /// Appends `node` as a document.
    /// - Throws: `YAMLError` of kind `.emitter` if libyaml refuses the events.
    public func document(_ node: Node) throws(YAMLError) {
        var event = yaml_event_t()
        if !started {
            yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
            try emit(&event)
            started = true
        }
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
        try emit(&event)
        try write(node)
        yaml_document_end_event_initialize(&event, 1)
        try emit(&event)
    }

    /// Ends the stream and returns everything written.
    public func finish() -> String {
        var event = yaml_event_t()
        if started {
            yaml_stream_end_event_initialize(&event)
            _ = yaml_emitter_emit(emitter, &event)
        }
        yaml_emitter_flush(emitter)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    private func write(_ node: Node) throws(YAMLError) {
        var event = yaml_event_t()
        let explicit: Int32 = node.tag == nil ? 1 : 0
        switch node.content {
        case .scalar(let text, let style):
            let plainImplicit: Int32 = node.tag == nil && style == .plain ? 1 : 0
            let quotedImplicit: Int32 = node.tag == nil ? 1 : 0
            var utf8 = Array(text.utf8)
            let ok = withOptionalCString(node.tag) { tag in
                utf8.withUnsafeMutableBufferPointer { buffer in
                    yaml_scalar_event_initialize(
                        &event, nil, tag, buffer.baseAddress, Int32(buffer.count), plainImplicit, quotedImplicit,
                        libyamlStyle(style))
                }
            }
            guard ok == 1 else { throw failure("could not create a scalar event") }
            try emit(&event)
        case .sequence(let items):
            let flow = items.isEmpty ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
            _ = withOptionalCString(node.tag) { tag in
                yaml_sequence_start_event_initialize(&event, nil, tag, explicit, flow)
            }
            try emit(&event)
            for item in items { try write(item) }
            yaml_sequence_end_event_initialize(&event)
            try emit(&event)
        case .mapping(let pairs):
            let flow = pairs.isEmpty ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE
            _ = withOptionalCString(node.tag) { tag in
                yaml_mapping_start_event_initialize(&event, nil, tag, explicit, flow)
            }
            try emit(&event)
            for pair in pairs {
                try write(pair.key)
                try write(pair.value)
            }
            yaml_mapping_end_event_initialize(&event)
            try emit(&event)
        }
    }

    private func emit(_ event: inout yaml_event_t) throws(YAMLError) {
        guard yaml_emitter_emit(emitter, &event) == 1 else {
            throw failure(emitter.pointee.problem.map { String(cString: $0) } ?? "emitter error")
        }
    }

    private func failure(_ problem: String) -> YAMLError {
        YAMLError(kind: .emitter, problem: problem, mark: .start)
    }
}

private func libyamlStyle(_ style: ScalarStyle) -> yaml_scalar_style_t {
    switch style {
    case .plain: return YAML_ANY_SCALAR_STYLE
    case .singleQuoted: return YAML_SINGLE_QUOTED_SCALAR_STYLE
    case .doubleQuoted: return YAML_DOUBLE_QUOTED_SCALAR_STYLE
    case .literal: return YAML_LITERAL_SCALAR_STYLE
    case .folded: return YAML_FOLDED_SCALAR_STYLE
    }
}

private func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<yaml_char_t>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { pointer in
        pointer.withMemoryRebound(to: yaml_char_t.self, capacity: text.utf8.count + 1) { body($0) }
    }
}
