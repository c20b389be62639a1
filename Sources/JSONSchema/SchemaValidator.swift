import Foundation
import JSONDocument
import JSONText

/// JSON Schema draft 4 as API Gateway applies a request model, with its messages (the strings
/// `$context.error.validationErrorString` lists). Keywords it does not check are named by `unsupported`.
public struct SchemaValidator: Sendable {
    public var schema: JSONValue

    public init(schema: JSONValue) { self.schema = schema }

    /// The keywords this validator checks; any other keyword in a schema is named at start.
    public static let keywords: Set<String> = [
        "$schema", "title", "description", "type", "properties", "required", "additionalProperties", "enum", "pattern",
        "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems",
        "items", "uniqueItems", "minProperties", "maxProperties", "definitions", "$ref", "format", "default",
        "example",
    ]

    /// Keywords in the schema this validator does not check.
    public var unsupported: [String] {
        var found: Set<String> = []
        Self.collect(schema, into: &found)
        return found.sorted()
    }

    static func collect(_ schema: JSONValue, into found: inout Set<String>) {
        guard case .object(let fields) = schema else { return }
        for (key, value) in fields {
            if !keywords.contains(key) { found.insert(key) }
            switch key {
            case "properties", "definitions":
                if case .object(let children) = value { for child in children.values { collect(child, into: &found) } }
            case "items", "additionalProperties": collect(value, into: &found)
            default: break
            }
        }
    }

    /// API Gateway's messages for what is wrong with `instance`; empty when it is valid.
    public func problems(_ instance: JSONInstance) -> [String] {
        var problems: [String] = []
        check(instance, against: schema, into: &problems)
        return problems
    }

    /// The messages for a parsed value (whole numbers taken as written without a fraction).
    public func problems(_ value: JSONValue) -> [String] { problems(JSONInstance(value)) }

    func check(_ instance: JSONInstance, against schema: JSONValue, into problems: inout [String]) {
        var schema = schema
        if let reference = schema["$ref"]?.string, let target = resolve(reference) { schema = target }
        guard case .object = schema else { return }
        if let allowed = Self.types(schema["type"]), !allowed.contains(where: { Self.matches(instance, type: $0) }) {
            problems.append(
                "instance type (\(Self.typeName(instance))) does not match any allowed primitive type (allowed: \(Self.list(allowed)))"
            )
            return
        }
        if case .array(let options)? = schema["enum"], !options.contains(instance.json) {
            problems.append(
                "instance value (\(instance.json.text)) not found in enum (possible values: [\(options.map(\.text).joined(separator: ","))])"
            )
        }
        switch instance {
        case .string(let text): checkString(text, schema, into: &problems)
        case .number(let number, _): checkNumber(number, schema, into: &problems)
        case .array(let items): checkArray(items, schema, into: &problems)
        case .object(let fields): checkObject(fields, schema, into: &problems)
        default: break
        }
    }

    func checkString(_ text: String, _ schema: JSONValue, into problems: inout [String]) {
        // Draft 4 counts characters as RFC 7159 defines them: code points, not grapheme clusters.
        let length = text.unicodeScalars.count
        if let minimum = schema["minLength"]?.integer, length < minimum {
            problems.append(
                "string \(JSONText.quote(text)) is too short (length: \(length), required minimum: \(minimum))")
        }
        if let maximum = schema["maxLength"]?.integer, length > maximum {
            problems.append(
                "string \(JSONText.quote(text)) is too long (length: \(length), maximum allowed: \(maximum))")
        }
        if let pattern = schema["pattern"]?.string, let regex = try? Regex(pattern),
            (try? regex.firstMatch(in: text)) == nil
        {
            problems.append(
                "ECMA 262 regex \(JSONText.quote(pattern)) does not match input string \(JSONText.quote(text))")
        }
    }

    func checkNumber(_ number: Double, _ schema: JSONValue, into problems: inout [String]) {
        if case .number(let minimum)? = schema["minimum"] {
            let exclusive = schema["exclusiveMinimum"] == .bool(true)
            if exclusive && number == minimum {
                problems.append(
                    "numeric instance is not strictly greater than the required minimum \(JSONValue.number(minimum).text)"
                )
            } else if number < minimum {
                problems.append(
                    "numeric instance is lower than the required minimum (minimum: \(JSONValue.number(minimum).text), found: \(JSONValue.number(number).text))"
                )
            }
        }
        if case .number(let maximum)? = schema["maximum"] {
            let exclusive = schema["exclusiveMaximum"] == .bool(true)
            if exclusive && number == maximum {
                problems.append(
                    "numeric instance is not strictly lower than the required maximum \(JSONValue.number(maximum).text)"
                )
            } else if number > maximum {
                problems.append(
                    "numeric instance is greater than the required maximum (maximum: \(JSONValue.number(maximum).text), found: \(JSONValue.number(number).text))"
                )
            }
        }
    }

    func checkArray(_ items: [JSONInstance], _ schema: JSONValue, into problems: inout [String]) {
        if let minimum = schema["minItems"]?.integer, items.count < minimum {
            problems.append(
                "array is too short: must have at least \(minimum) elements but instance has \(items.count) elements")
        }
        if let maximum = schema["maxItems"]?.integer, items.count > maximum {
            problems.append(
                "array is too long: must have at most \(maximum) elements but instance has \(items.count) elements")
        }
        if schema["uniqueItems"] == .bool(true), Set(items.map { $0.json.text }).count != items.count {
            problems.append("array must not contain duplicate elements")
        }
        if let itemSchema = schema["items"] {
            for item in items { check(item, against: itemSchema, into: &problems) }
        }
    }

    func checkObject(_ fields: [String: JSONInstance], _ schema: JSONValue, into problems: inout [String]) {
        if case .array(let required)? = schema["required"] {
            let missing = required.compactMap(\.string).filter { fields[$0] == nil }.sorted()
            if !missing.isEmpty {
                problems.append("object has missing required properties (\(Self.list(missing)))")
            }
        }
        if let minimum = schema["minProperties"]?.integer, fields.count < minimum {
            problems.append(
                "object has too few properties (found \(fields.count) but schema requires at least \(minimum))")
        }
        if let maximum = schema["maxProperties"]?.integer, fields.count > maximum {
            problems.append(
                "object has too many properties (found \(fields.count) but schema requires at most \(maximum))")
        }
        let properties: [String: JSONValue]
        if case .object(let declared)? = schema["properties"] { properties = declared } else { properties = [:] }
        var extra: [String] = []
        for key in fields.keys.sorted() {
            if let propertySchema = properties[key] {
                check(fields[key]!, against: propertySchema, into: &problems)
            } else if schema["additionalProperties"] == .bool(false) {
                extra.append(key)
            } else if let additional = schema["additionalProperties"], case .object = additional {
                check(fields[key]!, against: additional, into: &problems)
            }
        }
        if !extra.isEmpty {
            problems.append("object instance has properties which are not allowed by the schema: \(Self.list(extra))")
        }
    }

    /// `#/definitions/Name` within the schema.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = schema
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    static func types(_ value: JSONValue?) -> [String]? {
        switch value {
        case .string(let type)?: [type]
        case .array(let types)?: types.compactMap(\.string)
        default: nil
        }
    }

    static func matches(_ instance: JSONInstance, type: String) -> Bool {
        switch (type, instance) {
        case ("string", .string), ("boolean", .bool), ("null", .null), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case ("integer", .number(_, let integral)): integral
        default: false
        }
    }

    static func typeName(_ instance: JSONInstance) -> String {
        switch instance {
        case .string: "string"
        case .bool: "boolean"
        case .null: "null"
        case .array: "array"
        case .object: "object"
        case .number(_, let integral): integral ? "integer" : "number"
        }
    }

    static func list(_ names: [String]) -> String { "[" + names.map(JSONText.quote).joined(separator: ",") + "]" }
}
