extension Simulator {
    /// What one minute of a path adds up to.
    struct MinuteTotals {
        var offered = 0.0, accepted = 0.0, processed = 0.0, rejected = 0.0, lambdaThrottled = 0.0
        var writeThrottled = 0.0, backlogMax = 0.0, ageMax = 0.0, concurrencyMax = 0.0, peakWrites = 0.0
        var batches = 0.0, traced = 0.0, admittedRequests = 0.0
    }

    /// One queue-and-consumer path run minute by minute (second by second where it is not steady): the API's
    /// token bucket, the queue's cohorts with their receive counts, the mapping's pollers, reserved concurrency,
    /// the table's write limit and SNS's publish limit.
    struct PathRun {
        let profile: TrafficProfile
        let p: SimulationParameters
        let minutes: Int
        let arrivals: [Double]?
        let perSecond: [Double]?
        let requestsPerArrival: Double
        let batchSize: Double
        let perBatch: Double
        /// Seconds from storing to announcing through the outbox.
        let announce: Double
        var result: SimulationResult
        var tokens: Double
        var visible: [Cohort] = []
        var head = 0
        var backlog = 0.0
        var returning: [(visibleAt: Int, cohort: Cohort)] = []
        var pollers: Double
        var throttleCeiling: Double?
        var newEnvironments = 0.0
        var writeLimit: Double
        var minutePeaks: [Double] = []
        var olderPeak = 0.0
        var histogram = Histogram()
        var lastTake = 0.0
        // One array per metric, filled minute by minute; keyed by metric only at the end (hashing the metric's
        // name five times a minute cost more than the month's closed-form minutes).
        var queueAge: [Double], dlqDepth: [Double], api4xx: [Double], lambdaThrottleMetric: [Double]
        var writeThrottleMetric: [Double]

        init(
            _ profile: TrafficProfile, _ parameters: SimulationParameters, minutes: Int, arrivals: [Double]?,
            perSecond: [Double]?
        ) {
            (self.profile, p, self.minutes, self.arrivals, self.perSecond) = (
                profile, parameters, minutes, arrivals, perSecond
            )
            requestsPerArrival = arrivals == nil ? 1 + profile.queriesPerArrival : 1
            batchSize = max(1, parameters.batchSize)
            perBatch = max(0.001, parameters.secondsPerBatch)
            announce = parameters.outbox?.announceSeconds ?? 0
            tokens = parameters.burstLimit
            pollers = parameters.initialConcurrency
            writeLimit = parameters.initialWriteUnitsPerSecond
            queueAge = [Double](repeating: 0, count: minutes)
            (dlqDepth, api4xx, lambdaThrottleMetric, writeThrottleMetric) = (queueAge, queueAge, queueAge, queueAge)
            result = SimulationResult(profile: profile.name, parameters: parameters)
            result.noun = profile.noun
            result.acceptanceLatency = parameters.acceptanceSeconds
            result.throttleRate = parameters.rateLimit
            result.spikes = profile.spikes.map { spike in
                let start = min(minutes, max(0, Int(spike.startHour * 60)))
                let end = max(start, min(minutes, start + Int(spike.durationMinutes.rounded(.up))))
                return (start..<end, spike.arrivalsPerSecond)
            }
            result.peakPollers = min(parameters.initialConcurrency, parameters.concurrencyCap)
            if perSecond != nil { result.perSecond = SecondSeries() }
        }

        /// The reserved concurrency left to the queue's batches beside the outbox's.
        func reserved(_ stored: Double) -> Double? {
            p.reservedConcurrency.map { max(0, $0 - (p.outbox?.concurrency(stored: stored) ?? 0)) }
        }

        /// The arrival rate at `second`, when driven second by second.
        func secondRate(_ second: Int) -> Double? { perSecond.map { second < $0.count ? $0[second] : 0 } }

        /// Arrivals per second during `minute`.
        func rate(atMinute minute: Int) -> Double {
            if let arrivals { return arrivals[minute] }
            guard perSecond != nil else { return profile.rate(atMinute: minute) }
            var sum = 0.0
            for second in (minute * 60)..<(minute * 60 + 60) { sum += secondRate(second) ?? 0 }
            return sum / 60
        }

        /// Takes `amount` messages from the oldest cohorts; the cohorts' parts taken.
        mutating func removeOldest(_ amount: Double) -> [(cohort: Cohort, count: Double)] {
            var taken: [(cohort: Cohort, count: Double)] = []
            var remaining = amount
            while remaining > 1e-12 && head < visible.count {
                let take = min(remaining, visible[head].count)
                taken.append((visible[head], take))
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
            return taken
        }

        /// Runs every minute, then summarises.
        mutating func run() -> SimulationResult {
            for minute in 0..<minutes { self.minute(minute) }
            return finish()
        }

        /// One minute: in closed form when steady, else second by second; then its totals recorded.
        mutating func minute(_ minute: Int) {
            let rate = rate(atMinute: minute)
            var totals = MinuteTotals()
            if isSteady(minute: minute, rate: rate) {
                steadyMinute(minute, rate: rate, into: &totals)
            } else {
                for second in (minute * 60)..<(minute * 60 + 60) {
                    self.second(second, minuteRate: rate, into: &totals)
                }
            }
            close(minute, apiRate: rate * requestsPerArrival, totals)
        }
    }
}
