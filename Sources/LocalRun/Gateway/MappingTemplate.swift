import Foundation
import JSONDocument
import JSONText

/// The part of API Gateway's mapping-template language (Velocity) the local gateway renders: `$input.body`,
/// `$input.json('$.path')`, `$input.path('$.path')`, `$input.params('name')`, `$context.*`, `$stageVariables.*`,
/// `$util.urlEncode(...)`, `$util.escapeJavaScript(...)`, `$util.base64Encode(...)`. Directives (`#set`, `#if`,
/// `#foreach`) and other references are named by `unsupported` at start and left as written.
public struct MappingTemplate: Sendable, Equatable {
    public var text: String

    public init(_ text: String) { self.text = text }

    /// What a rendering reads.
    public struct Input: Sendable {
        public var body: [UInt8]
        public var parameters: [String: String]
        public var context: [String: String]

        public init(body: [UInt8], parameters: [String: String] = [:], context: [String: String] = [:]) {
            self.body = body
            self.parameters = parameters
            self.context = context
        }
    }

    /// Constructs in the template the renderer does not evaluate.
    public var unsupported: [String] {
        var found: [String] = []
        for directive in ["#set", "#if", "#foreach", "#else", "#end", "#define", "#macro"]
        where text.contains(directive) {
            found.append(directive)
        }
        // Quoted arguments (`$input.path('$.a')`) are JSONPath, not references.
        var unquoted = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" {
                quote = character
            } else {
                unquoted.append(character)
            }
        }
        var rest = Substring(unquoted)
        while let dollar = rest.firstIndex(of: "$") {
            rest = rest[rest.index(after: dollar)...]
            let name = rest.prefix { $0.isLetter || $0 == "." || $0 == "_" }
            if name.isEmpty { continue }
            if !Self.known.contains(where: { name.hasPrefix($0) }) { found.append("$\(name)") }
        }
        return Array(Set(found)).sorted()
    }

    static let known = [
        "input.body", "input.json", "input.path", "input.params", "context.", "stageVariables.", "util.urlEncode",
        "util.escapeJavaScript", "util.base64Encode",
    ]

    /// The template rendered with `input`.
    public func render(_ input: Input) -> String {
        var output = ""
        var rest = Substring(text)
        let document = JSONValue.parse(input.body)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            rest = rest[dollar...]
            if let (value, after) = expression(rest, input: input, document: document) {
                output += value
                rest = after
            } else {
                output.append("$")
                rest = rest.dropFirst()
            }
        }
        return output + rest
    }

    /// One `$...` reference at the start of `text`: its value and what follows it.
    func expression(_ text: Substring, input: Input, document: JSONValue?) -> (String, Substring)? {
        let body = text.dropFirst()
        let name = body.prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }
        var after = body[name.endIndex...]
        var argument: String?
        if after.first == "(" {
            guard let (inner, rest) = Self.parenthesized(after, input: input, document: document, template: self)
            else { return nil }
            argument = inner
            after = rest
        }
        switch name {
        case "input.body": return (String(decoding: input.body, as: UTF8.self), after)
        case "input.json": return (Self.jsonPath(argument ?? "$", document).map(LocalJSON.text) ?? "null", after)
        case "input.path": return (Self.jsonPath(argument ?? "$", document).map(Self.plain) ?? "", after)
        case "input.params": return (input.parameters[argument ?? ""] ?? "", after)
        case "util.urlEncode": return (Self.formEncode(argument ?? ""), after)
        case "util.escapeJavaScript": return (String(JSONText.quote(argument ?? "").dropFirst().dropLast()), after)
        case "util.base64Encode": return (Data((argument ?? "").utf8).base64EncodedString(), after)
        default:
            if name.hasPrefix("context.") { return (input.context[String(name.dropFirst(8))] ?? "", after) }
            if name.hasPrefix("stageVariables.") { return ("", after) }
            return nil
        }
    }

    /// The argument of `(...)`: a quoted literal, or a nested reference rendered.
    static func parenthesized(_ text: Substring, input: Input, document: JSONValue?, template: MappingTemplate)
        -> (String, Substring)?
    {
        var inner = text.dropFirst().drop { $0 == " " }
        var value: String
        if let quote = inner.first, quote == "'" || quote == "\"" {
            guard let close = inner.dropFirst().firstIndex(of: quote) else { return nil }
            value = String(inner[inner.index(after: inner.startIndex)..<close])
            inner = inner[inner.index(after: close)...]
        } else if inner.first == "$" {
            guard let (rendered, rest) = template.expression(inner, input: input, document: document) else {
                return nil
            }
            value = rendered
            inner = rest
        } else {
            return nil
        }
        inner = inner.drop { $0 == " " }
        guard inner.first == ")" else { return nil }
        return (value, inner.dropFirst())
    }

    /// `$.a.b[0]` in `document`.
    static func jsonPath(_ path: String, _ document: JSONValue?) -> JSONValue? {
        guard var node = document, path.hasPrefix("$") else { return nil }
        for part in path.dropFirst().split(separator: ".") {
            var key = Substring(part)
            var indices: [Int] = []
            while let open = key.lastIndex(of: "["), key.last == "]" {
                guard let index = Int(key[key.index(after: open)..<key.index(before: key.endIndex)]) else { return nil }
                indices.insert(index, at: 0)
                key = key[..<open]
            }
            if !key.isEmpty {
                guard let child = node[String(key)] else { return nil }
                node = child
            }
            for index in indices {
                guard case .array(let items) = node, items.indices.contains(index) else { return nil }
                node = items[index]
            }
        }
        return node
    }

    /// A value as `$input.path` prints it: strings without quotes.
    static func plain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return LocalJSON.text(value)
    }

    /// `application/x-www-form-urlencoded` encoding, as Java's `URLEncoder` (space as `+`).
    static func formEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"),
                UInt8(ascii: "_"):
                result.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "): result.append("+")
            default: result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
