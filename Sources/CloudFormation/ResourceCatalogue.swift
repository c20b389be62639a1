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
    /// The inflated catalogue and where each type's lines are (byte ranges; the text is ASCII). Scanned over raw
    /// bytes: the generic String.UTF8View search cost milliseconds at every start.
    private static let loaded: (bytes: [UInt8], blocks: [String: Range<Int>], source: String) = {
        let bytes = ZlibStream.gunzip(Base64.decode(compressed)) ?? []
        var blocks: [String: Range<Int>] = [:]
        blocks.reserveCapacity(1_700)
        var source = ""
        bytes.withUnsafeBufferPointer { buffer in
            var current: (name: String, start: Int)?
            var position = 0
            while position < buffer.count {
                var end = position
                while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
                let line = UnsafeBufferPointer(rebasing: buffer[position..<end])
                if line.first == UInt8(ascii: "#") {
                    let text = String(decoding: line, as: UTF8.self)
                    if text.hasPrefix("#source ") { source = String(text.dropFirst(8)) }
                } else if let first = line.first, first != UInt8(ascii: " ") {
                    if let open = current { blocks[open.name] = open.start..<position }
                    let tab = line.firstIndex(of: UInt8(ascii: "\t")) ?? line.count
                    current = (String(decoding: UnsafeBufferPointer(rebasing: line[..<tab]), as: UTF8.self), position)
                }
                position = end + 1
            }
            if let open = current { blocks[open.name] = open.start..<buffer.count }
        }
        return (bytes, blocks, source)
    }()

    /// The number of resource types in the catalogue.
    public static var count: Int { loaded.blocks.count }

    /// Where the data came from: `cfn-lint 1.51.0 us-east-1`.
    public static var source: String { loaded.source }

    /// Every type name, sorted.
    public static var types: [String] { loaded.blocks.keys.sorted() }

    /// Schemas parsed so far: each type's lines are read once per process, however many templates use it.
    private static let parsed = Mutex<[String: ResourceSchema]>([:])

    /// Everything the catalogue knows about `type`, or `nil` for types it does not have (custom resources,
    /// third-party types).
    public static func schema(_ type: String) -> ResourceSchema? {
        if let known = parsed.withLock({ $0[type] }) { return known }
        guard let range = loaded.blocks[type] else { return nil }
        let text = String(decoding: loaded.bytes[range], as: UTF8.self)
        guard
            let schema = ResourceSchema(
                lines: text.utf8.split(separator: UInt8(ascii: "\n")).lazy.map { Substring($0) })
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
        var text = text
        return text.withUTF8 { decode(bytes: $0) }
    }

    private static func decode(bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        let values = Self.values
        for byte in bytes {
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
