import CloudFormation

extension StackAssertions {
    /// Asserts that the IAM role `role` (a role's logical ID, or a function's, whose `Role` is followed) allows
    /// exactly `actions` on `resource`: every one of them, and nothing else, counting every `Allow` statement of
    /// its inline policies and of the `AWS::IAM::Policy`/`ManagedPolicy` resources attached to it whose
    /// `Resource` names `resource` or `*` (a `*` statement counts with its actions of the resource's service, so
    /// X-Ray's `*` grant is not counted on a table). Actions compare case-insensitively (as IAM does); a wildcard
    /// action (`dynamodb:*`) is reported as allowing more than asked.
    public func allows(
        exactly actions: [String], on resource: Value, role: String
    ) throws(StackAssertionFailure) {
        let roleId = try roleLogicalId(role)
        let service = self.service(of: resource)
        if let managed = template.resource(roleId)?["ManagedPolicyArns"], !Self.strings(managed).isEmpty {
            throw StackAssertionFailure(
                "\(roleId) has managed policies (\(Self.strings(managed).map(Self.render).joined(separator: ", "))), "
                    + "whose statements are not in the template: what it allows cannot be told exactly")
        }
        var granted: Set<String> = []
        for statement in statements(of: roleId) where statement["Effect"] == .string("Allow") {
            if statement["NotAction"] != nil || statement["NotResource"] != nil {
                throw StackAssertionFailure(
                    "\(roleId) has an Allow statement with NotAction or NotResource: it allows everything it does not "
                        + "name, which cannot be checked exactly")
            }
            let resources = Self.strings(statement["Resource"])
            let named = resources.contains(resource) || resources.contains { Self.wildcard($0, covers: resource) }
            guard named || resources.contains(.string("*")) else { continue }
            for action in Self.strings(statement["Action"]).compactMap({ $0.stringValue?.lowercased() }) {
                let applies = named || service == nil || action == "*" || action.hasPrefix("\(service ?? ""):")
                if applies { granted.insert(action) }
            }
        }
        let expected = Set(actions.map { $0.lowercased() })
        guard granted != expected else { return }
        var problems: [String] = []
        let missing = expected.subtracting(granted).sorted()
        let extra = granted.subtracting(expected).sorted()
        if !missing.isEmpty { problems.append("does not allow \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { problems.append("also allows \(extra.joined(separator: ", "))") }
        throw StackAssertionFailure(
            "\(roleId) on \(Self.render(resource)): \(problems.joined(separator: "; "))")
    }

    /// Whether `pattern`, a resource written with a trailing `*` (`${Bucket.Arn}*`, `arn:aws:s3:::*`), covers
    /// `resource`: its text without the `*` is a prefix of the resource's text (`${Bucket.Arn}` for a `GetAtt`).
    static func wildcard(_ pattern: Value, covers resource: Value) -> Bool {
        func text(_ value: Value) -> String? {
            switch value {
            case .string(let text), .sub(let text, _): return text
            case .getAtt(let name, let attribute): return "${\(name).\(attribute)}"
            case .ref(let name): return "${\(name)}"
            default: return nil
            }
        }
        guard let written = text(pattern), written.hasSuffix("*"), written != "*", let target = text(resource) else {
            return false
        }
        return target.hasPrefix(String(written.dropLast()))
    }

    /// The IAM service prefix of what `resource` names: the template resource it refers to (`dynamodb` for an
    /// `AWS::DynamoDB::Table`, also through `Sub` text such as `${Bucket.Arn}/*`) or the service of an ARN it
    /// spells; `nil` when it names none.
    func service(of resource: Value) -> String? {
        let logicalId: String
        switch resource {
        case .ref(let name), .getAtt(let name, _): logicalId = name
        case .sub(let text, _), .string(let text):
            // An ARN names its service (`arn:${AWS::Partition}:ssm:...`); else the first resource it interpolates.
            let parts = text.replacingOccurrences(of: "${AWS::Partition}", with: "aws")
                .split(separator: ":", omittingEmptySubsequences: false)
            if text.hasPrefix("arn:"), parts.count > 2, !parts[2].isEmpty { return parts[2].lowercased() }
            guard let start = text.range(of: "${") else { return nil }
            let name = text[start.upperBound...].prefix { $0 != "." && $0 != "}" }
            logicalId = String(name)
        default: return nil
        }
        guard let type = template.resource(logicalId)?.type else { return nil }
        let parts = type.split(separator: "::")
        return parts.count == 3 ? parts[1].lowercased() : nil
    }

    /// The role's logical ID: `name` itself when it is a role, else the role a function named `name` runs as.
    func roleLogicalId(_ name: String) throws(StackAssertionFailure) -> String {
        guard let resource = template.resource(name) else {
            throw StackAssertionFailure("no resource \(name) in the template")
        }
        switch resource.type {
        case "AWS::IAM::Role": return name
        case "AWS::Lambda::Function", "AWS::Serverless::Function":
            switch resource["Role"] {
            case .getAtt(let role, "Arn")?, .ref(let role)?: return role
            default: throw StackAssertionFailure("\(name)'s Role is not a role of this template")
            }
        default:
            throw StackAssertionFailure("\(name) is a \(resource.type), not an IAM role or a function")
        }
    }

    /// Every statement of the role's inline policies and of the policies attached to it.
    func statements(of roleId: String) -> [Value] {
        var documents: [Value] = []
        if let role = template.resource(roleId) {
            for policy in role["Policies"]?.items ?? [] { documents.append(policy["PolicyDocument"] ?? .null) }
        }
        for resource in template.resources
        where resource.type == "AWS::IAM::Policy" || resource.type == "AWS::IAM::ManagedPolicy" {
            guard Self.strings(resource["Roles"]).contains(.ref(roleId)) else { continue }
            documents.append(resource["PolicyDocument"] ?? .null)
        }
        return documents.flatMap { Self.strings($0["Statement"]) }
    }

    /// A value written as one item or a list of items, as a list.
    static func strings(_ value: Value?) -> [Value] {
        switch value {
        case nil, .null?: return []
        case .list(let items)?: return items
        case let single?: return [single]
        }
    }
}
