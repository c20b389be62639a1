import Foundation
import JSONDocument
import JSONText

/// Evaluates a parsed mapping template against one request or integration answer.
struct TemplateEvaluator {
    /// A value during evaluation.
    enum Value: Equatable {
        case null
        case string(String)
        case number(Double)
        case bool(Bool)
        case json(JSONValue)
    }

    let input: MappingTemplate.Input
    let document: JSONValue?
    /// `$context.*`, including what the template set (`responseOverride.status`).
    var context: [String: String]
    var variables: [String: Value] = [:]
    /// `responseOverride.*` keys set more than once: API Gateway answers 5XX ("overrides are final").
    var overriddenTwice = false

    /// What a null reference prints instead of its text; `nil`: its text, as Velocity does.
    let missing: String?

    init(input: MappingTemplate.Input, document: JSONValue?, missing: String? = nil) {
        self.input = input
        self.document = document
        self.context = input.context
        self.missing = missing
    }

    mutating func run(_ nodes: [Velocity.Node]) -> String {
        var output = ""
        for node in nodes {
            switch node {
            case .text(let text): output += text
            case .reference(let reference, let written):
                // Velocity prints a reference that is unknown or null as written, unless it is quiet (`$!a`);
                // `missing` replaces that for the substitution-only formats (access logs, gateway responses).
                switch resolve(reference) {
                case nil, .null?: output += reference.quiet ? "" : (missing ?? written)
                case let value?: output += Self.text(value)
                }
            case .set(let target, let expression): assign(target, evaluate(expression))
            case .branch(let branches):
                if let chosen = branches.first(where: { $0.condition.map { Self.truthy(evaluate($0)) } ?? true }) {
                    output += run(chosen.body)
                }
            }
        }
        return output
    }

    mutating func assign(_ target: Velocity.Reference, _ value: Value) {
        if target.root == "context" {
            let key = target.steps.map(\.name).joined(separator: ".")
            if key.hasPrefix("responseOverride."), context[key] != nil { overriddenTwice = true }
            context[key] = Self.text(value)
        } else if target.steps.isEmpty {
            variables[target.root] = value
        }
    }

    mutating func evaluate(_ expression: Velocity.Expression) -> Value {
        switch expression {
        case .string(let text, let interpolated):
            return .string(interpolated ? run(Velocity.parse(text)) : text)
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .reference(let reference): return resolve(reference) ?? .null
        case .not(let inner): return .bool(!Self.truthy(evaluate(inner)))
        case .and(let left, let right): return .bool(Self.truthy(evaluate(left)) && Self.truthy(evaluate(right)))
        case .or(let left, let right): return .bool(Self.truthy(evaluate(left)) || Self.truthy(evaluate(right)))
        case .equal(let left, let right, let negated):
            return .bool(Self.equal(evaluate(left), evaluate(right)) != negated)
        }
    }

    /// A reference's value; `nil` when its root is unknown (printed as written).
    mutating func resolve(_ reference: Velocity.Reference) -> Value? {
        var steps = reference.steps[...]
        var value: Value
        switch reference.root {
        case "input":
            guard let step = steps.popFirst() else { return nil }
            value = inputValue(step)
        case "context", "stageVariables":
            var names: [String] = []
            while let step = steps.first, step.arguments == nil {
                names.append(step.name)
                steps.removeFirst()
            }
            let key = names.joined(separator: ".")
            value = reference.root == "context" ? context[key].map(Value.string) ?? .null : .null
        case "util":
            guard let step = steps.popFirst() else { return nil }
            guard let result = utility(step) else { return nil }
            value = result
        default:
            guard let variable = variables[reference.root] else { return nil }
            value = variable
        }
        for step in steps { value = apply(step, to: value) }
        return value
    }

    mutating func argument(_ step: Velocity.Step, _ position: Int = 0) -> String {
        guard let arguments = step.arguments, arguments.indices.contains(position) else { return "" }
        return Self.text(evaluate(arguments[position]))
    }

    mutating func inputValue(_ step: Velocity.Step) -> Value {
        switch step.name {
        case "body": return .string(String(decoding: input.body, as: UTF8.self))
        case "json":
            let found = MappingTemplate.jsonPath(step.arguments == nil ? "$" : argument(step), document)
            return .string(found.map(LocalJSON.text) ?? "null")
        case "path": return MappingTemplate.jsonPath(argument(step), document).map(Self.value) ?? .null
        case "params": return input.parameters[argument(step)].map(Value.string) ?? .null
        default: return .null
        }
    }

    mutating func utility(_ step: Velocity.Step) -> Value? {
        let text = argument(step)
        switch step.name {
        case "urlEncode": return .string(MappingTemplate.formEncode(text))
        case "urlDecode":
            return .string(text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text)
        case "escapeJavaScript": return .string(Self.escapeJavaScript(text))
        case "base64Encode": return .string(Data(text.utf8).base64EncodedString())
        case "base64Decode": return .string(Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "")
        case "parseJson": return JSONValue.parse(Array(text.utf8)).map(Self.value) ?? .null
        default: return nil
        }
    }

    /// A property of a JSON object or a string method.
    mutating func apply(_ step: Velocity.Step, to value: Value) -> Value {
        if step.arguments == nil, case .json(let json) = value {
            return json[step.name].map(Self.value) ?? .null
        }
        let text = Self.text(value)
        switch step.name {
        case "contains": return .bool(text.contains(argument(step)))
        case "startsWith": return .bool(text.hasPrefix(argument(step)))
        case "endsWith": return .bool(text.hasSuffix(argument(step)))
        case "length", "size": return .number(Double(text.utf16.count))
        case "isEmpty": return .bool(text.isEmpty)
        case "trim": return .string(text.trimmingCharacters(in: .whitespaces))
        case "toLowerCase": return .string(text.lowercased())
        case "toUpperCase": return .string(text.uppercased())
        case "toString": return .string(text)
        default: return .null
        }
    }

    /// JavaScript string escaping as Apache Commons Lang's `escapeJavaScript`, which API Gateway's `$util` uses:
    /// quotes (single ones too, which is not valid JSON), backslash and slash, control characters, and everything
    /// outside ASCII as `\uXXXX` (UTF-16 units, upper-case hex).
    static func escapeJavaScript(_ text: String) -> String {
        var output = ""
        for unit in text.utf16 {
            switch unit {
            case 0x22: output += "\\\""
            case 0x27: output += "\\'"
            case 0x5C: output += "\\\\"
            case 0x2F: output += "\\/"
            case 0x08: output += "\\b"
            case 0x09: output += "\\t"
            case 0x0A: output += "\\n"
            case 0x0C: output += "\\f"
            case 0x0D: output += "\\r"
            case 0x20..<0x7F: output.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return output
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .string(let text): .string(text)
        case .number(let number): .number(number)
        case .bool(let flag): .bool(flag)
        case .null: .null
        default: .json(json)
        }
    }

    /// As Velocity prints it: strings as they are, JSON values as JSON, null as nothing.
    static func text(_ value: Value) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .number(let number): LocalJSON.number(number)
        case .bool(let flag): flag ? "true" : "false"
        case .json(let json): LocalJSON.text(json)
        }
    }

    /// Velocity 1.7: only null and false are false.
    static func truthy(_ value: Value) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        default: true
        }
    }

    static func equal(_ left: Value, _ right: Value) -> Bool {
        if case .number(let a) = left, case .number(let b) = right { return a == b }
        if left == .null || right == .null { return left == right }
        return text(left) == text(right)
    }
}
