import CloudFormation

/// Mistakes CloudFormation or Lambda reject at deploy time, or that deploy with a wrong value: unknown
/// resource-level keys, SAM without its transform, runtimes past their dates, `${...}` outside `Fn::Sub`, and
/// `Resource.Attribute` written as a string.
enum DeployBreakerChecks {
    static let resourceAttributes: Set<String> = ["CreationPolicy", "UpdatePolicy"]
    static let samResourceAttributes: Set<String> = ["Connectors", "IgnoreGlobals"]

    static func run(_ context: inout Context) {
        checkResourceKeys(&context)
        checkTransform(&context)
        checkRuntimes(&context)
        checkStrings(&context)
    }

    private static func checkResourceKeys(_ context: inout Context) {
        let sam = context.isSAM
        // The SAM transform reads only the attributes it knows from its own resource types and drops the rest.
        for resource in context.template.resources where !resource.type.hasPrefix("AWS::Serverless::") {
            for key in resource.otherAttributes.keys {
                if resourceAttributes.contains(key) || (sam && samResourceAttributes.contains(key)) { continue }
                if key == "Version", ResourceCatalogue.isCustom(resource.type) { continue }
                context.report(
                    Rules.unknownResourceAttribute, at: Path("Resources", resource.logicalId, key),
                    subject: resource.logicalId,
                    "'\(key)' is not a resource attribute of '\(resource.logicalId)'; CloudFormation rejects it\(key == "Description" ? " (put a description under Metadata or in the resource's own Description property)" : "")"
                )
            }
        }
    }

    private static func checkTransform(_ context: inout Context) {
        guard !context.isSAM else { return }
        if context.template.otherSections["Globals"] != nil {
            context.report(
                Rules.serverlessWithoutTransform, at: Path("Globals"), subject: nil,
                "the Globals section needs 'Transform: AWS::Serverless-2016-10-31'")
        }
        for resource in context.template.resources where resource.type.hasPrefix("AWS::Serverless::") {
            context.report(
                Rules.serverlessWithoutTransform, at: Path("Resources", resource.logicalId, "Type"),
                subject: resource.logicalId,
                "\(resource.type) '\(resource.logicalId)' needs 'Transform: AWS::Serverless-2016-10-31'")
        }
    }

    private static func checkRuntimes(_ context: inout Context) {
        for resource in context.resourceList where resource.type == "AWS::Lambda::Function" {
            guard let runtime = resource["Runtime"]?.stringValue, let life = LambdaRuntimes.lifecycle(runtime)
            else { continue }
            let path = Path("Resources", resource.logicalId, "Properties", "Runtime")
            let successor = life.successor.map { "; use \($0)" } ?? ""
            if let blocked = life.createBlock, blocked <= context.today {
                context.report(
                    Rules.runtimeCreationBlocked, at: path, subject: resource.logicalId,
                    "runtime '\(runtime)' of '\(resource.logicalId)' can no longer be created (blocked since \(blocked), deprecated \(life.deprecated ?? "earlier"))\(successor)"
                )
            } else if let deprecated = life.deprecated, deprecated <= context.today {
                context.report(
                    Rules.runtimeDeprecated, at: path, subject: resource.logicalId,
                    "runtime '\(runtime)' of '\(resource.logicalId)' was deprecated on \(deprecated); creation is blocked from \(life.createBlock ?? "a date AWS has not set")\(successor)"
                )
            }
        }
    }

    // MARK: Strings

    private static func checkStrings(_ context: inout Context) {
        let parameters = Set(context.template.parameters.map(\.name))
        for (value, path, subject) in ReferenceChecks.values(of: context.template) {
            var components = path.components
            walk(value, &components) { text, components in
                check(text, at: components, subject: subject, parameters: parameters, &context)
            }
        }
    }

    /// Visits every literal string that no `Fn::Sub` (or `Fn::Transform`) encloses.
    private static func walk(_ value: Value, _ components: inout [String], _ visit: (String, [String]) -> Void) {
        switch value {
        case .string(let text): visit(text, components)
        case .list(let items):
            for (index, item) in items.enumerated() {
                components.append(String(index))
                walk(item, &components, visit)
                components.removeLast()
            }
        case .map(let fields):
            for entry in fields where entry.key != "TemplateBody" {
                components.append(entry.key)
                walk(entry.value, &components, visit)
                components.removeLast()
            }
        case .call(.transform, _), .sub: break
        case .call(_, let argument): walk(argument, &components, visit)
        case .ref, .getAtt, .number, .bool, .null: break
        }
    }

    private static func check(
        _ text: String, at components: [String], subject: String?, parameters: Set<String>,
        _ context: inout Context
    ) {
        let path = Path(components)
        if text.contains("${") {
            for variable in Value.subVariables(text) where isKnown(variable, parameters, context) {
                if substitutedByStepFunctions(variable, components, context) { continue }
                context.report(
                    Rules.variableOutsideSub, at: path, subject: subject,
                    "'${\(variable)}' is in a plain string, not in Fn::Sub, so it is not substituted; use !Sub")
                return
            }
        }
        guard let dot = text.firstIndex(of: "."), !text.contains(" "), !text.contains("/") else { return }
        let name = String(text[..<dot])
        let attribute = String(text[text.index(after: dot)...])
        guard let resource = context.resources[name], let info = context.types[resource.type],
            info.attributes.contains(attribute)
        else { return }
        context.report(
            Rules.attributeAsString, at: path, subject: subject,
            "'\(text)' is a plain string naming \(resource.type) '\(name)' and its attribute; write !GetAtt \(text)")
    }

    private static func isKnown(_ variable: String, _ parameters: Set<String>, _ context: Context) -> Bool {
        if ReferenceChecks.pseudoParameters.contains(variable) || parameters.contains(variable) { return true }
        let name = variable.split(separator: ".", maxSplits: 1).first.map(String.init) ?? variable
        return context.resources[name] != nil
    }

    /// Step Functions replaces `${Name}` in a definition from `DefinitionSubstitutions`.
    private static func substitutedByStepFunctions(_ variable: String, _ components: [String], _ context: Context)
        -> Bool
    {
        guard components.count > 3, components[0] == "Resources",
            components.contains(where: { $0 == "Definition" || $0 == "DefinitionString" }),
            let resource = context.template.resource(components[1])
        else { return false }
        return resource["DefinitionSubstitutions"]?[variable] != nil
    }
}
