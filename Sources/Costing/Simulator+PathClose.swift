extension Simulator.PathRun {
    /// Records a minute's totals: the table's write limit (on-demand doubles to twice the previous peak once that
    /// peak is 30 minutes old), the month's counters, the series and the alarm metrics.
    mutating func close(_ minute: Int, apiRate: Double, _ m: Simulator.MinuteTotals) {
        minutePeaks.append(m.peakWrites)
        let settled = minute - p.doublingDelaySeconds / 60
        if settled >= 0 { olderPeak = max(olderPeak, minutePeaks[settled]) }
        writeLimit = max(p.initialWriteUnitsPerSecond, 2 * olderPeak)

        result.invocations += m.batches
        result.streamInvocations += (p.outbox?.batches(stored: m.processed / 60) ?? 0) * 60
        result.receives += max(profile.assumptions.idleReceivesPerMinute, m.batches)
        result.tracedRequests += m.traced
        result.acceptedRequests += m.admittedRequests
        result.offeredArrivals += m.offered
        result.acceptedArrivals += m.accepted
        result.rejectedRequests += m.rejected
        result.rejectedArrivals += m.offered - m.accepted
        result.processedArrivals += m.processed
        result.lambdaThrottles += m.lambdaThrottled
        result.writeThrottles += m.writeThrottled
        result.maximumAgeSeconds = max(result.maximumAgeSeconds, m.ageMax)
        result.peakConcurrency = max(result.peakConcurrency, m.concurrencyMax)
        result.series.offered.append(m.offered / 60)
        result.series.accepted.append(m.accepted / 60)
        result.series.processed.append(m.processed / 60)
        result.series.backlog.append(m.backlogMax)
        result.series.oldestAge.append(m.ageMax)
        result.series.concurrency.append(m.concurrencyMax)
        result.series.requests.append(apiRate)
        result.series.rejected.append(m.rejected)
        result.series.deadLettered.append(result.deadLettered)
        result.series.lambdaThrottles.append(m.lambdaThrottled)
        result.series.writeThrottles.append(m.writeThrottled)
        queueAge[minute] = m.ageMax
        dlqDepth[minute] = result.deadLettered
        api4xx[minute] = m.rejected
        lambdaThrottleMetric[minute] = m.lambdaThrottled
        writeThrottleMetric[minute] = m.writeThrottled
    }

    /// The drain time, the latency percentiles and the alarms, once every minute ran.
    mutating func finish() -> SimulationResult {
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
        result.alarms = Simulator.evaluate(p.alarms, metrics)
        return result
    }
}
