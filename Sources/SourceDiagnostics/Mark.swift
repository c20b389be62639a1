/// A position in a YAML or JSON source text.
///
/// Lines and columns are 1-based; columns count Unicode scalars from the start of the line, as libyaml does.
public struct Mark: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column number.
    public var column: Int

    /// Creates a mark at `line` and `column` (both 1-based).
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The mark of the start of a document.
    public static let start = Mark(line: 1, column: 1)

    /// `line:column`, the form compilers and editors understand.
    public var description: String { "\(line):\(column)" }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
