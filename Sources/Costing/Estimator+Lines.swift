/// The estimate's raw lines, service by service, for one model, profile and month of usage.
struct LineCollector {
    typealias Raw = (
        service: String, item: String, quantity: Double, unit: String, key: PriceCatalogue.Key, formula: String
    )

    let model: StackUsageModel
    let profile: TrafficProfile
    let usage: MonthlyUsage
    let options: EstimateOptions
    /// Accepted API requests from the simulation, when it drives the estimate.
    let billedRequests: Double?
    var raw: [Raw] = []

    var a: TrafficProfile.Assumptions { profile.assumptions }
    var arrivals: Double { usage.arrivals }
    /// Queries reach the query route only where there is one.
    var queries: Double { model.query == nil ? 0 : arrivals * profile.queriesPerArrival }
    var messageChunks: Double { (profile.bodyBytes / Estimator.chunk).rounded(.up) }
    var itemBytes: Double { profile.bodyBytes + a.itemOverheadBytes }
    /// API requests in the month: arrivals at the entry route plus queries.
    var apiRequests: Double { billedRequests ?? ((model.entry == nil ? 0 : arrivals) + queries) }
    let q = Money.quantity

    init(
        model: StackUsageModel, profile: TrafficProfile, usage: MonthlyUsage, options: EstimateOptions,
        billedRequests: Double?
    ) {
        self.model = model
        self.profile = profile
        self.usage = usage
        self.options = options
        self.billedRequests = billedRequests
    }

    /// Adds a line; usage that does not occur in this profile (no queries, no arrivals) is left out rather than
    /// shown as $0.
    mutating func add(
        _ service: String, _ item: String, _ quantity: Double, _ unit: String, _ key: PriceCatalogue.Key,
        _ formula: String
    ) {
        guard quantity > 0 else { return }
        raw.append((service, item, quantity, unit, key, formula))
    }

    mutating func collect() {
        apiLines()
        queueLines()
        lambdaLines()
        tableLines()
        topicLines()
        logLines()
        monitoringLines()
    }

    mutating func apiLines() {
        guard model.entry != nil || model.query != nil else { return }
        let http = options.httpApi || model.entry?.kind == .http
        var formula = model.entry.map { "\(q(arrivals)) \($0.name)" } ?? ""
        if let route = model.queryRoute {
            formula +=
                "\(formula.isEmpty ? "" : " + ")\(q(arrivals)) \(profile.noun.plural) × \(q(profile.queriesPerArrival)) \(route.name)"
        }
        add(
            "Amazon API Gateway", http ? "HTTP API requests" : "REST API requests", apiRequests, "requests",
            http ? .apiHttpRequests : .apiRestRequests, formula)
    }

    mutating func queueLines() {
        if let intake = model.intakeQueue {
            add(
                "Amazon SQS", "SendMessage (\(intake))", arrivals * messageChunks, "requests", .sqsRequests,
                "\(q(arrivals)) \(profile.noun.plural) × \(Money.count(messageChunks, "64 KB chunk")) of \(Int(profile.bodyBytes)) B"
            )
            if model.processor != nil {
                add(
                    "Amazon SQS", "ReceiveMessage (\(intake), Lambda pollers)", usage.receives, "requests",
                    .sqsRequests,
                    "per minute max(\(q(a.idleReceivesPerMinute)) idle long polls, batches); \(q(usage.batches)) batches in the month"
                )
                add(
                    "Amazon SQS", "DeleteMessageBatch (\(intake))", usage.batches, "requests", .sqsRequests,
                    "one per batch: \(q(arrivals * model.processorShare)) messages ÷ effective batch size (mean \(q(arrivals * model.processorShare / max(usage.batches, 1))))"
                )
            }
        }
        let delivered = model.subscriberFlows.map(\.perArrival) + model.consumers.filter(\.fromTopic).map(\.perArrival)
        if !delivered.isEmpty {
            let count = delivered.reduce(0, +)
            add(
                "Amazon SQS", "subscriber queues: \(model.routers) deliveries", arrivals * count * messageChunks,
                "requests",
                .sqsRequests,
                "\(q(arrivals)) events × \(Money.count(count, "queue")) × \(Money.count(messageChunks, "chunk"))")
        }
        if !model.subscriberFlows.isEmpty {
            let count = model.subscriberFlows.map(\.perArrival).reduce(0, +)
            add(
                "Amazon SQS", "subscriber queues: consumers' receives and deletes",
                arrivals * count * a.subscriberRequestsPerMessage, "requests", .sqsRequests,
                "\(q(arrivals)) events × \(Money.count(count, "queue")) × \(Money.count(a.subscriberRequestsPerMessage, "request")) (consumed outside the stack)"
            )
        }
        for flow in model.consumers {
            let queue = flow.consumer.queue
            let batches = usage.consumerBatches[flow.consumer.mapping] ?? 0
            add(
                "Amazon SQS", "ReceiveMessage (\(queue), Lambda pollers)",
                usage.consumerReceives[flow.consumer.mapping] ?? 0, "requests", .sqsRequests,
                "per minute max(\(q(a.idleReceivesPerMinute)) idle long polls, batches); \(q(batches)) batches in the month"
            )
            add(
                "Amazon SQS", "DeleteMessageBatch (\(queue))", batches, "requests", .sqsRequests,
                "one per batch: \(q(arrivals * flow.perArrival)) messages ÷ effective batch size (mean \(q(arrivals * flow.perArrival / max(batches, 1))))"
            )
        }
    }
}

extension LineCollector {
    /// What the estimate assumes, in the order the report prints it.
    func assumptions(window: Double, prices: PriceCatalogue) -> [String] {
        let processorMs = a.processorMs(atMemoryMB: model.processor?.memoryMB ?? 128)
        var list = [
            "month of 730 hours (43,800 minutes); \(profile.noun.plural) integrated minute by minute (\(profile.shape.rawValue) baseline\(profile.spikes.isEmpty ? "" : " plus \(Money.count(profile.spikes.count, "spike"))"))"
        ]
        if let problem = model.problem { list.append("the traffic could not be placed in the stack: \(problem)") }
        if let entry = model.entry {
            list.append("arrivals enter at \(entry.name) (\(entry.api), \(entry.kind.rawValue) API)")
        }
        if let simulation = options.simulation {
            list.append(
                "batches, invocations (\(q(simulation.lambdaThrottles)) throttled ones included), receives and traces from the second-by-second simulation; \(q(simulation.rejectedRequests)) requests rejected with 429 are not billed"
            )
        } else if model.processor != nil {
            list.append(
                "effective batch = min(BatchSize \(Int(model.batchSize)), max(1, arrival rate × max(batching window \(q(window)) s, handler time \(q(processorMs)) ms)))"
            )
        }
        let queryTime =
            model.query == nil && model.entryFunction == nil && model.authorizer == nil && model.eventFunctions.isEmpty
            ? "" : "; query handler \(q(a.queryMsPerRequest)) ms per request at \(Int(a.queryMeasuredAtMB)) MB"
        list += [
            "processor handler time \(q(a.processorMsPerBatch)) ms per batch at \(Int(a.processorMeasuredAtMB)) MB\(queryTime)",
            "handler time follows Lambda's CPU share (CPU in proportion to memory, one full vCPU at 1,769 MB): \(q(a.handlerCPUShare * 100)) % of it is CPU and scales by min(measured, 1769) ÷ min(memory, 1769), the rest waits on DynamoDB and SNS",
        ]
        list += flowAssumptions()
        for outbox in model.outboxes {
            list.append(
                "\(outbox.consumer.table)'s change stream (the outbox) invokes \(outbox.function.logicalId) once per stream batch: min(BatchSize \(Int(outbox.consumer.batchSize)), max(1, stored items per second × max(batching window \(q(outbox.consumer.batchingWindowSeconds)) s, 0.25 s between polls, handler time))); GetRecords by a Lambda trigger is free and records dropped by its filter are not billed (the published-flag update is one of them); its handler time is the processor's"
            )
        }
        list += [
            "idle Lambda pollers make \(q(a.idleReceivesPerMinute)) empty long polls per minute on each consumed queue when no batch is received",
            a.tableWritesPerMessage.map {
                "each message a function stores costs \(Money.count($0, "DynamoDB write")) (table_writes_per_message) of ⌈(message + \(q(a.itemOverheadBytes)) B) / 1 KB⌉ WRU"
            }
                ?? "each message a function stores costs 2 DynamoDB writes on a table with an outbox (a conditional put, then the published flag), else 1, of ⌈(message + \(q(a.itemOverheadBytes)) B) / 1 KB⌉ WRU (table_writes_per_message overrides)",
            "\(model.routers) deliveries to SQS are free for \(model.routers) and billed as SendMessage on each subscriber queue; consumers outside the stack make \(q(a.subscriberRequestsPerMessage)) requests per message",
            "each written table holds \(q(a.storedItems)) items at the start of the month; storage and PITR on the month's average size",
            "log storage in steady state: ingestion × retention ÷ 30.42 days, compressed to \(a.logCompressionRatio) of ingested size",
            "prices are for \(prices.region) as of \(prices.asOf); tiers apply to this stack's usage alone",
            options.freeTier
                ? "always-free allowances applied\(options.firstYearFreeTier ? ", and the first-12-months API Gateway allowance" : "") (account-wide in reality)"
                : "free tier not applied (use --free-tier)",
            "Lambda duration rounded up to 1 ms per invocation; data transfer in is free; DLQ traffic is zero when healthy; retries, throttles and 429s come from simulate (--simulated)",
        ]
        if options.httpApi { list.append("variant: HTTP API instead of REST") }
        return list
    }

    /// The parts of the flow priced with borrowed figures, and what the traffic does not reach.
    func flowAssumptions() -> [String] {
        var list: [String] = []
        for flow in model.consumers {
            list.append(
                "\(flow.function.logicalId) consumes \(flow.consumer.queue) (\(q(flow.perArrival)) message per \(profile.noun.singular)): priced at the processor's handler time per batch"
            )
        }
        for function in [model.entryFunction, model.authorizer].compactMap({ $0 })
            + model.eventFunctions.map(\.function)
        {
            list.append("\(function.logicalId): priced at the query handler's time per invocation")
        }
        if profile.queriesPerArrival > 0 && model.query == nil {
            list.append(
                "queries_per_arrival \(q(profile.queriesPerArrival)) not priced: no GET route invokes a function")
        }
        if let intake = model.intakeQueue, model.processor == nil {
            list.append("nothing in the stack consumes \(intake): only its SendMessage requests are priced")
        }
        let written = Set(model.writes.map(\.table))
        for table in model.tables where !written.contains(table) {
            list.append("\(table): nothing the traffic reaches writes it; its storage is not priced")
        }
        for group in model.logGroups where !group.declared {
            list.append("\(group.logicalId): Lambda creates it on first invocation, never expiring")
        }
        if model.graph.rolloutGroups > 0 {
            list.append(
                "gradual rollout (\(model.graph.rolloutGroups) CodeDeploy deployment groups): no charge for deployments "
                    + "to Lambda; each deployment keeps the version it replaces, which is not billed but counts "
                    + "toward the Region's 75 GB of function code storage")
        }
        let given = Set(options.resourcePrices.map(\.resourceType))
        let unpriced = model.graph.unpriced.filter { !given.contains($0.type) }
        if !unpriced.isEmpty {
            list.append(
                "not priced (no price in this estimate): "
                    + unpriced.map { "\($0.type) × \($0.count)" }.joined(separator: ", "))
        }
        return list
    }
}
