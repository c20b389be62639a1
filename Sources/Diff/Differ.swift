import CloudFormation

/// Compares two templates the way CloudFormation will apply them.
///
/// Values are compared semantically: key order, short and long forms, and a number written as a string do not
/// count as changes. A property change replaces the resource when the property is create-only in the resource
/// schema (`ResourceCatalogue`); the replacement is conditional when a create-only property's value depends on a
/// resource being replaced or on a parameter, or when the type is not in the catalogue.
public enum Differ {
    /// Resource types that hold data: removing or replacing one without `Retain` loses it.
    public static let statefulTypes: Set<String> = [
        "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::SQS::Queue", "AWS::Logs::LogGroup", "AWS::KMS::Key",
        "AWS::S3::Bucket", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::EFS::FileSystem",
        "AWS::Kinesis::Stream", "AWS::Cognito::UserPool", "AWS::SecretsManager::Secret",
        "AWS::ElastiCache::ReplicationGroup", "AWS::Neptune::DBCluster", "AWS::OpenSearchService::Domain",
    ]

    /// Properties whose change replaces the resource although the registry schema does not list them as
    /// create-only. Source: the AWS CloudFormation template reference, "Update requires: Replacement"
    /// (AWS::DynamoDB::Table KeySchema and LocalSecondaryIndexes).
    public static let replacingProperties: [String: Set<String>] = [
        "AWS::DynamoDB::Table": ["KeySchema", "LocalSecondaryIndexes"]
    ]

    /// Compares `old` with `new`.
    /// - Parameter name: the name to report the diff under.
    public static func diff(old: Template, new: Template, name: String) -> StackDiff {
        var result = StackDiff(name: name)
        let oldResources = Dictionary(old.resources.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        let newIds = Set(new.resources.map(\.logicalId))
        let types = ResourceCatalogue.infos(for: new.resources.map(\.type))
        var changes: [ResourceChange] = []
        for resource in new.resources {
            guard let previous = oldResources[resource.logicalId] else {
                changes.append(ResourceChange(logicalId: resource.logicalId, type: resource.type, kind: .added))
                continue
            }
            if let change = modification(previous, resource, info: types[resource.type]) { changes.append(change) }
        }
        for resource in old.resources where !newIds.contains(resource.logicalId) {
            var change = ResourceChange(logicalId: resource.logicalId, type: resource.type, kind: .removed)
            if statefulTypes.contains(resource.type), !isRetain(resource.deletionPolicy) {
                change.dataLoss = "removed without DeletionPolicy: Retain; CloudFormation deletes it and its data"
            }
            changes.append(change)
        }
        propagateReplacements(&changes, new: new, types: types)
        hintRenames(&changes, old: old, new: new)
        result.resources = changes
        result.parameters = parameterChanges(old, new)
        result.outputs = outputChanges(old, new)
        result.sections = sectionChanges(old, new)
        return result
    }

    static func isRetain(_ policy: Value?) -> Bool {
        policy == .string("Retain") || policy == .string("RetainExceptOnCreate") || policy == .string("Snapshot")
    }

    private static func modification(_ old: Resource, _ new: Resource, info: ResourceTypeInfo?) -> ResourceChange? {
        var change = ResourceChange(logicalId: new.logicalId, type: new.type, kind: .modified)
        if old.type != new.type {
            change.attributes.append("Type: \(old.type) -> \(new.type)")
            change.replacement = .always
        }
        for (path, before, after) in Comparison.changes(.map(old.properties), .map(new.properties), path: []) {
            var property = PropertyChange(
                path: path.joined(separator: "/"), old: before, new: after, replacement: .never)
            if let top = path.first, replacingProperties[new.type]?.contains(top) == true {
                property.replacement = .always
                property.reason = "\(top) cannot be updated in place: changing it replaces the resource"
            } else if let info {
                let createOnly = info.createOnly.first { createOnlyPath in
                    let parts = createOnlyPath.split(separator: "/").map(String.init)
                    return Array(path.prefix(parts.count)) == parts || Array(parts.prefix(path.count)) == path
                }
                if let createOnly {
                    property.replacement = .always
                    property.reason = "\(createOnly) is create-only: changing it replaces the resource"
                }
            } else if !ResourceCatalogue.isCustom(new.type) {
                property.replacement = .conditional
                property.reason = "\(new.type) is not in the resource catalogue; replacement unknown"
            }
            change.properties.append(property)
        }
        change.replacement = max(change.replacement, change.properties.map(\.replacement).max() ?? .never)
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
        let grantsBefore = IAMGrants.of(old)
        let grantsAfter = IAMGrants.of(new)
        change.grantsAdded = grantsAfter.subtracting(grantsBefore).sorted()
        change.grantsRemoved = grantsBefore.subtracting(grantsAfter).sorted()
        updateDataLoss(&change, old: old, new: new)
        checkCustomName(&change, old: old, new: new, info: info)
        return change.properties.isEmpty && change.attributes.isEmpty ? nil : change
    }

    /// A replaced stateful resource loses data for the running system whatever its policies: the stack moves to
    /// a new, empty resource. The policy only decides where the old data stays.
    private static func updateDataLoss(_ change: inout ResourceChange, old: Resource, new: Resource) {
        guard change.replacement > .never, statefulTypes.contains(new.type) || statefulTypes.contains(old.type) else {
            change.dataLoss = nil
            return
        }
        let verb = change.replacement == .always ? "replaced" : "may be replaced"
        let policy = new.updateReplacePolicy
        if policy == .string("Snapshot") {
            change.dataLoss =
                "\(verb): the stack moves to a new, empty resource; the old one is deleted after a snapshot "
                + "(UpdateReplacePolicy: Snapshot), restored only by hand"
        } else if isRetain(policy) {
            change.dataLoss =
                "\(verb): the stack moves to a new, empty resource; the old one and its data stay outside the stack "
                + "(UpdateReplacePolicy: Retain), orphaned"
        } else {
            change.dataLoss = "\(verb) without UpdateReplacePolicy: Retain; the old resource and its data are deleted"
        }
    }

    /// The property that holds a custom physical name: the create-only `<Type>Name` (`TableName`, `QueueName`,
    /// `StageName`) or `Name`.
    static func nameProperty(of type: String, info: ResourceTypeInfo?) -> String? {
        guard let info, let last = type.split(separator: ":").last else { return nil }
        return ["\(last)Name", "Name"].first { info.createOnly.contains($0) }
    }

    /// CloudFormation creates the replacement before deleting the old resource, so a replacement that keeps a
    /// custom name fails ("cannot update a stack when a custom-named resource requires replacing").
    private static func checkCustomName(
        _ change: inout ResourceChange, old: Resource, new: Resource, info: ResourceTypeInfo?
    ) {
        guard change.replacement == .always, old.type == new.type,
            let property = nameProperty(of: new.type, info: info), let name = new.properties[property],
            Comparison.same(old.properties[property], name)
        else { return }
        change.blocked =
            "\(property) \(ValueText.compact(name)) is a custom name: CloudFormation refuses to replace a resource "
            + "that keeps its name and rolls the update back; give it a new name in the same change or remove \(property)"
    }

    /// A create-only property that references a resource being replaced changes too: that resource is
    /// (conditionally) replaced as well. Repeats until nothing new is replaced.
    private static func propagateReplacements(
        _ changes: inout [ResourceChange], new: Template, types: [String: ResourceTypeInfo]
    ) {
        var replaced = Set(changes.filter { $0.replacement == .always && $0.kind == .modified }.map(\.logicalId))
        var changed = true
        while changed {
            changed = false
            for resource in new.resources where !replaced.contains(resource.logicalId) {
                guard let info = types[resource.type] else { continue }
                for property in info.createOnly {
                    let top = String(property.split(separator: "/").first ?? "")
                    guard let value = resource.properties[top] else { continue }
                    let targets = References.resources(in: value).intersection(replaced)
                    guard let target = targets.sorted().first else { continue }
                    var change =
                        changes.first { $0.logicalId == resource.logicalId }
                        ?? ResourceChange(logicalId: resource.logicalId, type: resource.type, kind: .modified)
                    change.properties.append(
                        PropertyChange(
                            path: top, old: value, new: value, replacement: .conditional,
                            reason: "references \(target), which is replaced; its new value may replace this resource"))
                    change.replacement = max(change.replacement, .conditional)
                    if let old = new.resource(resource.logicalId) { updateDataLoss(&change, old: old, new: old) }
                    if let index = changes.firstIndex(where: { $0.logicalId == resource.logicalId }) {
                        changes[index] = change
                    } else {
                        changes.append(change)
                    }
                    replaced.insert(resource.logicalId)
                    changed = true
                    break
                }
            }
        }
    }

    /// A removed and an added resource of the same type with equal properties are probably a rename.
    private static func hintRenames(_ changes: inout [ResourceChange], old: Template, new: Template) {
        let added = changes.indices.filter { changes[$0].kind == .added }
        let removed = changes.indices.filter { changes[$0].kind == .removed }
        for addIndex in added {
            guard let addedResource = new.resource(changes[addIndex].logicalId) else { continue }
            for removeIndex in removed where changes[removeIndex].renameHint == nil {
                guard let removedResource = old.resource(changes[removeIndex].logicalId),
                    removedResource.type == addedResource.type,
                    Comparison.same(.map(removedResource.properties), .map(addedResource.properties))
                else { continue }
                changes[addIndex].renameHint = removedResource.logicalId
                changes[removeIndex].renameHint = addedResource.logicalId
                break
            }
        }
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

    private static func outputChanges(_ old: Template, _ new: Template) -> [EntryChange] {
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
            if !Comparison.same(previous.value, output.value) {
                details.append("Value: \(ValueText.compact(previous.value)) -> \(ValueText.compact(output.value))")
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
