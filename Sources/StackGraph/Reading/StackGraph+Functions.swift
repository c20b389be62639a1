import CloudFormation

extension GraphReader {
    /// DynamoDB actions that write items, lower-cased without the prefix.
    static let writeActions = ["putitem", "updateitem", "batchwriteitem"]
    /// DynamoDB actions that read items.
    static let readActions = ["getitem", "batchgetitem", "query", "scan"]

    /// A function with what its statements allow it to write, read and publish.
    mutating func function(_ resource: Resource) {
        let id = resource.logicalId
        var node = StackGraph.FunctionNode(
            logicalId: id, memoryMB: Self.number(resource["MemorySize"]) ?? 128,
            architecture: resource["Architectures"]?.items?.first?.stringValue ?? "x86_64",
            reservedConcurrency: Self.number(resource["ReservedConcurrentExecutions"]))
        node.logGroup = logGroup(of: resource)
        if let level = resource["LoggingConfig"]?["SystemLogLevel"]?.stringValue {
            node.quietSystemLogs = level == "WARN" || level == "ERROR"
        }
        for statement in statements(of: resource) {
            let actions = (statement["Action"].map { $0.items ?? [$0] } ?? []).compactMap {
                $0.stringValue?.lowercased()
            }
            let targets = (statement["Resource"].map { $0.items ?? [$0] } ?? []).flatMap { Self.references(in: $0) }
            func allows(_ service: String, _ names: [String]) -> Bool {
                actions.contains { action in
                    names.contains { IAMPattern.matches(action, "\(service):\($0)") }
                }
            }
            for target in targets {
                switch byId[target]?.type {
                case "AWS::DynamoDB::Table":
                    if allows("dynamodb", Self.writeActions) {
                        if !node.writes.contains(target) { node.writes.append(target) }
                    } else if allows("dynamodb", Self.readActions), !node.reads.contains(target) {
                        node.reads.append(target)
                    }
                case "AWS::SNS::Topic":
                    if allows("sns", ["publish"]), !node.publishes.contains(target) { node.publishes.append(target) }
                case "AWS::Events::EventBus":
                    if allows("events", ["putevents"]), !node.publishes.contains(target) {
                        node.publishes.append(target)
                    }
                default: break
                }
            }
        }
        samPolicyTemplates(of: id, into: &node)
        node.reads.removeAll { node.writes.contains($0) }
        graph.functions.append(node)
    }

    /// The log group the function writes to, when the template declares it.
    func logGroup(of function: Resource) -> String? {
        if let configured = referenced(function["LoggingConfig"]?["LogGroup"], type: "AWS::Logs::LogGroup") {
            return configured
        }
        let literalName = function["FunctionName"]?.stringValue
        return expansion.resources.first { group in
            guard group.type == "AWS::Logs::LogGroup" else { return false }
            switch group["LogGroupName"] {
            case .string(let name)?: return literalName.map { name == "/aws/lambda/\($0)" } ?? false
            case .sub(let text, nil)?: return text == "/aws/lambda/${\(function.logicalId)}"
            default: return false
            }
        }?.logicalId
    }

    /// The Allow statements of the function's role: its inline policies and the policy resources attached to it.
    func statements(of function: Resource) -> [Value] {
        guard let role = referenced(function["Role"], type: "AWS::IAM::Role"), let roleResource = byId[role] else {
            return []
        }
        var documents = (roleResource["Policies"]?.items ?? []).compactMap { $0["PolicyDocument"] }
        for policy in expansion.resources
        where policy.type == "AWS::IAM::Policy" || policy.type == "AWS::IAM::ManagedPolicy" {
            if Self.references(in: policy["Roles"]).contains(role), let document = policy["PolicyDocument"] {
                documents.append(document)
            }
        }
        return documents.flatMap { document in
            (document["Statement"].map { $0.items ?? [$0] } ?? []).filter {
                $0["Effect"]?.stringValue != "Deny"
            }
        }
    }

    /// SAM policy templates on the function (`DynamoDBCrudPolicy`, `DynamoDBWritePolicy`, `DynamoDBReadPolicy`,
    /// `SNSPublishMessagePolicy`, ...), read from the template as written.
    func samPolicyTemplates(of id: String, into node: inout StackGraph.FunctionNode) {
        guard let written = template.resource(id), written.type == "AWS::Serverless::Function" else { return }
        for policy in written["Policies"].map({ $0.items ?? [$0] }) ?? [] {
            for entry in policy.fields ?? Fields() {
                switch entry.key {
                case "DynamoDBCrudPolicy", "DynamoDBWritePolicy":
                    if let table = referenced(entry.value["TableName"], type: "AWS::DynamoDB::Table"),
                        !node.writes.contains(table)
                    {
                        node.writes.append(table)
                    }
                case "DynamoDBReadPolicy":
                    if let table = referenced(entry.value["TableName"], type: "AWS::DynamoDB::Table"),
                        !node.reads.contains(table)
                    {
                        node.reads.append(table)
                    }
                case "SNSPublishMessagePolicy", "SNSCrudPolicy":
                    if let topic = referenced(entry.value["TopicName"], type: "AWS::SNS::Topic"),
                        !node.publishes.contains(topic)
                    {
                        node.publishes.append(topic)
                    }
                default: break
                }
            }
        }
    }
}
