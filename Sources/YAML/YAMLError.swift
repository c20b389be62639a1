/// A YAML syntax error or emitter failure reported by libyaml, with its position.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: String, Sendable {
        /// The reader found bytes that are not valid UTF-8/UTF-16.
        case reader
        /// The scanner could not form a token (tabs in indentation, unknown escapes, ...).
        case scanner
        /// The parser found tokens in an order YAML does not allow.
        case parser
        /// Composition failed (an undefined alias, nesting too deep, ...).
        case composer
        /// The emitter refused an event sequence.
        case emitter
    }

    /// The failing stage.
    public var kind: Kind
    /// libyaml's problem text, e.g. `did not find expected key`.
    public var problem: String
    /// libyaml's context text, e.g. `while parsing a block mapping`, if any.
    public var context: String?
    /// Where the problem was found (1-based).
    public var mark: Mark

    /// Creates an error.
    public init(kind: Kind, problem: String, context: String? = nil, mark: Mark) {
        self.kind = kind
        self.problem = problem
        self.context = context
        self.mark = mark
    }

    /// `line:col: problem (context)`.
    public var description: String {
        var text = "\(mark): \(problem)"
        if let context, !context.isEmpty { text += " (\(context))" }
        return text
    }
}
