import CloudFormation

extension StackGraph {
    /// Types that cost nothing by themselves or whose cost the graph's other nodes carry.
    static let modelledOrFree: Set<String> = [
        "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::Resource", "AWS::ApiGateway::Method", "AWS::ApiGateway::Model",
        "AWS::ApiGateway::RequestValidator", "AWS::ApiGateway::GatewayResponse", "AWS::ApiGateway::Authorizer",
        "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::UsagePlanKey", "AWS::ApiGateway::ApiKey",
        "AWS::ApiGateway::Account", "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Authorizer",
        "AWS::ApiGatewayV2::Deployment", "AWS::Lambda::Function", "AWS::Lambda::Permission",
        "AWS::Lambda::EventSourceMapping", "AWS::Lambda::Version", "AWS::Lambda::Alias",
        "AWS::Lambda::LayerVersion", "AWS::Lambda::EventInvokeConfig", "AWS::SQS::Queue", "AWS::SQS::QueuePolicy",
        "AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription", "AWS::DynamoDB::Table",
        "AWS::Logs::LogGroup", "AWS::Logs::QueryDefinition", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard",
        "AWS::KMS::Key",
        "AWS::KMS::Alias", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
        "AWS::IAM::InstanceProfile", "AWS::SSM::Parameter", "AWS::CloudFormation::WaitConditionHandle",
        "AWS::CloudFormation::Stack",
        // Rules and buses cost nothing themselves: custom events are priced where the traffic puts them
        // (aws.amazon.com/eventbridge/pricing); a bucket policy is free.
        "AWS::Events::EventBus", "AWS::Events::Rule", "AWS::S3::BucketPolicy",
        // CodeDeploy has no charge for deployments to Lambda (https://aws.amazon.com/codedeploy/pricing/).
        "AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup", "AWS::CodeDeploy::DeploymentConfig",
    ]

    /// Reads the graph from `template` (expanded first when it uses the SAM transform).
    public init(_ template: Template) {
        let expansion = SAMExpansion(template)
        var reader = GraphReader(template: template, expansion: expansion)
        reader.read()
        self = reader.graph
    }
}

/// Reads one template into a graph; one method per kind of node.
struct GraphReader {
    let template: Template
    let expansion: SAMExpansion
    var byId: [String: Resource] = [:]
    var graph = StackGraph()

    init(template: Template, expansion: SAMExpansion) {
        self.template = template
        self.expansion = expansion
        for resource in expansion.resources { byId[resource.logicalId] = resource }
    }

    /// The logical IDs a value refers to: `Ref`, `GetAtt` and `${...}` in `Sub`, anywhere inside it.
    static func references(in value: Value?) -> [String] {
        switch value {
        case .ref(let name)?: return [name]
        case .getAtt(let name, _)?: return [name]
        case .sub(let text, let variables)?:
            let own = Value.subVariables(text).compactMap { $0.split(separator: ".").first.map(String.init) }
            return own + (variables?.entries.flatMap { references(in: $0.value) } ?? [])
        case .list(let items)?: return items.flatMap { references(in: $0) }
        case .map(let fields)?: return fields.entries.flatMap { references(in: $0.value) }
        case .call(_, let argument)?: return references(in: argument)
        default: return []
        }
    }

    /// The first resource of `type` that `value` refers to; a function's alias or version stands for the
    /// function (a gradual rollout points callers at the `live` alias).
    func referenced(_ value: Value?, type: String) -> String? {
        for id in Self.references(in: value) {
            guard let resource = byId[id] else { continue }
            if resource.type == type { return id }
            if type == "AWS::Lambda::Function", ["AWS::Lambda::Alias", "AWS::Lambda::Version"].contains(resource.type),
                let function = referenced(resource["FunctionName"], type: type)
            {
                return function
            }
        }
        return nil
    }

    /// A number written as a number or a numeric string.
    static func number(_ value: Value?) -> Double? {
        switch value {
        case .number(let text)?, .string(let text)?: return Double(text)
        default: return nil
        }
    }

    mutating func read() {
        for resource in expansion.resources {
            switch resource.type {
            case "AWS::SQS::Queue": queue(resource)
            case "AWS::Lambda::EventSourceMapping": consumer(resource)
            case "AWS::SNS::Topic": topic(resource)
            case "AWS::SNS::Subscription":
                subscription(
                    resource.logicalId, topic: referenced(resource["TopicArn"], type: "AWS::SNS::Topic"),
                    protocol: resource["Protocol"], endpoint: resource["Endpoint"], settings: resource.properties)
            case "AWS::DynamoDB::Table": table(resource)
            case "AWS::Events::EventBus": graph.eventBuses.append(resource.logicalId)
            case "AWS::Events::Rule": rule(resource)
            case "AWS::Logs::LogGroup":
                graph.logGroups.append(
                    StackGraph.LogGroupNode(
                        logicalId: resource.logicalId, retentionDays: Self.number(resource["RetentionInDays"]),
                        infrequentAccess: resource["LogGroupClass"] == .string("INFREQUENT_ACCESS"),
                        encrypted: resource["KmsKeyId"] != nil && resource["KmsKeyId"] != .null))
            case "AWS::CloudWatch::Alarm": alarm(resource)
            case "AWS::CloudWatch::Dashboard": graph.dashboards += 1
            case "AWS::KMS::Key": graph.kmsKeys += 1
            case "AWS::CodeDeploy::DeploymentGroup": graph.rolloutGroups += 1
            case let type where !StackGraph.modelledOrFree.contains(type) && !type.hasPrefix("Custom::"):
                if let index = graph.unpriced.firstIndex(where: { $0.type == type }) {
                    graph.unpriced[index].count += 1
                } else {
                    graph.unpriced.append(StackGraph.UnpricedType(type: type, count: 1))
                }
            default: break
            }
        }
        for resource in expansion.resources where resource.type == "AWS::Lambda::Function" { function(resource) }
        readAPIs()
    }

    mutating func queue(_ resource: Resource) {
        let redrive = resource["RedrivePolicy"]
        let key = resource["KmsMasterKeyId"]
        graph.queues.append(
            StackGraph.QueueNode(
                logicalId: resource.logicalId,
                visibilityTimeoutSeconds: Self.number(resource["VisibilityTimeout"]) ?? 30,
                maxReceiveCount: Self.number(redrive?["maxReceiveCount"]),
                deadLetterQueue: referenced(redrive?["deadLetterTargetArn"], type: "AWS::SQS::Queue"),
                kmsEncrypted: key != nil && key != .null && resource["SqsManagedSseEnabled"] != .bool(true)))
    }

    mutating func consumer(_ resource: Resource) {
        if let table = referenced(resource["EventSourceArn"], type: "AWS::DynamoDB::Table"),
            let function = referenced(resource["FunctionName"], type: "AWS::Lambda::Function")
        {
            graph.streamConsumers.append(
                StackGraph.StreamConsumer(
                    mapping: resource.logicalId, table: table, function: function,
                    batchSize: Self.number(resource["BatchSize"]) ?? 100,
                    batchingWindowSeconds: Self.number(resource["MaximumBatchingWindowInSeconds"]) ?? 0))
            return
        }
        guard let queue = referenced(resource["EventSourceArn"], type: "AWS::SQS::Queue"),
            let function = referenced(resource["FunctionName"], type: "AWS::Lambda::Function")
        else { return }
        graph.consumers.append(
            StackGraph.Consumer(
                mapping: resource.logicalId, queue: queue, function: function,
                batchSize: Self.number(resource["BatchSize"]) ?? 10,
                batchingWindowSeconds: Self.number(resource["MaximumBatchingWindowInSeconds"]) ?? 0,
                maximumConcurrency: Self.number(resource["ScalingConfig"]?["MaximumConcurrency"])))
    }

    mutating func topic(_ resource: Resource) {
        graph.topics.append(resource.logicalId)
        for (index, inline) in (resource["Subscription"]?.items ?? []).enumerated() {
            subscription(
                "\(resource.logicalId).Subscription[\(index)]", topic: resource.logicalId,
                protocol: inline["Protocol"], endpoint: inline["Endpoint"], settings: Fields())
        }
    }

    /// A subscription; `settings` holds its filter policy and redrive policy (none for a topic's inline one).
    mutating func subscription(
        _ logicalId: String, topic: String?, protocol: Value?, endpoint: Value?, settings: Fields
    ) {
        guard let topic, let kind = `protocol`?.stringValue?.lowercased() else { return }
        let target =
            kind == "sqs"
            ? referenced(endpoint, type: "AWS::SQS::Queue")
            : kind == "lambda" ? referenced(endpoint, type: "AWS::Lambda::Function") : nil
        var node = StackGraph.Subscription(logicalId: logicalId, topic: topic, protocol: kind, endpoint: target)
        node.filterPolicy = settings["FilterPolicy"]
        node.filterPolicyScope = settings["FilterPolicyScope"]?.stringValue ?? "MessageAttributes"
        node.deadLetterQueue = referenced(
            settings["RedrivePolicy"]?["deadLetterTargetArn"], type: "AWS::SQS::Queue")
        graph.subscriptions.append(node)
    }

    /// A rule: each SQS or Lambda target of a rule on a bus of the template as a subscription of that bus (its
    /// pattern as the filter, its dead-letter queue), or a schedule invoking a function.
    mutating func rule(_ resource: Resource) {
        let targets = resource["Targets"]?.items ?? []
        if let expression = resource["ScheduleExpression"]?.stringValue {
            for target in targets {
                guard let function = referenced(target["Arn"], type: "AWS::Lambda::Function") else { continue }
                graph.schedules.append(
                    StackGraph.Schedule(rule: resource.logicalId, expression: expression, function: function))
            }
            return
        }
        guard let bus = referenced(resource["EventBusName"], type: "AWS::Events::EventBus") else { return }
        for (index, target) in targets.enumerated() {
            let queue = referenced(target["Arn"], type: "AWS::SQS::Queue")
            let function = referenced(target["Arn"], type: "AWS::Lambda::Function")
            guard queue != nil || function != nil else { continue }
            var node = StackGraph.Subscription(
                logicalId: "\(resource.logicalId).Targets[\(index)]", topic: bus,
                protocol: queue != nil ? "sqs" : "lambda",
                endpoint: queue ?? function)
            node.filterPolicy = resource["EventPattern"]
            node.filterPolicyScope = "EventPattern"
            node.deadLetterQueue = referenced(target["DeadLetterConfig"]?["Arn"], type: "AWS::SQS::Queue")
            graph.subscriptions.append(node)
        }
    }

    mutating func table(_ resource: Resource) {
        var node = StackGraph.TableNode(
            logicalId: resource.logicalId,
            pointInTimeRecovery: resource["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"]
                == .bool(true))
        node.partitionKey =
            resource["KeySchema"]?.items?.first { $0["KeyType"]?.stringValue == "HASH" }?["AttributeName"]?
            .stringValue
        graph.tables.append(node)
    }

    mutating func alarm(_ resource: Resource) {
        let evaluation = resource["EvaluationPeriods"]?.intValue ?? 1
        graph.alarms.append(
            StackGraph.AlarmNode(
                logicalId: resource.logicalId, namespace: resource["Namespace"]?.stringValue ?? "",
                metricName: resource["MetricName"]?.stringValue ?? "",
                subject: Self.references(in: resource["Dimensions"]?.items?.first?["Value"]).first,
                threshold: Self.number(resource["Threshold"]), periodSeconds: resource["Period"]?.intValue ?? 60,
                evaluationPeriods: evaluation, datapointsToAlarm: resource["DatapointsToAlarm"]?.intValue ?? evaluation,
                comparison: resource["ComparisonOperator"]?.stringValue ?? "GreaterThanOrEqualToThreshold",
                billedMetrics: max(1, resource["Metrics"]?.items?.count ?? 1)))
    }
}
