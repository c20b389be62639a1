extension Simulator.PathRun {
    /// Steady state below every limit: the queue is empty, the bucket full, the pollers at rest, and the traffic
    /// needs less than the resting pollers, the table's and SNS's limits. Then each arrival waits at most its
    /// batching window (a batch fills sooner above BatchSize / window arrivals per second) and finishes one batch
    /// later; nothing queues, and the minute is solved in closed form. A partial batch still inside its batching
    /// window is normal flow, not a backlog.
    func isSteady(minute: Int, rate: Double) -> Bool {
        let flowing =
            backlog < batchSize
            && (head >= visible.count
                || Double(minute * 60 - visible[head].arrival) < max(1, p.batchingWindowSeconds))
        return perSecond == nil && flowing && returning.isEmpty && tokens + p.rateLimit >= p.burstLimit
            && rate * requestsPerArrival <= p.rateLimit
            && rate * p.writeUnitsPerArrival <= writeLimit && rate <= p.snsPublishPerSecond
            && rate * perBatch < min(p.initialConcurrency, reserved(rate) ?? .infinity)
    }

    /// A steady minute in closed form.
    mutating func steadyMinute(_ minute: Int, rate: Double, into m: inout Simulator.MinuteTotals) {
        let apiRate = rate * requestsPerArrival
        if backlog > 0 {
            // The waiting partial batch goes with the minute's first batch.
            for (cohort, count) in removeOldest(backlog) {
                histogram.add(Double(minute * 60 - cohort.arrival) + perBatch + p.acceptanceSeconds + announce, count)
                m.processed += count
            }
            m.batches += 1
        }
        pollers = p.initialConcurrency
        throttleCeiling = nil
        tokens = max(0, p.burstLimit - apiRate)
        let arrivals = rate * 60
        m.offered = arrivals
        m.accepted = arrivals
        m.processed += arrivals
        lastTake = rate
        let wait = rate > 0 ? min(p.batchingWindowSeconds, batchSize / rate) : 0
        histogram.add(wait + perBatch + p.acceptanceSeconds + announce, arrivals)
        // At most BatchSize - 1 messages wait: the next one completes a batch that is taken at once.
        m.backlogMax = min(rate * p.batchingWindowSeconds, batchSize - 1)
        m.ageMax = rate > 0 ? wait : 0
        m.concurrencyMax = rate > 0 ? max(rate * perBatch, min(1, arrivals)) : 0
        m.peakWrites = rate * p.writeUnitsPerArrival
        m.batches += arrivals / min(batchSize, max(1, rate * max(p.batchingWindowSeconds, perBatch)))
        m.traced = 60 * (min(apiRate, 1) + 0.05 * max(apiRate - 1, 0))
        m.admittedRequests = apiRate * 60
    }

    /// One second of a minute that is not steady.
    mutating func second(_ second: Int, minuteRate: Double, into m: inout Simulator.MinuteTotals) {
        let rateNow = secondRate(second) ?? minuteRate
        let (apiNow, admitted, acceptedNow) = admit(rateNow, into: &m)
        returnDue(at: second)
        if acceptedNow > 0 {
            visible.append(Simulator.Cohort(arrival: second, count: acceptedNow, receives: 0))
            backlog += acceptedNow
        }
        let reservedNow = throttleReserved(at: second, into: &m)
        let slots = min(pollers, reservedNow ?? .infinity)
        let slotsBefore = pollers
        let take = process(at: second, slots: slots, into: &m)
        adjustPollers(take: take, slotsBefore: slotsBefore)
        m.backlogMax = max(m.backlogMax, backlog)
        if head < visible.count { m.ageMax = max(m.ageMax, Double(second - visible[head].arrival)) }
        if backlog > result.peakBacklog {
            result.peakBacklog = backlog
            result.peakBacklogSecond = second
        }
        result.peakPollers = max(result.peakPollers, pollers)
        result.perSecond?.record(
            requests: apiNow, admitted: admitted, accepted: acceptedNow, processed: take, backlog: backlog)
    }

    /// The API's token bucket (refilled at the rate limit up to the burst size): requests offered, admitted, and
    /// the arrivals among them.
    mutating func admit(_ rateNow: Double, into m: inout Simulator.MinuteTotals)
        -> (requests: Double, admitted: Double, accepted: Double)
    {
        tokens = min(p.burstLimit, tokens + p.rateLimit)
        let apiNow = rateNow * requestsPerArrival
        let admitted = min(apiNow, tokens)
        tokens -= admitted
        m.admittedRequests += admitted
        m.traced += min(admitted, 1) + 0.05 * max(admitted - 1, 0)
        let acceptedNow = apiNow > 0 ? rateNow * admitted / apiNow : 0
        m.offered += rateNow
        m.accepted += acceptedNow
        m.rejected += apiNow - admitted
        return (apiNow, admitted, acceptedNow)
    }

    /// Messages whose visibility timeout ended become visible again.
    mutating func returnDue(at second: Int) {
        guard !returning.isEmpty else { return }
        var stillAway: [(visibleAt: Int, cohort: Simulator.Cohort)] = []
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

    /// Reserved concurrency below the batches attempted: those invocations are throttled, their messages return
    /// after the visibility timeout with a receive counted (the DLQ trap), and the mapping stops asking for more
    /// than the reserved concurrency until the queue is empty. The reserved concurrency left to the queue.
    mutating func throttleReserved(at second: Int, into m: inout Simulator.MinuteTotals) -> Double? {
        let attempted = min(pollers, (backlog / batchSize).rounded(.up))
        let reservedNow = reserved(lastTake)
        guard let reserved = reservedNow, attempted > reserved else { return reservedNow }
        let throttledBatches = attempted - reserved
        m.lambdaThrottled += throttledBatches
        m.batches += throttledBatches
        for (cohort, count) in removeOldest(min(backlog, throttledBatches * batchSize)) {
            let receives = cohort.receives + 1
            if let limit = p.maxReceiveCount, Double(receives) >= limit {
                result.deadLettered += count
            } else {
                returning.append(
                    (
                        second + Int(p.visibilityTimeoutSeconds),
                        Simulator.Cohort(arrival: cohort.arrival, count: count, receives: receives)
                    ))
            }
        }
        throttleCeiling = reserved
        pollers = min(pollers, reserved)
        return reservedNow
    }

    /// The batches the running slots take this second, within the table's write limit and SNS's publish limit;
    /// the messages taken.
    mutating func process(at second: Int, slots: Double, into m: inout Simulator.MinuteTotals) -> Double {
        // Batches started on environments added in the previous second pay a cold start.
        let warmSlotSeconds = max(0, slots - newEnvironments * p.coldStartSeconds)
        var capacity = warmSlotSeconds / perBatch * batchSize
        // A partial batch waits for the batching window unless it is full.
        if backlog < batchSize, head < visible.count, Double(second - visible[head].arrival) < p.batchingWindowSeconds {
            capacity = 0
        }
        var take = min(backlog, capacity)
        if take * p.writeUnitsPerArrival > writeLimit {
            let allowed = writeLimit / p.writeUnitsPerArrival
            m.writeThrottled += (take - allowed) * 2
            take = allowed
        }
        take = min(take, p.snsPublishPerSecond)
        let before = backlog
        for (cohort, count) in removeOldest(take) {
            histogram.add(Double(second - cohort.arrival) + perBatch + p.acceptanceSeconds + announce, count)
        }
        m.processed += take
        lastTake = take
        m.peakWrites = max(m.peakWrites, take * p.writeUnitsPerArrival)
        let batches = take / min(batchSize, max(1, before))
        m.batches += batches
        m.concurrencyMax = max(m.concurrencyMax, min(slots, max(take > 0 ? 1 : 0, batches * perBatch)))
        return take
    }

    /// Pollers, for the next second: back to the initial 5 when idle; +300 per minute while more messages wait
    /// than the running batches take.
    mutating func adjustPollers(take: Double, slotsBefore: Double) {
        if backlog == 0 && returning.isEmpty {
            pollers = p.initialConcurrency
            throttleCeiling = nil
        } else if backlog + take > pollers * batchSize {
            pollers = min(min(p.concurrencyCap, throttleCeiling ?? .infinity), pollers + p.rampPerMinute / 60)
        }
        pollers = max(pollers, min(p.initialConcurrency, p.concurrencyCap, throttleCeiling ?? .infinity))
        newEnvironments = max(0, pollers - slotsBefore)
    }
}
