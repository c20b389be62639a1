import Foundation
import Histogram

/// What the run saw: answers per second of schedule and per kind, latency from each request's due time (so a slow
/// target shows as latency, not as a lower rate), and the keys the API accepted. Thread-safe.
public final class Recorder: @unchecked Sendable {
    /// Answers of one second (by the second the requests were due in).
    public struct Second: Sendable, Equatable {
        public var offered = 0
        public var accepted = 0
        /// 4xx other than 429.
        public var clientErrors = 0
        public var throttled = 0
        public var serverErrors = 0
        /// No answer: the connection failed or the request timed out.
        public var failed = 0
    }

    let lock = NSLock()
    var seconds: [Second] = []
    var byKind: [RequestKind: [Int: Int]] = [:]
    var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    var acceptedKeys: Set<String> = []
    var unanswered: Set<String> = []
    var errors: [String: Int] = [:]

    public init() {}

    /// Counts one request as sent (at its due time).
    public func offered(_ request: PlannedRequest) {
        lock.withLock { slot(request.scheduled) { $0.offered += 1 } }
    }

    /// Records the answer `status` (0: none, with `error`) to `request`, `latency` seconds after it was due.
    public func answered(_ request: PlannedRequest, status: Int, latency: Double, error: String?) {
        lock.withLock {
            slot(request.scheduled) { second in
                switch status {
                case 0: second.failed += 1
                case 200..<300: second.accepted += 1
                case 429: second.throttled += 1
                case 400..<500: second.clientErrors += 1
                default: second.serverErrors += 1
                }
            }
            byKind[request.kind, default: [:]][status, default: 0] += 1
            _ = histogram.record(UInt64(max(0, latency) * 1_000_000))
            if let error { errors[error, default: 0] += 1 }
            guard let key = request.key, request.kind == .new || request.kind == .duplicate else { return }
            if status / 100 == 2 {
                acceptedKeys.insert(key)
                unanswered.remove(key)
            } else if status == 0 || status >= 500, !acceptedKeys.contains(key) {
                // Unknown: it may have been enqueued before the connection failed; looked for, never counted lost.
                unanswered.insert(key)
            }
        }
    }

    func slot(_ scheduled: Double, _ change: (inout Second) -> Void) {
        let index = max(0, Int(scheduled))
        if index >= seconds.count { seconds += [Second](repeating: Second(), count: index + 1 - seconds.count) }
        change(&seconds[index])
    }

    /// A copy of everything recorded so far.
    public var snapshot: LoadCounts {
        lock.withLock {
            LoadCounts(
                seconds: seconds, byKind: byKind, acceptedKeys: acceptedKeys, unansweredKeys: unanswered,
                latency: LatencySummary(histogram), errors: errors)
        }
    }
}

/// Latency percentiles in seconds.
public struct LatencySummary: Sendable, Equatable {
    public var count: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double

    init(_ histogram: Histogram<UInt64>) {
        count = Int(histogram.totalCount)
        func seconds(_ micros: UInt64) -> Double { Double(micros) / 1_000_000 }
        p50 = count == 0 ? 0 : seconds(histogram.valueAtPercentile(50))
        p90 = count == 0 ? 0 : seconds(histogram.valueAtPercentile(90))
        p99 = count == 0 ? 0 : seconds(histogram.valueAtPercentile(99))
        max = count == 0 ? 0 : seconds(histogram.max)
    }
}

/// The recorder's contents at one moment.
public struct LoadCounts: Sendable {
    public var seconds: [Recorder.Second]
    public var byKind: [RequestKind: [Int: Int]]
    public var acceptedKeys: Set<String>
    /// Orders that got no answer or a 5xx and were never accepted by a retry: neither counted lost nor accepted.
    public var unansweredKeys: Set<String>
    public var latency: LatencySummary
    /// Transport errors by message.
    public var errors: [String: Int]

    /// Sum over the seconds of one counter.
    public func total(_ counter: KeyPath<Recorder.Second, Int>) -> Int {
        seconds.reduce(0) { $0 + $1[keyPath: counter] }
    }
}
