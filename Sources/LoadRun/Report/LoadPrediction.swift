import Costing

/// `simulate`'s prediction for the run: the same profile, compressed and scaled, second by second on the stage's
/// limits, and where the measurement departs from it.
public struct LoadPrediction: Sendable {
    /// A figure measured beside its prediction.
    public struct Comparison: Sendable, Equatable {
        public var name: String
        public var measured: Double?
        public var predicted: Double?
        /// Differences below this are noise whatever their share (a few requests, a second or two).
        public var floor: Double

        /// Whether the two differ by more than 20 % of the larger (and more than `floor`).
        public var differs: Bool {
            guard let measured, let predicted else { return false }
            let gap = abs(measured - predicted)
            return gap > floor && gap > 0.2 * max(abs(measured), abs(predicted))
        }
    }

    public var result: SimulationResult

    /// Simulates the run: the profile's order rate each second less the invalid share (the API turns those away
    /// before the queue), and the rest of the requests (queries, invalid orders) counted against the throttle.
    public static func make(
        shape: LoadShape, invalidShare: Double, parameters: SimulationParameters, tailSeconds: Int
    ) -> LoadPrediction {
        var profile = shape.profile
        let enqueued = max(1e-9, 1 - invalidShare)
        profile.queriesPerArrival = (1 + shape.profile.queriesPerArrival) / enqueued - 1
        let rates = shape.arrivalRatePerSecond.map { $0 * enqueued }
        return LoadPrediction(
            result: Simulator.run(perSecond: rates, profile, parameters, tailSeconds: tailSeconds))
    }

    /// Admitted requests, orders accepted into the queue (new ones and retries), 429s, the peak backlog and the
    /// drain time, measured against predicted. The backlog's
    /// floor is two batches: one filling during its batching window and one being received are normal flow.
    public func comparisons(_ run: LoadResult) -> [Comparison] {
        let counts = run.counts
        let admitted = counts.total(\.accepted) + counts.total(\.clientErrors) + counts.total(\.serverErrors)
        let accepted = [RequestKind.new, .duplicate].reduce(0) { total, kind in
            total + (counts.byKind[kind] ?? [:]).filter { $0.key / 100 == 2 }.values.reduce(0, +)
        }
        var rows = [
            Comparison(
                name: "requests admitted", measured: Double(admitted), predicted: result.acceptedRequests, floor: 5),
            Comparison(
                name: "POSTs accepted", measured: Double(accepted), predicted: result.acceptedArrivals, floor: 5),
            Comparison(
                name: "429 throttled", measured: Double(counts.total(\.throttled)), predicted: result.rejectedRequests,
                floor: 5),
        ]
        let batch = Int(result.parameters.batchSize)
        rows.append(
            Comparison(
                name: "peak intake backlog", measured: run.peakBacklog.map { Double($0.messages) },
                predicted: result.peakBacklog, floor: Double(2 * batch)))
        rows.append(
            Comparison(
                name: "drain time (s)", measured: run.backlog == nil ? nil : run.drainSeconds(batchSize: batch),
                predicted: result.drainSeconds, floor: 2))
        return rows
    }
}
