import CloudFormation

/// Every figure the simulator uses, with its default and source; `init(template:)` reads the configurable ones from
/// the synthesized template.
public struct SimulationParameters: Sendable, Equatable {
    /// An alarm as the simulator evaluates it.
    public struct AlarmRule: Sendable, Equatable {
        public var logicalId: String
        /// Which simulated metric it watches.
        public var metric: Metric
        public var threshold: Double
        public var periodSeconds: Int
        public var evaluationPeriods: Int
        public var datapointsToAlarm: Int
        public var comparison: String

        /// Creates a rule.
        public init(
            logicalId: String, metric: Metric, threshold: Double, periodSeconds: Int, evaluationPeriods: Int,
            datapointsToAlarm: Int, comparison: String
        ) {
            self.logicalId = logicalId
            self.metric = metric
            self.threshold = threshold
            self.periodSeconds = periodSeconds
            self.evaluationPeriods = evaluationPeriods
            self.datapointsToAlarm = datapointsToAlarm
            self.comparison = comparison
        }
    }

    /// Simulated metrics (one value per minute).
    public enum Metric: String, Sendable, CaseIterable {
        case queueAge = "intake ApproximateAgeOfOldestMessage (s)"
        case dlqDepth = "intake DLQ ApproximateNumberOfMessagesVisible"
        case api4xx = "API 4XXError (429 throttles)"
        case api5xx = "API 5XXError"
        case lambdaThrottles = "processor Throttles"
        case lambdaErrors = "processor Errors"
        case dynamoWriteThrottles = "table WriteThrottleEvents"
    }

    /// Account-level API Gateway throttle: 10,000 requests/s with a burst of 5,000 (AWS API Gateway quotas).
    public var accountRateLimit = 10_000.0
    public var accountBurstLimit = 5_000.0
    /// Stage (and method) throttle from `MethodSettings`.
    public var stageRateLimit: Double?
    public var stageBurstLimit: Double?
    /// Lambda's SQS pollers start with 5 concurrent batches (AWS Lambda developer guide).
    public var initialConcurrency = 5.0
    /// They add up to 300 concurrent batches per minute while messages wait (developer guide; older pages said 60).
    public var rampPerMinute = 300.0
    /// Upper bound of the SQS event source mapping: 1,250 in the current guide, 1,000 on older pages.
    public var concurrencyCeiling = 1_250.0
    /// `ScalingConfig.MaximumConcurrency`.
    public var maximumConcurrency: Double?
    /// `ReservedConcurrentExecutions` of the processor.
    public var reservedConcurrency: Double?
    public var batchSize = 10.0
    public var batchingWindowSeconds = 0.0
    /// Handler time per batch (from the profile's `processor_ms_per_batch`).
    public var secondsPerBatch = 0.12
    /// Extra time for a batch on a new execution environment.
    public var coldStartSeconds = 0.15
    public var visibilityTimeoutSeconds = 30.0
    public var maxReceiveCount: Double?
    /// DynamoDB on-demand: 4,000 write units/s for a new table, up to twice the previous peak after 30 minutes
    /// (DynamoDB developer guide, on-demand initial throughput).
    public var initialWriteUnitsPerSecond = 4_000.0
    public var doublingDelaySeconds = 1_800
    /// Write units per accepted order: two writes of ⌈item / 1 KB⌉ (set from the profile's order size).
    public var writeUnitsPerOrder = 6.0
    /// SNS Publish quota in us-east-1: 30,000/s (9,000 or 1,500 in smaller regions).
    public var snsPublishPerSecond = 30_000.0
    /// API Gateway to SQS acceptance latency (one SendMessage round trip).
    public var acceptanceSeconds = 0.03
    /// The template's alarms that the simulator can evaluate.
    public var alarms: [AlarmRule] = []

    public init() {}

    /// Reads throttles, batching, concurrency, timeouts, redrive and alarms from `template`; the profile gives
    /// handler time and order size.
    public init(template: Template, profile: TrafficProfile) {
        var resources: [String: Resource] = [:]
        for resource in template.resources { resources[resource.logicalId] = resource }
        let model = StackUsageModel(template)
        func target(_ value: Value?) -> String? {
            switch value {
            case .ref(let name)?: return name
            case .getAtt(let name, _)?: return name
            default: return nil
            }
        }
        for stage in template.resources where stage.type == "AWS::ApiGateway::Stage" {
            for setting in stage["MethodSettings"]?.items ?? [] {
                if let rate = setting["ThrottlingRateLimit"]?.intValue { stageRateLimit = Double(rate) }
                if let burst = setting["ThrottlingBurstLimit"]?.intValue { stageBurstLimit = Double(burst) }
            }
        }
        batchSize = model.batchSize
        batchingWindowSeconds = model.batchingWindowSeconds
        secondsPerBatch = profile.assumptions.processorMs(atMemoryMB: model.processor?.memoryMB ?? 128) / 1000
        writeUnitsPerOrder = 2 * ((profile.orderBytes + profile.assumptions.itemOverheadBytes) / 1024).rounded(.up)
        var dlqId: String?
        if let intake = model.intakeQueue, let queue = resources[intake] {
            visibilityTimeoutSeconds = Double(queue["VisibilityTimeout"]?.intValue ?? 30)
            if let redrive = queue["RedrivePolicy"] {
                maxReceiveCount = redrive["maxReceiveCount"]?.intValue.map(Double.init)
                dlqId = target(redrive["deadLetterTargetArn"])
            }
            for mapping in template.resources where mapping.type == "AWS::Lambda::EventSourceMapping" {
                guard target(mapping["EventSourceArn"]) == intake else { continue }
                maximumConcurrency = mapping["ScalingConfig"]?["MaximumConcurrency"]?.intValue.map(Double.init)
                if let function = target(mapping["FunctionName"]).flatMap({ resources[$0] }) {
                    reservedConcurrency = function["ReservedConcurrentExecutions"]?.intValue.map(Double.init)
                }
            }
        }
        for alarm in template.resources where alarm.type == "AWS::CloudWatch::Alarm" {
            let dimension = alarm["Dimensions"]?.items?.first?["Value"]
            let subject = target(dimension)
            let metricName = alarm["MetricName"]?.stringValue ?? ""
            var metric: Metric?
            switch (alarm["Namespace"]?.stringValue ?? "", metricName) {
            case ("AWS/SQS", "ApproximateAgeOfOldestMessage") where subject == model.intakeQueue: metric = .queueAge
            case ("AWS/SQS", "ApproximateNumberOfMessagesVisible") where subject != nil && subject == dlqId:
                metric = .dlqDepth
            case ("AWS/ApiGateway", "4XXError"): metric = .api4xx
            case ("AWS/ApiGateway", "5XXError"): metric = .api5xx
            case ("AWS/Lambda", "Throttles") where subject == model.processor?.logicalId: metric = .lambdaThrottles
            case ("AWS/Lambda", "Errors") where subject == model.processor?.logicalId: metric = .lambdaErrors
            case ("AWS/DynamoDB", "WriteThrottleEvents"): metric = .dynamoWriteThrottles
            default: metric = nil
            }
            guard let metric, let threshold = alarm["Threshold"]?.intValue else { continue }
            let evaluation = alarm["EvaluationPeriods"]?.intValue ?? 1
            alarms.append(
                AlarmRule(
                    logicalId: alarm.logicalId, metric: metric, threshold: Double(threshold),
                    periodSeconds: alarm["Period"]?.intValue ?? 60, evaluationPeriods: evaluation,
                    datapointsToAlarm: alarm["DatapointsToAlarm"]?.intValue ?? evaluation,
                    comparison: alarm["ComparisonOperator"]?.stringValue ?? "GreaterThanOrEqualToThreshold"))
        }
    }

    /// The effective API token bucket: the lower of the account and stage limits.
    var rateLimit: Double { min(accountRateLimit, stageRateLimit ?? .infinity) }
    var burstLimit: Double { min(accountBurstLimit, stageBurstLimit ?? .infinity) }
    /// The most concurrent batches the mapping may run.
    var concurrencyCap: Double { min(concurrencyCeiling, maximumConcurrency ?? .infinity) }
}
