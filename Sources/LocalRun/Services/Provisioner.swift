import AWSClients
import CloudFormation
import JSONText

/// What provisioning did: resources created in the local services, run by orderstack itself, and not emulated.
public struct ProvisionReport: Sendable {
    public var created: [String] = []
    public var runLocally: [String] = []
    /// `LogicalId (Type): why` for everything not emulated (alarms, dashboards, KMS, IAM, ...).
    public var notEmulated: [String] = []
    /// Properties accepted but not emulated (encryption at rest, ...).
    public var notes: [String] = []
}

/// A resource that cannot be provisioned, with what is missing.
public struct ProvisionError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Creates the template's queues, table, topics, subscriptions and queue policies in the local services, in
/// dependency order, and gives every resource a local identity so that references resolve.
public struct Provisioner: Sendable {
    public var sqs: SQSClient
    public var sns: SNSAdmin
    public var dynamodb: DynamoDBAdmin
    /// EventBridge, for the template's buses and rules (`nil`: listed as not emulated).
    public var events: EventsAdmin?
    /// Replaces every queue's visibility timeout (`--visibility-timeout`), for fast retries on this machine.
    public var visibilityTimeout: Int?

    public init(
        sqs: SQSClient, sns: SNSAdmin, dynamodb: DynamoDBAdmin, events: EventsAdmin? = nil,
        visibilityTimeout: Int? = nil
    ) {
        self.sqs = sqs
        self.sns = sns
        self.dynamodb = dynamodb
        self.events = events
        self.visibilityTimeout = visibilityTimeout
    }

    /// Provisions `template`; the names with every resource's identity, and the report.
    public func provision(_ template: Template, names start: LocalNames) async throws -> (LocalNames, ProvisionReport) {
        var names = start
        var report = ProvisionReport()
        var pending = template.resources
        while !pending.isEmpty {
            var waiting: [Resource] = []
            for resource in pending {
                if let identity = try await provision(resource, names: names, report: &report) {
                    names.resources[resource.logicalId] = identity
                } else {
                    waiting.append(resource)
                }
            }
            guard waiting.count < pending.count else {
                throw ProvisionError(
                    description:
                        "cannot resolve the references of \(waiting.map { "\($0.logicalId) (\($0.type))" }.joined(separator: ", ")) (a reference to a parameter without a value, or a cycle)"
                )
            }
            pending = waiting
        }
        return (names, report)
    }

    /// One resource's identity, `nil` while its references cannot be resolved yet.
    func provision(_ resource: Resource, names: LocalNames, report: inout ProvisionReport) async throws
        -> LocalIdentity?
    {
        let needed: [String]? =
            switch resource.type {
            case "AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::SNS::Topic", "AWS::SNS::Subscription",
                "AWS::SQS::QueuePolicy":
                nil
            case "AWS::Lambda::Function": ["FunctionName", "Environment"]
            case "AWS::Logs::LogGroup": ["LogGroupName"]
            case "AWS::Events::EventBus": ["Name"]
            case "AWS::Events::Rule": ["EventBusName", "EventPattern", "Targets"]
            default: []
            }
        let checked = needed.map { keys in
            Value.map(Fields(keys.compactMap { key in resource.properties[key].map { (key, $0) } }))
        }
        guard names.resolve(checked ?? .map(resource.properties)) != nil else { return nil }
        let id = resource.logicalId
        let fallback = "\(names.stackName)-\(id)"
        switch resource.type {
        case "AWS::SQS::Queue": return try await queue(resource, names: names, report: &report)
        case "AWS::DynamoDB::Table": return try await table(resource, names: names, report: &report)
        case "AWS::SNS::Topic":
            let name = names.string(resource.properties["TopicName"]) ?? fallback
            var attributes: [(String, String)] = []
            if names.string(resource.properties["FifoTopic"]) == "true" { attributes.append(("FifoTopic", "true")) }
            if resource.properties["KmsMasterKeyId"] != nil {
                report.notes.append("\(id): encryption at rest not emulated")
            }
            let arn = try await sns.createTopic(name, attributes: attributes)
            report.created.append("\(id): topic \(name)")
            for inline in resource.properties["Subscription"]?.items ?? [] {
                try await subscribe(topic: arn, inline, owner: id, names: names, report: &report)
            }
            return LocalIdentity(ref: arn, attributes: ["TopicArn": arn, "TopicName": name])
        case "AWS::SNS::Subscription":
            guard let topic = names.string(resource.properties["TopicArn"]) else { return nil }
            try await subscribe(topic: topic, Value.map(resource.properties), owner: id, names: names, report: &report)
            return LocalIdentity(ref: "\(topic):\(id)")
        case "AWS::SQS::QueuePolicy":
            let document = names.resolve(resource.properties["PolicyDocument"] ?? .null).map(LocalJSON.text) ?? "{}"
            for queue in names.resolve(resource.properties["Queues"] ?? .list([]))?.items ?? [] {
                if let url = queue.stringValue { try await sqs.setAttributes(url, [("Policy", document)]) }
            }
            report.created.append("\(id): queue policy (stored, not enforced)")
            return LocalIdentity(ref: id)
        case "AWS::Lambda::Function":
            let name = names.string(resource.properties["FunctionName"]) ?? fallback
            report.runLocally.append("\(id): function \(name), its bootstrap under a local Runtime API")
            return LocalIdentity(ref: name, attributes: ["Arn": names.arn("lambda", "function:\(name)")])
        case "AWS::Lambda::Version", "AWS::Lambda::Alias":
            // Locally every invocation runs the function's latest code: the alias (and the version behind it)
            // stand for the function itself; CodeDeploy's traffic shifting is not emulated.
            guard let function = names.string(resource.properties["FunctionName"]) else { return nil }
            let arn = function.hasPrefix("arn:") ? function : names.arn("lambda", "function:\(function)")
            if resource.type == "AWS::Lambda::Alias" {
                report.notes.append("\(id): alias served by the function's latest code; traffic shifting not emulated")
            }
            return LocalIdentity(ref: arn, attributes: ["Version": "$LATEST", "AliasArn": arn, "FunctionArn": arn])
        case "AWS::Logs::LogGroup":
            let name = names.string(resource.properties["LogGroupName"]) ?? "/orderstack/\(fallback)"
            report.runLocally.append("\(id): log group \(name), a file under output/local/logs")
            return LocalIdentity(ref: name, attributes: ["Arn": names.arn("logs", "log-group:\(name):*")])
        case "AWS::Events::EventBus": return try await eventBus(resource, names: names, report: &report)
        case "AWS::Events::Rule": return try await eventRule(resource, names: names, report: &report)
        case "AWS::Lambda::EventSourceMapping":
            report.runLocally.append("\(id): event source mapping, a local poller")
            return LocalIdentity(ref: id)
        case let type where type.hasPrefix("AWS::ApiGateway::"):
            if ["AWS::ApiGateway::RestApi", "AWS::ApiGateway::Resource", "AWS::ApiGateway::Method"].contains(type) {
                if type == "AWS::ApiGateway::RestApi" { report.runLocally.append("\(id): REST API, the local gateway") }
                return LocalIdentity(ref: id, attributes: ["RootResourceId": "\(id)-root"])
            }
            // Usage plans, their keys and links are served by the gateway (throttle, quota, x-api-key).
            return identityOnly(resource, names: names, report: &report, served: true)
        default:
            return identityOnly(resource, names: names, report: &report, served: false)
        }
    }

    /// A resource that exists only as a name here: listed, never silently dropped.
    func identityOnly(_ resource: Resource, names: LocalNames, report: inout ProvisionReport, served: Bool)
        -> LocalIdentity
    {
        let id = resource.logicalId
        let service = resource.type.split(separator: ":").dropFirst(2).first.map { $0.lowercased() } ?? "local"
        if !served {
            report.notEmulated.append("\(id) (\(resource.type))")
        }
        let name = "\(names.stackName)-\(id)"
        return LocalIdentity(
            ref: name, attributes: ["Arn": names.arn(service, "local/\(name)"), "KeyId": name, "Name": name])
    }

    func queue(_ resource: Resource, names: LocalNames, report: inout ProvisionReport) async throws -> LocalIdentity {
        let id = resource.logicalId
        let fifo = names.string(resource.properties["FifoQueue"]) == "true"
        let name = names.string(resource.properties["QueueName"]) ?? "\(names.stackName)-\(id)\(fifo ? ".fifo" : "")"
        var attributes: [(String, String)] = []
        for key in [
            "VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize",
            "ReceiveMessageWaitTimeSeconds", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
            "FifoThroughputLimit",
        ] {
            if let value = names.string(resource.properties[key]) { attributes.append((key, value)) }
        }
        for key in ["RedrivePolicy", "RedriveAllowPolicy"] {
            if let value = resource.properties[key].flatMap(names.resolve) {
                attributes.append((key, value.stringValue ?? LocalJSON.text(value)))
            }
        }
        if let visibilityTimeout {
            attributes.removeAll { $0.0 == "VisibilityTimeout" }
            attributes.append(("VisibilityTimeout", String(visibilityTimeout)))
        }
        if resource.properties["KmsMasterKeyId"] != nil || resource.properties["SqsManagedSseEnabled"] != nil {
            report.notes.append("\(id): encryption at rest not emulated")
        }
        let url = try await sqs.createQueue(name, attributes: attributes)
        report.created.append("\(id): queue \(name)")
        return LocalIdentity(
            ref: url, attributes: ["Arn": names.arn("sqs", name), "QueueName": name, "QueueUrl": url])
    }

    func table(_ resource: Resource, names: LocalNames, report: inout ProvisionReport) async throws -> LocalIdentity {
        let id = resource.logicalId
        let name = names.string(resource.properties["TableName"]) ?? "\(names.stackName)-\(id)"
        var fields = [("TableName", JSONText.quote(name)), ("BillingMode", "\"PAY_PER_REQUEST\"")]
        for key in ["KeySchema", "AttributeDefinitions"] {
            if let value = resource.properties[key].flatMap(names.resolve) {
                fields.append((key, LocalJSON.text(value)))
            }
        }
        for key in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
            guard let indexes = resource.properties[key].flatMap(names.resolve)?.items else { continue }
            let kept = indexes.map { index in
                Value.map(
                    Fields(
                        (index.fields ?? Fields()).filter { ["IndexName", "KeySchema", "Projection"].contains($0.key) }
                            .map { ($0.key, $0.value) }))
            }
            fields.append((key, LocalJSON.text(.list(kept))))
        }
        if let view = names.string(resource.properties["StreamSpecification"]?["StreamViewType"]) {
            fields.append(
                ("StreamSpecification", "{\"StreamEnabled\":true,\"StreamViewType\":\(JSONText.quote(view))}"))
        }
        var streamArn = names.arn("dynamodb", "table/\(name)/stream/local")
        do {
            let created = try await dynamodb.call("CreateTable", LocalJSON.object(fields))
            if let arn = created["TableDescription"]?["LatestStreamArn"]?.string { streamArn = arn }
        } catch let error as AWSServiceError where error.code == "ResourceInUseException" {
            let described = try await dynamodb.call(
                "DescribeTable", LocalJSON.object([("TableName", JSONText.quote(name))]))
            if let arn = described["Table"]?["LatestStreamArn"]?.string { streamArn = arn }
        }
        for key in ["SSESpecification", "PointInTimeRecoverySpecification"] where resource.properties[key] != nil {
            report.notes.append("\(id): \(key) not emulated")
        }
        report.created.append("\(id): table \(name)")
        return LocalIdentity(
            ref: name, attributes: ["Arn": names.arn("dynamodb", "table/\(name)"), "StreamArn": streamArn])
    }

    func subscribe(topic: String, _ properties: Value, owner: String, names: LocalNames, report: inout ProvisionReport)
        async throws
    {
        let kind = names.string(properties["Protocol"]) ?? "?"
        guard kind == "sqs", let endpoint = names.string(properties["Endpoint"]) else {
            report.notEmulated.append("\(owner) (a \(kind) subscription)")
            return
        }
        var attributes: [(String, String)] = []
        for key in ["RawMessageDelivery", "FilterPolicyScope"] {
            if let value = names.string(properties[key]) { attributes.append((key, value)) }
        }
        for key in ["FilterPolicy", "RedrivePolicy"] {
            if let value = properties[key].flatMap(names.resolve) {
                attributes.append((key, value.stringValue ?? LocalJSON.text(value)))
            }
        }
        _ = try await sns.subscribe(topic: topic, protocol: "sqs", endpoint: endpoint, attributes: attributes)
        report.created.append("\(owner): subscription of \(endpoint.split(separator: ":").last ?? "") to the topic")
    }
}
