/// CloudFormation's own verdict on a change set, held beside orderstack's.
public struct ChangeSetResource: Sendable, Equatable {
    /// The logical ID.
    public var logicalId: String
    /// The resource type.
    public var resourceType: String
    /// `Add`, `Modify`, `Remove`, ...
    public var action: String
    /// `True`, `False`, `Conditional`, or `nil` when the change set says nothing.
    public var replacement: String?
    /// What changes (`Properties`, `Metadata`, ...).
    public var scope: [String]

    /// Creates one entry.
    public init(logicalId: String, resourceType: String, action: String, replacement: String?, scope: [String]) {
        self.logicalId = logicalId
        self.resourceType = resourceType
        self.action = action
        self.replacement = replacement
        self.scope = scope
    }
}

/// Merges the change set's verdict into the diff, so that every review format shows it and the gate fails when
/// CloudFormation says a stateful resource is replaced (`True` or `Conditional`) whatever orderstack predicted.
public enum ChangeSetVerdict {
    /// Adds AWS's verdict to `diff`.
    public static func merge(_ resources: [ChangeSetResource], into diff: inout StackDiff) {
        for entry in resources where entry.action == "Modify" || entry.replacement != nil {
            let replacement = entry.replacement ?? "False"
            let text =
                "\(entry.action), Replacement: \(replacement)"
                + (entry.scope.isEmpty ? "" : ", scope \(entry.scope.joined(separator: ", "))")
            let index =
                diff.resources.firstIndex { $0.logicalId == entry.logicalId }
                ?? {
                    diff.resources.append(
                        ResourceChange(logicalId: entry.logicalId, type: entry.resourceType, kind: .modified))
                    return diff.resources.count - 1
                }()
            diff.resources[index].changeSet = text
            guard replacement == "True" || replacement == "Conditional",
                StatefulTypes.all.contains(entry.resourceType),
                !diff.resources[index].findings.contains(where: { $0.kind == .replaced || $0.kind == .refused })
            else { continue }
            let verb = replacement == "True" ? "replaces" : "may replace"
            diff.resources[index].replacement = max(
                diff.resources[index].replacement, replacement == "True" ? .always : .conditional)
            diff.resources[index].findings.insert(
                Finding(
                    .replaced,
                    "CloudFormation's change set \(verb) this resource (Replacement: \(replacement)) though "
                        + "orderstack's own diff did not predict it: the stack would move to a new, empty "
                        + "\(StatefulTypes.what(entry.resourceType).replacingThe)"),
                at: 0)
        }
    }
}

extension String {
    /// `the table and its items` as `table` for "a new, empty table".
    fileprivate var replacingThe: String {
        let words = split(separator: " ")
        guard words.count > 1, words[0] == "the" else { return "resource" }
        return String(words[1])
    }
}
