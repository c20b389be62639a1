import CloudFormation

/// IAM wildcards in identity policies: `Action: '*'` or `service:*`, and `Resource: '*'` for actions that can be
/// scoped to resources (those with a resource type in IAM's action catalogue, `IAMActionCatalogue`).
enum PolicyChecks {
    static func run(_ context: inout Context) {
        for resource in context.resourceList {
            let base = Path("Resources", resource.logicalId, "Properties")
            var documents: [(Value, Path)] = []
            switch resource.type {
            case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
                for (index, policy) in (resource["Policies"]?.items ?? []).enumerated() {
                    if let document = policy["PolicyDocument"] {
                        documents.append(
                            (document, base.appending("Policies").appending(String(index)).appending("PolicyDocument")))
                    }
                }
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
                if let document = resource["PolicyDocument"] {
                    documents.append((document, base.appending("PolicyDocument")))
                }
            default: continue
            }
            for (document, path) in documents {
                for statement in IAMModel.statements(in: document, at: path) where statement.allow {
                    check(statement, subject: resource.logicalId, &context)
                }
            }
        }
    }

    private static func check(_ statement: StatementView, subject: String, _ context: inout Context) {
        guard let actions = statement.actions else { return }
        if statement.isNotAction {
            context.report(
                Rules.wildcardAction, at: statement.path, subject: subject,
                "Allow with NotAction grants every action except those listed")
            return
        }
        for action in actions where action == "*" || action.hasSuffix(":*") {
            context.report(
                action == "*" ? Rules.wildcardAction : Rules.serviceWildcardAction, at: statement.path,
                subject: subject,
                action == "*"
                    ? "statement allows Action '*'"
                    : "statement allows every \(action.dropLast(2)) action ('\(action)')")
        }
        guard statement.resources.contains(.string("*")) else { return }
        let scopable = actions.filter { action in
            action != "*" && !action.hasSuffix(":*") && IAMActionCatalogue.scope(of: action) == .scopable
        }
        if !scopable.isEmpty {
            context.report(
                Rules.wildcardResource, at: statement.path, subject: subject,
                "Resource '*' for \(scopable.joined(separator: ", ")), which can be scoped to resource ARNs")
        }
    }
}
