/// The shape a property's value must have, as the resource schemas declare it.
public indirect enum PropertyShape: Sendable, Equatable {
    /// A string, with the resource formats it may take (`AWS::IAM::Role.Arn`); empty when any string is fine.
    case string(formats: [String])
    case integer
    case number
    case boolean
    /// An object without declared properties (a JSON document, a policy).
    case anyObject
    /// Anything.
    case any
    case list(PropertyShape)
    /// An object from any string key to values of the shape.
    case map(PropertyShape)
    /// An object defined by the type's definition of this name.
    case object(String)
    /// Any of the alternatives.
    case either([PropertyShape])
    /// The shape of another type's property (a SAM property the transform passes to the resource it generates).
    case borrowed(type: String, property: String)

    /// Reads the catalogue's shape grammar (`s`, `[@Tag]`, `{s}`, `s%AWS::IAM::Role.Arn|@Policy`); `nil` when the
    /// text is not a shape.
    public init?(_ text: Substring) {
        // Most shapes are one letter: no parse.
        if text.utf8.count == 1, let single = Self.scalars[text.utf8.first!] {
            self = single
            return
        }
        var rest = text
        guard let shape = Self.parseUnion(&rest), rest.isEmpty else { return nil }
        self = shape
    }

    private static let scalars: [UInt8: PropertyShape] = [
        UInt8(ascii: "s"): .string(formats: []), UInt8(ascii: "i"): .integer, UInt8(ascii: "n"): .number,
        UInt8(ascii: "b"): .boolean, UInt8(ascii: "o"): .anyObject, UInt8(ascii: "a"): .any,
    ]

    private static func parseUnion(_ text: inout Substring) -> PropertyShape? {
        var terms: [PropertyShape] = []
        repeat {
            if text.first == "|" { text.removeFirst() }
            guard let term = parseTerm(&text) else { return nil }
            terms.append(term)
        } while text.first == "|"
        return terms.count == 1 ? terms[0] : .either(terms)
    }

    private static func parseTerm(_ text: inout Substring) -> PropertyShape? {
        guard let first = text.popFirst() else { return nil }
        switch first {
        case "s":
            var formats: [String] = []
            while text.first == "%" {
                text.removeFirst()
                formats.append(String(name(&text)))
            }
            return .string(formats: formats)
        case "i": return .integer
        case "n": return .number
        case "b": return .boolean
        case "o": return .anyObject
        case "a": return .any
        case "@": return .object(String(name(&text)))
        case "=":
            let target = name(&text)
            guard let dot = target.lastIndex(of: ".") else { return nil }
            return .borrowed(type: String(target[..<dot]), property: String(target[target.index(after: dot)...]))
        case "[", "{":
            guard let inner = parseUnion(&text), text.popFirst() == (first == "[" ? "]" : "}") else { return nil }
            return first == "[" ? .list(inner) : .map(inner)
        default: return nil
        }
    }

    private static func name(_ text: inout Substring) -> Substring {
        let end = text.firstIndex { "%|]}".contains($0) } ?? text.endIndex
        defer { text = text[end...] }
        return text[..<end]
    }
}

/// A property of a resource type or a field of one of its object definitions.
public struct PropertySpec: Sendable, Equatable {
    public var name: String
    public var shape: PropertyShape
    public var required: Bool
}

/// An object shape of a resource type: its fields, and whether keys beyond them are allowed (`open`).
public struct ObjectDefinition: Sendable, Equatable {
    public var name: String
    public var fields: [String: PropertySpec]
    public var open: Bool
}

/// Everything the catalogue knows about one resource type.
public struct ResourceSchema: Sendable, Equatable {
    public var type: String
    /// `Fn::GetAtt` attribute names.
    public var attributes: [String] = []
    /// Settable properties by name.
    public var properties: [String: PropertySpec] = [:]
    /// Object definitions by name.
    public var definitions: [String: ObjectDefinition] = [:]
    /// Property paths (`A/B`, `Tags/*/Key`) whose change replaces the resource.
    public var createOnly: [String] = []
    /// Paths whose change may replace the resource, depending on the change.
    public var conditionalCreateOnly: [String] = []
    /// Paths the schema marks deprecated.
    public var deprecated: [String] = []
    /// Top-level properties the schema marks read-only: set in a template, CloudFormation ignores them.
    public var readOnly: [String] = []
    /// `shutdown`, `sunset` or `maintenance` when AWS is retiring the type, with the date when known.
    public var lifecycle: (status: String, date: String?)?
    /// The type accepts any property.
    public var open = false

    public static func == (lhs: ResourceSchema, rhs: ResourceSchema) -> Bool {
        lhs.type == rhs.type && lhs.attributes == rhs.attributes && lhs.properties == rhs.properties
            && lhs.definitions == rhs.definitions && lhs.createOnly == rhs.createOnly
            && lhs.conditionalCreateOnly == rhs.conditionalCreateOnly && lhs.deprecated == rhs.deprecated
            && lhs.readOnly == rhs.readOnly
            && lhs.lifecycle?.status == rhs.lifecycle?.status && lhs.lifecycle?.date == rhs.lifecycle?.date
            && lhs.open == rhs.open
    }

    /// Reads one type's block of catalogue lines (its type line first); `nil` when a line does not parse.
    init?(lines: some Sequence<Substring>) {
        var iterator = lines.makeIterator()
        guard let head = iterator.next() else { return nil }
        let fields = Self.tabs(head)
        guard let name = fields.first else { return nil }
        type = String(name)
        for field in fields.dropFirst() { readTypeField(field) }
        var current: String?
        while let line = iterator.next() {
            if line.hasPrefix("  ") {
                guard let owner = current, let spec = Self.spec(line.dropFirst(2)) else { return nil }
                definitions[owner]?.fields[spec.name] = spec
            } else if line.hasPrefix(" @") {
                let parts = Self.tabs(line.dropFirst(2))
                guard let definition = parts.first.map(String.init) else { return nil }
                current = definition
                definitions[definition] = ObjectDefinition(name: definition, fields: [:], open: parts.contains("open"))
            } else if line.hasPrefix(" ") {
                guard let spec = Self.spec(line.dropFirst()) else { return nil }
                properties[spec.name] = spec
            }
        }
    }

    private mutating func readTypeField(_ field: Substring) {
        func list(_ prefix: String) -> [String] {
            field.dropFirst(prefix.count).utf8.split(separator: UInt8(ascii: ",")).map { String(Substring($0)) }
        }
        if field.hasPrefix("a=") {
            attributes = list("a=")
        } else if field.hasPrefix("c=") {
            createOnly = list("c=")
        } else if field.hasPrefix("cc=") {
            conditionalCreateOnly = list("cc=")
        } else if field.hasPrefix("d=") {
            deprecated = list("d=")
        } else if field.hasPrefix("ro=") {
            readOnly = list("ro=")
        } else if field.hasPrefix("l=") {
            let parts = field.dropFirst(2).split(separator: "@", maxSplits: 1)
            lifecycle = (String(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : nil)
        } else if field == "open" {
            open = true
        }
    }

    /// The tab-separated fields of a line, split on bytes (the catalogue is ASCII).
    static func tabs(_ line: Substring) -> [Substring] {
        line.utf8.split(separator: UInt8(ascii: "\t")).map { Substring($0) }
    }

    private static func spec(_ line: Substring) -> PropertySpec? {
        let parts = tabs(line)
        guard parts.count >= 2, let shape = PropertyShape(parts[1]) else { return nil }
        return PropertySpec(name: String(parts[0]), shape: shape, required: parts.dropFirst(2).contains("r"))
    }

    /// The top-level properties a template must set, sorted.
    public var required: [String] { properties.values.filter(\.required).map(\.name).sorted() }
}
