import CloudFormation

/// One line of the estimate: quantity × unit price = cost, with the formula behind the quantity.
public struct CostLine: Sendable, Equatable {
    /// The AWS service, e.g. `Amazon SQS`.
    public var service: String
    /// What is billed, e.g. `requests (intake queue)`.
    public var item: String
    /// The billable quantity (after any free allowance).
    public var quantity: Double
    /// The unit, e.g. `requests`.
    public var unit: String
    /// The price key in the catalogue.
    public var key: PriceCatalogue.Key
    /// The effective price per unit (tiers applied).
    public var unitPrice: Double
    /// Monthly cost in the catalogue's currency.
    public var cost: Double
    /// How the quantity was derived.
    public var formula: String
}

/// The monthly estimate for one profile.
public struct Estimate: Sendable, Equatable {
    public var profile: String
    public var stage: String
    public var region: String
    public var currency: String
    public var pricingAsOf: String
    public var freeTier: Bool
    public var orders: Double
    public var lines: [CostLine]
    public var assumptions: [String]

    /// The sum of the lines.
    public var total: Double { lines.reduce(0) { $0 + $1.cost } }
}

/// Options of an estimate.
public struct EstimateOptions: Sendable {
    /// Apply the always-free allowances.
    public var freeTier = false
    /// Also apply the first-12-months allowances (API Gateway).
    public var firstYearFreeTier = false
    /// The stage name, for the report.
    public var stage = ""
    /// Override the processor's architecture (`--suggest` variants).
    public var architecture: String?
    /// Price API requests as an HTTP API (`--suggest` variant).
    public var httpApi = false
    /// Override the batching window (`--suggest` variant).
    public var batchingWindowSeconds: Double?
    /// Price every log group in the infrequent-access class (`--suggest` variant).
    public var infrequentAccessLogs = false
    /// Cap log retention at this many days (`--suggest` variant).
    public var maximumRetentionDays: Double?
    /// Leave out the alarms on table read throttling (`--suggest` variant).
    public var dropReadThrottleAlarms = false
    /// Use the simulator's effective batches, invocations (throttled retries included), receives, traces and
    /// accepted requests instead of the steady-state integration.
    public var simulation: SimulationResult?
    /// Prices the processor at this memory instead of the template's (a `--suggest` variant).
    public var processorMemoryMB: Double?

    public init() {}
}

/// Monthly usage, integrated minute by minute over the 730-hour month.
public struct MonthlyUsage: Sendable, Equatable {
    /// Orders accepted.
    public var orders = 0.0
    /// Processor invocations (batches).
    public var batches = 0.0
    /// ReceiveMessage calls on the intake queue: one per batch, plus the empty long polls of idle pollers.
    public var receives = 0.0
    /// Requests traced by X-Ray (1 per second, then 5 % of the rest).
    public var tracedRequests = 0.0
    /// Five-minute periods (the KMS data-key reuse period) with at least one order: a month without traffic
    /// makes no data-key calls.
    public var activeKeyPeriods = 0.0
}

/// Prices a stack for a traffic profile.
public enum Estimator {
    static let gib = 1_073_741_824.0
    static let chunk = 65_536.0

    /// Integrates the profile over the month: orders, batches, receives, traces.
    public static func usage(_ profile: TrafficProfile, model: StackUsageModel, window: Double) -> MonthlyUsage {
        var usage = MonthlyUsage()
        let batchSize = max(1, model.batchSize)
        let handlerSeconds = profile.assumptions.processorMs(atMemoryMB: model.processor?.memoryMB ?? 128) / 1000
        let requestsPerOrder = 1 + profile.queriesPerOrder
        var lastActivePeriod = -1
        for minute in 0..<TrafficProfile.minutesPerMonth {
            let rate = profile.rate(atMinute: minute)
            let orders = rate * 60
            usage.orders += orders
            if orders > 0 && minute / 5 != lastActivePeriod {
                lastActivePeriod = minute / 5
                usage.activeKeyPeriods += 1
            }
            guard model.processor != nil else { continue }
            let batch = min(batchSize, max(1, rate * max(window, handlerSeconds)))
            let batches = orders / batch
            usage.batches += batches
            usage.receives += max(profile.assumptions.idleReceivesPerMinute, batches)
            let apiRate = rate * requestsPerOrder
            usage.tracedRequests += 60 * (min(apiRate, 1) + 0.05 * max(apiRate - 1, 0))
        }
        return usage
    }

    /// The estimate of `template` under `profile`, priced with `prices`.
    public static func estimate(
        template: Template, profile: TrafficProfile, prices: PriceCatalogue,
        options: EstimateOptions = EstimateOptions()
    ) -> Estimate {
        var model = StackUsageModel(template)
        if let memory = options.processorMemoryMB { model.processor?.memoryMB = memory }
        let a = profile.assumptions
        let window = options.batchingWindowSeconds ?? model.batchingWindowSeconds
        var usage = usage(profile, model: model, window: window)
        var billedRequests = usage.orders * (1 + profile.queriesPerOrder)
        if let simulation = options.simulation {
            usage.orders = simulation.acceptedOrders
            usage.batches = simulation.invocations
            usage.receives = simulation.receives
            usage.tracedRequests = simulation.tracedRequests
            billedRequests = simulation.acceptedRequests
        }
        let orders = usage.orders
        let queries = orders * profile.queriesPerOrder
        let messageChunks = (profile.orderBytes / chunk).rounded(.up)
        let itemBytes = profile.orderBytes + a.itemOverheadBytes
        var raw:
            [(service: String, item: String, quantity: Double, unit: String, key: PriceCatalogue.Key, formula: String)] =
                []
        func add(
            _ service: String, _ item: String, _ quantity: Double, _ unit: String, _ key: PriceCatalogue.Key,
            _ formula: String
        ) {
            // Usage that does not occur in this profile (no queries, no orders) is left out rather than shown as $0.
            guard quantity > 0 else { return }
            raw.append((service, item, quantity, unit, key, formula))
        }
        let q = Money.quantity
        if model.restApis > 0 {
            let requests =
                options.simulation != nil
                ? billedRequests : (model.hasPostRoute ? orders : 0) + (model.hasGetRoute ? queries : 0)
            add(
                "Amazon API Gateway", options.httpApi ? "HTTP API requests" : "REST API requests", requests, "requests",
                options.httpApi ? .apiHttpRequests : .apiRestRequests,
                "\(q(orders)) POST /orders + \(q(orders)) orders × \(q(profile.queriesPerOrder)) GET /orders/{id}")
        }
        if let intake = model.intakeQueue, model.hasPostRoute {
            add(
                "Amazon SQS", "SendMessage (\(intake))", orders * messageChunks, "requests", .sqsRequests,
                "\(q(orders)) orders × \(Money.count(messageChunks, "64 KB chunk")) of \(Int(profile.orderBytes)) B")
            if model.processor != nil {
                add(
                    "Amazon SQS", "ReceiveMessage (\(intake), Lambda pollers)", usage.receives, "requests",
                    .sqsRequests,
                    "per minute max(\(q(a.idleReceivesPerMinute)) idle long polls, batches); \(q(usage.batches)) batches in the month"
                )
                add(
                    "Amazon SQS", "DeleteMessageBatch (\(intake))", usage.batches, "requests", .sqsRequests,
                    "one per batch: \(q(orders)) orders ÷ effective batch size (mean \(q(orders / max(usage.batches, 1))))"
                )
            }
        }
        if !model.subscriberQueues.isEmpty {
            let count = Double(model.subscriberQueues.count)
            add(
                "Amazon SQS", "subscriber queues: SNS deliveries", orders * count * messageChunks, "requests",
                .sqsRequests,
                "\(q(orders)) events × \(Money.count(count, "queue")) × \(Money.count(messageChunks, "chunk"))")
            add(
                "Amazon SQS", "subscriber queues: consumers' receives and deletes",
                orders * count * a.subscriberRequestsPerMessage,
                "requests", .sqsRequests,
                "\(q(orders)) events × \(Money.count(count, "queue")) × \(Money.count(a.subscriberRequestsPerMessage, "request"))"
            )
        }
        if let processor = model.processor {
            let architecture = options.architecture ?? processor.architecture
            add(
                "AWS Lambda", "requests (\(processor.logicalId))", usage.batches, "requests", .lambdaRequests,
                "one invocation per batch")
            let milliseconds = a.processorMs(atMemoryMB: processor.memoryMB).rounded(.up)
            let gbSeconds = usage.batches * milliseconds / 1000 * processor.memoryMB / 1024
            add(
                "AWS Lambda", "duration (\(processor.logicalId), \(architecture))", gbSeconds, "GB-seconds",
                architecture == "arm64" ? .lambdaGBSecondsArm : .lambdaGBSecondsX86,
                "\(q(usage.batches)) batches × \(q(milliseconds)) ms at \(Int(processor.memoryMB)) MB × \(Int(processor.memoryMB)) MB ÷ 1024"
            )
        }
        if let query = model.query, model.hasGetRoute {
            let architecture = options.architecture ?? query.architecture
            add(
                "AWS Lambda", "requests (\(query.logicalId))", queries, "requests", .lambdaRequests,
                "one per GET /orders/{id}")
            let milliseconds = a.queryMs(atMemoryMB: query.memoryMB).rounded(.up)
            add(
                "AWS Lambda", "duration (\(query.logicalId), \(architecture))",
                queries * milliseconds / 1000 * query.memoryMB / 1024, "GB-seconds",
                architecture == "arm64" ? .lambdaGBSecondsArm : .lambdaGBSecondsX86,
                "\(q(queries)) requests × \(q(milliseconds)) ms at \(Int(query.memoryMB)) MB × \(Int(query.memoryMB)) MB ÷ 1024"
            )
        }
        if !model.tables.isEmpty {
            let writeUnits = 2 * (itemBytes / 1024).rounded(.up)
            add(
                "Amazon DynamoDB", "write request units", orders * writeUnits, "WRU", .dynamodbWriteUnits,
                "\(q(orders)) orders × 2 writes (conditional put, published flag) × ⌈\(Int(itemBytes)) B / 1 KB⌉")
            if model.hasGetRoute {
                let readUnits = 0.5 * (itemBytes / 4096).rounded(.up)
                add(
                    "Amazon DynamoDB", "read request units", queries * readUnits, "RRU", .dynamodbReadUnits,
                    "\(q(queries)) eventually consistent reads × ½ × ⌈\(Int(itemBytes)) B / 4 KB⌉")
            }
            let storedGB = (a.storedOrders + orders / 2) * itemBytes / gib
            add(
                "Amazon DynamoDB", "storage", storedGB, "GB-months", .dynamodbStorage,
                "(\(q(a.storedOrders)) stored + \(q(orders)) ÷ 2 new) × \(Int(itemBytes)) B")
            if model.pitrTables > 0 {
                add(
                    "Amazon DynamoDB", "point-in-time recovery", storedGB, "GB-months", .dynamodbPITR,
                    "table size, as for storage")
            }
        }
        if model.eventTopics > 0 {
            add(
                "Amazon SNS", "publishes", orders * Double(model.eventTopics) * messageChunks, "requests",
                .snsPublishes,
                "\(q(orders)) OrderAccepted events × \(Money.count(messageChunks, "64 KB chunk")); deliveries to SQS are free"
            )
        }
        // Logs: what each group ingests in a month.
        var ingested: [(group: StackUsageModel.LogGroupInfo, bytes: Double, formula: String)] = []
        for group in model.logGroups {
            switch group.role {
            case "processor":
                let platform = model.systemLogLevelQuiet ? 0 : 350 * usage.batches
                ingested.append(
                    (
                        group, orders * a.logBytesPerOrder + platform,
                        "\(q(orders)) orders × \(q(a.logBytesPerOrder)) B\(model.systemLogLevelQuiet ? " (platform logs at WARN)" : " + 350 B per invocation")"
                    ))
            case "query": ingested.append((group, queries * 300, "\(q(queries)) requests × 300 B"))
            case "access":
                let requests = orders * (1 + profile.queriesPerOrder)
                ingested.append(
                    (
                        group, requests * a.accessLogBytesPerRequest,
                        "\(q(requests)) requests × \(q(a.accessLogBytesPerRequest)) B"
                    ))
            default: break
            }
        }
        for (group, bytes, formula) in ingested {
            let infrequent = options.infrequentAccessLogs || group.infrequentAccess
            add(
                "Amazon CloudWatch", "log ingestion (\(group.logicalId))", bytes / gib, "GB",
                infrequent ? .logsIngestionInfrequent : .logsIngestion, formula)
        }
        let stored = ingested.reduce(0.0) { total, entry in
            let retention = min(entry.group.retentionDays ?? 3653, options.maximumRetentionDays ?? .infinity)
            return total + entry.bytes / gib * (retention / 30.42) * a.logCompressionRatio
        }
        if !ingested.isEmpty {
            add(
                "Amazon CloudWatch", "log storage", stored, "GB-months", .logsStorage,
                "each group's monthly ingestion × retention ÷ 30.42 days × \(a.logCompressionRatio) compression (steady state)"
            )
        }
        let alarms = model.alarms - (options.dropReadThrottleAlarms ? model.readThrottleAlarms : 0)
        if alarms > 0 {
            add(
                "Amazon CloudWatch", "alarms", Double(alarms), "alarm metrics", .alarms,
                "\(Money.count(alarms, "alarm")) in the template, 1 metric each")
        }
        if model.dashboards > 0 {
            add(
                "Amazon CloudWatch", "dashboards", Double(model.dashboards), "dashboards", .dashboards,
                "\(model.dashboards) in the template")
        }
        if model.kmsKeys > 0 {
            add(
                "AWS KMS", "customer-managed keys", Double(model.kmsKeys), "key-months", .kmsKeys,
                "\(Money.count(model.kmsKeys, "key")), rotation on")
            let encrypted = Double(model.kmsQueues + model.logGroups.count)
            if usage.activeKeyPeriods > 0 {
                add(
                    "AWS KMS", "requests", encrypted * 2 * usage.activeKeyPeriods, "requests", .kmsRequests,
                    "\(Money.count(encrypted, "encrypted queue or log group", "encrypted queues and log groups")) × 2 data-key calls × \(Money.count(usage.activeKeyPeriods, "five-minute period")) with traffic (key reuse period)"
                )
            }
        }
        if model.restApis > 0 {
            let bytes =
                (model.hasPostRoute ? orders * a.acceptResponseBytes : 0)
                + (model.hasGetRoute ? queries * (itemBytes + 200) : 0)
            add(
                "Data transfer", "out to the internet (API responses)", bytes / gib, "GB", .dataTransferOut,
                "\(q(orders)) × \(q(a.acceptResponseBytes)) B accept responses + \(q(queries)) × \(Int(itemBytes + 200)) B order responses"
            )
        }
        if model.tracedApi {
            add(
                "AWS X-Ray", "traces recorded", usage.tracedRequests, "traces", .xrayTraces,
                "default sampling: first request each second, then 5 % of API requests")
        }

        // Free allowances and tiers apply per price key across lines, in line order.
        var lines: [CostLine] = []
        var remainingFree: [PriceCatalogue.Key: Double] = [:]
        if options.freeTier {
            remainingFree = prices.alwaysFree
            if options.firstYearFreeTier {
                for (key, amount) in prices.firstYearFree { remainingFree[key, default: 0] += amount }
            }
        }
        var billable: [Double] = []
        var keyTotals: [PriceCatalogue.Key: Double] = [:]
        for entry in raw {
            let free = min(remainingFree[entry.key] ?? 0, entry.quantity)
            remainingFree[entry.key] = (remainingFree[entry.key] ?? 0) - free
            billable.append(entry.quantity - free)
            keyTotals[entry.key, default: 0] += entry.quantity - free
        }
        for (index, entry) in raw.enumerated() {
            let price = prices[entry.key]
            let total = keyTotals[entry.key] ?? 0
            let keyCost = price.cost(total)
            let cost = total > 0 ? keyCost * billable[index] / total : 0
            let unitPrice = total > 0 ? keyCost / total : price.firstPrice
            var formula = entry.formula
            if billable[index] < entry.quantity {
                formula += "; \(q(entry.quantity - billable[index])) free of \(q(entry.quantity))"
            }
            lines.append(
                CostLine(
                    service: entry.service, item: entry.item, quantity: billable[index], unit: entry.unit,
                    key: entry.key,
                    unitPrice: unitPrice, cost: cost, formula: formula))
        }

        var assumptions = [
            "month of 730 hours (43,800 minutes); orders integrated minute by minute (\(profile.shape.rawValue) baseline\(profile.spikes.isEmpty ? "" : " plus \(Money.count(profile.spikes.count, "spike"))"))",
            "effective batch = min(BatchSize \(Int(model.batchSize)), max(1, arrival rate × max(batching window \(q(window)) s, handler time \(q(a.processorMs(atMemoryMB: model.processor?.memoryMB ?? 128))) ms)))",
            "processor handler time \(q(a.processorMsPerBatch)) ms per batch at \(Int(a.processorMeasuredAtMB)) MB; query handler \(q(a.queryMsPerRequest)) ms per request at \(Int(a.queryMeasuredAtMB)) MB",
            "handler time follows Lambda's CPU share (CPU in proportion to memory, one full vCPU at 1,769 MB): \(q(a.handlerCPUShare * 100)) % of it is CPU and scales by min(measured, 1769) ÷ min(memory, 1769), the rest waits on DynamoDB and SNS",
            "idle Lambda pollers make \(q(a.idleReceivesPerMinute)) empty long polls per minute on the intake queue when no batch is received",
            "each accepted order costs 2 DynamoDB writes (conditional put, then the published flag) of ⌈(order + \(q(a.itemOverheadBytes)) B) / 1 KB⌉ WRU",
            "SNS deliveries to SQS are free for SNS and billed as SendMessage on each subscriber queue; consumers make \(q(a.subscriberRequestsPerMessage)) requests per message",
            "table holds \(q(a.storedOrders)) orders at the start of the month; storage and PITR on the month's average size",
            "log storage in steady state: ingestion × retention ÷ 30.42 days, compressed to \(a.logCompressionRatio) of ingested size",
            "prices are for \(prices.region) as of \(prices.asOf); tiers apply to this stack's usage alone",
            options.freeTier
                ? "always-free allowances applied\(options.firstYearFreeTier ? ", and the first-12-months API Gateway allowance" : "") (account-wide in reality)"
                : "free tier not applied (use --free-tier)",
            "Lambda duration rounded up to 1 ms per invocation; data transfer in is free; DLQ traffic is zero when healthy; retries, throttles and 429s come from simulate (--simulated)",
        ]
        if options.httpApi { assumptions.append("variant: HTTP API instead of REST") }
        if let simulation = options.simulation {
            assumptions[1] =
                "batches, invocations (\(q(simulation.lambdaThrottles)) throttled ones included), receives and traces from the second-by-second simulation; \(q(simulation.rejectedRequests)) requests rejected with 429 are not billed"
        }
        return Estimate(
            profile: profile.name, stage: options.stage, region: prices.region, currency: prices.currency,
            pricingAsOf: prices.asOf, freeTier: options.freeTier, orders: orders, lines: lines, assumptions: assumptions
        )
    }
}
