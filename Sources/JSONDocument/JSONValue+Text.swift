import JSONText

extension JSONValue {
    /// The document as compact JSON text, object keys sorted (so equal documents read the same).
    public var text: String {
        switch self {
        case .string(let text): return JSONText.quote(text)
        case .number(let value): return Self.number(value)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let fields):
            return "{"
                + fields.keys.sorted().map { "\(JSONText.quote($0)):\(fields[$0]!.text)" }.joined(separator: ",")
                + "}"
        }
    }

    /// An integer without a fraction, as JSON writes it.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
