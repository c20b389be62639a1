import CloudFormation
import Costing
import Testing

/// Hand calculations for the prod template (processor 512 MB x86_64, batch 10, window 1 s; query 256 MB;
/// two subscriber queues; 14 alarms; 1 dashboard; 1 KMS key; 4 KMS-encrypted queues and 3 log groups; PITR on).
/// Month = 43,800 minutes. Item = 2,048 B order + 300 B overhead = 2,348 B → ⌈2.29⌉ = 3 WRU per write.
@Suite struct EstimatorTests {
    func estimate(_ profile: String, configure: (inout EstimateOptions) -> Void = { _ in }) throws -> Estimate {
        var options = EstimateOptions()
        options.stage = "prod"
        configure(&options)
        return Estimator.estimate(
            template: try Files.prodTemplate(), profile: try Files.profile(profile), prices: try Files.prices(),
            options: options)
    }

    @Test func saleSpikeLineByLine() throws {
        let estimate = try estimate("sale-spike")
        #expect(estimate.arrivals.rounded() == 2_260_000)
        // API: 2,260,000 POSTs × $3.50/M
        #expect(estimate.line("REST API requests")?.quantity.rounded() == 2_260_000)
        #expect(close(estimate.line("REST API requests")?.cost, 7.91))
        // Baseline 100,000/43,800 = 2.283 orders/min at 0.038/s: batch = max(1, 0.038 × 1 s) = 1.
        // Spike minutes (120): 18,000 + 2.283 orders/min, batch = min(10, 300 × 1 s) = 10.
        // Batches = 43,680 × 2.283 + 120 × 1,800.228 = 99,726.03 + 216,027.40 = 315,753.42
        let baselinePerMinute: Double = 100_000.0 / 43_800
        let spikeBatchesPerMinute: Double = (18_000 + baselinePerMinute) / 10
        let batches: Double = 43_680 * baselinePerMinute + 120 * spikeBatchesPerMinute
        #expect(abs((estimate.line("DeleteMessageBatch (OrderIntakeQueue)")?.quantity ?? 0) - batches) < 0.01)
        // Receives per minute = max(15 idle polls, batches): 43,680 × 15 + 120 × 1,800.228 = 871,227.4
        let receives: Double = 43_680 * 15 + 120 * spikeBatchesPerMinute
        #expect(
            abs((estimate.line("ReceiveMessage (OrderIntakeQueue, Lambda pollers)")?.quantity ?? 0) - receives) < 0.01)
        // Subscribers: 2 queues × 2,260,000 deliveries; consumers 2 requests per message on each
        #expect(estimate.line("subscriber queues: SNS deliveries")?.quantity.rounded() == 4_520_000)
        #expect(estimate.line("subscriber queues: consumers' receives and deletes")?.quantity.rounded() == 9_040_000)
        // SQS total 17,006,980.8 requests × $0.40/M = $6.80
        let sqs = estimate.lines.filter { $0.service == "Amazon SQS" }.reduce(0) { $0 + $1.cost }
        let sqsRequests: Double = 2_260_000 + receives + batches + 4_520_000 + 9_040_000
        #expect(close(sqs, sqsRequests * 0.0000004, 1e-9))
        // Lambda: 315,753.42 × $0.20/M; 315,753.42 × 0.12 s × 0.5 GB = 18,945.2 GB-s × $0.0000166667
        #expect(close(estimate.line("requests (OrderProcessorFunction)")?.cost, batches * 0.0000002, 1e-9))
        #expect(close(estimate.line("duration (OrderProcessorFunction, x86_64)")?.quantity, batches * 0.12 * 0.5, 1e-6))
        #expect(close(estimate.line("duration (OrderProcessorFunction, x86_64)")?.cost, 0.32))
        // DynamoDB: 2 writes × 3 WRU × 2,260,000 = 13,560,000 WRU × $0.625/M = $8.475
        #expect(estimate.line("write request units")?.quantity.rounded() == 13_560_000)
        #expect(close(estimate.line("write request units")?.cost, 8.475, 1e-6))
        // Storage: (1,200,000 + 1,130,000) × 2,348 B = 5.0952 GiB × $0.25; PITR × $0.20
        let gib = 2_330_000.0 * 2_348 / 1_073_741_824
        #expect(close(estimate.line("storage")?.cost, gib * 0.25, 1e-9))
        #expect(close(estimate.line("point-in-time recovery")?.cost, gib * 0.20, 1e-9))
        // SNS: 2,260,000 publishes × $0.50/M
        #expect(close(estimate.line("publishes")?.cost, 1.13, 1e-9))
        // Logs: 2,260,000 × 1,024 B processor and 350 B of START/END/REPORT per invocation (queue batches and the
        // outbox's stream batches below, SystemLogLevel INFO), + 2,260,000 × 450 B access, at $0.50/GB
        let streamBatches: Double = 43_680 * baselinePerMinute + 120 * (18_000 + baselinePerMinute) / 100
        let platformBytes: Double = 350 * (batches + streamBatches)
        #expect(
            close(
                estimate.line("log ingestion (OrderProcessorLogGroup)")?.cost,
                (2_260_000 * 1024 + platformBytes) / 1_073_741_824 * 0.5, 1e-9))
        #expect(
            close(
                estimate.line("log ingestion (OrdersApiAccessLogGroup)")?.cost, 2_260_000 * 450 / 1_073_741_824 * 0.5,
                1e-9))
        // The outbox: the table's stream invokes the processor once per stream batch, batch = min(100, max(1, rate ×
        // max(1 s window, 0.25 s polls, 0.12 s))): baseline minutes 2.283 invocations, spike minutes
        // 18,002.28 / 100 = 180.02. 43,680 × 2.283 + 120 × 180.02 = 121,328.77 invocations at 0.12 s × 0.5 GB.
        #expect(
            close(
                estimate.line("requests (OrderProcessorFunction, outbox stream)")?.quantity, streamBatches, 1e-6))
        #expect(
            close(
                estimate.line("duration (OrderProcessorFunction, outbox stream, x86_64)")?.quantity,
                streamBatches * 0.12 * 0.5, 1e-6))
        let outbox: Double = streamBatches * 0.0000002 + streamBatches * 0.12 * 0.5 * 0.0000166667
        // Fixed: 18 alarms (16, and each function's canary errors alarm of the rollout) × $0.10, 1 dashboard × $3,
        // 1 key × $1, KMS 7 × 2 × 8,760 requests × $0.03/10k
        #expect(close(estimate.line("alarms")?.cost, 1.80, 1e-9))
        #expect(close(estimate.line("dashboards")?.cost, 3.00, 1e-9))
        #expect(close(estimate.line("customer-managed keys")?.cost, 1.00, 1e-9))
        #expect(estimate.line("requests")?.quantity == 122_640)
        // X-Ray: 43,680 × 60 × 0.038 + 120 × 60 × (1 + 0.05 × 299.038) = 99,726 + 114,854
        #expect(close(estimate.line("traces recorded")?.quantity, 214_579.7, 0.1))
        // No GET traffic in this profile: no query lines at all.
        #expect(estimate.line("requests (OrderQueryFunction)") == nil)
        // Data transfer out: 2,260,000 × 400 B accept responses = 0.8419 GiB × $0.09 = $0.0758
        #expect(
            close(
                estimate.line("out to the internet (API responses)")?.cost, 2_260_000 * 400 / 1_073_741_824 * 0.09, 1e-9
            ))
        // Total: 7.91 + 6.80 + 0.06 + 0.32 + 8.48 + 1.27 + 1.02 + 1.13 + 1.08 + 0.47 + 0.01 + 1.60 + 3.00 + 1.00 + 0.37
        // + 0.08 + 1.07, the outbox's 0.0243 + 0.1213, and the platform lines' 0.0712
        #expect(close(estimate.total, 35.87 + outbox + platformBytes / 1_073_741_824 * 0.5, 0.005))
    }

    @Test func quietMonthCostsOnlyTheStandingItems() throws {
        let estimate = try estimate("quiet")
        // Idle pollers: 43,800 × 15 = 657,000 receives × $0.40/M = $0.2628
        #expect(estimate.line("ReceiveMessage (OrderIntakeQueue, Lambda pollers)")?.quantity == 657_000)
        // Storage 1,200,000 × 2,348 B = 2.6241 GiB: $0.6560 + PITR $0.5248; alarms $1.80; dashboard $3; key $1.
        // No KMS requests: nothing is sent, received or logged, so no data key is asked for; no order, so no stream
        // record and no outbox invocation. Total $7.2436
        #expect(
            estimate.lines.map(\.item) == [
                "ReceiveMessage (OrderIntakeQueue, Lambda pollers)", "storage", "point-in-time recovery", "alarms",
                "dashboards", "customer-managed keys",
            ])
        #expect(!estimate.lines.contains { $0.service == "AWS KMS" && $0.item == "requests" })
        #expect(estimate.line("customer-managed keys")?.formula == "1 key, rotation on")
        #expect(close(estimate.total, 7.2436, 0.0001))
    }

    @Test func baselineTotal() throws {
        // API 0.35; SQS (100,000 + 657,000 + 100,000 + 200,000 + 400,000) × 0.40/M = 0.5828; Lambda 0.02 + 6,000 GB-s
        // × 0.0000166667 = 0.1; WRU 600,000 × 0.625/M = 0.375; storage 1,250,000 × 2,348 B = 2.7334 GiB → 0.6834 +
        // PITR 0.5467; SNS 0.05; logs 0.0477 + 0.0326 (350 B of START/END/REPORT for each of 100,000 queue and
        // 100,000 stream invocations) + 0.0210 + storage 0.0009; alarms 1.80; dashboard 3; key 1; KMS 0.3679; X-Ray
        // 100,000 traces (under 1/s, all sampled) × $5/M = 0.50; data transfer 100,000 × 400 B = 0.03725 GiB × $0.09 =
        // 0.0034; the outbox, one stream batch per order at 0.038/s: 0.02 + 0.1. Total 9.6013
        let estimate = try estimate("baseline")
        #expect(close(estimate.line("traces recorded")?.quantity, 100_000, 0.01))
        #expect(close(estimate.line("requests (OrderProcessorFunction, outbox stream)")?.quantity, 100_000, 0.01))
        #expect(close(estimate.total, 9.6013, 0.0001))
    }

    @Test func blackFridayTotal() throws {
        let estimate = try estimate("black-friday")
        // Exact lines: API (20M POST + 10M GET) × 3.50/M = 105; SNS 20M × 0.50/M = 10; WRU 120M × 0.625/M = 75;
        // SendMessage 20M × 0.40/M = 8; deliveries 40M → 16; consumers 80M → 32; query Lambda 10M × 0.20/M = 2 and
        // 10M × 25 ms × 0.25 GB = 62,500 GB-s → 1.0417; RRU 5M × 0.125/M = 0.625; logs 19.07 GiB → 9.537,
        // query logs 2.794 GiB → 1.397, access 12.573 GiB → 6.286.
        #expect(close(estimate.line("REST API requests")?.cost, 105, 1e-9))
        #expect(close(estimate.line("publishes")?.cost, 10, 1e-9))
        #expect(close(estimate.line("write request units")?.cost, 75, 1e-9))
        #expect(close(estimate.line("duration (OrderQueryFunction, x86_64)")?.cost, 62_500 * 0.0000166667, 1e-9))
        #expect(close(estimate.line("read request units")?.cost, 0.625, 1e-9))
        // Integrated lines: batches, receives and traces follow the diurnal curve and the two peaks (full batches of
        // 10 at 300-400/s); data transfer (20M × 400 B + 10M × 2,548 B = 31.18 GiB × $0.09 = 2.81); together with
        // storage, PITR and the fixed items (18 alarms) the month comes to $314.62, and the outbox's invocations (at
        // least one per 100 stored orders, at most one per order) to the rest.
        let outbox = ["requests", "duration"].compactMap { item in
            estimate.lines.first { $0.item.hasPrefix("\(item) (OrderProcessorFunction, outbox stream") }
        }
        #expect(outbox.count == 2)
        let invocations = outbox.first?.quantity ?? 0
        #expect(invocations >= 20_000_000 / 100 && invocations <= 20_000_000)
        // Each queue and stream invocation also logs 350 B of START/END/REPORT lines (SystemLogLevel INFO).
        let queueBatches = estimate.line("requests (OrderProcessorFunction)")?.quantity ?? 0
        let platform = 350 * (queueBatches + invocations) / 1_073_741_824 * 0.5
        // Their storage at 30 days' retention adds about $0.01.
        #expect(close(estimate.total, 314.62 + outbox.reduce(0) { $0 + $1.cost } + platform + 0.01, 0.005))
    }

    @Test func freeTierAppliesAllowancesOnlyWhenAsked() throws {
        let plain = try estimate("baseline")
        let free = try estimate("baseline") { $0.freeTier = true }
        // SQS 1,457,000 − 1,000,000 free = 457,000 billable; Lambda, SNS, storage, log ingestion, X-Ray all within
        // their allowances; alarms 18 − 10 = 8; KMS 122,640 − 20,000. API Gateway's allowance is first-year only.
        let sqs = free.lines.filter { $0.service == "Amazon SQS" }
        #expect(close(sqs.reduce(0) { $0 + $1.quantity }, 457_000, 1e-6))
        #expect(free.line("requests (OrderProcessorFunction)")?.cost == 0)
        #expect(free.line("alarms")?.quantity == 8)
        #expect(free.line("requests")?.quantity == 102_640)
        #expect(close(free.line("REST API requests")?.cost, 0.35, 1e-9))
        #expect(close(free.total, 3.5633, 0.0001), "ingestion is free; the platform lines' storage is not")
        let firstYear = try estimate("baseline") {
            $0.freeTier = true; $0.firstYearFreeTier = true
        }
        #expect(firstYear.line("REST API requests")?.cost == 0)
        #expect(plain.total > free.total && free.total > firstYear.total)
    }

    @Test func largeOrdersAreChunkedAt64KB() throws {
        let profile = try Files.profile(
            yaml:
                "name: test\ndescription: big orders\narrivals_per_month: 1000\nbody_bytes: 70000\nqueries_per_arrival: 0\n"
        )
        let estimate = Estimator.estimate(
            template: try Files.prodTemplate(), profile: profile, prices: try Files.prices())
        // ⌈70,000 / 65,536⌉ = 2 chunks per SendMessage and per publish; ⌈70,300 / 1,024⌉ = 69 WRU per write
        #expect(estimate.line("SendMessage (OrderIntakeQueue)")?.quantity.rounded() == 2_000)
        #expect(estimate.line("publishes")?.quantity.rounded() == 2_000)
        #expect(estimate.line("write request units")?.quantity.rounded() == 138_000)
    }

    @Test func suggestionsPriceRealVariants() throws {
        let prices = try Files.prices()
        let template = try Files.prodTemplate()
        let profile = try Files.profile("sale-spike")
        let base = Estimator.estimate(template: template, profile: profile, prices: prices)
        let suggestions = Suggestions.cheaperVariants(
            template: template, profile: profile, prices: prices, options: EstimateOptions(), base: base)
        // HTTP API: 2,260,000 × (3.50 − 1.00)/M = 5.65 saved
        let http = try #require(suggestions.first { $0.change.hasPrefix("HTTP API") })
        #expect(close(http.saving, 5.65))
        // arm64: (18,945.2 GB-s from the queue + 7,279.7 from the outbox's stream) × (0.0000166667 − 0.0000133334)
        let arm = try #require(suggestions.first { $0.change.hasPrefix("arm64") })
        #expect(close(arm.saving, (18_945.2 + 7_279.7) * (0.0000166667 - 0.0000133334), 0.001))
        #expect(suggestions.first?.change.hasPrefix("HTTP API") == true, "largest saving first")
        #expect(suggestions.allSatisfy { $0.saving > 0 && !$0.tradeOff.isEmpty })
    }

    @Test func usageFollowsTheTemplate() throws {
        // Double the processor's memory in the template: only its duration lines move (its queue batches and its
        // outbox stream batches), and by less than double,
        // because 30 % of the 120 ms measured at 512 MB is CPU, which Lambda doubles with the memory:
        // 120 × (0.3 × 512 / 1024 + 0.7) = 102 ms, so GB-seconds grow by 2 × 102 / 120 = 1.7.
        let template = try Files.prodTemplate()
        let profile = try Files.profile("sale-spike")
        let prices = try Files.prices()
        let a = Estimator.estimate(template: template, profile: profile, prices: prices)
        let b = Estimator.estimate(template: try withProcessorMemory(1024, template), profile: profile, prices: prices)
        let item = "duration (OrderProcessorFunction, x86_64)"
        let stream = "duration (OrderProcessorFunction, outbox stream, x86_64)"
        #expect(close(b.line(item)?.cost, 1.7 * (a.line(item)?.cost ?? 0), 1e-9))
        #expect(close(b.line(stream)?.cost, 1.7 * (a.line(stream)?.cost ?? 0), 1e-9))
        #expect(
            close(b.total - a.total, 0.7 * ((a.line(item)?.cost ?? 0) + (a.line(stream)?.cost ?? 0)), 1e-9))
        #expect(b.line(item)?.formula.contains("× 102 ms at 1024 MB × 1024 MB ÷ 1024") == true)
        // Above one vCPU (1,769 MB) the single-threaded handler gets no faster:
        // 120 × (0.3 × 512 / 1769 + 0.7) = 94.42 ms, billed 95 ms.
        let c = Estimator.estimate(template: try withProcessorMemory(3008, template), profile: profile, prices: prices)
        let batches = try #require(a.line("requests (OrderProcessorFunction)")?.quantity)
        #expect(close(c.line(item)?.quantity, batches * 0.095 * 3008 / 1024, 1e-6))
        #expect(a.assumptions.contains { $0.contains("one full vCPU at 1,769 MB") })
    }

    @Test func suggestHalvesTheProcessorMemoryWithTheLatencyItCosts() throws {
        let template = try Files.prodTemplate()
        let profile = try Files.profile("sale-spike")
        let prices = try Files.prices()
        let base = Estimator.estimate(template: template, profile: profile, prices: prices)
        let suggestions = Suggestions.cheaperVariants(
            template: template, profile: profile, prices: prices, options: EstimateOptions(), base: base)
        let memory = try #require(suggestions.first { $0.change.hasPrefix("256 MB instead of 512 MB") })
        // 120 × (0.3 × 2 + 0.7) = 156 ms at 256 MB; half the memory for 1.3 × the time saves 35 % of the line.
        #expect(memory.tradeOff.hasPrefix("each batch takes about 156 ms instead of 120 ms"))
        let line = try #require(base.line("duration (OrderProcessorFunction, x86_64)"))
        #expect(close(memory.saving, line.cost * 0.35, 0.01))
    }

    private func withProcessorMemory(_ memory: Int, _ template: Template) throws -> Template {
        var copy = template
        let index = try #require(copy.resources.firstIndex { $0.logicalId == "OrderProcessorFunction" })
        copy.resources[index]["MemorySize"] = .int(memory)
        return copy
    }
}
