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

/// One thing a change does that a reviewer must see: a loss, a refusal, a removed safeguard.
public struct Finding: Sendable, Equatable {
    /// How the gate treats a finding.
    public enum Gate: String, Sendable, Comparable {
        /// Context a reviewer should read; never fails.
        case note
        /// A safeguard removed: printed in every format, never fails the data-loss gate.
        case warning
        /// Events stop reaching a subscriber from the deploy on: fails the data-loss gate.
        case deliveryLoss = "delivery-loss"
        /// Data deleted, purged or orphaned: fails the data-loss gate.
        case dataLoss = "data-loss"
        /// CloudFormation refuses the update or it fails whatever the policies: fails the data-loss gate.
        case refused

        private var rank: Int {
            switch self {
            case .note: return 0
            case .warning: return 1
            case .deliveryLoss: return 2
            case .dataLoss: return 3
            case .refused: return 4
            }
        }

        public static func < (lhs: Gate, rhs: Gate) -> Bool { lhs.rank < rhs.rank }

        /// Whether the data-loss gate fails on it (unless acknowledged).
        public var fails: Bool { self >= .deliveryLoss }
    }

    /// What happens; the raw value is the class an acknowledgement names.
    public enum Kind: String, Sendable, CaseIterable {
        /// A stateful resource removed (or its condition turned false) and deleted.
        case removed
        /// A stateful resource replaced: the stack moves to a new, empty one.
        case replaced
        /// A stateful resource's logical ID renamed: the references move to a new, empty one.
        case renamed
        /// A retention period lowered: older messages, items or events are purged.
        case retentionLowered = "retention-lowered"
        /// A redrive policy removed: failing messages expire instead of reaching the dead-letter queue.
        case redriveRemoved = "redrive-removed"
        /// Partial batch responses turned off while the function returns them: failed messages are deleted.
        case partialBatchRemoved = "partial-batch-removed"
        /// A subscription removed: its endpoint no longer receives events.
        case subscriptionRemoved = "subscription-removed"
        /// A subscription's filter narrowed: events it matched before no longer reach its endpoint.
        case filterNarrowed = "filter-narrowed"
        /// A queue's mapping given a filter, or its filter changed: Lambda deletes the messages the filter does not
        /// match, unprocessed.
        case filteredAway = "filtered-away"
        /// A queue policy no longer lets a subscribed topic send: the topic's deliveries are refused.
        case deliveryRefused = "delivery-refused"
        /// A change stream's reader removed, or the stream turned off or replaced under it: changes not yet read
        /// (for an outbox, stored items not yet announced) are never delivered.
        case streamCut = "stream-cut"
        /// CloudFormation refuses the update, or the update fails.
        case refused
        /// A safeguard removed (point-in-time recovery, deletion protection, Retain, ...).
        case safeguardRemoved = "safeguard-removed"
        /// Where data stays, or what else to know.
        case note

        /// How the gate treats this kind.
        public var gate: Gate {
            switch self {
            case .removed, .replaced, .renamed, .retentionLowered, .redriveRemoved, .partialBatchRemoved, .filteredAway:
                return .dataLoss
            case .subscriptionRemoved, .filterNarrowed, .streamCut, .deliveryRefused: return .deliveryLoss
            case .refused: return .refused
            case .safeguardRemoved: return .warning
            case .note: return .note
            }
        }
    }

    /// What happens.
    public var kind: Kind
    /// The sentence a reviewer reads.
    public var message: String
    /// The reason from the project's acknowledgement file, when this loss is accepted on purpose.
    public var acknowledged: String?

    /// Creates a finding.
    public init(_ kind: Kind, _ message: String, acknowledged: String? = nil) {
        self.kind = kind
        self.message = message
        self.acknowledged = acknowledged
    }

    /// Whether it fails the data-loss gate: a loss or refusal not acknowledged (a refusal cannot be).
    public var failsGate: Bool { kind.gate.fails && (acknowledged == nil || kind == .refused) }
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
    /// Losses, refusals, removed safeguards and notes, strongest first once the diff is complete.
    public var findings: [Finding] = []
    /// For a removal or addition that is a rename: the logical ID on the other side.
    public var renameHint: String?
    /// What CloudFormation's change set says of this resource (`Replacement: True, scope Properties`), in deploy.
    public var changeSet: String?

    /// The first loss that fails the gate: data or delivery lost and not acknowledged.
    public var dataLoss: String? {
        findings.first { $0.failsGate && ($0.kind.gate == .dataLoss || $0.kind.gate == .deliveryLoss) }?.message
    }

    /// Why CloudFormation refuses the update or it fails, when it does.
    public var blocked: String? { findings.first { $0.kind == .refused }?.message }

    /// Adds a finding unless the same kind already says so.
    public mutating func add(_ kind: Finding.Kind, _ message: String) {
        guard !findings.contains(where: { $0.kind == kind && $0.message == message }) else { return }
        findings.append(Finding(kind, message))
    }
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
    /// Whether any resource loses data or deliveries (not acknowledged).
    public var losesData: Bool { resources.contains { $0.dataLoss != nil } }
    /// Whether any safeguard is removed.
    public var warns: Bool { resources.contains { $0.findings.contains { $0.kind.gate == .warning } } }
    /// Acknowledgements in the project's file that matched no finding of this diff.
    public var unusedAcknowledgements: [String] = []
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
