import Synchronization
import ZlibStream

/// What CloudFormation knows about a resource type: its `Fn::GetAtt` attributes, required and writable properties,
/// and the properties whose change replaces the resource.
public struct ResourceTypeInfo: Sendable, Equatable {
    /// The type name, e.g. `AWS::SQS::Queue`.
    public var type: String
    /// Attribute names valid in `Fn::GetAtt` (`Arn`, `QueueName`, `RedrivePolicy.deadLetterTargetArn`).
    public var attributes: Set<String>
    /// Properties a template must set.
    public var required: [String]
    /// Properties a template may set (read-only ones excluded).
    public var properties: Set<String>
    /// Create-only properties: changing one replaces the resource. Nested paths are written `A/B`.
    public var createOnly: [String]
    /// Conditionally create-only properties: changing one may replace the resource, depending on the change
    /// (the schemas' `conditionalCreateOnlyProperties`, such as `AWS::DynamoDB::Table` `KeySchema`).
    public var conditionalCreateOnly: [String] = []
}

/// Every resource type of the CloudFormation resource specification, imported from cfn-lint's bundled resource
/// schemas by `scripts/import-resource-schemas.py` into `ResourceCatalogue+Compressed.swift` (gzip, base64).
/// The text is inflated once, on first use; each type's lines are parsed when the type is asked for.
public enum ResourceCatalogue {
    /// The inflated catalogue and where each type's lines are.
    private static let loaded: (text: String, blocks: [Substring: Range<String.Index>], source: String) = {
        let bytes = ZlibStream.gunzip(Base64.decode(compressed)) ?? []
        let text = String(decoding: bytes, as: UTF8.self)
        var blocks: [Substring: Range<String.Index>] = [:]
        blocks.reserveCapacity(1_700)
        var source = ""
        var current: (name: Substring, start: String.Index)?
        var position = text.startIndex
        let utf8 = text.utf8
        while position < text.endIndex {
            let end = utf8[position...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let first = utf8[position]
            if first == UInt8(ascii: "#") {
                let line = text[position..<end]
                if line.hasPrefix("#source ") { source = String(line.dropFirst(8)) }
            } else if first != UInt8(ascii: " ") {
                if let open = current { blocks[open.name] = open.start..<position }
                let tab = utf8[position..<end].firstIndex(of: UInt8(ascii: "\t")) ?? end
                current = (text[position..<tab], position)
            }
            position = end < text.endIndex ? utf8.index(after: end) : end
        }
        if let open = current { blocks[open.name] = open.start..<text.endIndex }
        return (text, blocks, source)
    }()

    /// The number of resource types in the catalogue.
    public static var count: Int { loaded.blocks.count }

    /// Where the data came from: `cfn-lint 1.51.0 us-east-1`.
    public static var source: String { loaded.source }

    /// Every type name, sorted.
    public static var types: [String] { loaded.blocks.keys.map(String.init).sorted() }

    /// Schemas parsed so far: each type's lines are read once per process, however many templates use it.
    private static let parsed = Mutex<[String: ResourceSchema]>([:])

    /// Everything the catalogue knows about `type`, or `nil` for types it does not have (custom resources,
    /// third-party types).
    public static func schema(_ type: String) -> ResourceSchema? {
        if let known = parsed.withLock({ $0[type] }) { return known }
        guard let range = loaded.blocks[Substring(type)],
            let schema = ResourceSchema(lines: loaded.text[range].split(separator: "\n"))
        else { return nil }
        parsed.withLock { $0[type] = schema }
        return schema
    }

    /// The attributes, required and settable properties, and create-only paths of `type`.
    public static func info(_ type: String) -> ResourceTypeInfo? {
        schema(type).map(\.info)
    }

    /// The entries of `types` the catalogue has, each looked up once: callers that ask per resource keep this
    /// instead of calling `info(_:)` for every resource.
    public static func infos(for types: some Sequence<String>) -> [String: ResourceTypeInfo] {
        schemas(for: types).mapValues(\.info)
    }

    /// The schemas of `types` the catalogue has, each parsed once.
    public static func schemas(for types: some Sequence<String>) -> [String: ResourceSchema] {
        var result: [String: ResourceSchema] = [:]
        for type in types where result[type] == nil {
            if let schema = schema(type) { result[type] = schema }
        }
        return result
    }

    /// Whether `type` is a custom resource (`Custom::Name` or `AWS::CloudFormation::CustomResource`), whose
    /// properties and attributes are its provider's business.
    public static func isCustom(_ type: String) -> Bool {
        type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource"
    }
}

extension ResourceSchema {
    /// The summary most checks need.
    public var info: ResourceTypeInfo {
        ResourceTypeInfo(
            type: type, attributes: Set(attributes), required: required, properties: Set(properties.keys),
            createOnly: createOnly, conditionalCreateOnly: conditionalCreateOnly)
    }
}

/// Base64 (RFC 4648) decoding that skips whitespace, for the catalogue's literal.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// The bytes `text` encodes; characters outside the alphabet (line breaks, padding) are skipped.
    static func decode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value = values[Int(byte)]
            guard value != 255 else { continue }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }
}
