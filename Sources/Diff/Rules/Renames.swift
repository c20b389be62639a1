import CloudFormation

/// A removed resource and an added one of the same type that takes over its references (or has the same
/// properties) are a rename. CloudFormation knows no renames: it creates the new logical ID as a new, empty
/// resource, moves every reference to it, and deletes the old one (or leaves it orphaned under Retain).
enum Renames {
    /// Pairs removals with additions and says what a rename of a stateful resource or subscription does.
    static func detect(_ changes: inout [ResourceChange], context: DiffContext) {
        var taken: Set<String> = []
        for removedIndex in changes.indices where changes[removedIndex].kind == .removed {
            let removedId = changes[removedIndex].logicalId
            guard let old = context.oldResource(removedId),
                let newId = successor(of: old, among: changes, taken: taken, context: context),
                let new = context.newResource(newId),
                let addedIndex = changes.firstIndex(where: { $0.logicalId == newId })
            else { continue }
            taken.insert(newId)
            changes[removedIndex].renameHint = newId
            changes[addedIndex].renameHint = removedId
            changes[removedIndex].findings.removeAll { [.removed, .note, .subscriptionRemoved].contains($0.kind) }
            if let finding = verdict(old: old, new: new, context: context) {
                changes[removedIndex].findings.append(finding)
            }
        }
    }

    /// The added resource of the same type that took over `old`'s references, or has its properties.
    private static func successor(
        of old: Resource, among changes: [ResourceChange], taken: Set<String>, context: DiffContext
    ) -> String? {
        let referrers = DiffContext.referrers(of: old.logicalId, in: context.before)
        let oldProperties = context.before.resolvedProperties(old)
        var best: (id: String, score: Int)?
        for change in changes
        where change.kind == .added && change.type == old.type && !taken.contains(change.logicalId) {
            guard let candidate = context.newResource(change.logicalId) else { continue }
            var score = DiffContext.referrers(of: candidate.logicalId, in: context.after).intersection(referrers).count
            if Comparison.same(oldProperties, context.after.resolvedProperties(candidate)) { score += 1 }
            if score > 0, score > best?.score ?? 0 { best = (change.logicalId, score) }
        }
        return best?.id
    }

    private static func verdict(old: Resource, new: Resource, context: DiffContext) -> Finding? {
        let info = context.types[new.type]
        if let (property, name) = StatefulTypes.customName(new, info: info, evaluation: context.after),
            Comparison.same(old.properties[property].map(context.before.resolve), name)
        {
            return Finding(
                .refused,
                "renamed to \(new.logicalId) keeping \(property) \(ValueText.compact(name)): CloudFormation creates "
                    + "\(new.logicalId) before it deletes \(old.logicalId), the name is taken, and the update rolls back"
            )
        }
        if old.type == "AWS::SNS::Subscription" { return nil }
        guard StatefulTypes.all.contains(old.type) else { return nil }
        let start =
            "renamed to \(new.logicalId): CloudFormation creates \(new.logicalId) as a new, empty resource and points "
            + "every reference at it; "
        if old.type == "AWS::KMS::Key" {
            return Finding(
                .renamed, start + "for \(old.logicalId), " + StatefulTypes.keyDeletion(old, context: context))
        }
        if Differ.isRetain(old.deletionPolicy) {
            return Finding(
                .renamed,
                start + "\(old.logicalId) and its data stay in the account outside the stack (DeletionPolicy: "
                    + "\(ValueText.compact(old.deletionPolicy ?? .string("Retain")))), orphaned")
        }
        return Finding(.renamed, start + "then it deletes \(old.logicalId): \(StatefulTypes.what(old.type))")
    }
}
