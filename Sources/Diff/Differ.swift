import CloudFormation

/// Compares two templates the way CloudFormation will apply them.
///
/// Both sides are evaluated first (`TemplateEvaluation`): parameters take their defaults or the overrides given,
/// conditions are decided, and values are resolved, so a resource whose condition turns false is removed and the
/// same name written through `Fn::Sub`, `Fn::Join` or a parameter default is no change. Values are then compared
/// semantically (key order, short and long forms, a number written as a string). Whether a change replaces the
/// resource comes from the resource schemas (`ResourceCatalogue`: create-only and conditionally create-only
/// properties) and from AWS's documented update behaviour where the schemas say nothing (`DocumentedUpdateRules`).
/// Losses that need no replacement (retention lowered, redrive or partial batch responses removed, a subscription
/// removed or narrowed), renames and removed safeguards come from the rules in `Rules/`.
public enum Differ {
    /// Resource types that hold data: removing or replacing one without `Retain` loses it.
    public static let statefulTypes: Set<String> = StatefulTypes.all

    /// Compares `old` with `new`.
    /// - Parameters:
    ///   - name: the name to report the diff under.
    ///   - parameters: parameter values of the new side (`--parameter K=V`), overriding the defaults.
    ///   - oldParameters: the values the old side was deployed with (default: `parameters`).
    public static func diff(
        old: Template, new: Template, name: String, parameters: [String: String] = [:],
        oldParameters: [String: String]? = nil
    ) -> StackDiff {
        let context = DiffContext(
            before: TemplateEvaluation(old, overrides: oldParameters ?? parameters),
            after: TemplateEvaluation(new, overrides: parameters))
        var changes: [ResourceChange] = []
        for resource in context.after.createdResources {
            guard let previous = context.oldResource(resource.logicalId) else {
                changes.append(ResourceChange(logicalId: resource.logicalId, type: resource.type, kind: .added))
                continue
            }
            if let change = modification(previous, resource, context: context) { changes.append(change) }
        }
        for resource in context.before.createdResources where context.newResource(resource.logicalId) == nil {
            changes.append(Removals.change(resource, context: context))
        }
        propagateReplacements(&changes, context: context)
        Renames.detect(&changes, context: context)
        for index in changes.indices { changes[index].findings.sort { $0.kind.gate > $1.kind.gate } }
        var result = StackDiff(name: name)
        result.resources = changes
        result.parameters = parameterChanges(old, new)
        result.outputs = outputChanges(
            context, replaced: Set(changes.filter { $0.replacement > .never }.map(\.logicalId)))
        result.sections = sectionChanges(old, new)
        return result
    }

    static func isRetain(_ policy: Value?) -> Bool {
        policy == .string("Retain") || policy == .string("RetainExceptOnCreate") || policy == .string("Snapshot")
    }

    private static func modification(_ old: Resource, _ new: Resource, context: DiffContext) -> ResourceChange? {
        var change = ResourceChange(logicalId: new.logicalId, type: new.type, kind: .modified)
        if old.type != new.type {
            change.attributes.append("Type: \(old.type) -> \(new.type)")
            change.replacement = .always
        }
        let before = context.before.resolvedProperties(old)
        let after = context.after.resolvedProperties(new)
        for (path, previous, next) in Comparison.changes(before, after, path: []) {
            var property = PropertyChange(
                path: path.joined(separator: "/"), old: previous, new: next, replacement: .never)
            let verdict = ReplacementRules.classify(
                path: path, old: before, new: after, type: new.type, context: context)
            property.replacement = verdict.replacement
            property.reason = verdict.reason
            if let refusal = verdict.refusal { change.add(.refused, refusal) }
            change.properties.append(property)
        }
        change.replacement = max(change.replacement, change.properties.map(\.replacement).max() ?? .never)
        attributeChanges(&change, old: old, new: new)
        let grantsBefore = IAMGrants.of(old)
        let grantsAfter = IAMGrants.of(new)
        change.grantsAdded = grantsAfter.subtracting(grantsBefore).sorted()
        change.grantsRemoved = grantsBefore.subtracting(grantsAfter).sorted()
        Replacements.judge(&change, old: old, new: new, context: context)
        DestructiveUpdates.judge(&change, old: old, new: new, context: context)
        Safeguards.judge(&change, old: old, new: new, context: context)
        if new.type == "AWS::Lambda::Version", isRetain(new.updateReplacePolicy), change.replacement > .never {
            // Replacing a retained version publishes a new one and keeps the old: what a rollout is for.
            change.replacement = .never
            change.add(.note, "a new version is published; the previous one is kept (UpdateReplacePolicy: Retain)")
        }
        return change.properties.isEmpty && change.attributes.isEmpty ? nil : change
    }

    private static func attributeChanges(_ change: inout ResourceChange, old: Resource, new: Resource) {
        for (label, before, after) in [
            ("DeletionPolicy", old.deletionPolicy, new.deletionPolicy),
            ("UpdateReplacePolicy", old.updateReplacePolicy, new.updateReplacePolicy),
        ] where !Comparison.same(before, after) {
            change.attributes.append(
                "\(label): \(before.map(ValueText.compact) ?? "(Delete)") -> \(after.map(ValueText.compact) ?? "(Delete)")"
            )
        }
        if Set(old.dependsOn) != Set(new.dependsOn) {
            change.attributes.append("DependsOn: \(old.dependsOn.sorted()) -> \(new.dependsOn.sorted())")
        }
        if old.condition != new.condition {
            change.attributes.append("Condition: \(old.condition ?? "(none)") -> \(new.condition ?? "(none)")")
        }
        if !Comparison.same(old.metadata, new.metadata) { change.attributes.append("Metadata changed") }
        for key in Set(old.otherAttributes.keys + new.otherAttributes.keys).sorted()
        where !Comparison.same(old.otherAttributes[key], new.otherAttributes[key]) {
            change.attributes.append(
                "\(key): \(old.otherAttributes[key].map(ValueText.compact) ?? "(none)") -> "
                    + (new.otherAttributes[key].map(ValueText.compact) ?? "(none)"))
        }
    }

    /// A create-only property that references a resource being replaced changes too: that resource is
    /// (conditionally) replaced as well. Repeats until nothing new is replaced.
    private static func propagateReplacements(_ changes: inout [ResourceChange], context: DiffContext) {
        var replaced = Set(changes.filter { $0.replacement == .always && $0.kind == .modified }.map(\.logicalId))
        var changed = true
        while changed {
            changed = false
            for resource in context.after.createdResources where !replaced.contains(resource.logicalId) {
                guard let info = context.types[resource.type],
                    let (property, target) = createOnlyReference(resource, info: info, replaced: replaced),
                    let old = context.oldResource(resource.logicalId)
                else { continue }
                var change =
                    changes.first { $0.logicalId == resource.logicalId }
                    ?? ResourceChange(logicalId: resource.logicalId, type: resource.type, kind: .modified)
                let value = resource.properties[property]
                change.properties.append(
                    PropertyChange(
                        path: property, old: value, new: value, replacement: .conditional,
                        reason: "references \(target), which is replaced; its new value may replace this resource"))
                change.replacement = max(change.replacement, .conditional)
                Replacements.judge(&change, old: old, new: resource, context: context)
                if let index = changes.firstIndex(where: { $0.logicalId == resource.logicalId }) {
                    changes[index] = change
                } else {
                    changes.append(change)
                }
                replaced.insert(resource.logicalId)
                changed = true
            }
        }
    }

    /// The first create-only property of `resource` that references a replaced resource, with that resource.
    private static func createOnlyReference(_ resource: Resource, info: ResourceTypeInfo, replaced: Set<String>)
        -> (String, String)?
    {
        for property in info.createOnly + info.conditionalCreateOnly {
            let top = String(property.split(separator: "/").first ?? "")
            guard let value = resource.properties[top] else { continue }
            if let target = References.resources(in: value).intersection(replaced).sorted().first {
                return (top, target)
            }
        }
        return nil
    }

    private static func parameterChanges(_ old: Template, _ new: Template) -> [EntryChange] {
        var result: [EntryChange] = []
        let before = Dictionary(old.parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let afterNames = Set(new.parameters.map(\.name))
        for parameter in new.parameters {
            guard let previous = before[parameter.name] else {
                result.append(
                    EntryChange(
                        name: parameter.name, kind: .added,
                        detail: parameter.defaultValue == nil
                            ? "new parameter without a default: deployers must supply it" : "new parameter",
                        breaking: parameter.defaultValue == nil))
                continue
            }
            var details: [String] = []
            if previous.type != parameter.type { details.append("Type: \(previous.type) -> \(parameter.type)") }
            if !Comparison.same(previous.defaultValue, parameter.defaultValue) {
                details.append(
                    "Default: \(previous.defaultValue.map(ValueText.compact) ?? "(none)") -> \(parameter.defaultValue.map(ValueText.compact) ?? "(none)")"
                )
            }
            if !Comparison.same(.map(previous.constraints), .map(parameter.constraints)) {
                details.append("constraints changed")
            }
            if !details.isEmpty {
                result.append(
                    EntryChange(
                        name: parameter.name, kind: .modified, detail: details.joined(separator: "; "), breaking: false)
                )
            }
        }
        for parameter in old.parameters where !afterNames.contains(parameter.name) {
            result.append(
                EntryChange(name: parameter.name, kind: .removed, detail: "parameter removed", breaking: false))
        }
        return result
    }

    private static func outputChanges(_ context: DiffContext, replaced: Set<String>) -> [EntryChange] {
        let old = context.before.template
        let new = context.after.template
        var result: [EntryChange] = []
        let before = Dictionary(old.outputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let afterNames = Set(new.outputs.map(\.name))
        for output in new.outputs {
            guard let previous = before[output.name] else {
                result.append(EntryChange(name: output.name, kind: .added, detail: "new output", breaking: false))
                continue
            }
            var details: [String] = []
            var breaking = false
            if !Comparison.same(context.before.resolve(previous.value), context.after.resolve(output.value)) {
                details.append("Value: \(ValueText.compact(previous.value)) -> \(ValueText.compact(output.value))")
            }
            let moved = References.resources(in: output.value).intersection(replaced).sorted()
            if let name = output.exportName, Comparison.same(previous.exportName, name), let target = moved.first {
                details.append(
                    "export \(ValueText.compact(name)) takes a new value if \(target) is replaced: while another stack "
                        + "imports it, CloudFormation refuses to change an exported value and rolls the update back")
                breaking = true
            }
            if !Comparison.same(previous.exportName, output.exportName) {
                if let name = previous.exportName {
                    details.append(
                        "export \(ValueText.compact(name)) removed or renamed: stacks importing it block this update")
                    breaking = true
                } else {
                    details.append("now exported")
                }
            }
            if !details.isEmpty {
                result.append(
                    EntryChange(
                        name: output.name, kind: .modified, detail: details.joined(separator: "; "), breaking: breaking)
                )
            }
        }
        for output in old.outputs where !afterNames.contains(output.name) {
            let exported =
                output.exportName.map {
                    "; export \(ValueText.compact($0)) removed: stacks importing it block this update"
                } ?? ""
            result.append(
                EntryChange(
                    name: output.name, kind: .removed, detail: "output removed\(exported)",
                    breaking: output.exportName != nil))
        }
        return result
    }

    private static func sectionChanges(_ old: Template, _ new: Template) -> [String] {
        var result: [String] = []
        if old.description != new.description { result.append("Description changed") }
        if !Comparison.same(old.transform, new.transform) { result.append("Transform changed") }
        if !Comparison.same(.map(old.conditions), .map(new.conditions)) { result.append("Conditions changed") }
        if !Comparison.same(old.mappings, new.mappings) { result.append("Mappings changed") }
        return result
    }
}
