import CloudFormation

/// References between the parts of a template: names, attributes, conditions, mappings, cycles, unused entries,
/// duplicate exports.
enum ReferenceChecks {
    static let pseudoParameters: Set<String> = [
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId",
        "AWS::StackName", "AWS::URLSuffix",
    ]

    /// Every value of the template with its path and, for resources, its logical ID.
    static func values(of template: Template) -> [(value: Value, path: Path, subject: String?)] {
        var values: [(Value, Path, String?)] = []
        for resource in template.resources {
            let base = Path("Resources", resource.logicalId)
            values.append((.map(resource.properties), base.appending("Properties"), resource.logicalId))
            for entry in resource.otherAttributes {
                values.append((entry.value, base.appending(entry.key), resource.logicalId))
            }
            // CloudFormation resolves intrinsics in a resource's Metadata too (cfn-init reads them).
            if let metadata = resource.metadata {
                values.append((metadata, base.appending("Metadata"), resource.logicalId))
            }
            if let policy = resource.deletionPolicy {
                values.append((policy, base.appending("DeletionPolicy"), resource.logicalId))
            }
            if let policy = resource.updateReplacePolicy {
                values.append((policy, base.appending("UpdateReplacePolicy"), resource.logicalId))
            }
        }
        for output in template.outputs {
            let base = Path("Outputs", output.name)
            values.append((output.value, base.appending("Value"), output.name))
            if let name = output.exportName {
                values.append((name, base.appending("Export").appending("Name"), output.name))
            }
        }
        // Conditions made by a language-extensions loop are checked after CloudFormation expands them, not here.
        for entry in template.conditions where !entry.key.hasPrefix("Fn::ForEach::") {
            values.append((entry.value, Path("Conditions", entry.key), entry.key))
        }
        for entry in template.otherSections { values.append((entry.value, Path(entry.key), nil)) }
        if let rules = template.rules { values.append((rules, Path("Rules"), nil)) }
        return values
    }

    static func run(_ context: inout Context) {
        let template = context.template
        let parameters = Set(template.parameters.map(\.name))
        let conditionNames = Set(template.conditions.keys)
        let mappingNames = Set(template.mappings?.fields?.keys ?? [])
        var usedParameters: Set<String> = []
        var usedConditions: Set<String> = []

        for (value, path, subject) in values(of: template) {
            ValueWalker.references(in: value, at: path) { reference in
                usedParameters.insert(reference.name)
                switch reference.kind {
                case .ref, .subVariable:
                    let known =
                        parameters.contains(reference.name) || context.resources[reference.name] != nil
                        || pseudoParameters.contains(reference.name)
                        || context.expansion.referenceAliases[reference.name] != nil
                    if !known {
                        let isSub: Bool
                        if case .subVariable = reference.kind { isSub = true } else { isSub = false }
                        context.report(
                            isSub ? Rules.subUndefinedVariable : Rules.undefinedRef, at: reference.path,
                            subject: subject,
                            (isSub
                                ? "'${\(reference.name)}' in Fn::Sub is not a parameter, resource or pseudo parameter"
                                : "Ref to '\(reference.name)', which is not a parameter, resource or pseudo parameter")
                                + samNames(reference.name, context))
                    }
                case .getAtt(let attribute):
                    checkAttribute(reference.name, attribute, at: reference.path, subject: subject, &context)
                case .subAttribute(let attribute):
                    if context.expansion.referenceAliases["\(reference.name).\(attribute)"] != nil { return }
                    checkAttribute(reference.name, attribute, at: reference.path, subject: subject, &context)
                }
            }
            ValueWalker.conditions(in: value, at: path) { name, conditionPath in
                usedConditions.insert(name)
                if !conditionNames.contains(name) {
                    context.report(
                        Rules.undefinedCondition, at: conditionPath, subject: subject,
                        "condition '\(name)' is not defined")
                }
            }
            ValueWalker.mappings(in: value, at: path) { name, mappingPath in
                if !mappingNames.contains(name) {
                    context.report(
                        Rules.undefinedMapping, at: mappingPath, subject: subject, "mapping '\(name)' is not defined")
                }
            }
        }
        for resource in template.resources {
            let base = Path("Resources", resource.logicalId)
            if let condition = resource.condition {
                usedConditions.insert(condition)
                if !conditionNames.contains(condition) {
                    context.report(
                        Rules.undefinedCondition, at: base.appending("Condition"), subject: resource.logicalId,
                        "condition '\(condition)' of resource '\(resource.logicalId)' is not defined")
                }
            }
            for target in resource.dependsOn where context.resources[target] == nil {
                context.report(
                    Rules.dependsOnUndefined, at: base.appending("DependsOn"), subject: resource.logicalId,
                    "'\(resource.logicalId)' depends on '\(target)', which is not a resource of this template")
            }
        }
        for output in template.outputs {
            guard let condition = output.condition else { continue }
            usedConditions.insert(condition)
            if !conditionNames.contains(condition) {
                context.report(
                    Rules.undefinedCondition, at: Path("Outputs", output.name, "Condition"), subject: output.name,
                    "condition '\(condition)' of output '\(output.name)' is not defined")
            }
        }
        // A language-extensions loop can use any parameter or condition through names it builds with Fn::Sub.
        let hasLoops =
            !template.loops.isEmpty || template.conditions.keys.contains { $0.hasPrefix("Fn::ForEach::") }
        if !hasLoops {
            reportUnused(template, usedParameters: usedParameters, usedConditions: usedConditions, &context)
        }
        checkExports(template, &context)
        checkCycles(&context)
    }

    private static func checkAttribute(
        _ name: String, _ attribute: String?, at path: Path, subject: String?, _ context: inout Context
    ) {
        guard let resource = context.resources[name] else {
            context.report(
                Rules.getAttMissingResource, at: path, subject: subject,
                "GetAtt of '\(name)\(attribute.map { ".\($0)" } ?? "")': '\(name)' is not a resource of this template"
                    + samNames(name, context))
            return
        }
        guard let attribute, let info = context.types[resource.type] else { return }
        if info.attributes.contains(attribute) { return }
        // Schema attributes may be patterns: `.*` (any attribute: AWS::CloudFormation::CustomResource returns what
        // its provider sends), `List.*.Name` (any index).
        if info.attributes.contains(where: { $0.contains("*") && Self.matches(attribute, pattern: $0) }) { return }
        if resource.type == "AWS::CloudFormation::Stack", attribute.hasPrefix("Outputs.") { return }
        let known = info.attributes.sorted().prefix(12).joined(separator: ", ")
        context.report(
            Rules.getAttUnknownAttribute, at: path, subject: subject,
            "\(resource.type) '\(name)' has no attribute '\(attribute)'; it has: \(known.isEmpty ? "none" : known)")
    }

    /// Whether `attribute` fits a schema attribute pattern: `.*` is any attribute; otherwise the pattern's dotted
    /// parts match the attribute's one by one, `*` standing for any one part (`Endpoints.*.Address`).
    static func matches(_ attribute: String, pattern: String) -> Bool {
        if pattern == ".*" { return true }
        let expected = pattern.split(separator: ".", omittingEmptySubsequences: false)
        let actual = attribute.split(separator: ".", omittingEmptySubsequences: false)
        return expected.count == actual.count && zip(expected, actual).allSatisfy { $0 == "*" || $0 == $1 }
    }

    /// For SAM templates, the generated names closest to `name` (sharing its first resource's prefix), so that a
    /// misspelt `FunctionRole` or `ServerlessRestApiProdStage` shows what the transform really generates.
    private static func samNames(_ name: String, _ context: Context) -> String {
        guard context.isSAM else { return "" }
        let generated = context.resourceList.map(\.logicalId).filter { context.expansion.origins[$0] != nil }
            .filter { context.template.resource($0) == nil }
        let related = generated.filter { candidate in
            let source = context.expansion.origins[candidate]?.source ?? ""
            return name.hasPrefix(source) || candidate.hasPrefix(String(name.prefix(6)))
        }
        let shown = (related.isEmpty ? generated : related).sorted()
        guard !shown.isEmpty else { return "; the SAM transform generates no resource of that name" }
        let more = shown.count > 8 ? ", ..." : ""
        return "; the SAM transform generates: \(shown.prefix(8).joined(separator: ", "))\(more)"
    }

    private static func reportUnused(
        _ template: Template, usedParameters: Set<String>, usedConditions: Set<String>, _ context: inout Context
    ) {
        for parameter in template.parameters where !usedParameters.contains(parameter.name) {
            context.report(
                Rules.unusedParameter, at: Path("Parameters", parameter.name), subject: parameter.name,
                "parameter '\(parameter.name)' is not used")
        }
        for name in template.conditions.keys where !usedConditions.contains(name) && !name.hasPrefix("Fn::ForEach::") {
            context.report(
                Rules.unusedCondition, at: Path("Conditions", name), subject: name, "condition '\(name)' is not used")
        }
    }

    private static func checkExports(_ template: Template, _ context: inout Context) {
        var seen: [Value: String] = [:]
        for output in template.outputs {
            guard let name = output.exportName else { continue }
            if let first = seen[name] {
                context.report(
                    Rules.duplicateExport, at: Path("Outputs", output.name, "Export", "Name"), subject: output.name,
                    "outputs '\(first)' and '\(output.name)' export the same name")
            } else {
                seen[name] = output.name
            }
        }
    }

    /// Tarjan's strongly connected components over resource dependencies; each cycle is reported once, at its
    /// first member in template order.
    private static func checkCycles(_ context: inout Context) {
        let resources = context.resourceList
        var position: [String: Int] = [:]
        for (index, resource) in resources.enumerated() { position[resource.logicalId] = index }
        var edges: [[Int]] = Array(repeating: [], count: resources.count)
        for (index, resource) in resources.enumerated() {
            var targets = context.mentionedResources(.map(resource.properties))
            for entry in resource.otherAttributes { targets.formUnion(context.mentionedResources(entry.value)) }
            targets.formUnion(resource.dependsOn.filter { position[$0] != nil })
            edges[index] = targets.compactMap { position[$0] }.sorted()
        }
        var indexOf = Array(repeating: -1, count: resources.count)
        var low = Array(repeating: 0, count: resources.count)
        var onStack = Array(repeating: false, count: resources.count)
        var stack: [Int] = []
        var counter = 0
        var components: [[Int]] = []
        for root in 0..<resources.count where indexOf[root] < 0 {
            // Iterative DFS: (node, next edge position).
            var work: [(Int, Int)] = [(root, 0)]
            indexOf[root] = counter
            low[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let item = work.popLast() {
                let node = item.0
                var position = item.1
                if position < edges[node].count {
                    let next = edges[node][position]
                    position += 1
                    work.append((node, position))
                    if indexOf[next] < 0 {
                        indexOf[next] = counter
                        low[next] = counter
                        counter += 1
                        stack.append(next)
                        onStack[next] = true
                        work.append((next, 0))
                    } else if onStack[next] {
                        low[node] = min(low[node], indexOf[next])
                    }
                    continue
                }
                if let parent = work.last?.0 { low[parent] = min(low[parent], low[node]) }
                if low[node] == indexOf[node] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == node { break }
                    }
                    if component.count > 1 || edges[node].contains(node) { components.append(component.sorted()) }
                }
            }
        }
        for component in components.sorted(by: { $0[0] < $1[0] }) {
            let names = component.map { resources[$0].logicalId }
            let cycle = orderedCycle(component, edges: edges).map { resources[$0].logicalId }
            context.report(
                Rules.circularDependency, at: Path("Resources", names[0]), subject: names[0],
                "circular dependency: \(cycle.joined(separator: " -> "))")
        }
    }

    /// A path through the component that returns to its first member, for the message.
    private static func orderedCycle(_ component: [Int], edges: [[Int]]) -> [Int] {
        let members = Set(component)
        let start = component[0]
        var previous: [Int: Int] = [:]
        var queue = [start]
        var visited: Set<Int> = [start]
        while !queue.isEmpty {
            let node = queue.removeFirst()
            for next in edges[node] where members.contains(next) {
                if next == start {
                    var path = [node]
                    var current = node
                    while let before = previous[current] {
                        path.append(before)
                        current = before
                    }
                    return path.reversed() + [start]
                }
                if visited.insert(next).inserted {
                    previous[next] = node
                    queue.append(next)
                }
            }
        }
        return component + [start]
    }
}
