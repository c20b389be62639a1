import JSONDocument

/// Request bodies made from a JSON schema (draft 4, the subset API Gateway models use): every required property,
/// values drawn from the seeded generator within `enum`, `pattern`, lengths, bounds and item counts. What it cannot
/// make is named in `unsupported`, and the caller checks each body against the schema before sending it.
public struct SchemaSample: Sendable {
    public var schema: JSONValue
    /// Constructs met while generating that were skipped (a pattern too rich to generate, a `$ref` not found).
    public private(set) var unsupported: [String] = []
    /// Patterns parsed so far (`nil`: not generated).
    var patterns: [String: PatternSample?] = [:]

    public init(schema: JSONValue) { self.schema = schema }

    /// A value valid for the whole schema.
    public mutating func make(using generator: inout SeededGenerator) -> JSONValue {
        value(for: schema, path: "", using: &generator)
    }

    mutating func value(for schema: JSONValue, path: String, using generator: inout SeededGenerator) -> JSONValue {
        var schema = schema
        if let reference = schema["$ref"]?.string {
            guard let target = resolve(reference) else {
                unsupported.append("\(path.isEmpty ? "/" : path): $ref \(reference)")
                return .null
            }
            schema = target
        }
        if case .array(let options)? = schema["enum"], !options.isEmpty {
            return options[Int(generator.next() % UInt64(options.count))]
        }
        switch Self.type(of: schema) {
        case "object": return object(schema, path: path, using: &generator)
        case "array":
            let low = schema["minItems"]?.integer ?? 1
            let high = max(low, min(schema["maxItems"]?.integer ?? low + 2, low + 2))
            let count = low + Int(generator.next() % UInt64(high - low + 1))
            return .array(
                (0..<count).map {
                    value(for: schema["items"] ?? .object([:]), path: "\(path)/\($0)", using: &generator)
                })
        case "integer", "number":
            return .number(number(schema, integer: Self.type(of: schema) == "integer", &generator))
        case "boolean": return .bool(generator.next() % 2 == 0)
        case "null": return .null
        default: return .string(string(schema, path: path, using: &generator))
        }
    }

    mutating func object(_ schema: JSONValue, path: String, using generator: inout SeededGenerator) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        let properties: [String: JSONValue]
        if case .object(let found)? = schema["properties"] { properties = found } else { properties = [:] }
        var required: [String] = []
        if case .array(let names)? = schema["required"] { required = names.compactMap(\.string) }
        for name in required {
            fields[name] = value(for: properties[name] ?? .object([:]), path: "\(path)/\(name)", using: &generator)
        }
        return .object(fields)
    }

    func number(_ schema: JSONValue, integer: Bool, _ generator: inout SeededGenerator) -> Double {
        var low = Self.number(schema["minimum"]) ?? 0
        var high = Self.number(schema["maximum"]) ?? low + 1000
        if schema["exclusiveMinimum"] == .bool(true) { low += integer ? 1 : 0.01 }
        if schema["exclusiveMaximum"] == .bool(true) { high -= integer ? 1 : 0.01 }
        high = min(high, low + 1000)
        guard high > low else { return integer ? low.rounded(.up) : low }
        let value = low + (high - low) * (generator.unit() * 0.999)
        return integer ? min(high, value.rounded(.up)) : (value * 100).rounded(.down) / 100
    }

    mutating func string(_ schema: JSONValue, path: String, using generator: inout SeededGenerator) -> String {
        if let pattern = schema["pattern"]?.string {
            if patterns[pattern] == nil { patterns[pattern] = .some(PatternSample(pattern)) }
            if let sample = patterns[pattern] ?? nil { return sample.sample(using: &generator) }
            unsupported.append("\(path): pattern \(pattern)")
        }
        switch schema["format"]?.string {
        case "email": return "load\(generator.next() % 100_000)@example.com"
        case "date-time": return "2026-01-01T00:00:00Z"
        case "date": return "2026-01-01"
        case "uri": return "https://example.com/\(generator.next() % 100_000)"
        default: break
        }
        let low = schema["minLength"]?.integer ?? 1
        let high = max(low, min(schema["maxLength"]?.integer ?? 12, 12))
        let count = max(low, min(high, 8))
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String((0..<count).map { _ in letters[Int(generator.next() % 26)] })
    }

    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = schema
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    static func type(of schema: JSONValue) -> String {
        if let name = schema["type"]?.string { return name }
        if case .array(let names)? = schema["type"], let first = names.compactMap(\.string).first { return first }
        return schema["properties"] != nil ? "object" : "string"
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let number)? = value { return number }
        return nil
    }
}
