import SourceDiagnostics

/// A CloudFormation template: the typed sections plus anything else the file carried.
///
/// Sections are kept in the order the template gives them. `locations` records where each element came from
/// when the template was read from a file (empty for templates built in code).
public struct Template: Equatable, Sendable {
    /// `AWSTemplateFormatVersion`, normally `2010-09-09`.
    public var formatVersion: String?
    /// `Description`.
    public var description: String?
    /// `Transform` (SAM's `AWS::Serverless-2016-10-31`, `AWS::LanguageExtensions`), kept as written.
    public var transform: Value?
    /// Template-level `Metadata`.
    public var metadata: Value?
    /// `Parameters` in order.
    public var parameters: [Parameter] = []
    /// `Rules`, kept as a value.
    public var rules: Value?
    /// `Mappings`, kept as a value.
    public var mappings: Value?
    /// `Conditions`: name to condition expression, in order.
    public var conditions: Fields = Fields()
    /// `Resources` in order.
    public var resources: [Resource] = []
    /// `Outputs` in order.
    public var outputs: [Output] = []
    /// Entries of `Resources` and `Outputs` that are not plain entries (`Fn::ForEach::Name` loops of the
    /// language extensions), per section name, in order.
    public var loops: [String: Fields] = [:]
    /// Top-level sections this model has no type for (SAM's `Globals`, `Hooks`, ...), in order.
    public var otherSections: Fields = Fields()
    /// Where each element was read from, keyed by `Path`; not part of equality.
    public var locations: [Path: Mark] = [:]

    /// Creates an empty template.
    public init(description: String? = nil) {
        self.formatVersion = "2010-09-09"
        self.description = description
    }

    /// The resource with `logicalId`, if any.
    public func resource(_ logicalId: String) -> Resource? {
        resources.first { $0.logicalId == logicalId }
    }

    /// The parameter named `name`, if any.
    public func parameter(_ name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    /// The mark of `path`, or of its nearest recorded ancestor, or `Mark.start`.
    public func mark(of path: Path) -> Mark {
        var current = path
        while true {
            if let mark = locations[current] { return mark }
            guard let parent = current.parent else { return .start }
            current = parent
        }
    }

    public static func == (lhs: Template, rhs: Template) -> Bool {
        lhs.formatVersion == rhs.formatVersion && lhs.description == rhs.description
            && lhs.transform == rhs.transform && lhs.metadata == rhs.metadata && lhs.parameters == rhs.parameters
            && lhs.rules == rhs.rules && lhs.mappings == rhs.mappings && lhs.conditions == rhs.conditions
            && lhs.resources == rhs.resources && lhs.outputs == rhs.outputs && lhs.loops == rhs.loops
            && lhs.otherSections == rhs.otherSections
    }
}

/// A location inside a template, as the keys and list indexes leading to it: `Resources/Queue/Properties/Name`.
public struct Path: Hashable, Sendable, CustomStringConvertible {
    /// The components, keys or decimal list indexes.
    public var components: [String]

    /// Creates a path from components.
    public init(_ components: [String]) { self.components = components }

    /// Creates a path from components.
    public init(_ components: String...) { self.components = components }

    /// The path one level up, or `nil` at the root.
    public var parent: Path? {
        components.isEmpty ? nil : Path(Array(components.dropLast()))
    }

    /// This path extended by `component`.
    public func appending(_ component: String) -> Path { Path(components + [component]) }

    /// The components joined with `/`.
    public var description: String { components.joined(separator: "/") }
}

/// A template parameter.
public struct Parameter: Equatable, Sendable {
    /// The parameter's logical name.
    public var name: String
    /// `Type`, such as `String` or `AWS::EC2::VPC::Id`.
    public var type: String
    /// `Description`.
    public var description: String?
    /// `Default`.
    public var defaultValue: Value?
    /// Every other attribute (`AllowedPattern`, `AllowedValues`, `MinLength`, `NoEcho`, ...), in order.
    public var constraints: Fields

    /// Creates a parameter.
    public init(
        _ name: String, type: String = "String", description: String? = nil, defaultValue: Value? = nil,
        constraints: Fields = Fields()
    ) {
        self.name = name
        self.type = type
        self.description = description
        self.defaultValue = defaultValue
        self.constraints = constraints
    }
}

/// A resource: its type, its resource attributes and its properties.
public struct Resource: Equatable, Sendable {
    /// The logical ID.
    public var logicalId: String
    /// `Type`, such as `AWS::SQS::Queue`.
    public var type: String
    /// `Condition`: the name of the condition that gates the resource.
    public var condition: String?
    /// `DependsOn`, as a list even when written as one string.
    public var dependsOn: [String]
    /// `DeletionPolicy` (`Delete`, `Retain`, `RetainExceptOnCreate`, `Snapshot`), a value since it may be `Fn::If`.
    public var deletionPolicy: Value?
    /// `UpdateReplacePolicy`.
    public var updateReplacePolicy: Value?
    /// `Metadata`.
    public var metadata: Value?
    /// `Properties`.
    public var properties: Fields
    /// Other resource attributes (`CreationPolicy`, `UpdatePolicy`, `Version`, ...), in order.
    public var otherAttributes: Fields

    /// Creates a resource.
    public init(
        _ logicalId: String, type: String, properties: Fields = Fields(), dependsOn: [String] = [],
        condition: String? = nil, deletionPolicy: Value? = nil, updateReplacePolicy: Value? = nil,
        metadata: Value? = nil, otherAttributes: Fields = Fields()
    ) {
        self.logicalId = logicalId
        self.type = type
        self.properties = properties
        self.dependsOn = dependsOn
        self.condition = condition
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
        self.metadata = metadata
        self.otherAttributes = otherAttributes
    }

    /// The property `name`, if set.
    public subscript(name: String) -> Value? {
        get { properties[name] }
        set { properties[name] = newValue }
    }
}

/// A stack output.
public struct Output: Equatable, Sendable {
    /// The output's logical name.
    public var name: String
    /// `Description`.
    public var description: String?
    /// `Condition`.
    public var condition: String?
    /// `Value`.
    public var value: Value
    /// `Export.Name`, if exported.
    public var exportName: Value?

    /// Creates an output.
    public init(
        _ name: String, value: Value, description: String? = nil, exportName: Value? = nil,
        condition: String? = nil
    ) {
        self.name = name
        self.value = value
        self.description = description
        self.exportName = exportName
        self.condition = condition
    }
}
