extension LineCollector {
    /// Requests and GB-seconds of one function.
    /// `source` tells apart two triggers of one function (`outbox stream`).
    mutating func lambda(
        _ function: StackUsageModel.FunctionInfo, invocations: Double, milliseconds: Double, why: String,
        per: String, source: String? = nil
    ) {
        let architecture = options.architecture ?? function.architecture
        let name = function.logicalId + (source.map { ", \($0)" } ?? "")
        add("AWS Lambda", "requests (\(name))", invocations, "requests", .lambdaRequests, why)
        let rounded = milliseconds.rounded(.up)
        add(
            "AWS Lambda", "duration (\(name), \(architecture))",
            invocations * rounded / 1000 * function.memoryMB / 1024, "GB-seconds",
            architecture == "arm64" ? .lambdaGBSecondsArm : .lambdaGBSecondsX86,
            "\(q(invocations)) \(per) × \(q(rounded)) ms at \(Int(function.memoryMB)) MB × \(Int(function.memoryMB)) MB ÷ 1024"
        )
    }

    mutating func lambdaLines() {
        if let processor = model.processor {
            lambda(
                processor, invocations: usage.batches, milliseconds: a.processorMs(atMemoryMB: processor.memoryMB),
                why: "one invocation per batch", per: "batches")
        }
        for flow in model.consumers {
            lambda(
                flow.function, invocations: usage.consumerBatches[flow.consumer.mapping] ?? 0,
                milliseconds: a.processorMs(atMemoryMB: flow.function.memoryMB),
                why: "one invocation per batch from \(flow.consumer.queue)", per: "batches")
        }
        for outbox in model.outboxes {
            lambda(
                outbox.function, invocations: usage.streamBatches[outbox.consumer.mapping] ?? 0,
                milliseconds: a.processorMs(atMemoryMB: outbox.function.memoryMB),
                why:
                    "one invocation per batch of \(outbox.consumer.table)'s change stream (the outbox; reads by Lambda are free, filtered records are not billed)",
                per: "stream batches", source: "outbox stream")
        }
        if let function = model.entryFunction, let route = model.entry {
            lambda(
                function, invocations: arrivals, milliseconds: a.queryMs(atMemoryMB: function.memoryMB),
                why: "one per \(route.name)", per: "requests")
        }
        for (function, perArrival) in model.eventFunctions {
            lambda(
                function, invocations: arrivals * perArrival, milliseconds: a.queryMs(atMemoryMB: function.memoryMB),
                why: "one per event from its topic", per: "events")
        }
        if let query = model.query, let route = model.queryRoute {
            lambda(
                query, invocations: queries, milliseconds: a.queryMs(atMemoryMB: query.memoryMB),
                why: "one per \(route.name)", per: "requests")
        }
        if let authorizer = model.authorizer {
            lambda(
                authorizer, invocations: apiRequests, milliseconds: a.queryMs(atMemoryMB: authorizer.memoryMB),
                why: "one per API request (the authorizer's result cache is not modelled: an upper bound)",
                per: "requests")
        }
    }

    mutating func tableLines() {
        let single = Set(model.writes.map(\.table) + model.reads).count <= 1
        func name(_ item: String, _ table: String) -> String { single ? item : "\(item) (\(table))" }
        for (table, perArrival) in model.writes {
            let writes = a.writesPerMessage(outbox: model.outboxes.contains { $0.consumer.table == table })
            let writeUnits = writes * (itemBytes / 1024).rounded(.up)
            add(
                "Amazon DynamoDB", name("write request units", table), arrivals * perArrival * writeUnits, "WRU",
                .dynamodbWriteUnits,
                "\(q(arrivals * perArrival)) messages × \(Money.count(writes, "write")) × ⌈\(Int(itemBytes)) B / 1 KB⌉"
            )
        }
        for table in model.reads {
            add(
                "Amazon DynamoDB", name("read request units", table), queries * 0.5 * (itemBytes / 4096).rounded(.up),
                "RRU", .dynamodbReadUnits,
                "\(q(queries)) eventually consistent reads × ½ × ⌈\(Int(itemBytes)) B / 4 KB⌉")
        }
        for (table, perArrival) in model.writes {
            let stored = arrivals * perArrival
            let storedGB = (a.storedItems + stored / 2) * itemBytes / Estimator.gib
            add(
                "Amazon DynamoDB", name("storage", table), storedGB, "GB-months", .dynamodbStorage,
                "(\(q(a.storedItems)) stored + \(q(stored)) ÷ 2 new) × \(Int(itemBytes)) B")
            if model.graph.tables.contains(where: { $0.logicalId == table && $0.pointInTimeRecovery }) {
                add(
                    "Amazon DynamoDB", name("point-in-time recovery", table), storedGB, "GB-months", .dynamodbPITR,
                    "table size, as for storage")
            }
        }
    }

    mutating func topicLines() {
        for (topic, perArrival) in model.publishes {
            let events = arrivals * perArrival
            guard model.graph.eventBuses.contains(topic) else {
                add(
                    "Amazon SNS", model.publishes.count == 1 ? "publishes" : "publishes (\(topic))",
                    events * messageChunks, "requests", .snsPublishes,
                    "\(q(events)) events to \(topic) × \(Money.count(messageChunks, "64 KB chunk")); deliveries to SQS are free"
                )
                continue
            }
            add(
                "Amazon EventBridge", model.publishes.count == 1 ? "custom events" : "custom events (\(topic))",
                events * messageChunks, "events", .eventBridgeEvents,
                "\(q(events)) events put on \(topic) × \(Money.count(messageChunks, "64 KB chunk")); rules' deliveries to SQS in the account are free"
            )
        }
    }

    /// Bytes each group ingests in the month, with the formula.
    func ingestion(_ group: StackUsageModel.LogGroupInfo) -> (bytes: Double, formula: String)? {
        let platform = "+ 350 B per invocation"
        switch group.writer {
        case .function(.entryConsumer, _):
            let messages = arrivals * model.processorShare
            let quiet = model.systemLogLevelQuiet
            // Its stream batches (the outbox) are invocations too, each with its START, END and REPORT lines.
            let streamBatches = model.outboxes.filter { $0.function.logicalId == model.processor?.logicalId }
                .reduce(0) { $0 + (usage.streamBatches[$1.consumer.mapping] ?? 0) }
            return (
                messages * a.logBytesPerMessage + (quiet ? 0 : 350 * (usage.batches + streamBatches)),
                "\(q(messages)) \(profile.noun.plural) × \(q(a.logBytesPerMessage)) B\(quiet ? " (platform logs at WARN)" : " \(platform)")"
            )
        case .function(.downstreamConsumer, let mapping):
            guard let flow = model.consumers.first(where: { $0.consumer.mapping == mapping }) else { return nil }
            let messages = arrivals * flow.perArrival
            let quiet = model.graph.function(flow.function.logicalId)?.quietSystemLogs ?? false
            let batches = usage.consumerBatches[flow.consumer.mapping] ?? 0
            return (
                messages * a.logBytesPerMessage + (quiet ? 0 : 350 * batches),
                "\(q(messages)) messages × \(q(a.logBytesPerMessage)) B\(quiet ? " (platform logs at WARN)" : " \(platform)")"
            )
        case .function(.query, _): return (queries * 300, "\(q(queries)) requests × 300 B")
        case .access:
            let requests = (model.entry == nil ? 0 : arrivals) + queries
            return (
                requests * a.accessLogBytesPerRequest, "\(q(requests)) requests × \(q(a.accessLogBytesPerRequest)) B"
            )
        default: return nil
        }
    }

    mutating func logLines() {
        var ingested: [(group: StackUsageModel.LogGroupInfo, bytes: Double)] = []
        for group in model.logGroups {
            guard let (bytes, formula) = ingestion(group) else { continue }
            ingested.append((group, bytes))
            let infrequent = options.infrequentAccessLogs || group.infrequentAccess
            add(
                "Amazon CloudWatch", "log ingestion (\(group.logicalId))", bytes / Estimator.gib, "GB",
                infrequent ? .logsIngestionInfrequent : .logsIngestion, formula)
        }
        let stored = ingested.reduce(0.0) { total, entry in
            let retention = min(entry.group.retentionDays ?? 3653, options.maximumRetentionDays ?? .infinity)
            return total + entry.bytes / Estimator.gib * (retention / 30.42) * a.logCompressionRatio
        }
        if !ingested.isEmpty {
            add(
                "Amazon CloudWatch", "log storage", stored, "GB-months", .logsStorage,
                "each group's monthly ingestion × retention\(ingested.contains { $0.group.retentionDays == nil } ? " (never expiring: 10 years)" : "") ÷ 30.42 days × \(a.logCompressionRatio) compression (steady state)"
            )
        }
    }

    mutating func monitoringLines() {
        let alarms = model.alarms - (options.dropReadThrottleAlarms ? model.readThrottleAlarms : 0)
        add(
            "Amazon CloudWatch", "alarms", Double(alarms), "alarm metrics", .alarms,
            "\(Money.count(alarms, "alarm")) in the template, 1 metric each")
        add(
            "Amazon CloudWatch", "dashboards", Double(model.dashboards), "dashboards", .dashboards,
            "\(model.dashboards) in the template")
        if model.kmsKeys > 0 {
            add(
                "AWS KMS", "customer-managed keys", Double(model.kmsKeys), "key-months", .kmsKeys,
                "\(Money.count(model.kmsKeys, "key")), rotation on")
            let encrypted = Double(model.kmsQueues + model.logGroups.filter(\.encrypted).count)
            add(
                "AWS KMS", "requests", encrypted * 2 * usage.activeKeyPeriods, "requests", .kmsRequests,
                "\(Money.count(encrypted, "encrypted queue or log group", "encrypted queues and log groups")) × 2 data-key calls × \(Money.count(usage.activeKeyPeriods, "five-minute period")) with traffic (key reuse period)"
            )
        }
        if model.entry != nil || model.query != nil {
            let accepts = model.entry == nil ? 0 : arrivals * a.acceptResponseBytes
            add(
                "Data transfer", "out to the internet (API responses)",
                (accepts + queries * (itemBytes + 200)) / Estimator.gib, "GB", .dataTransferOut,
                "\(q(arrivals)) × \(q(a.acceptResponseBytes)) B accept responses + \(q(queries)) × \(Int(itemBytes + 200)) B query responses"
            )
        }
        if model.tracedApi {
            add(
                "AWS X-Ray", "traces recorded", usage.tracedRequests, "traces", .xrayTraces,
                "default sampling: first request each second, then 5 % of API requests")
        }
    }
}
