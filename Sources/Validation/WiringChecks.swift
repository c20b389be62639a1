import CloudFormation

/// The checks no peer makes: whether resources that are wired together can actually work together.
enum WiringChecks {
    static func run(_ context: inout Context) {
        for resource in context.resourceList {
            switch resource.type {
            case "AWS::Lambda::EventSourceMapping": checkMapping(resource, &context)
            case "AWS::SQS::Queue": checkDeadLetterRetention(resource, &context)
            case "AWS::ApiGateway::Method": checkMethod(resource, &context)
            case "AWS::Lambda::Function": checkFunction(resource, &context)
            case "AWS::Lambda::Permission": checkPermission(resource, &context)
            case "AWS::SNS::Subscription":
                checkSubscription(
                    protocol: resource["Protocol"], endpoint: resource["Endpoint"], topic: resource["TopicArn"],
                    at: Path("Resources", resource.logicalId, "Properties"), subject: resource.logicalId, &context)
            case "AWS::SNS::Topic":
                for (index, subscription) in (resource["Subscription"]?.items ?? []).enumerated() {
                    checkSubscription(
                        protocol: subscription["Protocol"], endpoint: subscription["Endpoint"],
                        topic: .ref(resource.logicalId),
                        at: Path("Resources", resource.logicalId, "Properties", "Subscription", String(index)),
                        subject: resource.logicalId, &context)
                }
            case "AWS::CloudWatch::Alarm": checkAlarm(resource, &context)
            case "AWS::DynamoDB::Table": checkTable(resource, &context)
            case "AWS::ApiGateway::Stage": checkStage(resource, &context)
            default: break
            }
        }
    }

    static func properties(_ resource: Resource) -> Path { Path("Resources", resource.logicalId, "Properties") }

    // MARK: SQS -> Lambda

    private static func checkMapping(_ mapping: Resource, _ context: inout Context) {
        let base = properties(mapping)
        guard let source = mapping["EventSourceArn"], let (queue, attribute) = context.target(of: source),
            queue.type == "AWS::SQS::Queue"
        else { return }
        let fromSAM = context.expansion.origins[mapping.logicalId] != nil
        if attribute == nil {
            context.report(
                Rules.mappingSourceIsURL, at: base.appending("EventSourceArn"), subject: mapping.logicalId,
                fromSAM
                    ? "the SQS event's Queue is !Ref \(queue.logicalId), the queue's URL; SAM needs the ARN: use !GetAtt \(queue.logicalId).Arn"
                    : "EventSourceArn is !Ref \(queue.logicalId), the queue's URL; use !GetAtt \(queue.logicalId).Arn")
        }
        let window = mapping["MaximumBatchingWindowInSeconds"]?.intValue ?? 0
        if !(mapping["FunctionResponseTypes"]?.items?.contains(.string("ReportBatchItemFailures")) ?? false) {
            context.report(
                Rules.noPartialBatchResponse, at: base.appending("FunctionResponseTypes"), subject: mapping.logicalId,
                "the mapping from '\(queue.logicalId)' does not set FunctionResponseTypes: [ReportBatchItemFailures]: Lambda ignores a batchItemFailures answer, so the messages a successful invocation reports failed are deleted, and an invocation error retries the whole batch"
            )
        }
        let queueBase = properties(queue)
        if let redrive = queue["RedrivePolicy"] {
            if let count = redrive["maxReceiveCount"]?.intValue, count < 5 {
                context.report(
                    Rules.maxReceiveCountTooLow, at: queueBase.appending("RedrivePolicy"), subject: queue.logicalId,
                    "maxReceiveCount is \(count) on '\(queue.logicalId)', which Lambda consumes; throttled batches count as receives, use 5 or more"
                )
            }
        } else {
            context.report(
                Rules.consumedQueueWithoutDLQ, at: Path("Resources", queue.logicalId), subject: queue.logicalId,
                "'\(queue.logicalId)' is consumed by Lambda ('\(mapping.logicalId)') but has no RedrivePolicy to a dead-letter queue"
            )
        }
        guard let functionValue = mapping["FunctionName"], let function = context.function(of: functionValue) else {
            return
        }
        let timeout = function["Timeout"]?.intValue ?? 3
        if let visibility = queue["VisibilityTimeout"]?.intValue ?? (queue["VisibilityTimeout"] == nil ? 30 : nil) {
            let path =
                queue["VisibilityTimeout"] == nil
                ? Path("Resources", queue.logicalId) : queueBase.appending("VisibilityTimeout")
            if visibility < timeout {
                context.report(
                    Rules.visibilityBelowTimeout, at: path, subject: queue.logicalId,
                    "'\(queue.logicalId)' visibility timeout (\(visibility) s) is below the timeout of '\(function.logicalId)' (\(timeout) s)"
                )
            } else if visibility < 6 * timeout + window {
                context.report(
                    Rules.visibilityBelowGuidance, at: path, subject: queue.logicalId,
                    "'\(queue.logicalId)' visibility timeout (\(visibility) s) is below 6 x the timeout of '\(function.logicalId)' + the batching window (\(6 * timeout + window) s)"
                )
            }
        }
        if let maximum = mapping["ScalingConfig"]?["MaximumConcurrency"]?.intValue,
            let reserved = function["ReservedConcurrentExecutions"]?.intValue, maximum > reserved
        {
            context.report(
                Rules.maximumConcurrencyAboveReserved, at: base.appending("ScalingConfig"), subject: mapping.logicalId,
                "MaximumConcurrency \(maximum) exceeds the reserved concurrency of '\(function.logicalId)' (\(reserved)); throttled batches raise receive counts"
            )
        }
        guard let roleValue = function["Role"], let (role, _) = context.target(of: roleValue),
            role.type == "AWS::IAM::Role",
            let statements = IAMModel.identityStatements(of: role, in: context)
        else { return }
        let missing = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"].filter {
            !IAMModel.grants(statements, action: $0.lowercased(), on: queue.logicalId, in: context)
        }
        if !missing.isEmpty {
            context.report(
                Rules.mappingRoleLacksSQS, at: base.appending("FunctionName"), subject: mapping.logicalId,
                "role '\(role.logicalId)' of '\(function.logicalId)' does not allow \(missing.joined(separator: ", ")) on '\(queue.logicalId)'"
            )
        }
    }

    private static func checkDeadLetterRetention(_ queue: Resource, _ context: inout Context) {
        guard let target = queue["RedrivePolicy"]?["deadLetterTargetArn"], let (dlq, _) = context.target(of: target),
            dlq.type == "AWS::SQS::Queue"
        else { return }
        let sourceFIFO = isFIFO(queue)
        if let dlqFIFO = isFIFO(dlq), let sourceFIFO, dlqFIFO != sourceFIFO {
            context.report(
                Rules.dlqTypeMismatch, at: properties(queue).appending("RedrivePolicy"), subject: queue.logicalId,
                "'\(queue.logicalId)' is a \(sourceFIFO ? "FIFO" : "standard") queue but its dead-letter queue '\(dlq.logicalId)' is \(dlqFIFO ? "FIFO" : "standard")"
            )
        }
        let source = queue["MessageRetentionPeriod"]?.intValue ?? 345_600
        let kept = dlq["MessageRetentionPeriod"]?.intValue ?? 345_600
        if kept < source {
            context.report(
                Rules.dlqRetentionTooShort, at: Path("Resources", dlq.logicalId), subject: dlq.logicalId,
                "dead-letter queue '\(dlq.logicalId)' keeps messages \(kept) s, less than its source '\(queue.logicalId)' (\(source) s)"
            )
        }
    }

    /// Whether a queue is FIFO, `nil` when `FifoQueue` is an intrinsic.
    private static func isFIFO(_ queue: Resource) -> Bool? {
        switch queue["FifoQueue"] {
        case nil: return false
        case .bool(let flag)?: return flag
        case .string(let text)?: return text.lowercased() == "true"
        default: return nil
        }
    }

    // MARK: API Gateway

    private static func checkMethod(_ method: Resource, _ context: inout Context) {
        let base = properties(method)
        let httpMethod = method["HttpMethod"]?.stringValue?.uppercased() ?? ""
        let authorization = method["AuthorizationType"]?.stringValue?.uppercased() ?? "NONE"
        if ["POST", "PUT", "PATCH", "DELETE", "ANY"].contains(httpMethod), authorization == "NONE",
            method["ApiKeyRequired"] != .bool(true)
        {
            context.report(
                Rules.unauthenticatedWriteRoute, at: base.appending("AuthorizationType"), subject: method.logicalId,
                "\(httpMethod) method '\(method.logicalId)' has no authorization and no API key")
        }
        guard let integration = method["Integration"], integration["Type"]?.stringValue?.uppercased() == "AWS",
            let uri = integration["Uri"]
        else { return }
        var text = ""
        var variables: [String] = []
        switch uri {
        case .string(let value): text = value
        case .sub(let value, _):
            text = value
            variables = ValueWalker.subVariables(value)
        default: return
        }
        guard text.contains(":sqs:path/") || text.contains(":sqs:action/") else { return }
        var queue: Resource?
        for variable in variables {
            let parts = variable.split(separator: ".", maxSplits: 1).map(String.init)
            guard let resource = context.resources[parts[0]], resource.type == "AWS::SQS::Queue" else { continue }
            queue = resource
            if parts.count == 2, parts[1] == "Arn" {
                context.report(
                    Rules.apiUriUsesArn, at: base.appending("Integration").appending("Uri"), subject: method.logicalId,
                    "the SQS integration URI names '\(resource.logicalId)' by ARN; use ${AWS::AccountId}/${\(resource.logicalId).QueueName}"
                )
            }
        }
        if text.contains(":sqs:path/arn:") {
            context.report(
                Rules.apiUriUsesArn, at: base.appending("Integration").appending("Uri"), subject: method.logicalId,
                "the SQS integration URI names the queue by ARN; use <account>/<queue-name>")
        }
        guard let queue, let credentials = integration["Credentials"], let (role, _) = context.target(of: credentials),
            role.type == "AWS::IAM::Role", let statements = IAMModel.identityStatements(of: role, in: context)
        else { return }
        if !IAMModel.grants(statements, action: "sqs:sendmessage", on: queue.logicalId, in: context) {
            context.report(
                Rules.apiRoleLacksSend, at: base.appending("Integration").appending("Credentials"),
                subject: method.logicalId,
                "integration role '\(role.logicalId)' does not allow sqs:SendMessage on '\(queue.logicalId)'")
        }
    }

    private static func checkStage(_ stage: Resource, _ context: inout Context) {
        let throttled =
            stage["MethodSettings"]?.items?.contains {
                $0["ThrottlingRateLimit"] != nil || $0["ThrottlingBurstLimit"] != nil
            } ?? false
        let plans = context.resourceList.filter { plan in
            plan.type == "AWS::ApiGateway::UsagePlan" && plan["Throttle"] != nil
                && (plan["ApiStages"]?.items ?? []).contains { entry in
                    entry["Stage"].map {
                        context.target(of: $0)?.resource.logicalId == stage.logicalId || $0 == stage["StageName"]
                    }
                        ?? false
                }
        }
        // A usage plan's throttle applies only to requests that carry one of its API keys ("Usage plans ... use
        // API keys to identify API clients"): without a key in the plan and a method that requires one, it
        // throttles nothing.
        let applying = plans.filter { Self.planApplies($0, context) }
        if !throttled && applying.isEmpty {
            let why =
                plans.isEmpty
                ? "no usage plan throttles it"
                : "usage plan '\(plans[0].logicalId)' throttles nothing: it has no API key or no method requires one"
            context.report(
                Rules.stageWithoutThrottling, at: Path("Resources", stage.logicalId), subject: stage.logicalId,
                "stage '\(stage.logicalId)' sets no method throttling and \(why)")
        }
        if stage["AccessLogSetting"] == nil {
            context.report(
                Rules.stageWithoutAccessLog, at: Path("Resources", stage.logicalId), subject: stage.logicalId,
                "stage '\(stage.logicalId)' writes no access logs")
        }
    }

    /// Whether a usage plan can throttle anything: one of its keys (`AWS::ApiGateway::UsagePlanKey`) exists and a
    /// method requires an API key.
    static func planApplies(_ plan: Resource, _ context: Context) -> Bool {
        let keyed = context.resourceList.contains { key in
            key.type == "AWS::ApiGateway::UsagePlanKey"
                && key["UsagePlanId"].flatMap { context.target(of: $0)?.resource.logicalId } == plan.logicalId
        }
        let required = context.resourceList.contains {
            $0.type == "AWS::ApiGateway::Method"
                && ($0["ApiKeyRequired"] == .bool(true) || $0["ApiKeyRequired"] == .string("true"))
        }
        return keyed && required
    }

    // MARK: Lambda

    private static func checkFunction(_ function: Resource, _ context: inout Context) {
        let base = properties(function)
        if let roleValue = function["Role"], let (role, _) = context.target(of: roleValue),
            role.type == "AWS::IAM::Role",
            let document = role["AssumeRolePolicyDocument"]
        {
            let statements = IAMModel.statements(
                in: document, at: Path("Resources", role.logicalId, "Properties", "AssumeRolePolicyDocument"))
            let principals = statements.filter(\.allow).map { IAMModel.servicePrincipals($0.principal) }
            let literal = principals.allSatisfy { $0 != nil }
            if literal, !principals.contains(where: { $0!.contains("lambda.amazonaws.com") }) {
                context.report(
                    Rules.roleTrustsWrongService,
                    at: Path("Resources", role.logicalId, "Properties", "AssumeRolePolicyDocument"),
                    subject: role.logicalId,
                    "role '\(role.logicalId)' runs function '\(function.logicalId)' but does not trust lambda.amazonaws.com"
                )
            }
        }
        checkLogGroup(function, base: base, &context)
    }

    private static func checkLogGroup(_ function: Resource, base: Path, _ context: inout Context) {
        let groups = context.resourceList.filter { $0.type == "AWS::Logs::LogGroup" }
        var group: Resource?
        if let configured = function["LoggingConfig"]?["LogGroup"] {
            if let (target, _) = context.target(of: configured), target.type == "AWS::Logs::LogGroup" {
                group = target
            } else {
                group = groups.first { $0["LogGroupName"] == configured }
                if group == nil, configured.stringValue != nil || configured.isSub { return }
            }
        } else {
            let expected = expectedLogGroupNames(function)
            group = groups.first { candidate in
                guard let name = candidate["LogGroupName"] else { return false }
                return expected.contains(name)
                    || context.mentionedResources(name) == [function.logicalId]
                        && logGroupText(name)?.hasPrefix("/aws/lambda/") == true
            }
        }
        guard let group else {
            context.report(
                Rules.functionLogGroup, at: Path("Resources", function.logicalId), subject: function.logicalId,
                "function '\(function.logicalId)' has no log group declared (/aws/lambda/<name> or LoggingConfig.LogGroup); Lambda would create one that never expires"
            )
            return
        }
        if group["RetentionInDays"] == nil {
            context.report(
                Rules.functionLogGroup, at: Path("Resources", group.logicalId), subject: group.logicalId,
                "log group '\(group.logicalId)' of function '\(function.logicalId)' sets no RetentionInDays; its logs never expire"
            )
        }
    }

    private static func expectedLogGroupNames(_ function: Resource) -> [Value] {
        switch function["FunctionName"] {
        case .string(let name)?: return [.string("/aws/lambda/\(name)"), .sub("/aws/lambda/\(name)", nil)]
        case .sub(let text, nil)?: return [.sub("/aws/lambda/\(text)", nil)]
        case nil: return [.sub("/aws/lambda/${\(function.logicalId)}", nil)]
        default: return []
        }
    }

    private static func logGroupText(_ value: Value) -> String? {
        switch value {
        case .string(let text), .sub(let text, _): return text
        case .call(.join, let argument):
            return argument.items?.last?.items?.compactMap(\.stringValue).joined()
        default: return nil
        }
    }

    private static func checkPermission(_ permission: Resource, _ context: inout Context) {
        guard let principal = permission["Principal"]?.stringValue, let source = permission["SourceArn"] else { return }
        var service: String?
        if let (target, _) = context.target(of: source) {
            switch target.type {
            case "AWS::SNS::Topic": service = "sns.amazonaws.com"
            case "AWS::Events::Rule": service = "events.amazonaws.com"
            case "AWS::S3::Bucket": service = "s3.amazonaws.com"
            case "AWS::SQS::Queue": service = "sqs.amazonaws.com"
            default: break
            }
        } else {
            let text: String?
            switch source {
            case .string(let value), .sub(let value, _): text = value
            default: text = nil
            }
            if let text {
                if text.contains(":execute-api:") {
                    service = "apigateway.amazonaws.com"
                } else if text.contains(":events:") {
                    service = "events.amazonaws.com"
                } else if text.contains(":sns:") {
                    service = "sns.amazonaws.com"
                } else if text.contains(":s3:::") {
                    service = "s3.amazonaws.com"
                }
            }
        }
        if let service, principal != service, !principal.hasPrefix(service.replacingDots()) {
            context.report(
                Rules.permissionPrincipalMismatch, at: properties(permission).appending("Principal"),
                subject: permission.logicalId,
                "principal \(principal) does not match its SourceArn, which belongs to \(service)")
        }
    }

    // MARK: SNS -> SQS

    private static func checkSubscription(
        protocol: Value?, endpoint: Value?, topic: Value?, at base: Path, subject: String, _ context: inout Context
    ) {
        guard `protocol`?.stringValue?.lowercased() == "sqs", let endpoint,
            let (queue, attribute) = context.target(of: endpoint),
            queue.type == "AWS::SQS::Queue"
        else { return }
        if attribute == nil {
            context.report(
                Rules.subscriptionEndpointIsURL, at: base.appending("Endpoint"), subject: subject,
                "the sqs subscription's Endpoint is !Ref \(queue.logicalId), the queue's URL; use !GetAtt \(queue.logicalId).Arn"
            )
        }
        if let key = queue["KmsMasterKeyId"]?.stringValue, key == "alias/aws/sqs" {
            context.report(
                Rules.subscribedQueueAWSManagedKey, at: properties(queue).appending("KmsMasterKeyId"),
                subject: queue.logicalId,
                "'\(queue.logicalId)' is subscribed to a topic but encrypted with alias/aws/sqs, which SNS cannot use")
        }
        let topicId = topic.flatMap { context.target(of: $0)?.resource.logicalId }
        let policies = context.resourceList.filter { policy in
            policy.type == "AWS::SQS::QueuePolicy"
                && (policy["Queues"]?.items ?? []).contains {
                    context.target(of: $0)?.resource.logicalId == queue.logicalId
                }
        }
        var admitted = false
        var otherTopic = false
        for policy in policies {
            guard let document = policy["PolicyDocument"] else { continue }
            for statement in IAMModel.statements(in: document, at: properties(policy).appending("PolicyDocument")) {
                guard statement.allow,
                    statement.actions.map({ $0.contains { IAMModel.matches($0, "sqs:sendmessage") } }) ?? true
                else { continue }
                let services = IAMModel.servicePrincipals(statement.principal) ?? []
                let anyone = statement.principal == .string("*") || statement.principal?["AWS"] == .string("*")
                guard services.contains("sns.amazonaws.com") || anyone || statement.principal == nil else { continue }
                if let condition = statement.condition, let topicId {
                    let mentioned = context.mentionedResources(condition)
                    if !mentioned.isEmpty && !mentioned.contains(topicId) {
                        otherTopic = true
                        continue
                    }
                    if mentioned.isEmpty, let topic = context.resources[topicId],
                        !SourceArnCondition.canName(topic, condition)
                    {
                        otherTopic = true
                        continue
                    }
                }
                admitted = true
            }
        }
        if !admitted {
            context.report(
                Rules.subscriptionQueueNotAllowed, at: base.appending("Endpoint"), subject: subject,
                otherTopic
                    ? "the policy of '\(queue.logicalId)' admits another topic, not \(topicId.map { "'\($0)'" } ?? "this one")"
                    : "no queue policy lets sns.amazonaws.com send to '\(queue.logicalId)'; SNS drops every message")
        }
    }

    // MARK: Alarms

    static let dimensionTypes: [String: String] = [
        "QueueName": "AWS::SQS::Queue", "FunctionName": "AWS::Lambda::Function", "TableName": "AWS::DynamoDB::Table",
        "TopicName": "AWS::SNS::Topic", "StateMachineArn": "AWS::StepFunctions::StateMachine",
        "BucketName": "AWS::S3::Bucket",
    ]

    private static func checkAlarm(_ alarm: Resource, _ context: inout Context) {
        let base = properties(alarm).appending("Dimensions")
        for (index, dimension) in (alarm["Dimensions"]?.items ?? []).enumerated() {
            guard let name = dimension["Name"]?.stringValue, let expected = dimensionTypes[name],
                let value = dimension["Value"]
            else { continue }
            let path = base.appending(String(index))
            if case .string(let literal) = value {
                context.report(
                    Rules.alarmDimensionLiteral, at: path, subject: alarm.logicalId,
                    "dimension \(name) of '\(alarm.logicalId)' is the literal '\(literal)'; reference the \(expected) instead"
                )
            } else if let (target, _) = context.target(of: value), target.type != expected {
                context.report(
                    Rules.alarmDimensionWrongType, at: path, subject: alarm.logicalId,
                    "dimension \(name) of '\(alarm.logicalId)' references '\(target.logicalId)', a \(target.type), not a \(expected)"
                )
            }
            if name == "FunctionName", alarm["MetricName"] == .string("IteratorAge"),
                let (function, _) = context.target(of: value)
            {
                // The source types of the function's mappings: IteratorAge exists only for stream sources.
                let sources = context.resourceList.filter { mapping in
                    mapping.type == "AWS::Lambda::EventSourceMapping"
                        && mapping["FunctionName"].flatMap { context.function(of: $0)?.logicalId } == function.logicalId
                }.compactMap { $0["EventSourceArn"].flatMap { context.target(of: $0)?.resource.type } }
                if sources.contains("AWS::SQS::Queue") && !sources.contains(where: { $0 != "AWS::SQS::Queue" }) {
                    context.report(
                        Rules.iteratorAgeOnSQS, at: properties(alarm).appending("MetricName"), subject: alarm.logicalId,
                        "'\(alarm.logicalId)' watches IteratorAge of '\(function.logicalId)', which is fed only by SQS; that metric exists only for streams"
                    )
                }
            }
        }
    }

    // MARK: DynamoDB

    private static func checkTable(_ table: Resource, _ context: inout Context) {
        let base = Path("Resources", table.logicalId)
        let pitr = table["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"]
        if pitr != .bool(true) && pitr != .string("true") {
            context.report(
                Rules.tableWithoutPITR, at: base, subject: table.logicalId,
                "table '\(table.logicalId)' has no point-in-time recovery")
        }
        if table.deletionPolicy != .string("Retain") || table.updateReplacePolicy != .string("Retain") {
            context.report(
                Rules.tableNotRetained, at: base, subject: table.logicalId,
                "table '\(table.logicalId)' is not retained: set DeletionPolicy and UpdateReplacePolicy to Retain")
        }
        let protection = table["DeletionProtectionEnabled"]
        if protection != .bool(true) && protection != .string("true") && !(protection.map { isIntrinsic($0) } ?? false)
        {
            context.report(
                Rules.tableWithoutDeletionProtection, at: base, subject: table.logicalId,
                "table '\(table.logicalId)' has no deletion protection")
        }
    }

    static func isIntrinsic(_ value: Value) -> Bool {
        switch value {
        case .ref, .getAtt, .sub, .call: return true
        default: return false
        }
    }
}

extension Value {
    var isSub: Bool {
        if case .sub = self { return true }
        return false
    }
}

extension String {
    fileprivate func replacingDots() -> String { String(split(separator: ".").first ?? "") }
}

/// The `aws:SourceArn` condition of a queue policy written as text (a literal ARN, or a `Fn::Sub` of pseudo
/// parameters): whether it can name a given topic.
enum SourceArnCondition {
    /// `false` only when every `aws:SourceArn` value is text whose topic part cannot be the topic's name: a fixed
    /// name that differs from its literal `TopicName` (wildcards honoured), or a fixed name without a wildcard for a
    /// topic without `TopicName` (CloudFormation then generates `<stack>-<logicalId>-<suffix>`). A `TopicName`
    /// built with intrinsics gets no verdict.
    static func canName(_ topic: Resource, _ condition: Value) -> Bool {
        let names = topicNames(in: condition)
        guard !names.isEmpty else { return true }
        guard let written = topic["TopicName"] else { return names.contains { $0.contains("*") } }
        guard let topicName = written.stringValue else { return true }
        return names.contains { IAMModel.matches($0.lowercased(), topicName.lowercased()) }
    }

    /// The topic part (after the last `:`) of every textual `aws:SourceArn` value; empty when any value is not text
    /// (a reference or a parameter) or its topic part is not fixed.
    private static func topicNames(in condition: Value) -> [String] {
        var names: [String] = []
        for operands in condition.fields ?? Fields() {
            for entry in operands.value.fields ?? Fields() where entry.key.lowercased() == "aws:sourcearn" {
                for item in entry.value.items ?? [entry.value] {
                    let text: String
                    switch item {
                    case .string(let literal): text = literal
                    case .sub(let template, nil): text = template
                    default: return []
                    }
                    guard let last = text.split(separator: ":", omittingEmptySubsequences: false).last,
                        !last.contains("${")
                    else { return [] }
                    names.append(String(last))
                }
            }
        }
        return names
    }
}
