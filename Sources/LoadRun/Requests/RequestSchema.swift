import CloudFormation
import JSONDocument

/// A route's request model as a JSON document, from the template's value: a mapping as written, or JSON text.
public enum RequestSchema {
    /// The schema document; `nil` when it is neither a literal mapping nor JSON text (an intrinsic function).
    public static func document(_ value: Value) -> JSONValue? {
        if case .string(let text) = value { return JSONValue.parse(Array(text.utf8)) }
        return json(value)
    }

    static func json(_ value: Value) -> JSONValue? {
        switch value {
        case .string(let text): return .string(text)
        case .number(let text): return Double(text).map(JSONValue.number)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .list(let items):
            let converted = items.compactMap(json)
            return converted.count == items.count ? .array(converted) : nil
        case .map(let fields):
            var object: [String: JSONValue] = [:]
            for entry in fields.entries {
                guard let item = json(entry.value) else { return nil }
                object[entry.key] = item
            }
            return .object(object)
        default: return nil
        }
    }
}
