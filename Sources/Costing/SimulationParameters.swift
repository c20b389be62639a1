import CloudFormation
import StackGraph

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
    public var writeUnitsPerArrival = 6.0
    /// SNS Publish quota in us-east-1: 30,000/s (9,000 or 1,500 in smaller regions).
    public var snsPublishPerSecond = 30_000.0
    /// API Gateway to SQS acceptance latency (one SendMessage round trip).
    public var acceptanceSeconds = 0.03
    /// The template's alarms that the simulator can evaluate.
    public var alarms: [AlarmRule] = []
    /// The outbox, when the processor also reads the table's change stream and announces from it.
    public var outbox: Outbox?

    /// The processor's second trigger: the change stream of the table it writes (the transactional outbox).
    public struct Outbox: Sendable, Equatable {
        /// The stream mapping's `BatchSize`.
        public var batchSize: Double
        /// From a record's write to its batch: the mapping's batching window, at least Lambda's polling of a
        /// stream shard (4 times a second).
        public var windowSeconds: Double
        /// Handler time per stream batch (the processor's).
        public var secondsPerBatch: Double
        /// Shards read at once, one invocation at a time each (`ParallelizationFactor` 1): one per table
        /// partition, and a partition takes up to 1,000 write units a second (DynamoDB developer guide,
        /// partitions), so a new on-demand table's 4,000 give 4.
        public var shards: Double

        /// Stream batches a second when `stored` items a second are written.
        public func batches(stored: Double) -> Double {
            stored > 0 ? stored / min(batchSize, max(1, stored * windowSeconds)) : 0
        }

        /// Concurrent executions the stream's batches hold at `stored` items a second (at most one per shard).
        public func concurrency(stored: Double) -> Double { min(shards, batches(stored: stored) * secondsPerBatch) }

        /// From stored to announced: the window, then the batch's handler time.
        public var announceSeconds: Double { windowSeconds + secondsPerBatch }
    }
    /// Consumers of subscriber queues downstream of the processor, simulated on the processor's output.
    public var downstream: [DownstreamConsumer] = []

    /// A mapping fed by what the processor publishes, simulated after it.
    public struct DownstreamConsumer: Sendable, Equatable {
        public var mapping: String
        public var function: String
        public var queue: String
        /// Messages it receives per message the processor finishes.
        public var perProcessed: Double
        /// Its own limits; no API in front of it.
        public var parameters: SimulationParameters
    }

    public init() {}

    /// Reads throttles, batching, concurrency, timeouts, redrive and alarms from `template`; the profile gives
    /// handler time, order size and the entry route.
    public init(template: Template, profile: TrafficProfile) {
        self.init(
            model: StackUsageModel(template, entryRoute: profile.entryRoute, queryRoute: profile.queryRoute),
            profile: profile)
    }

    /// Reads the figures from the model of the stack: the entry API's stage throttle, the intake queue and its
    /// consumer, the alarms on them, and each downstream consumer's own limits.
    public init(model: StackUsageModel, profile: TrafficProfile) {
        let graph = model.graph
        if let entry = model.entry, let api = graph.api(entry.api) {
            stageRateLimit = api.rateLimit
            stageBurstLimit = api.burstLimit
        }
        let a = profile.assumptions
        secondsPerBatch = a.processorMs(atMemoryMB: model.processor?.memoryMB ?? 128) / 1000
        let units = ((profile.bodyBytes + a.itemOverheadBytes) / 1024).rounded(.up)
        if let mapping = model.intakeMapping {
            configure(consumer: mapping, graph: graph)
            writeUnitsPerArrival = Self.writeUnits(of: mapping.function, graph: graph, model: model, a) * units
        }
        alarms = Self.alarms(
            graph.alarms, model: model, deadLetterQueue: model.intakeQueue.flatMap { graph.queue($0)?.deadLetterQueue })
        if let flow = model.outboxes.first(where: { $0.function.logicalId == model.processor?.logicalId }) {
            outbox = Outbox(
                batchSize: flow.consumer.batchSize,
                windowSeconds: max(Estimator.streamPollSeconds, flow.consumer.batchingWindowSeconds),
                secondsPerBatch: a.processorMs(atMemoryMB: flow.function.memoryMB) / 1000,
                shards: (initialWriteUnitsPerSecond / 1_000).rounded(.up))
        }
        downstream = model.consumers.filter(\.fromTopic).map { flow in
            var own = SimulationParameters()
            own.accountRateLimit = .infinity
            own.accountBurstLimit = .infinity
            own.acceptanceSeconds = 0
            own.configure(consumer: flow.consumer, graph: graph)
            own.secondsPerBatch = a.processorMs(atMemoryMB: flow.function.memoryMB) / 1000
            own.writeUnitsPerArrival =
                Self.writeUnits(of: flow.function.logicalId, graph: graph, model: model, a) * units
            return DownstreamConsumer(
                mapping: flow.consumer.mapping, function: flow.function.logicalId, queue: flow.consumer.queue,
                perProcessed: flow.perArrival / max(model.processorShare, 1e-9), parameters: own)
        }
    }

    /// Batching, concurrency and redrive of one mapping and its queue and function.
    mutating func configure(consumer: StackGraph.Consumer, graph: StackGraph) {
        batchSize = consumer.batchSize
        batchingWindowSeconds = consumer.batchingWindowSeconds
        maximumConcurrency = consumer.maximumConcurrency
        reservedConcurrency = graph.function(consumer.function)?.reservedConcurrency
        if let queue = graph.queue(consumer.queue) {
            visibilityTimeoutSeconds = queue.visibilityTimeoutSeconds
            maxReceiveCount = queue.maxReceiveCount
        }
    }

    /// The alarms on what the simulator models: the intake queue's age, its DLQ's depth, the API's 4XX and 5XX,
    /// the processor's throttles and errors, table write throttles.
    /// Table writes per message of `function`: on each table it writes, 2 where the table has an outbox, else 1
    /// (or the profile's `table_writes_per_message`).
    static func writeUnits(
        of function: String, graph: StackGraph, model: StackUsageModel, _ a: TrafficProfile.Assumptions
    ) -> Double {
        (graph.function(function)?.writes ?? []).reduce(0) { total, table in
            total + a.writesPerMessage(outbox: model.outboxes.contains { $0.consumer.table == table })
        }
    }

    static func alarms(
        _ nodes: [StackGraph.AlarmNode], model: StackUsageModel, deadLetterQueue: String?
    ) -> [AlarmRule] {
        nodes.compactMap { alarm in
            let subject = alarm.subject
            let metric: Metric?
            switch (alarm.namespace, alarm.metricName) {
            case ("AWS/SQS", "ApproximateAgeOfOldestMessage") where subject != nil && subject == model.intakeQueue:
                metric = .queueAge
            case ("AWS/SQS", "ApproximateNumberOfMessagesVisible") where subject != nil && subject == deadLetterQueue:
                metric = .dlqDepth
            case ("AWS/ApiGateway", "4XXError"): metric = .api4xx
            case ("AWS/ApiGateway", "5XXError"): metric = .api5xx
            case ("AWS/Lambda", "Throttles") where subject != nil && subject == model.processor?.logicalId:
                metric = .lambdaThrottles
            case ("AWS/Lambda", "Errors") where subject != nil && subject == model.processor?.logicalId:
                metric = .lambdaErrors
            case ("AWS/DynamoDB", "WriteThrottleEvents"): metric = .dynamoWriteThrottles
            default: metric = nil
            }
            guard let metric, let threshold = alarm.threshold else { return nil }
            return AlarmRule(
                logicalId: alarm.logicalId, metric: metric, threshold: threshold, periodSeconds: alarm.periodSeconds,
                evaluationPeriods: alarm.evaluationPeriods, datapointsToAlarm: alarm.datapointsToAlarm,
                comparison: alarm.comparison)
        }
    }

    /// The effective API token bucket: the lower of the account and stage limits.
    var rateLimit: Double { min(accountRateLimit, stageRateLimit ?? .infinity) }
    var burstLimit: Double { min(accountBurstLimit, stageBurstLimit ?? .infinity) }
    /// The most concurrent batches the mapping may run.
    var concurrencyCap: Double { min(concurrencyCeiling, maximumConcurrency ?? .infinity) }
}
