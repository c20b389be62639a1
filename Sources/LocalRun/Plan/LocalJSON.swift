import CloudFormation
import JSONDocument
import JSONText

/// JSON text of resolved template values and parsed documents, keys in their order (sorted for parsed ones).
public enum LocalJSON {
    /// A resolved template value as JSON (numbers as written, strings quoted).
    public static func text(_ value: Value) -> String {
        switch value {
        case .string(let text): return JSONText.quote(text)
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .map(let fields):
            return "{" + fields.map { "\(JSONText.quote($0.key)):\(text($0.value))" }.joined(separator: ",") + "}"
        default: return "null"
        }
    }

    /// A parsed document as JSON, object keys sorted.
    public static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return JSONText.quote(text)
        case .number(let value): return number(value)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .object(let fields):
            return "{"
                + fields.keys.sorted().map { "\(JSONText.quote($0)):\(text(fields[$0]!))" }.joined(separator: ",")
                + "}"
        }
    }

    /// An integer without a fraction, as JSON writes it.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A JSON object from pairs, values already JSON text.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
