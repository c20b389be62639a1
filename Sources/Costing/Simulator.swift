/// What a month of traffic does to the stack, second by second.
public struct SimulationResult: Sendable {
    /// Per-minute series for charts and JSON.
    public struct Series: Sendable, Equatable {
        /// Orders offered to the API per second (minute average).
        public var offered: [Double] = []
        /// Orders accepted into the queue per second (minute average).
        public var accepted: [Double] = []
        /// Orders processed (stored and announced) per second (minute average).
        public var processed: [Double] = []
        /// Messages waiting in the intake queue (minute maximum).
        public var backlog: [Double] = []
        /// Age of the oldest waiting message in seconds (minute maximum).
        public var oldestAge: [Double] = []
        /// Concurrent batches running (minute maximum).
        public var concurrency: [Double] = []
        /// API requests offered per second, arrivals and queries (minute average).
        public var requests: [Double] = []
        /// API requests rejected with 429 (minute total).
        public var rejected: [Double] = []
        /// Messages moved to the DLQ so far (minute end).
        public var deadLettered: [Double] = []
        /// Throttled processor invocations (minute total).
        public var lambdaThrottles: [Double] = []
        /// Throttled DynamoDB write requests (minute total).
        public var writeThrottles: [Double] = []
    }

    public var profile: String
    /// What the profile calls its arrivals.
    public var noun = TrafficProfile.Noun()
    public var offeredArrivals = 0.0
    public var acceptedArrivals = 0.0
    public var rejectedRequests = 0.0
    /// Of the rejected requests, the arrivals (`POST`); the rest are queries.
    public var rejectedArrivals = 0.0
    /// The API's throttle: the stage's rate limit, or the account's.
    public var throttleRate = 0.0
    /// The profile's spikes as minutes of the month (ramps included), with their plateau rates.
    public var spikes: [(minutes: Range<Int>, arrivalsPerSecond: Double)] = []
    public var processedArrivals = 0.0
    public var deadLettered = 0.0
    public var peakBacklog = 0.0
    public var peakBacklogSecond = 0
    public var maximumAgeSeconds = 0.0
    /// Seconds from the largest backlog's peak until the queue is empty again (`nil`: never drained).
    public var drainSeconds: Double? = 0
    public var peakConcurrency = 0.0
    public var peakPollers = 0.0
    public var lambdaThrottles = 0.0
    public var writeThrottles = 0.0
    /// Processor invocations, throttled ones included (each received its batch).
    public var invocations = 0.0
    /// Processor invocations by the table's change stream (the outbox), beside the queue's.
    public var streamInvocations = 0.0
    /// ReceiveMessage calls on the intake queue: one per batch (throttled ones included) plus idle long polls.
    public var receives = 0.0
    /// Accepted API requests that X-Ray samples (first each second, then 5 %).
    public var tracedRequests = 0.0
    /// API requests accepted (billed); 429s are not.
    public var acceptedRequests = 0.0
    /// Alarms that fire, with the first second they go into ALARM.
    public var alarms: [(logicalId: String, metric: String, second: Int)] = []
    /// Processing latency (accepted → stored and announced) percentiles in seconds: p50, p90, p99, max.
    public var processingLatency: [String: Double] = [:]
    /// Acceptance latency (API → queue) in seconds.
    public var acceptanceLatency = 0.0
    public var series = Series()
    /// Consumers downstream of the processor, each simulated on what the processor finished.
    public var downstream: [DownstreamResult] = []
    /// Second-by-second series of a run driven by per-second rates (`Simulator.run(perSecond:)`); `nil` otherwise.
    public var perSecond: SecondSeries?
    /// Parameters used, for the report.
    public var parameters: SimulationParameters
}

/// What happened each second of a run driven by per-second rates: the granularity a load test is compared at.
public struct SecondSeries: Sendable, Equatable {
    /// An empty series.
    public init() {}

    /// API requests offered (arrivals and queries).
    public var requests: [Double] = []
    /// Requests admitted by the API's token bucket.
    public var admitted: [Double] = []
    /// Requests rejected with 429.
    public var rejected: [Double] = []
    /// Orders accepted into the queue.
    public var accepted: [Double] = []
    /// Orders processed.
    public var processed: [Double] = []
    /// Messages waiting in the intake queue at the end of the second.
    public var backlog: [Double] = []
}

/// A downstream consumer's month: its queue fed by the processor's output through a topic.
public struct DownstreamResult: Sendable {
    public var mapping: String
    public var function: String
    public var queue: String
    /// Messages delivered to its queue.
    public var received: Double
    public var processed: Double
    public var deadLettered: Double
    public var peakBacklog: Double
    /// Seconds from its largest backlog until its queue is empty (`nil`: never drained).
    public var drainSeconds: Double?
    public var maximumAgeSeconds: Double
    public var peakConcurrency: Double
    public var lambdaThrottles: Double
    public var invocations: Double
    public var receives: Double
    /// 99th percentile of delivery to finished, in seconds.
    public var latencyP99: Double
}

/// Steps a profile through the stack's limits: API token bucket → queue → event source mapping scaling →
/// handler time per batch → DynamoDB write capacity → SNS publish quota; a fluid model at 1-second resolution,
/// with steady minutes (empty queue, traffic below every limit) solved in closed form.
public enum Simulator {
    /// A group of messages that arrived in the same second.
    struct Cohort {
        var arrival: Int
        var count: Double
        var receives: Int
    }

    /// Latency histogram with 0.1 s buckets up to 1 h, then one overflow bucket.
    struct Histogram {
        var buckets = [Double](repeating: 0, count: 36_001)
        var maximum = 0.0
        var total = 0.0

        mutating func add(_ seconds: Double, _ count: Double) {
            guard count > 0 else { return }
            buckets[min(buckets.count - 1, Int(seconds * 10))] += count
            maximum = max(maximum, seconds)
            total += count
        }

        func percentile(_ fraction: Double) -> Double {
            guard total > 0 else { return 0 }
            var running = 0.0
            for (index, count) in buckets.enumerated() {
                running += count
                if running >= fraction * total - 1e-9 { return min(maximum, Double(index + 1) / 10) }
            }
            return maximum
        }
    }

    /// Runs the month, or its first `minutes`: the entry path, then each downstream consumer on what the
    /// processor finished, minute by minute.
    public static func run(
        _ profile: TrafficProfile, _ parameters: SimulationParameters, minutes: Int = TrafficProfile.minutesPerMonth
    ) -> SimulationResult {
        var result = simulate(profile, parameters, minutes: minutes, arrivals: nil)
        result.downstream = parameters.downstream.map { consumer in
            let arrivals = result.series.processed.map { $0 * consumer.perProcessed }
            let own = simulate(profile, consumer.parameters, minutes: minutes, arrivals: arrivals)
            return DownstreamResult(
                mapping: consumer.mapping, function: consumer.function, queue: consumer.queue,
                received: own.acceptedArrivals, processed: own.processedArrivals, deadLettered: own.deadLettered,
                peakBacklog: own.peakBacklog, drainSeconds: own.drainSeconds, maximumAgeSeconds: own.maximumAgeSeconds,
                peakConcurrency: own.peakConcurrency, lambdaThrottles: own.lambdaThrottles,
                invocations: own.invocations, receives: own.receives,
                latencyP99: own.processingLatency["p99"] ?? 0)
        }
        return result
    }

    /// A short run driven second by second: `rates[s]` arrivals per second during second `s` (a profile compressed
    /// for a load test), then `tailSeconds` without traffic for the queue to drain. The profile gives the queries
    /// per order and the assumptions; `perSecond` holds the series, and the drain time is measured on it.
    public static func run(
        perSecond rates: [Double], _ profile: TrafficProfile, _ parameters: SimulationParameters, tailSeconds: Int
    ) -> SimulationResult {
        let minutes = max(1, (rates.count + max(0, tailSeconds) + 59) / 60)
        return simulate(profile, parameters, minutes: minutes, arrivals: nil, perSecond: rates)
    }

    /// One queue-and-consumer path: `arrivals` (messages per second, one value per minute) replace the profile's
    /// API traffic and skip the API when given; `perSecond` (arrivals per second, one value per second) replaces it
    /// at second resolution, with no closed-form minutes.
    static func simulate(
        _ profile: TrafficProfile, _ parameters: SimulationParameters, minutes: Int, arrivals: [Double]?,
        perSecond: [Double]? = nil
    ) -> SimulationResult {
        var result = SimulationResult(profile: profile.name, parameters: parameters)
        result.noun = profile.noun
        let p = parameters
        let requestsPerArrival = arrivals == nil ? 1 + profile.queriesPerArrival : 1
        let batchSize = max(1, p.batchSize)
        let perBatch = max(0.001, p.secondsPerBatch)
        var tokens = p.burstLimit
        var visible: [Cohort] = []
        var head = 0
        var backlog = 0.0
        var returning: [(visibleAt: Int, cohort: Cohort)] = []
        var pollers = p.initialConcurrency
        var throttleCeiling: Double?
        var newEnvironments = 0.0
        var writeLimit = p.initialWriteUnitsPerSecond
        var minutePeaks: [Double] = []
        var olderPeak = 0.0
        var histogram = Histogram()
        // The outbox: announcing waits for the stream's window and batch, and its batches share the processor's
        // reserved concurrency with the queue's.
        let announce = p.outbox?.announceSeconds ?? 0
        var lastTake = 0.0
        func reserved(_ stored: Double) -> Double? {
            p.reservedConcurrency.map { max(0, $0 - (p.outbox?.concurrency(stored: stored) ?? 0)) }
        }
        // One array per metric, filled minute by minute; keyed by metric only at the end (hashing the metric's
        // name five times a minute cost more than the month's closed-form minutes).
        var queueAge = [Double](repeating: 0, count: minutes), dlqDepth = queueAge, api4xx = queueAge
        var lambdaThrottleMetric = queueAge, writeThrottleMetric = queueAge
        result.acceptanceLatency = p.acceptanceSeconds
        result.throttleRate = p.rateLimit
        result.spikes = profile.spikes.map { spike in
            let start = min(minutes, max(0, Int(spike.startHour * 60)))
            let end = max(start, min(minutes, start + Int(spike.durationMinutes.rounded(.up))))
            return (start..<end, spike.arrivalsPerSecond)
        }
        result.peakPollers = min(p.initialConcurrency, p.concurrencyCap)
        if perSecond != nil { result.perSecond = SecondSeries() }
        func secondRate(_ second: Int) -> Double? {
            perSecond.map { second < $0.count ? $0[second] : 0 }
        }

        func removeOldest(_ amount: Double, at second: Int, _ handle: (Cohort, Double) -> Void) {
            var remaining = amount
            while remaining > 1e-12 && head < visible.count {
                let take = min(remaining, visible[head].count)
                handle(visible[head], take)
                visible[head].count -= take
                remaining -= take
                backlog -= take
                if visible[head].count <= 1e-12 { head += 1 }
            }
            if head > 4096 && head * 2 > visible.count {
                visible.removeFirst(head)
                head = 0
            }
            if backlog < 1e-9 { backlog = 0 }
        }

        for minute in 0..<minutes {
            let rate: Double
            if let arrivals {
                rate = arrivals[minute]
            } else if perSecond != nil {
                var sum = 0.0
                for second in (minute * 60)..<(minute * 60 + 60) { sum += secondRate(second) ?? 0 }
                rate = sum / 60
            } else {
                rate = profile.rate(atMinute: minute)
            }
            var offered = 0.0, accepted = 0.0, processed = 0.0, rejected = 0.0, lambdaThrottled = 0.0,
                writeThrottled = 0.0
            var backlogMax = 0.0, ageMax = 0.0, concurrencyMax = 0.0, peakWrites = 0.0
            var minuteBatches = 0.0, traced = 0.0, admittedRequests = 0.0
            let apiRate = rate * requestsPerArrival
            // Steady state below every limit: the queue is empty, the bucket full, the pollers at rest, and the
            // traffic needs less than the resting pollers, the table's and SNS's limits. Then each order waits at
            // most its batching window (a batch fills sooner above BatchSize / window arrivals per second) and
            // finishes one batch later; nothing queues, and the minute is solved in closed form.
            // A partial batch still inside its batching window is normal flow, not a backlog.
            let flowing =
                backlog < batchSize
                && (head >= visible.count
                    || Double(minute * 60 - visible[head].arrival) < max(1, p.batchingWindowSeconds))
            let steady =
                perSecond == nil && flowing && returning.isEmpty && tokens + p.rateLimit >= p.burstLimit
                && apiRate <= p.rateLimit
                && rate * p.writeUnitsPerArrival <= writeLimit && rate <= p.snsPublishPerSecond
                && rate * perBatch < min(p.initialConcurrency, reserved(rate) ?? .infinity)
            if steady {
                if backlog > 0 {
                    // The waiting partial batch goes with the minute's first batch.
                    removeOldest(backlog, at: minute * 60) { cohort, count in
                        histogram.add(
                            Double(minute * 60 - cohort.arrival) + perBatch + p.acceptanceSeconds + announce, count)
                        processed += count
                    }
                    minuteBatches += 1
                }
                pollers = p.initialConcurrency
                throttleCeiling = nil
                tokens = max(0, p.burstLimit - apiRate)
                let arrivals = rate * 60
                offered = arrivals
                accepted = arrivals
                processed += arrivals
                lastTake = rate
                let wait = rate > 0 ? min(p.batchingWindowSeconds, batchSize / rate) : 0
                histogram.add(wait + perBatch + p.acceptanceSeconds + announce, arrivals)
                // At most BatchSize - 1 messages wait: the next one completes a batch that is taken at once.
                backlogMax = min(rate * p.batchingWindowSeconds, batchSize - 1)
                ageMax = rate > 0 ? wait : 0
                concurrencyMax = rate > 0 ? max(rate * perBatch, min(1, arrivals)) : 0
                peakWrites = rate * p.writeUnitsPerArrival
                minuteBatches += arrivals / min(batchSize, max(1, rate * max(p.batchingWindowSeconds, perBatch)))
                traced = 60 * (min(apiRate, 1) + 0.05 * max(apiRate - 1, 0))
                admittedRequests = apiRate * 60
            } else {
                for second in (minute * 60)..<(minute * 60 + 60) {
                    // API token bucket: refills at the rate limit up to the burst size.
                    tokens = min(p.burstLimit, tokens + p.rateLimit)
                    let rateNow = secondRate(second) ?? rate
                    let apiNow = rateNow * requestsPerArrival
                    let admitted = min(apiNow, tokens)
                    tokens -= admitted
                    admittedRequests += admitted
                    traced += min(admitted, 1) + 0.05 * max(admitted - 1, 0)
                    let acceptedNow = apiNow > 0 ? rateNow * admitted / apiNow : 0
                    offered += rateNow
                    accepted += acceptedNow
                    rejected += apiNow - admitted
                    if !returning.isEmpty {
                        var stillAway: [(visibleAt: Int, cohort: Cohort)] = []
                        for entry in returning {
                            if entry.visibleAt <= second {
                                visible.append(entry.cohort)
                                backlog += entry.cohort.count
                            } else {
                                stillAway.append(entry)
                            }
                        }
                        returning = stillAway
                    }
                    if acceptedNow > 0 {
                        visible.append(Cohort(arrival: second, count: acceptedNow, receives: 0))
                        backlog += acceptedNow
                    }
                    // Reserved concurrency below the batches attempted: those invocations are throttled, their
                    // messages return after the visibility timeout with a receive counted (the DLQ trap), and the
                    // mapping stops asking for more than the reserved concurrency until the queue is empty.
                    let attempted = min(pollers, (backlog / batchSize).rounded(.up))
                    let reservedNow = reserved(lastTake)
                    if let reserved = reservedNow, attempted > reserved {
                        let throttledBatches = attempted - reserved
                        lambdaThrottled += throttledBatches
                        minuteBatches += throttledBatches
                        removeOldest(min(backlog, throttledBatches * batchSize), at: second) { cohort, count in
                            let receives = cohort.receives + 1
                            if let limit = p.maxReceiveCount, Double(receives) >= limit {
                                result.deadLettered += count
                            } else {
                                returning.append(
                                    (
                                        second + Int(p.visibilityTimeoutSeconds),
                                        Cohort(arrival: cohort.arrival, count: count, receives: receives)
                                    ))
                            }
                        }
                        throttleCeiling = reserved
                        pollers = min(pollers, reserved)
                    }
                    let slots = min(pollers, reservedNow ?? .infinity)
                    let slotsBefore = pollers
                    // Batches started on environments added in the previous second pay a cold start.
                    let warmSlotSeconds = max(0, slots - newEnvironments * p.coldStartSeconds)
                    var capacity = warmSlotSeconds / perBatch * batchSize
                    // A partial batch waits for the batching window unless it is full.
                    if backlog < batchSize, head < visible.count,
                        Double(second - visible[head].arrival) < p.batchingWindowSeconds
                    {
                        capacity = 0
                    }
                    var take = min(backlog, capacity)
                    if take * p.writeUnitsPerArrival > writeLimit {
                        let allowed = writeLimit / p.writeUnitsPerArrival
                        writeThrottled += (take - allowed) * 2
                        take = allowed
                    }
                    take = min(take, p.snsPublishPerSecond)
                    let before = backlog
                    removeOldest(take, at: second) { cohort, count in
                        histogram.add(
                            Double(second - cohort.arrival) + perBatch + p.acceptanceSeconds + announce, count)
                    }
                    processed += take
                    lastTake = take
                    peakWrites = max(peakWrites, take * p.writeUnitsPerArrival)
                    let batches = take / min(batchSize, max(1, before))
                    minuteBatches += batches
                    concurrencyMax = max(concurrencyMax, min(slots, max(take > 0 ? 1 : 0, batches * perBatch)))
                    // Pollers, for the next second: back to the initial 5 when idle; +300 per minute while more
                    // messages wait than the running batches take.
                    if backlog == 0 && returning.isEmpty {
                        pollers = p.initialConcurrency
                        throttleCeiling = nil
                    } else if backlog + take > pollers * batchSize {
                        pollers = min(
                            min(p.concurrencyCap, throttleCeiling ?? .infinity), pollers + p.rampPerMinute / 60)
                    }
                    pollers = max(pollers, min(p.initialConcurrency, p.concurrencyCap, throttleCeiling ?? .infinity))
                    newEnvironments = max(0, pollers - slotsBefore)
                    backlogMax = max(backlogMax, backlog)
                    if head < visible.count { ageMax = max(ageMax, Double(second - visible[head].arrival)) }
                    if backlog > result.peakBacklog {
                        result.peakBacklog = backlog
                        result.peakBacklogSecond = second
                    }
                    result.peakPollers = max(result.peakPollers, pollers)
                    result.perSecond?.record(
                        requests: apiNow, admitted: admitted, accepted: acceptedNow, processed: take, backlog: backlog)
                }
            }
            // DynamoDB on-demand: the write limit becomes twice the previous peak once that peak is 30 minutes old.
            minutePeaks.append(peakWrites)
            let settled = minute - p.doublingDelaySeconds / 60
            if settled >= 0 { olderPeak = max(olderPeak, minutePeaks[settled]) }
            writeLimit = max(p.initialWriteUnitsPerSecond, 2 * olderPeak)

            result.invocations += minuteBatches
            result.streamInvocations += (p.outbox?.batches(stored: processed / 60) ?? 0) * 60
            result.receives += max(profile.assumptions.idleReceivesPerMinute, minuteBatches)
            result.tracedRequests += traced
            result.acceptedRequests += admittedRequests
            result.offeredArrivals += offered
            result.acceptedArrivals += accepted
            result.rejectedRequests += rejected
            result.rejectedArrivals += offered - accepted
            result.processedArrivals += processed
            result.lambdaThrottles += lambdaThrottled
            result.writeThrottles += writeThrottled
            result.maximumAgeSeconds = max(result.maximumAgeSeconds, ageMax)
            result.peakConcurrency = max(result.peakConcurrency, concurrencyMax)
            result.series.offered.append(offered / 60)
            result.series.accepted.append(accepted / 60)
            result.series.processed.append(processed / 60)
            result.series.backlog.append(backlogMax)
            result.series.oldestAge.append(ageMax)
            result.series.concurrency.append(concurrencyMax)
            result.series.requests.append(apiRate)
            result.series.rejected.append(rejected)
            result.series.deadLettered.append(result.deadLettered)
            result.series.lambdaThrottles.append(lambdaThrottled)
            result.series.writeThrottles.append(writeThrottled)
            queueAge[minute] = ageMax
            dlqDepth[minute] = result.deadLettered
            api4xx[minute] = rejected
            lambdaThrottleMetric[minute] = lambdaThrottled
            writeThrottleMetric[minute] = writeThrottled
        }
        if let seconds = result.perSecond, result.peakBacklog > 0 {
            let after = seconds.backlog[result.peakBacklogSecond...]
            result.drainSeconds = after.firstIndex { $0 < batchSize }.map { Double($0 - result.peakBacklogSecond) }
        } else if result.peakBacklog > 0 {
            let after = result.series.backlog[(result.peakBacklogSecond / 60)...]
            // Drained when less than one batch waits (a partial batch waiting for its window is normal flow).
            if let drained = after.firstIndex(where: { $0 < batchSize }) {
                result.drainSeconds = Double(drained * 60 - result.peakBacklogSecond)
            } else {
                result.drainSeconds = nil
            }
        }
        result.processingLatency = [
            "p50": histogram.percentile(0.5), "p90": histogram.percentile(0.9), "p99": histogram.percentile(0.99),
            "max": histogram.maximum,
        ]
        let zero = [Double](repeating: 0, count: minutes)
        let metrics: [SimulationParameters.Metric: [Double]] = [
            .queueAge: queueAge, .dlqDepth: dlqDepth, .api4xx: api4xx, .api5xx: zero,
            .lambdaThrottles: lambdaThrottleMetric, .lambdaErrors: zero, .dynamoWriteThrottles: writeThrottleMetric,
        ]
        result.alarms = evaluate(p.alarms, metrics)
        return result
    }

    /// CloudWatch alarm evaluation on the per-minute metrics: each period aggregates `period / 60` minutes (maximum
    /// for ages and depths, sum for counts); the alarm fires at the first period where `datapointsToAlarm` of the
    /// last `evaluationPeriods` breach.
    static func evaluate(
        _ alarms: [SimulationParameters.AlarmRule], _ metrics: [SimulationParameters.Metric: [Double]]
    ) -> [(logicalId: String, metric: String, second: Int)] {
        var fired: [(logicalId: String, metric: String, second: Int)] = []
        for alarm in alarms {
            guard let values = metrics[alarm.metric] else { continue }
            let span = max(1, alarm.periodSeconds / 60)
            let useMaximum = alarm.metric == .queueAge || alarm.metric == .dlqDepth
            let threshold = alarm.threshold
            let breaches: (Double) -> Bool
            switch alarm.comparison {
            case "GreaterThanThreshold": breaches = { $0 > threshold }
            case "LessThanThreshold": breaches = { $0 < threshold }
            case "LessThanOrEqualToThreshold": breaches = { $0 <= threshold }
            default: breaches = { $0 >= threshold }
            }
            // The last `evaluationPeriods` verdicts, as a ring, and how many of them breach.
            var recent = [Bool](repeating: false, count: max(1, alarm.evaluationPeriods))
            var breaching = 0
            var period = 0
            var start = 0
            while start < values.count {
                let window = values[start..<min(values.count, start + span)]
                let breach = breaches(useMaximum ? (window.max() ?? 0) : window.reduce(0, +))
                let slot = period % recent.count
                breaching += (breach ? 1 : 0) - (recent[slot] ? 1 : 0)
                recent[slot] = breach
                period += 1
                if breaching >= alarm.datapointsToAlarm {
                    fired.append((alarm.logicalId, alarm.metric.rawValue, (start + span) * 60))
                    break
                }
                start += span
            }
        }
        return fired.sorted { $0.second < $1.second }
    }
}

extension SecondSeries {
    mutating func record(requests: Double, admitted: Double, accepted: Double, processed: Double, backlog: Double) {
        self.requests.append(requests)
        self.admitted.append(admitted)
        rejected.append(requests - admitted)
        self.accepted.append(accepted)
        self.processed.append(processed)
        self.backlog.append(backlog)
    }
}
