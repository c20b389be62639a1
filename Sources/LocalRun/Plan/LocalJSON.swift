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
    public static func text(_ value: JSONValue) -> String { value.text }

    /// A number as JSON writes it (an integer without a fraction).
    static func number(_ value: Double) -> String { JSONValue.number(value).text }

    /// A JSON object from pairs, values already JSON text.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
