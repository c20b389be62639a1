/// A located finding about an input file: what the CLI prints as `path:line:col: severity: ID: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a finding is; the order is note < warning < error.
    public enum Severity: String, Sendable, Comparable, CaseIterable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: return 0
            case .warning: return 1
            case .error: return 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// The file the finding is about.
    public var path: String
    /// Where in the file.
    public var mark: Mark
    /// How serious.
    public var severity: Severity
    /// A stable identifier such as `OS0001`, for suppression and documentation.
    public var id: String
    /// One line saying what is wrong.
    public var message: String
    /// The logical ID (or other named element) the finding is about, if any.
    public var subject: String?

    /// Creates a diagnostic.
    public init(path: String, mark: Mark, severity: Severity, id: String, message: String, subject: String? = nil) {
        self.path = path
        self.mark = mark
        self.severity = severity
        self.id = id
        self.message = message
        self.subject = subject
    }

    /// `path:line:col: severity: ID: message`.
    public var description: String { "\(path):\(mark): \(severity.rawValue): \(id): \(message)" }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// How many diagnostics have `severity`.
    public func count(_ severity: Diagnostic.Severity) -> Int { filter { $0.severity == severity }.count }

    /// The diagnostics in file, line and column order (stable for equal positions).
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { lhs, rhs in
            (lhs.element.path, lhs.element.mark, lhs.offset) < (rhs.element.path, rhs.element.mark, rhs.offset)
        }.map(\.element)
    }
}
