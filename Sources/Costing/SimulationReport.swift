/// Renders simulation results: a text summary with a sparkline, JSON, and an SVG chart.
public enum SimulationReport {
    /// Minutes `start..<end` to show, clamped to the month.
    public typealias Window = Range<Int>

    /// The default window: the largest departure from normal flow, whole (the longest stretch with 429s, else
    /// the one with the largest backlog or any throttle or dead-lettered message), together with the spikes it
    /// overlaps and the alarms it sets off; with no departure, the first alarm; else the biggest spike; else the
    /// busiest hour. A margin of a tenth of the span (at least 15 minutes) on each side.
    public static func defaultWindow(_ result: SimulationResult) -> Window {
        let count = result.series.offered.count
        guard count > 0 else { return 0..<0 }
        var focus: Range<Int>
        if let departure = largestDeparture(result) {
            focus = departure
            for spike in result.spikes where spike.minutes.overlaps(departure) { focus = union(focus, spike.minutes) }
            for alarm in result.alarms {
                let minute = alarm.second / 60
                if minute >= focus.lowerBound && minute < focus.upperBound + 60 {
                    focus = union(focus, minute..<minute + 1)
                }
            }
        } else if let alarm = result.alarms.first {
            focus = max(0, alarm.second / 60 - 60)..<(alarm.second / 60 + 1)
        } else if let spike = result.spikes.max(by: { $0.arrivalsPerSecond < $1.arrivalsPerSecond }),
            !spike.minutes.isEmpty
        {
            focus = spike.minutes
        } else {
            let offered = result.series.offered
            let busiest = offered.indices.max { offered[$0] < offered[$1] } ?? 0
            focus = busiest..<busiest + 1
        }
        let margin = max(15, focus.count / 10)
        let lower = max(0, focus.lowerBound - margin)
        return lower..<min(count, max(lower + 60, focus.upperBound + margin))
    }

    /// Runs of minutes that depart from normal flow, ranked by requests rejected, then by peak backlog.
    static func largestDeparture(_ result: SimulationResult) -> Range<Int>? {
        let series = result.series
        let batch = result.parameters.batchSize
        func departs(_ minute: Int) -> Bool {
            series.rejected[minute] > 0 || series.lambdaThrottles[minute] > 0 || series.writeThrottles[minute] > 0
                || series.backlog[minute] >= batch
                || (minute > 0 && series.deadLettered[minute] > series.deadLettered[minute - 1])
        }
        var best: (range: Range<Int>, rejected: Double, backlog: Double)?
        var minute = 0
        while minute < series.offered.count {
            guard departs(minute) else {
                minute += 1
                continue
            }
            let start = minute
            while minute < series.offered.count && departs(minute) { minute += 1 }
            let rejected = series.rejected[start..<minute].reduce(0, +)
            let backlog = series.backlog[start..<minute].max() ?? 0
            if best.map({ (rejected, backlog) > ($0.rejected, $0.backlog) }) ?? true {
                best = (start..<minute, rejected, backlog)
            }
        }
        return best?.range
    }

    private static func union(_ a: Range<Int>, _ b: Range<Int>) -> Range<Int> {
        min(a.lowerBound, b.lowerBound)..<max(a.upperBound, b.upperBound)
    }

    /// `299.5..303`: a window in hours of the month, the unit `--window` takes.
    static func hours(_ window: Window) -> String {
        func hour(_ minute: Int) -> String {
            let value = Double(minute) / 60
            let rounded = (value * 100).rounded() / 100
            return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        }
        return "\(hour(window.lowerBound))..\(hour(window.upperBound))"
    }

    static func clock(_ second: Int) -> String {
        let day = second / 86_400 + 1
        let hour = (second % 86_400) / 3600
        let minute = (second % 3600) / 60
        return
            "day \(day) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute) (hour \(second / 3600) of 730)"
    }

    static func seconds(_ value: Double) -> String {
        if value < 1 { return "\(Int((value * 1000).rounded())) ms" }
        if value < 120 { return "\(Money.quantity((value * 10).rounded() / 10)) s" }
        if value < 7200 { return "\(Money.quantity((value / 6).rounded() / 10)) min" }
        return "\(Money.quantity((value / 360).rounded() / 10)) h"
    }

    /// The downstream consumers as JSON objects.
    static func downstream(_ result: SimulationResult) -> String {
        result.downstream.map { c in
            "{\"mapping\": \"\(c.mapping)\", \"function\": \"\(c.function)\", \"queue\": \"\(c.queue)\", "
                + "\"received\": \(c.received.rounded()), \"processed\": \(c.processed.rounded()), "
                + "\"dead_lettered\": \(c.deadLettered.rounded()), \"peak_backlog\": \(c.peakBacklog.rounded()), "
                + "\"drain_seconds\": \(c.drainSeconds.map { "\($0)" } ?? "null"), \"lambda_throttles\": \(c.lambdaThrottles.rounded()), "
                + "\"invocations\": \(c.invocations.rounded()), \"p99_latency_seconds\": \(c.latencyP99)}"
        }.joined(separator: ", ")
    }

    /// The terminal summary.
    public static func text(_ result: SimulationResult, window: Window) -> String {
        let q = { Money.quantity(($0 as Double).rounded()) }
        var lines = [
            "profile \(result.profile): \(q(result.offeredArrivals)) \(result.noun.plural) offered",
            "  accepted          \(q(result.acceptedArrivals)); API requests rejected with 429: \(rejectedText(result))",
            "  processed         \(q(result.processedArrivals)); sent to the DLQ: \(q(result.deadLettered))",
            result.peakBacklog < 1
                ? "  peak backlog      none: every message was taken within its batching window"
                : "  peak backlog      \(q(result.peakBacklog)) messages at \(clock(result.peakBacklogSecond))"
                    + (result.peakBacklog < result.parameters.batchSize && result.parameters.batchingWindowSeconds > 0
                        ? " (less than a batch of \(q(result.parameters.batchSize)): messages waiting for the \(q(result.parameters.batchingWindowSeconds)) s batching window to close where traffic is light)"
                        : ""),
            "  oldest message    \(seconds(result.maximumAgeSeconds))",
            "  time to drain     \(result.drainSeconds.map(seconds) ?? "not drained by the end of the month")",
            "  concurrency       peak \(q(result.peakConcurrency)) batches running, pollers up to \(q(result.peakPollers))",
            "  DynamoDB          \(q(result.writeThrottles)) throttled write requests",
            "  Lambda throttles  \(q(result.lambdaThrottles))",
            "  latency           acceptance \(seconds(result.acceptanceLatency)); processing p50 \(seconds(result.processingLatency["p50"] ?? 0)), "
                + "p90 \(seconds(result.processingLatency["p90"] ?? 0)), p99 \(seconds(result.processingLatency["p99"] ?? 0)), "
                + "max \(seconds(result.processingLatency["max"] ?? 0))",
        ]
        if let outbox = result.parameters.outbox {
            lines.append(
                "  outbox            \(q(result.streamInvocations)) stream invocations beside \(q(result.invocations)) from the queue; "
                    + "each \(result.noun.singular) announced about \(seconds(outbox.announceSeconds)) after it is stored (in the latency above)"
            )
        }
        if result.alarms.isEmpty {
            lines.append("  alarms            none fire")
        } else {
            lines.append("  alarms            \(result.alarms.count) fire:")
            for alarm in result.alarms {
                lines.append("    \(alarm.logicalId) at \(clock(alarm.second)) (\(alarm.metric))")
            }
        }
        for consumer in result.downstream {
            lines.append(
                "  downstream        \(consumer.function) on \(consumer.queue): \(q(consumer.processed)) of \(q(consumer.received)) processed, "
                    + "DLQ \(q(consumer.deadLettered)), peak backlog \(q(consumer.peakBacklog)), "
                    + "drained \(consumer.drainSeconds.map(seconds) ?? "never"), throttles \(q(consumer.lambdaThrottles)), "
                    + "p99 \(seconds(consumer.latencyP99))")
        }
        lines.append(
            "  window            hours \(hours(window)) of the month (\(clockShort(window.lowerBound * 60)) to \(clockShort(window.upperBound * 60)); --window \(hours(window)))"
        )
        let rows: [(String, [Double])] = [
            ("backlog", result.series.backlog), ("API requests/s", result.series.requests),
            ("rejected/min", result.series.rejected),
        ]
        for (label, values) in rows {
            let shown = Array(values[window])
            lines.append(
                "  \(label + String(repeating: " ", count: max(1, 18 - label.count)))(max \(q(shown.max() ?? 0))): \(sparkline(shown))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `899,738 (arrivals 359,895, queries 539,843)`, or `0`.
    static func rejectedText(_ result: SimulationResult) -> String {
        let q = { Money.quantity(($0 as Double).rounded()) }
        guard result.rejectedRequests >= 0.5 else { return "0" }
        let arrivals = result.rejectedArrivals
        let queries = max(0, result.rejectedRequests - arrivals)
        return "\(q(result.rejectedRequests)) (\(result.noun.plural) \(q(arrivals)), queries \(q(queries))); "
            + "the stage admits \(q(result.throttleRate)) requests/s, \(result.noun.plural) and queries together"
    }

    /// Unicode block sparkline, at most 80 characters wide.
    /// A series whose maximum rounds to 0 (as its label shows it) is flat at the bottom.
    static func sparkline(_ values: [Double]) -> String {
        let step = max(1, (values.count + 79) / 80)
        guard let top = values.max(), top >= 0.5 else {
            return String(repeating: "▁", count: (values.count + step - 1) / step)
        }
        let blocks = Array("▁▂▃▄▅▆▇█")
        return stride(from: 0, to: values.count, by: step).map { index in
            let value = values[index..<min(values.count, index + step)].max() ?? 0
            return blocks[min(7, Int(value / top * 7.999))]
        }.map(String.init).joined()
    }

    /// Summary and per-minute series of `window` as JSON.
    public static func json(_ result: SimulationResult, window: Window) -> String {
        func list(_ values: [Double]) -> String {
            "["
                + values[window].map { value in
                    let rounded = (value * 1000).rounded() / 1000
                    return rounded == rounded.rounded() ? String(Int64(rounded)) : "\(rounded)"
                }.joined(separator: ",") + "]"
        }
        let alarms = result.alarms.map {
            "{\"alarm\": \"\($0.logicalId)\", \"metric\": \"\($0.metric)\", \"second\": \($0.second)}"
        }
        let latency = ["p50", "p90", "p99", "max"].map { "\"\($0)\": \(result.processingLatency[$0] ?? 0)" }.joined(
            separator: ", ")
        return """
            {"profile": "\(result.profile)", "offered": \(result.offeredArrivals.rounded()), "accepted": \(result.acceptedArrivals.rounded()),
             "rejected_429": \(result.rejectedRequests.rounded()), "processed": \(result.processedArrivals.rounded()),
             "dead_lettered": \(result.deadLettered.rounded()), "peak_backlog": \(result.peakBacklog.rounded()),
             "peak_backlog_second": \(result.peakBacklogSecond), "max_age_seconds": \(result.maximumAgeSeconds),
             "drain_seconds": \(result.drainSeconds.map { "\($0)" } ?? "null"), "peak_concurrency": \(result.peakConcurrency),
             "peak_pollers": \(result.peakPollers), "lambda_throttles": \(result.lambdaThrottles.rounded()),
             "invocations": \(result.invocations.rounded()), "stream_invocations": \(result.streamInvocations.rounded()),
             "dynamodb_throttled_writes": \(result.writeThrottles.rounded()), "acceptance_latency_seconds": \(result.acceptanceLatency),
             "processing_latency_seconds": {\(latency)},
             "alarms": [\(alarms.joined(separator: ", "))],
             "rejected_arrivals": \(result.rejectedArrivals.rounded()), "rejected_queries": \(max(0, result.rejectedRequests - result.rejectedArrivals).rounded()),
             "throttle_requests_per_second": \(result.throttleRate),
             "downstream": [\(downstream(result))],
             "window_hours": "\(hours(window))", "window_minutes": [\(window.lowerBound), \(window.upperBound)],
             "series": {"offered_per_second": \(list(result.series.offered)), "accepted_per_second": \(list(result.series.accepted)),
               "processed_per_second": \(list(result.series.processed)), "backlog": \(list(result.series.backlog)),
               "oldest_age_seconds": \(list(result.series.oldestAge)), "concurrency": \(list(result.series.concurrency)),
               "requests_per_second": \(list(result.series.requests)),
               "rejected_429": \(list(result.series.rejected)), "dead_lettered": \(list(result.series.deadLettered))}}

            """
    }

    /// A self-contained SVG chart of `window` (`SimulationChart`): rates on top, backlog and concurrency below,
    /// alarm markers, even ticks, a legend and a note on the backlog between spikes.
    public static func svg(_ result: SimulationResult, window: Window) -> String {
        SimulationChart(result: result, window: window).render()
    }

    /// The top of a chart axis: 1, 2, 2.5, 5 or 10 times a power of ten, at or above `value` (1 for nothing).
    public static func axisMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        // The power of ten at or below `value`.
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }

    static func clockShort(_ second: Int) -> String {
        let hour = (second % 86_400) / 3600
        let minute = (second % 3600) / 60
        return "d\(second / 86_400 + 1) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// An SVG coordinate: one decimal, none when whole.
    public static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
