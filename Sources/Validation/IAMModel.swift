import CloudFormation

/// One statement of a policy document, as the checks see it.
struct StatementView {
    var allow: Bool
    /// Action patterns, lowercased; `nil` when not literal.
    var actions: [String]?
    var isNotAction: Bool
    var resources: [Value]
    var principal: Value?
    var condition: Value?
    var path: Path
}

/// Reads policy documents and answers whether a role grants an action on a resource of the template.
enum IAMModel {
    /// AWS-managed policies whose grants the checks know (lowercased action patterns on `*`).
    static let managedPolicies: [String: [String]] = [
        "AdministratorAccess": ["*"],
        "service-role/AWSLambdaSQSQueueExecutionRole": [
            "sqs:receivemessage", "sqs:deletemessage", "sqs:getqueueattributes", "logs:createloggroup",
            "logs:createlogstream", "logs:putlogevents",
        ],
        "service-role/AWSLambdaBasicExecutionRole": [
            "logs:createloggroup", "logs:createlogstream", "logs:putlogevents",
        ],
        "AmazonSQSFullAccess": ["sqs:*"],
        "AmazonSNSFullAccess": ["sns:*"],
        "AmazonDynamoDBFullAccess": ["dynamodb:*"],
    ]

    /// The statements of a policy document value.
    static func statements(in document: Value, at path: Path) -> [StatementView] {
        let statementPath = path.appending("Statement")
        let items: [Value]
        switch document["Statement"] {
        case .list(let list)?: items = list
        case .map(let fields)?: items = [.map(fields)]
        default: return []
        }
        return items.enumerated().map { index, statement in
            let isNotAction = statement["Action"] == nil && statement["NotAction"] != nil
            let actionValue = statement["Action"] ?? statement["NotAction"]
            var actions: [String]?
            switch actionValue {
            case .string(let action)?: actions = [action.lowercased()]
            case .list(let list)?:
                let literal = list.compactMap(\.stringValue)
                actions = literal.count == list.count ? literal.map { $0.lowercased() } : nil
            default: actions = nil
            }
            let resourceValue = statement["Resource"] ?? statement["NotResource"]
            let resources: [Value]
            switch resourceValue {
            case .list(let list)?: resources = list
            case let value?: resources = [value]
            case nil: resources = []
            }
            return StatementView(
                allow: statement["Effect"] == .string("Allow"), actions: actions, isNotAction: isNotAction,
                resources: resources, principal: statement["Principal"], condition: statement["Condition"],
                path: statementPath.appending(String(index)))
        }
    }

    /// Whether the glob `pattern` (`sqs:*`, `sqs:Receive*`, `*`) matches `action`; both lowercased.
    static func matches(_ pattern: String, _ action: String) -> Bool { IAMPattern.matches(pattern, action) }

    /// The identity-policy statements attached to `role` in the template, or `nil` when a managed policy the
    /// checks do not know is attached (its grants cannot be judged).
    static func identityStatements(of role: Resource, in context: Context) -> [StatementView]? {
        var result: [StatementView] = []
        let base = Path("Resources", role.logicalId, "Properties")
        for (index, policy) in (role["Policies"]?.items ?? []).enumerated() {
            if let document = policy["PolicyDocument"] {
                result += statements(
                    in: document, at: base.appending("Policies").appending(String(index)).appending("PolicyDocument"))
            }
        }
        for resource in context.resourceList
        where resource.type == "AWS::IAM::Policy" || resource.type == "AWS::IAM::ManagedPolicy" {
            let attached =
                resource["Roles"]?.items?.contains { context.target(of: $0)?.resource.logicalId == role.logicalId }
                ?? false
            let referenced =
                role["ManagedPolicyArns"]?.items?.contains {
                    context.target(of: $0)?.resource.logicalId == resource.logicalId
                } ?? false
            if (attached || referenced), let document = resource["PolicyDocument"] {
                result += statements(
                    in: document, at: Path("Resources", resource.logicalId, "Properties", "PolicyDocument"))
            }
        }
        for arn in role["ManagedPolicyArns"]?.items ?? [] {
            if let target = context.target(of: arn), target.resource.type == "AWS::IAM::ManagedPolicy" { continue }
            let text: String
            switch arn {
            case .string(let value), .sub(let value, _): text = value
            default: return nil
            }
            guard let marker = text.range(of: ":policy/"),
                let actions = managedPolicies[String(text[marker.upperBound...])]
            else {
                return nil
            }
            result.append(
                StatementView(
                    allow: true, actions: actions, isNotAction: false, resources: [.string("*")], principal: nil,
                    condition: nil,
                    path: base.appending("ManagedPolicyArns")))
        }
        return result
    }

    /// Whether some statement may allow `action` on the resource `targetId`: the action matches and a resource
    /// is `*`, mentions the target, or mentions no template resource at all (a literal ARN or a parameter).
    /// Statements whose actions are not literal count as granting.
    static func grants(_ statements: [StatementView], action: String, on targetId: String, in context: Context) -> Bool
    {
        statements.contains { statement in
            guard statement.allow else { return false }
            if let actions = statement.actions {
                let matched = actions.contains { matches($0, action) }
                if matched == statement.isNotAction { return false }
            }
            if statement.resources.isEmpty { return false }
            return statement.resources.contains { resource in
                if resource == .string("*") { return true }
                let mentioned = context.mentionedResources(resource)
                return mentioned.contains(targetId) || mentioned.isEmpty
            }
        }
    }

    /// The literal service principals of a principal value (`Service: x` or a list), or `nil` when not literal.
    static func servicePrincipals(_ principal: Value?) -> [String]? {
        guard let service = principal?["Service"] else { return nil }
        switch service {
        case .string(let name): return [name]
        case .list(let items):
            let names = items.compactMap(\.stringValue)
            return names.count == items.count ? names : nil
        default: return nil
        }
    }
}

extension String {
    func range(of needle: String) -> Range<String.Index>? {
        guard let first = needle.first else { return nil }
        var index = startIndex
        while let found = self[index...].firstIndex(of: first) {
            if self[found...].hasPrefix(needle) { return found..<self.index(found, offsetBy: needle.count) }
            index = self.index(after: found)
        }
        return nil
    }
}
