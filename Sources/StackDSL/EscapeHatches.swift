import CloudFormation

/// A CloudFormation resource written as is, for what the constructs do not cover (CDK's `CfnResource`). It is
/// part of the template like any other resource: `validate`, `diff` and `cost` see it; no IAM is derived for it.
public struct RawResource: Sendable, Hashable {
    /// The logical ID, as written.
    public let logicalId: String
    /// The resource type (`AWS::SSM::Parameter`).
    public let type: String
    /// `Properties`, in order.
    public let properties: Fields
    /// `DeletionPolicy` and `UpdateReplacePolicy` (`Retain`, `Delete`, `Snapshot`), when set.
    public let retention: String?
    /// `DependsOn`.
    public let dependsOn: [String]

    /// Creates a raw resource.
    public init(
        _ logicalId: String, type: String, properties: [(String, Value)] = [], retention: String? = nil,
        dependsOn: [String] = []
    ) {
        self.logicalId = logicalId
        self.type = type
        self.properties = Fields(properties)
        self.retention = retention
        self.dependsOn = dependsOn
    }

    var resource: Resource {
        Resource(
            logicalId, type: type, properties: properties, dependsOn: dependsOn,
            deletionPolicy: retention.map(Value.string), updateReplacePolicy: retention.map(Value.string))
    }
}

/// A change to a generated resource at a path below it (CDK's `addPropertyOverride`): `Properties.VisibilityTimeout`,
/// `Properties.Tags.0.Value`, `Metadata.note`, `DeletionPolicy`. Applied after everything else is generated; a
/// logical ID or a path that does not exist is an error at synth that names it.
public struct Override: Sendable, Hashable {
    /// What the override does at its path.
    public enum Change: Sendable, Hashable {
        /// Replaces the value at an existing path.
        case set(Value)
        /// Adds a key (or appends to a list) that does not exist yet, under an existing parent.
        case add(Value)
        /// Removes an existing key or list item.
        case remove
    }

    /// The logical ID of the generated resource.
    public let logicalId: String
    /// The path below the resource, split at dots.
    public let path: [String]
    /// What happens there.
    public let change: Change

    /// Replaces the value at `path` of `logicalId`, which must exist.
    public init(_ logicalId: String, set path: String, to value: Value) {
        self.init(logicalId, path, .set(value))
    }

    /// Adds `value` at `path`, whose parent must exist and which must not.
    public init(_ logicalId: String, add path: String, _ value: Value) {
        self.init(logicalId, path, .add(value))
    }

    /// Removes the value at `path`, which must exist.
    public init(_ logicalId: String, remove path: String) {
        self.init(logicalId, path, .remove)
    }

    private init(_ logicalId: String, _ path: String, _ change: Change) {
        self.logicalId = logicalId
        self.path = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self.change = change
    }

    /// The path as written.
    public var pathText: String { path.joined(separator: ".") }

    /// Applies the override to `template`.
    /// - Throws: `SynthesisError` naming the logical ID (with the ones that exist nearby) or the path.
    func apply(to template: inout Template) throws(SynthesisError) {
        guard let index = template.resources.firstIndex(where: { $0.logicalId == logicalId }) else {
            let near = template.resources.map(\.logicalId).filter {
                $0.hasPrefix(String(logicalId.prefix(4))) || logicalId.hasPrefix(String($0.prefix(4)))
            }
            throw SynthesisError(
                "Override of '\(logicalId)': the template has no such resource"
                    + (near.isEmpty ? "" : "; did you mean \(near.prefix(5).joined(separator: ", "))?"))
        }
        var resource = template.resources[index]
        guard let section = path.first, !section.isEmpty else { throw failure("the path is empty") }
        switch section {
        case "Properties":
            guard path.count > 1 else { throw failure("give a property below Properties") }
            resource.properties = try apply(at: path.dropFirst(), to: .map(resource.properties)).fields ?? Fields()
        case "Metadata":
            resource.metadata = try apply(at: path.dropFirst(), to: resource.metadata ?? .map(Fields()))
        case "DeletionPolicy", "UpdateReplacePolicy":
            guard path.count == 1, case .set(let value) = change else {
                throw failure("\(section) can only be set")
            }
            if section == "DeletionPolicy" {
                resource.deletionPolicy = value
            } else {
                resource.updateReplacePolicy = value
            }
        default:
            throw failure("a path starts with Properties, Metadata, DeletionPolicy or UpdateReplacePolicy")
        }
        template.resources[index] = resource
    }

    private func apply(at path: ArraySlice<String>, to value: Value) throws(SynthesisError) -> Value {
        guard let key = path.first else { throw failure("the path is empty") }
        let last = path.count == 1
        switch value {
        case .map(var fields):
            let existing = fields[key]
            if last {
                switch change {
                case .set(let new):
                    guard existing != nil else { throw failure("'\(key)' does not exist (use add: to add it)") }
                    fields[key] = new
                case .add(let new):
                    guard existing == nil else { throw failure("'\(key)' exists already (use set: to replace it)") }
                    fields[key] = new
                case .remove:
                    guard existing != nil else { throw failure("'\(key)' does not exist") }
                    fields[key] = nil
                }
                return .map(fields)
            }
            guard let existing else { throw failure("'\(key)' does not exist") }
            fields[key] = try apply(at: path.dropFirst(), to: existing)
            return .map(fields)
        case .list(var items):
            guard let position = Int(key), position >= 0, position <= items.count else {
                throw failure("'\(key)' is not an index of a list of \(items.count)")
            }
            if last {
                switch change {
                case .set(let new) where position < items.count: items[position] = new
                case .add(let new) where position == items.count: items.append(new)
                case .remove where position < items.count: items.remove(at: position)
                default: throw failure("index \(key) of a list of \(items.count) cannot take this change")
                }
                return .list(items)
            }
            guard position < items.count else { throw failure("index \(key) is past the list's end") }
            items[position] = try apply(at: path.dropFirst(), to: items[position])
            return .list(items)
        default:
            throw failure("'\(key)' is below a value that is neither a mapping nor a list")
        }
    }

    private func failure(_ reason: String) -> SynthesisError {
        SynthesisError("Override of \(logicalId) at '\(pathText)': \(reason)")
    }
}
