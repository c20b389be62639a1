import CloudFormation

/// A loss accepted on purpose, committed in the project (`blueprints/acknowledged-losses.yaml`) so that the
/// acceptance is reviewed like code: `diff`, CI and `deploy` honour it and print it with its reason.
public struct Acknowledgement: Sendable, Equatable {
    /// The logical ID the loss happens to.
    public var resource: String
    /// The class of loss accepted (`removed`, `retention-lowered`, ...): another loss of the same resource still
    /// fails.
    public var kind: Finding.Kind
    /// Why the loss is intended.
    public var reason: String
    /// The stacks it applies to (`orders-prod`, as the output file or the deployed stack is named); empty: all.
    public var stacks: [String]
    /// Where it is written, `file:line:col`, for messages.
    public var location: String

    /// Creates an acknowledgement.
    public init(resource: String, kind: Finding.Kind, reason: String, stacks: [String] = [], location: String = "") {
        self.resource = resource
        self.kind = kind
        self.reason = reason
        self.stacks = stacks
        self.location = location
    }

    /// The classes an acknowledgement may name: losses only (a refusal fails whatever is written).
    public static let classes: [Finding.Kind] = Finding.Kind.allCases.filter {
        $0.gate == .dataLoss || $0.gate == .deliveryLoss
    }

    /// Marks the findings of `diff` that `acknowledgements` accept, for the stack known by any of `names`, and
    /// records the acknowledgements for that stack that matched nothing.
    public static func apply(_ acknowledgements: [Acknowledgement], to diff: inout StackDiff, names: [String]) {
        let relevant = acknowledgements.filter { $0.stacks.isEmpty || !Set($0.stacks).isDisjoint(with: names) }
        var used = Set<Int>()
        for (index, acknowledgement) in relevant.enumerated() {
            for changeIndex in diff.resources.indices
            where diff.resources[changeIndex].logicalId == acknowledgement.resource {
                for findingIndex in diff.resources[changeIndex].findings.indices
                where diff.resources[changeIndex].findings[findingIndex].kind == acknowledgement.kind {
                    diff.resources[changeIndex].findings[findingIndex].acknowledged =
                        "\(acknowledgement.reason) (\(acknowledgement.location))"
                    used.insert(index)
                }
            }
        }
        diff.unusedAcknowledgements = relevant.indices.filter { !used.contains($0) }.map { index in
            let item = relevant[index]
            return "the acknowledgement at \(item.location) (\(item.resource), \(item.kind.rawValue)) matches no loss "
                + "in this change; remove it once the change is deployed"
        }
    }
}
