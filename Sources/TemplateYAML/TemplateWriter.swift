import YAML

/// Writes templates as YAML with short-form intrinsic tags, in a fixed key order, byte-identical on every run.
///
/// Key order:
/// - top level: `AWSTemplateFormatVersion`, `Description`, `Transform`, `Metadata`, `Parameters`, `Rules`,
///   `Mappings`, `Conditions`, any other sections as read, `Resources`, `Outputs`;
/// - parameter: `Type`, `Description`, `Default`, then its other attributes in model order;
/// - resource: `Type`, `Condition`, `DependsOn`, `DeletionPolicy`, `UpdateReplacePolicy`, `Metadata`,
///   other attributes in model order, `Properties`;
/// - output: `Description`, `Condition`, `Value`, `Export`;
/// - everything else (properties, mappings, policy documents) in model order.
///
/// Intrinsics use their short tags (`!Ref`, `!GetAtt Res.Attr`, `!Sub`, `!Join`, ...), except where YAML cannot
/// carry two tags on one node: a function whose argument is itself a tagged function is written in long form
/// (`Fn::Base64: !Sub ...`).
public enum TemplateWriter {
    /// Renders `template` as YAML text.
    /// - Throws: `YAMLError` if libyaml refuses the document (not expected for any model value).
    public static func yaml(_ template: Template) throws(YAMLError) -> String {
        try Emitter.render(node(template))
    }

    /// The YAML node tree of `template`.
    public static func node(_ template: Template) -> Node {
        var top: [(String, Node)] = []
        if let version = template.formatVersion { top.append(("AWSTemplateFormatVersion", .string(version))) }
        if let description = template.description { top.append(("Description", .string(description))) }
        if let transform = template.transform { top.append(("Transform", node(transform))) }
        if let metadata = template.metadata { top.append(("Metadata", node(metadata))) }
        if !template.parameters.isEmpty {
            top.append(("Parameters", .mapping(template.parameters.map { ($0.name, node($0)) })))
        }
        if let rules = template.rules { top.append(("Rules", node(rules))) }
        if let mappings = template.mappings { top.append(("Mappings", node(mappings))) }
        if !template.conditions.isEmpty { top.append(("Conditions", node(.map(template.conditions)))) }
        for entry in template.otherSections { top.append((entry.key, node(entry.value))) }
        let resourceLoops = template.loops["Resources"]?.entries ?? []
        if !template.resources.isEmpty || !resourceLoops.isEmpty {
            top.append(
                (
                    "Resources",
                    .mapping(
                        template.resources.map { ($0.logicalId, node($0)) }
                            + resourceLoops.map { ($0.key, node($0.value)) })
                ))
        }
        let outputLoops = template.loops["Outputs"]?.entries ?? []
        if !template.outputs.isEmpty || !outputLoops.isEmpty {
            top.append(
                (
                    "Outputs",
                    .mapping(
                        template.outputs.map { ($0.name, node($0)) } + outputLoops.map { ($0.key, node($0.value)) })
                ))
        }
        return .mapping(top)
    }

    static func node(_ parameter: Parameter) -> Node {
        var pairs: [(String, Node)] = [("Type", .string(parameter.type))]
        if let description = parameter.description { pairs.append(("Description", .string(description))) }
        if let value = parameter.defaultValue { pairs.append(("Default", node(value))) }
        for entry in parameter.constraints { pairs.append((entry.key, node(entry.value))) }
        return .mapping(pairs)
    }

    static func node(_ resource: Resource) -> Node {
        var pairs: [(String, Node)] = [("Type", .string(resource.type))]
        if let condition = resource.condition { pairs.append(("Condition", .string(condition))) }
        switch resource.dependsOn.count {
        case 0: break
        case 1: pairs.append(("DependsOn", .string(resource.dependsOn[0])))
        default: pairs.append(("DependsOn", .sequence(resource.dependsOn.map(Node.string))))
        }
        if let policy = resource.deletionPolicy { pairs.append(("DeletionPolicy", node(policy))) }
        if let policy = resource.updateReplacePolicy { pairs.append(("UpdateReplacePolicy", node(policy))) }
        if let metadata = resource.metadata { pairs.append(("Metadata", node(metadata))) }
        for entry in resource.otherAttributes { pairs.append((entry.key, node(entry.value))) }
        if !resource.properties.isEmpty { pairs.append(("Properties", node(.map(resource.properties)))) }
        return .mapping(pairs)
    }

    static func node(_ output: Output) -> Node {
        var pairs: [(String, Node)] = []
        if let description = output.description { pairs.append(("Description", .string(description))) }
        if let condition = output.condition { pairs.append(("Condition", .string(condition))) }
        pairs.append(("Value", node(output.value)))
        if let name = output.exportName { pairs.append(("Export", .mapping([("Name", node(name))]))) }
        return .mapping(pairs)
    }

    /// The YAML node of a value, intrinsics in short form where YAML allows it.
    public static func node(_ value: Value) -> Node {
        switch value {
        case .string(let text): return .string(text)
        case .number(let text): return .scalar(text)
        case .bool(let flag): return .scalar(flag ? "true" : "false")
        case .null: return .scalar("null")
        case .list(let items): return .sequence(items.map(node))
        case .map(let fields): return .mapping(fields.entries.map { ($0.key, node($0.value)) })
        case .ref(let name): return .scalar(name, style: scalarStyle(name), tag: "!Ref")
        case .getAtt(let resource, let attribute):
            let text = "\(resource).\(attribute)"
            return .scalar(text, style: scalarStyle(text), tag: "!GetAtt")
        case .sub(let text, let variables):
            guard let variables else { return tagged(.string(text), tag: "!Sub", longName: "Fn::Sub") }
            return .sequence([.string(text), node(.map(variables))], tag: "!Sub")
        case .call(let function, let argument):
            return tagged(node(argument), tag: function.tag, longName: function.longName)
        }
    }

    private static func tagged(_ argument: Node, tag: String, longName: String) -> Node {
        if argument.tag != nil { return .mapping([(longName, argument)]) }
        var node = argument
        node.tag = tag
        if case .scalar(let text, _) = node.content { node.content = .scalar(text, scalarStyle(text)) }
        return node
    }

    private static func scalarStyle(_ text: String) -> ScalarStyle {
        text.contains("\n") ? .literal : .plain
    }
}
