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
        var path = PathRun(profile, parameters, minutes: minutes, arrivals: arrivals, perSecond: perSecond)
        return path.run()
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
