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

/// The resource types of the services orderstack works with, imported from cfn-lint's bundled CloudFormation
/// resource schemas by `scripts/import-schemas.py` (see `ResourceCatalogue+Data.swift` for the version).
public enum ResourceCatalogue {
    private static let index: [Substring: Substring] = {
        // Split on UTF-8 bytes: the data is ASCII, and Character-wise splitting of 110 KB costs milliseconds.
        var index: [Substring: Substring] = [:]
        index.reserveCapacity(512)
        let bytes = data.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            if let bar = bytes[start..<end].firstIndex(of: UInt8(ascii: "|")) {
                let key = Substring(data[start..<bar])
                index[key.drop { $0 == " " }] = Substring(data[bytes.index(after: bar)..<end])
            }
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return index
    }()

    /// The number of resource types in the catalogue.
    public static var count: Int { index.count }

    /// What the catalogue knows about `type`, or `nil` for types it does not have (custom resources, SAM
    /// types, services outside the catalogue).
    public static func info(_ type: String) -> ResourceTypeInfo? {
        guard let rest = index[Substring(type)] else { return nil }
        let fields = rest.split(separator: "|", omittingEmptySubsequences: false)
        func list(_ index: Int) -> [String] {
            index < fields.count ? fields[index].split(separator: ",").map(String.init) : []
        }
        return ResourceTypeInfo(
            type: type, attributes: Set(list(0)), required: list(1), properties: Set(list(2)), createOnly: list(3),
            conditionalCreateOnly: list(4))
    }

    /// The entries of `types` the catalogue has, each looked up once: callers that ask per resource keep this
    /// instead of calling `info(_:)` for every resource.
    public static func infos(for types: some Sequence<String>) -> [String: ResourceTypeInfo] {
        var result: [String: ResourceTypeInfo] = [:]
        for type in types where result[type] == nil {
            if let info = info(type) { result[type] = info }
        }
        return result
    }

    /// Whether `type` is a custom resource (`Custom::Name` or `AWS::CloudFormation::CustomResource`), whose
    /// properties and attributes are its provider's business.
    public static func isCustom(_ type: String) -> Bool {
        type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource"
    }
}
