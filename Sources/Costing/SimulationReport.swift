/// Renders simulation results: a text summary with a sparkline, JSON, and an SVG chart.
public enum SimulationReport {
    /// Minutes `start..<end` to show, clamped to the month.
    public typealias Window = Range<Int>

    /// The default window: an hour either side of the largest backlog or the busiest minute.
    public static func defaultWindow(_ result: SimulationResult) -> Window {
        let offered = result.series.offered
        let busiest = offered.indices.max { offered[$0] < offered[$1] } ?? 0
        let center = result.peakBacklog > 1 ? result.peakBacklogSecond / 60 : busiest
        let lower = max(0, center - 60)
        return lower..<min(offered.count, max(lower + 120, center + 60 + Int((result.drainSeconds ?? 0) / 60)))
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

    /// The terminal summary.
    public static func text(_ result: SimulationResult, window: Window) -> String {
        let q = { Money.quantity(($0 as Double).rounded()) }
        var lines = [
            "profile \(result.profile): \(q(result.offeredOrders)) orders offered",
            "  accepted          \(q(result.acceptedOrders)); API requests rejected with 429: \(q(result.rejectedRequests))",
            "  processed         \(q(result.processedOrders)); sent to the DLQ: \(q(result.deadLettered))",
            "  peak backlog      \(q(result.peakBacklog)) messages at \(clock(result.peakBacklogSecond))",
            "  oldest message    \(seconds(result.maximumAgeSeconds))",
            "  time to drain     \(result.drainSeconds.map(seconds) ?? "not drained by the end of the month")",
            "  concurrency       peak \(q(result.peakConcurrency)) batches running, pollers up to \(q(result.peakPollers))",
            "  DynamoDB          \(q(result.writeThrottles)) throttled write requests",
            "  Lambda throttles  \(q(result.lambdaThrottles))",
            "  latency           acceptance \(seconds(result.acceptanceLatency)); processing p50 \(seconds(result.processingLatency["p50"] ?? 0)), "
                + "p90 \(seconds(result.processingLatency["p90"] ?? 0)), p99 \(seconds(result.processingLatency["p99"] ?? 0)), "
                + "max \(seconds(result.processingLatency["max"] ?? 0))",
        ]
        if result.alarms.isEmpty {
            lines.append("  alarms            none fire")
        } else {
            lines.append("  alarms            \(result.alarms.count) fire:")
            for alarm in result.alarms {
                lines.append("    \(alarm.logicalId) at \(clock(alarm.second)) (\(alarm.metric))")
            }
        }
        let backlog = Array(result.series.backlog[window])
        lines.append(
            "  backlog, minutes \(window.lowerBound)..\(window.upperBound) (max \(q(backlog.max() ?? 0))): \(sparkline(backlog))"
        )
        let offered = Array(result.series.offered[window])
        lines.append("  offered/s        (max \(q(offered.max() ?? 0))): \(sparkline(offered))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Unicode block sparkline, at most 80 characters wide.
    static func sparkline(_ values: [Double]) -> String {
        guard let top = values.max(), top > 0 else { return String(repeating: "▁", count: min(values.count, 80)) }
        let blocks = Array("▁▂▃▄▅▆▇█")
        let step = max(1, (values.count + 79) / 80)
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
            {"profile": "\(result.profile)", "offered": \(result.offeredOrders.rounded()), "accepted": \(result.acceptedOrders.rounded()),
             "rejected_429": \(result.rejectedRequests.rounded()), "processed": \(result.processedOrders.rounded()),
             "dead_lettered": \(result.deadLettered.rounded()), "peak_backlog": \(result.peakBacklog.rounded()),
             "peak_backlog_second": \(result.peakBacklogSecond), "max_age_seconds": \(result.maximumAgeSeconds),
             "drain_seconds": \(result.drainSeconds.map { "\($0)" } ?? "null"), "peak_concurrency": \(result.peakConcurrency),
             "peak_pollers": \(result.peakPollers), "lambda_throttles": \(result.lambdaThrottles.rounded()),
             "dynamodb_throttled_writes": \(result.writeThrottles.rounded()), "acceptance_latency_seconds": \(result.acceptanceLatency),
             "processing_latency_seconds": {\(latency)},
             "alarms": [\(alarms.joined(separator: ", "))],
             "window_minutes": [\(window.lowerBound), \(window.upperBound)],
             "series": {"offered_per_second": \(list(result.series.offered)), "accepted_per_second": \(list(result.series.accepted)),
               "processed_per_second": \(list(result.series.processed)), "backlog": \(list(result.series.backlog)),
               "oldest_age_seconds": \(list(result.series.oldestAge)), "concurrency": \(list(result.series.concurrency)),
               "rejected_429": \(list(result.series.rejected)), "dead_lettered": \(list(result.series.deadLettered))}}

            """
    }

    /// A self-contained SVG chart of `window`: rates on top (offered, accepted, processed), backlog and
    /// concurrency below, alarm markers across both, axes with ticks, and a legend.
    public static func svg(_ result: SimulationResult, window: Window) -> String {
        let width = 960.0, left = 70.0, right = 70.0, panel = 200.0, gap = 60.0, top = 50.0
        let plotWidth = width - left - right
        let height = top + panel * 2 + gap + 70
        let minutes = Array(window)
        let span = Double(max(1, minutes.count - 1))
        func x(_ index: Int) -> Double { left + plotWidth * Double(index) / span }
        func niceMax(_ value: Double) -> Double {
            guard value > 0 else { return 1 }
            // The power of ten at or below `value`.
            var magnitude = 1.0
            while magnitude * 10 <= value { magnitude *= 10 }
            while magnitude > value { magnitude /= 10 }
            for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= value { return factor * magnitude }
            return 10 * magnitude
        }
        func polyline(_ values: [Double], maximum: Double, panelTop: Double, color: String, dash: String = "") -> String
        {
            let points = values.enumerated().map { index, value in
                "\(format(x(index))),\(format(panelTop + panel - panel * min(value, maximum) / maximum))"
            }.joined(separator: " ")
            return
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") points=\"\(points)\"/>"
        }
        func axis(panelTop: Double, maximum: Double, label: String, side: Double, anchor: String) -> String {
            var parts = [
                "<text x=\"\(format(left))\" y=\"\(format(panelTop - 10))\" text-anchor=\"start\" font-size=\"12\" font-weight=\"bold\">\(label)</text>"
            ]
            for tick in 0...4 {
                let value = maximum * Double(tick) / 4
                let y = panelTop + panel - panel * Double(tick) / 4
                parts.append(
                    "<line x1=\"\(format(left))\" x2=\"\(format(width - right))\" y1=\"\(format(y))\" y2=\"\(format(y))\" stroke=\"#e0e0e0\"/>"
                )
                parts.append(
                    "<text x=\"\(format(anchor == "end" ? side : side))\" y=\"\(format(y + 4))\" text-anchor=\"\(anchor)\" font-size=\"11\">\(Money.quantity(value))</text>"
                )
            }
            return parts.joined(separator: "\n")
        }
        let offered = minutes.map { result.series.offered[$0] }
        let accepted = minutes.map { result.series.accepted[$0] }
        let processed = minutes.map { result.series.processed[$0] }
        let backlog = minutes.map { result.series.backlog[$0] }
        let concurrency = minutes.map { result.series.concurrency[$0] }
        let rateMax = niceMax(max(offered.max() ?? 0, processed.max() ?? 0))
        let backlogMax = niceMax(backlog.max() ?? 0)
        let concurrencyMax = niceMax(concurrency.max() ?? 0)
        let lowerTop = top + panel + gap
        var body: [String] = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
            "<title>orderstack simulate: \(result.profile)</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(format(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Profile \(result.profile): minutes \(window.lowerBound) to \(window.upperBound) of the month</text>",
            axis(panelTop: top, maximum: rateMax, label: "orders per second", side: left - 8, anchor: "end"),
            polyline(offered, maximum: rateMax, panelTop: top, color: "#9e9e9e", dash: "5,3"),
            polyline(accepted, maximum: rateMax, panelTop: top, color: "#1f77b4"),
            polyline(processed, maximum: rateMax, panelTop: top, color: "#2ca02c"),
            axis(
                panelTop: lowerTop, maximum: backlogMax, label: "backlog (messages, left axis)", side: left - 8,
                anchor: "end"),
            "<text x=\"\(format(width - right))\" y=\"\(format(lowerTop - 10))\" text-anchor=\"end\" font-size=\"12\" font-weight=\"bold\">concurrency (right axis)</text>",
        ]
        for tick in 0...4 {
            body.append(
                "<text x=\"\(format(width - right + 8))\" y=\"\(format(lowerTop + panel - panel * Double(tick) / 4 + 4))\" font-size=\"11\">\(Money.quantity(concurrencyMax * Double(tick) / 4))</text>"
            )
        }
        body.append(polyline(backlog, maximum: backlogMax, panelTop: lowerTop, color: "#d62728"))
        body.append(polyline(concurrency, maximum: concurrencyMax, panelTop: lowerTop, color: "#9467bd", dash: "4,2"))
        for tick in 0...6 {
            let index = Int(span * Double(tick) / 6)
            let minute = window.lowerBound + index
            body.append(
                "<text x=\"\(format(x(index)))\" y=\"\(format(lowerTop + panel + 18))\" text-anchor=\"middle\" font-size=\"11\">\(clockShort(minute * 60))</text>"
            )
        }
        body.append(
            "<text x=\"\(format(left + plotWidth / 2))\" y=\"\(format(lowerTop + panel + 36))\" text-anchor=\"middle\" font-size=\"12\">time (day hh:mm of the 730-hour month)</text>"
        )
        for alarm in result.alarms where window.contains(alarm.second / 60) {
            let index = alarm.second / 60 - window.lowerBound
            body.append(
                "<line class=\"alarm\" x1=\"\(format(x(index)))\" x2=\"\(format(x(index)))\" y1=\"\(format(top))\" y2=\"\(format(lowerTop + panel))\" stroke=\"#ff7f0e\" stroke-dasharray=\"2,2\"/>"
            )
            body.append(
                "<text x=\"\(format(x(index) + 3))\" y=\"\(format(top + 12))\" font-size=\"10\" fill=\"#ff7f0e\">\(alarm.logicalId)</text>"
            )
        }
        let legend: [(String, String, String)] = [
            ("offered", "#9e9e9e", "5,3"), ("accepted", "#1f77b4", ""), ("processed", "#2ca02c", ""),
            ("backlog", "#d62728", ""),
            ("concurrency", "#9467bd", "4,2"), ("alarm", "#ff7f0e", "2,2"),
        ]
        for (index, entry) in legend.enumerated() {
            let lx = left + Double(index) * 130
            let ly = height - 14
            body.append(
                "<line x1=\"\(format(lx))\" x2=\"\(format(lx + 24))\" y1=\"\(format(ly - 4))\" y2=\"\(format(ly - 4))\" stroke=\"\(entry.1)\" stroke-width=\"2\"\(entry.2.isEmpty ? "" : " stroke-dasharray=\"\(entry.2)\"")/>"
            )
            body.append("<text x=\"\(format(lx + 30))\" y=\"\(format(ly))\" font-size=\"12\">\(entry.0)</text>")
        }
        body.append("</svg>")
        return body.joined(separator: "\n") + "\n"
    }

    static func clockShort(_ second: Int) -> String {
        let hour = (second % 86_400) / 3600
        let minute = (second % 3600) / 60
        return "d\(second / 86_400 + 1) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
