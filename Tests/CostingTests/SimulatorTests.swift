import Foundation
import Testing

@testable import Costing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Cases with answers computed by hand; parameters are set directly so each case isolates one limit.
@Suite struct SimulatorTests {
    func profile(base: Double = 0, spikes: String = "") throws -> TrafficProfile {
        try Files.profile(
            yaml: "name: test\ndescription: d\narrivals_per_month: \(base)\nbody_bytes: 1000\nqueries_per_arrival: 0\n"
                + (spikes.isEmpty ? "" : "spikes:\n\(spikes)"))
    }

    func spike(start: Double = 0, minutes: Double, rate: Double) -> String {
        "  - {name: s, start_hour: \(start), duration_minutes: \(minutes), arrivals_per_second: \(rate)}\n"
    }

    var fast: SimulationParameters {
        var p = SimulationParameters()
        p.batchSize = 10
        p.batchingWindowSeconds = 0
        p.secondsPerBatch = 0.1
        p.coldStartSeconds = 0
        p.writeUnitsPerArrival = 2
        return p
    }

    @Test func constantRateBelowCapacityQueuesNothing() throws {
        // 100 orders/s; 5 pollers × (1 / 0.1 s) × 10 = 500 orders/s of capacity before any ramp.
        let result = Simulator.run(try profile(spikes: spike(minutes: 60, rate: 100)), fast, minutes: 60)
        #expect(result.rejectedRequests == 0)
        #expect(result.peakBacklog == 0)
        #expect(abs(result.processedArrivals - 360_000) < 1e-6)
        #expect(result.deadLettered == 0)
        #expect(result.alarms.isEmpty)
    }

    @Test func stepAboveCapacityGrowsAndDrainsAsComputed() throws {
        // Capacity 5 slots × 10 orders per 10 s = 5/s; 20/s for 600 s → backlog grows 15/s to 9,000, then drains
        // at 5/s: 1,800 s (the drain is read per minute: the first minute with less than a batch waiting).
        var p = fast
        p.secondsPerBatch = 10
        p.maximumConcurrency = 5
        let result = Simulator.run(try profile(spikes: spike(minutes: 10, rate: 20)), p, minutes: 60)
        #expect(abs(result.peakBacklog - 9_000) < 1e-6)
        #expect(result.peakBacklogSecond == 599)
        #expect(abs((result.drainSeconds ?? 0) - 1_801) <= 60)
        #expect(abs(result.series.backlog[4] - 15 * 300) < 1e-6, "minute 4 ends at 300 s × 15/s")
        #expect(abs(result.maximumAgeSeconds - 599 - 1_200) < 60, "the last order waits for the 9,000 before it")
    }

    @Test func pollersStartAtFiveAndAddThreeHundredPerMinute() throws {
        var p = fast
        p.secondsPerBatch = 10_000
        p.accountRateLimit = 1e9
        p.accountBurstLimit = 1e9
        let idle = Simulator.run(try profile(), p, minutes: 5)
        #expect(idle.peakPollers == 5)
        let busy = try profile(spikes: spike(minutes: 10, rate: 100_000))
        #expect(Simulator.run(busy, p, minutes: 1).peakPollers == 305)
        #expect(Simulator.run(busy, p, minutes: 2).peakPollers == 605)
        #expect(Simulator.run(busy, p, minutes: 10).peakPollers == 1_250, "capped at the mapping's ceiling")
        p.maximumConcurrency = 100
        #expect(Simulator.run(busy, p, minutes: 2).peakPollers == 100, "capped by MaximumConcurrency")
    }

    @Test func burstOverTheAPIBucketIsRejectedWith429() throws {
        // Bucket of 200 refilled at 100/s: 200 in the first second, then 100/s for 59 s = 6,100 of 60,000.
        var p = fast
        p.stageRateLimit = 100
        p.stageBurstLimit = 200
        let result = Simulator.run(try profile(spikes: spike(minutes: 1, rate: 1_000)), p, minutes: 2)
        #expect(abs(result.acceptedArrivals - 6_100) < 1e-6)
        #expect(abs(result.rejectedRequests - 53_900) < 1e-6)
    }

    @Test func reservedConcurrencyBelowThePollersIsTheDLQTrap() throws {
        // 100 orders in the first second, 5 pollers attempt min(5, 10) batches, 2 are reserved: 3 batches (30
        // messages) are throttled. With maxReceiveCount 1 they go to the DLQ; with 5 they come back after the
        // visibility timeout and are processed.
        var p = fast
        p.secondsPerBatch = 1
        p.reservedConcurrency = 2
        p.visibilityTimeoutSeconds = 30
        p.maxReceiveCount = 1
        let traffic = try profile(spikes: spike(minutes: 1, rate: 100))
        let trapped = Simulator.run(traffic, p, minutes: 10)
        #expect(abs(trapped.deadLettered - 30) < 1e-9)
        #expect(trapped.lambdaThrottles == 3)
        p.maxReceiveCount = 5
        let safe = Simulator.run(traffic, p, minutes: 10)
        #expect(safe.deadLettered == 0)
        #expect(abs(safe.processedArrivals - 6_000) < 1e-6)
    }

    @Test func theOutboxAnnouncesAfterItsWindowAndCountsItsInvocations() throws {
        // 10 orders/s for 10 minutes: steady. The stream's 1 s window gathers 10 records a batch: one stream
        // invocation a second, 600 in all, and every order is announced 1 s + 0.1 s after it is stored.
        let traffic = try profile(spikes: spike(minutes: 10, rate: 10))
        let direct = Simulator.run(traffic, fast, minutes: 10)
        var p = fast
        p.outbox = .init(batchSize: 100, windowSeconds: 1, secondsPerBatch: 0.1, shards: 4)
        let outbox = Simulator.run(traffic, p, minutes: 10)
        #expect(direct.streamInvocations == 0)
        #expect(abs(outbox.streamInvocations - 600) < 1e-6)
        #expect(abs((outbox.processingLatency["p50"] ?? 0) - (direct.processingLatency["p50"] ?? 0) - 1.1) < 0.05)
        #expect(abs(outbox.processedArrivals - 6_000) < 1e-6)
    }

    @Test func theOutboxsBatchesShareTheReservedConcurrency() throws {
        // The DLQ-trap case above with a stream reader holding one of the two reserved executions while orders
        // are stored: more of the queue's batches are throttled than the 3 of the first second.
        var p = fast
        p.secondsPerBatch = 1
        p.reservedConcurrency = 2
        p.visibilityTimeoutSeconds = 30
        p.maxReceiveCount = 5
        let traffic = try profile(spikes: spike(minutes: 1, rate: 100))
        let alone = Simulator.run(traffic, p, minutes: 10)
        p.outbox = .init(batchSize: 100, windowSeconds: 1, secondsPerBatch: 1, shards: 4)
        let shared = Simulator.run(traffic, p, minutes: 10)
        #expect(alone.lambdaThrottles == 3)
        #expect(shared.lambdaThrottles > alone.lambdaThrottles)
        #expect(shared.deadLettered == 0 && abs(shared.processedArrivals - 6_000) < 1e-6)
    }

    @Test func dynamoDBStepOverFourThousandWriteUnits() throws {
        // 1,000 orders/s × 6 WRU = 6,000 WRU/s against 4,000: 666.67 orders/s get through, 333.33/s queue, and
        // (1,000 − 666.67) × 2 writes are throttled each second. After minute 30 the limit doubles to 8,000 (twice
        // the peak of minute 0), so from minute 31 everything passes and the backlog drains.
        var p = fast
        p.writeUnitsPerArrival = 6
        p.initialConcurrency = 10
        p.maximumConcurrency = 10  // 10 batches × 10 orders per 0.1 s = exactly the 1,000 orders/s offered
        let result = Simulator.run(try profile(spikes: spike(minutes: 60, rate: 1_000)), p, minutes: 90)
        #expect(abs(result.writeThrottles - 1_860 * (1_000 - 4_000.0 / 6) * 2) < 1)
        #expect(abs(result.peakBacklog - 1_860 * (1_000 - 4_000.0 / 6)) < 1)
        #expect(result.series.writeThrottles[31] == 0)
        // From minute 31 capacity equals arrivals, so the 620,000 wait until the spike ends at minute 60 and drain
        // at 1,000/s in 620 s.
        #expect(abs(result.processedArrivals - 3_600_000) < 1, "drained before minute 90")
        #expect(result.series.backlog[71] < 10 && result.series.backlog[70] > 10, "empty at second 3,600 + 620")
    }

    @Test func alarmsFireFromTheTemplateThresholds() throws {
        var p = fast
        p.stageRateLimit = 100
        p.stageBurstLimit = 200
        p.alarms = [
            .init(
                logicalId: "ClientErrors", metric: .api4xx, threshold: 50, periodSeconds: 60, evaluationPeriods: 3,
                datapointsToAlarm: 3, comparison: "GreaterThanOrEqualToThreshold"),
            .init(
                logicalId: "Age", metric: .queueAge, threshold: 300, periodSeconds: 60, evaluationPeriods: 1,
                datapointsToAlarm: 1, comparison: "GreaterThanOrEqualToThreshold"),
        ]
        // 429s in minutes 0-4: the 3-minute alarm fires at the end of minute 3 (second 180); the queue never ages.
        let result = Simulator.run(try profile(spikes: spike(minutes: 5, rate: 1_000)), p, minutes: 10)
        #expect(result.alarms.map(\.logicalId) == ["ClientErrors"])
        #expect(result.alarms.first?.second == 180)
    }

    @Test func shippedProfilesOnTheProdTemplate() throws {
        let template = try Files.prodTemplate()
        let sale = try Files.profile("sale-spike")
        let result = Simulator.run(sale, SimulationParameters(template: template, profile: sale))
        // prod: 500/s stage limit holds the 300/s sale; 50 concurrent batches of 10 at 120 ms keep up.
        #expect(result.rejectedRequests == 0)
        #expect(abs(result.processedArrivals - 2_260_000) < 1)
        #expect(result.deadLettered == 0)
        #expect(result.alarms.isEmpty)
        let friday = try Files.profile("black-friday")
        let busy = Simulator.run(friday, SimulationParameters(template: template, profile: friday))
        // The evening deals (400 orders/s, 1.5 requests per order: 600/s) are above the 500/s stage limit.
        #expect(busy.rejectedRequests > 100_000)
        #expect(busy.alarms.contains { $0.logicalId == "OrdersApiClientErrorsAlarm" })
    }

    @Test func defaultWindowHoldsTheDepartureTheSpikeAndTheAlarmWhole() throws {
        let template = try Files.prodTemplate()
        let friday = try Files.profile("black-friday")
        let busy = Simulator.run(friday, SimulationParameters(template: template, profile: friday))
        let window = SimulationReport.defaultWindow(busy)
        let rejecting = busy.series.rejected.indices.filter { busy.series.rejected[$0] > 0 }
        #expect(!rejecting.isEmpty)
        #expect(rejecting.allSatisfy(window.contains), "every minute with 429s is in \(window)")
        let evening = 620 * 60..<(620 * 60 + 140)
        #expect(window.lowerBound < evening.lowerBound && window.upperBound > evening.upperBound, "\(window)")
        let alarm = try #require(busy.alarms.first { $0.logicalId == "OrdersApiClientErrorsAlarm" })
        #expect(window.contains(alarm.second / 60))
        let text = SimulationReport.text(busy, window: window)
        #expect(text.contains("rejected with 429: 899,738 (orders 599,825, queries 299,913)"), "\(text)")
        #expect(text.contains("the stage admits 500 requests/s, orders and queries together"))
        #expect(text.contains("window            hours 619.75..622.58 of the month"))

        let sale = try Files.profile("sale-spike")
        let quiet = Simulator.run(sale, SimulationParameters(template: template, profile: sale))
        let saleWindow = SimulationReport.defaultWindow(quiet)
        // No 429, no backlog, no alarm: the biggest spike, 2 hours from hour 300, whole, with 15 minutes around it.
        #expect(saleWindow == (300 * 60 - 15)..<(302 * 60 + 15))
        #expect(quiet.series.offered[saleWindow].filter { $0 > 100 }.count == 120)
    }

    @Test func sparklinesOfNothingAreFlatAndHoursLabelTheWindow() {
        #expect(SimulationReport.sparkline([0, 0.3, 0.1]) == "▁▁▁")
        #expect(SimulationReport.sparkline([0, 8, 0]) == "▁█▁")
        #expect(SimulationReport.sparkline([Double](repeating: 0, count: 200)).count == 67)
        #expect(SimulationReport.hours(17_985..<18_135) == "299.75..302.25")
    }

    @Test func svgIsWellFormedWithTheExpectedSeries() throws {
        var p = fast
        p.stageRateLimit = 100
        p.stageBurstLimit = 200
        p.alarms = [
            .init(
                logicalId: "ClientErrors", metric: .api4xx, threshold: 50, periodSeconds: 60, evaluationPeriods: 1,
                datapointsToAlarm: 1, comparison: "GreaterThanOrEqualToThreshold")
        ]
        let result = Simulator.run(try profile(spikes: spike(start: 1, minutes: 30, rate: 150)), p, minutes: 180)
        let svg = SimulationReport.svg(result, window: 0..<180)
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String: Int] = [:]
            var texts: [String] = []
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                elements[name, default: 0] += 1
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "well-formed XML")
        #expect(collector.elements["svg"] == 1)
        #expect(
            collector.elements["polyline"] == 6,
            "API requests, orders accepted, processed, 429s per second, backlog, concurrency")
        #expect(svg.contains("<line class=\"throttle\""), "the 100/s stage throttle is drawn: the traffic reaches it")
        let text = collector.texts.joined(separator: " ")
        for label in [
            "API requests", "throttle", "429s", "arrivals accepted", "processed", "backlog", "concurrency", "alarm",
            "ClientErrors", "requests and arrivals per second", "hours 0..3 of the month",
        ] {
            #expect(text.contains(label), "\(label)")
        }
    }

    /// Issue 27's chart: whole numbers on the count axes, evenly spaced values, clock-aligned times, and lines
    /// that coincide drawn so each still shows.
    @Test func chartTicksAreEvenAndCountsWhole() throws {
        for (value, expected) in [(5.0, [0.0, 2, 4, 6]), (0.2, [0, 1]), (607, [0, 200, 400, 600, 800])] {
            let ticks = Ticks(maximum: value, integral: value != 607)
            #expect(ticks.values == expected, "\(value)")
        }
        #expect(Ticks(maximum: 13, divisions: 4).values == [0, 4, 8, 12, 16])
        let result = Simulator.run(try profile(spikes: spike(start: 1, minutes: 30, rate: 150)), fast, minutes: 180)
        let svg = SimulationReport.svg(result, window: 15..<165)
        let labels = svg.matches(of: /font-size="11">([^<]+)</).map { String($0.1) }
        let times = labels.filter { $0.hasPrefix("d1 ") }
        #expect(times == ["d1 00:30", "d1 01:00", "d1 01:30", "d1 02:00", "d1 02:30"], "\(times)")
        let counts = labels.filter { !$0.hasPrefix("d1 ") }
        #expect(counts.allSatisfy { !$0.contains(".") }, "\(counts)")
        let accepted = try #require(svg.firstMatch(of: /stroke="#1f77b4" stroke-width="5"/))
        let processed = try #require(svg.range(of: "stroke=\"#2ca02c\""))
        #expect(accepted.range.lowerBound < processed.lowerBound, "the wide accepted line is drawn under processed")
    }
}
