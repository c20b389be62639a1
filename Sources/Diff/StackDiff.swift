import CloudFormation

/// Whether an update replaces a resource.
public enum Replacement: String, Sendable, Comparable {
    /// Updated in place.
    case never
    /// Replaced depending on values known only at deploy time (a create-only property that references a resource
    /// being replaced or a parameter, or a type outside the catalogue).
    case conditional
    /// Replaced: a create-only property changed.
    case always

    private var rank: Int {
        switch self {
        case .never: return 0
        case .conditional: return 1
        case .always: return 2
        }
    }

    public static func < (lhs: Replacement, rhs: Replacement) -> Bool { lhs.rank < rhs.rank }
}

/// One changed property of a modified resource.
public struct PropertyChange: Sendable, Equatable {
    /// The path below `Properties`, e.g. `KeySchema` or `RedrivePolicy/maxReceiveCount`.
    public var path: String
    /// The old value (`nil`: added).
    public var old: Value?
    /// The new value (`nil`: removed).
    public var new: Value?
    /// What this change alone does to the resource.
    public var replacement: Replacement
    /// Why it replaces, when it does.
    public var reason: String?
}

/// What happens to one logical ID.
public struct ResourceChange: Sendable, Equatable {
    /// Added, removed or modified.
    public enum Kind: String, Sendable {
        case added, removed, modified
    }

    /// The logical ID.
    public var logicalId: String
    /// The resource type (the new one when it changed).
    public var type: String
    /// What happens.
    public var kind: Kind
    /// Changed properties, for modifications.
    public var properties: [PropertyChange] = []
    /// Replacement of the whole resource (the strongest of its property changes; `always` for a type change).
    public var replacement: Replacement = .never
    /// Resource-attribute changes (`DeletionPolicy: Delete -> Retain`, `DependsOn`, `Condition`, ...).
    public var attributes: [String] = []
    /// IAM statements granted by the new template and not the old (`Allow sqs:SendMessage on !GetAtt Q.Arn`).
    public var grantsAdded: [String] = []
    /// IAM statements of the old template that the new one no longer grants.
    public var grantsRemoved: [String] = []
    /// Why data is lost, when it is: a stateful resource removed without `Retain`, or replaced (whatever its
    /// policies: the stack moves to a new, empty resource).
    public var dataLoss: String?
    /// Why CloudFormation will refuse the update, when it will: a replacement that keeps a custom physical name.
    public var blocked: String?
    /// For a removal or addition whose properties match a resource on the other side: that resource.
    public var renameHint: String?
}

/// A change to a parameter or an output.
public struct EntryChange: Sendable, Equatable {
    /// The parameter or output name.
    public var name: String
    /// Added, removed or modified.
    public var kind: ResourceChange.Kind
    /// A one-line description (`Default: a -> b`, `export 'X' removed`).
    public var detail: String
    /// Whether the change breaks other stacks (a removed or renamed export).
    public var breaking: Bool
}

/// The difference between two templates of one stack.
public struct StackDiff: Sendable, Equatable {
    /// The name the diff is reported under (the new file's).
    public var name: String
    /// Resource changes, in the new template's order, removals last.
    public var resources: [ResourceChange] = []
    /// Parameter changes.
    public var parameters: [EntryChange] = []
    /// Output changes.
    public var outputs: [EntryChange] = []
    /// Template-level changes (`Description`, `Transform`, `Conditions`, `Mappings`).
    public var sections: [String] = []

    /// Whether nothing changed.
    public var isEmpty: Bool { resources.isEmpty && parameters.isEmpty && outputs.isEmpty && sections.isEmpty }
    /// Whether any resource loses data.
    public var losesData: Bool { resources.contains { $0.dataLoss != nil } }
    /// Whether any resource may be replaced.
    public var replaces: Bool { resources.contains { $0.replacement > .never } }
    /// Whether CloudFormation will refuse a replacement (a custom name kept).
    public var blocks: Bool { resources.contains { $0.blocked != nil } }
    /// Whether any change breaks importing stacks.
    public var breaks: Bool { outputs.contains(where: \.breaking) }

    /// Resource types that grant permissions by existing (roles, policies, resource policies, keys).
    public static let grantingTypes: Set<String> = [
        "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User", "AWS::IAM::Group",
        "AWS::IAM::InstanceProfile", "AWS::Lambda::Permission", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy",
        "AWS::S3::BucketPolicy", "AWS::KMS::Key",
    ]

    /// The changes that widen what someone may do: statements added to a changed resource, and new resources
    /// that grant by existing; as `LogicalId (Type)` lines.
    public var broadening: [String] {
        resources.compactMap { change in
            if change.kind == .added && Self.grantingTypes.contains(change.type) {
                return "\(change.logicalId) (\(change.type)): new"
            }
            guard !change.grantsAdded.isEmpty else { return nil }
            return
                "\(change.logicalId) (\(change.type)): \(change.grantsAdded.count) statement\(change.grantsAdded.count == 1 ? "" : "s") added"
        }
    }
}
