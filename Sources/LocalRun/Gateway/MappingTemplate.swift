import Foundation
import JSONDocument
import JSONText

/// API Gateway's mapping templates as the local gateway renders them: the Velocity subset of `Velocity` with the
/// references API Gateway defines: `$input.body`, `$input.json('$.path')`, `$input.path('$.path')`,
/// `$input.params('name')`, `$context.*` (and `#set($context.responseOverride.status = 400)`),
/// `$stageVariables.*`, `$util.urlEncode`, `$util.urlDecode`, `$util.escapeJavaScript`, `$util.base64Encode`,
/// `$util.base64Decode`, `$util.parseJson`; string methods `contains`, `startsWith`, `endsWith`, `length`,
/// `isEmpty`, `trim`, `toLowerCase`, `toUpperCase`. Other directives (`#foreach`, `#macro`, ...) and references are
/// named by `unsupported` at start and left as written.
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

    /// A rendering: the text and the `$context.responseOverride.*` values the template set.
    public struct Rendering: Sendable, Equatable {
        public var text: String
        public var overrides: [String: String]
        /// An override set twice: API Gateway answers 5XX ("overrides are final").
        public var overriddenTwice = false

        /// `$context.responseOverride.status`, when the template set a valid one.
        public var status: Int? {
            overrides["status"].flatMap { Int($0) }.flatMap { (100...599).contains($0) ? $0 : nil }
        }
    }

    /// Constructs in the template the renderer does not evaluate.
    public var unsupported: [String] {
        var found: Set<String> = []
        for directive in ["foreach", "define", "macro", "break", "stop", "evaluate", "parse", "include"]
        where text.contains("#\(directive)") || text.contains("#{\(directive)}") {
            found.insert("#\(directive)")
        }
        var assigned: Set<String> = ["context", "input", "util", "stageVariables"]
        Self.walk(Velocity.parse(text)) { node in
            if case .set(let target, _) = node { assigned.insert(target.root) }
        }
        Self.walk(Velocity.parse(text)) { node in
            guard case .reference(let reference, _) = node else { return }
            if !assigned.contains(reference.root) {
                found.insert("$" + ([reference.root] + reference.steps.map(\.name)).joined(separator: "."))
            } else if reference.root == "util", let name = reference.steps.first?.name, !Self.utilities.contains(name) {
                found.insert("$util.\(name)")
            }
        }
        return found.sorted()
    }

    static let utilities: Set<String> = [
        "urlEncode", "urlDecode", "escapeJavaScript", "base64Encode", "base64Decode", "parseJson",
    ]

    static func walk(_ nodes: [Velocity.Node], _ visit: (Velocity.Node) -> Void) {
        for node in nodes {
            visit(node)
            if case .branch(let branches) = node { for branch in branches { walk(branch.body, visit) } }
        }
    }

    /// The template rendered with `input`.
    public func render(_ input: Input) -> String { evaluate(input).text }

    /// The template rendered with `input`, with the response overrides it set.
    public func evaluate(_ input: Input) -> Rendering {
        var evaluator = TemplateEvaluator(input: input, document: JSONValue.parse(input.body))
        let text = evaluator.run(Velocity.parse(text))
        var overrides: [String: String] = [:]
        for (key, value) in evaluator.context where key.hasPrefix("responseOverride.") {
            overrides[String(key.dropFirst(17))] = value
        }
        return Rendering(text: text, overrides: overrides, overriddenTwice: evaluator.overriddenTwice)
    }

    /// Substitution only, as API Gateway fills access-log formats and gateway-response templates (no Velocity):
    /// `$context.*` replaced, a value it does not have replaced by `missing` (`-` in access logs).
    public func substitute(_ context: [String: String], missing: String) -> String {
        var parser = Velocity.Parser(characters: Array(text))
        var nodes: [Velocity.Node] = []
        var plain = ""
        while let character = parser.current {
            if character == "$", let (reference, written) = parser.referenceNode() {
                nodes += [.text(plain), .reference(reference, written: written)]
                plain = ""
            } else {
                plain.append(character)
                parser.index += 1
            }
        }
        nodes.append(.text(plain))
        var evaluator = TemplateEvaluator(input: .init(body: [], context: context), document: nil, missing: missing)
        return evaluator.run(nodes)
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
