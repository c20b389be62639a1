/// The SVG chart of a simulation window: rates on top (offered, accepted, processed, 429s), backlog and
/// concurrency below, alarm markers across both, a legend, and a note on what the backlog between spikes is.
struct SimulationChart {
    let result: SimulationResult
    let window: Range<Int>
    let width = 960.0, left = 70.0, right = 70.0, panel = 200.0, gap = 60.0, top = 50.0

    var plotWidth: Double { width - left - right }
    var lowerTop: Double { top + panel + gap }
    var height: Double { lowerTop + panel + 106 }
    var span: Double { Double(max(1, window.count - 1)) }

    func x(_ index: Int) -> Double { left + plotWidth * Double(index) / span }
    func f(_ value: Double) -> String { SimulationReport.format(value) }
    func series(_ values: [Double], per: Double = 1) -> [Double] { window.map { values[$0] / per } }

    /// The whole document.
    func render() -> String {
        var body = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
            "<title>simulate: \(result.profile)</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(f(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Profile \(result.profile): hours \(SimulationReport.hours(window)) of the month</text>",
        ]
        body += ratePanel() + lowerPanel() + timeAxis() + alarms() + legend() + note()
        return (body + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// Requests, 429s, accepted and processed per second. Accepted is drawn wide and pale under processed, so the
    /// two stay visible where they are equal (a healthy stack processes what it accepts).
    func ratePanel() -> [String] {
        let requests = series(result.series.requests), processed = series(result.series.processed)
        let traffic = max(requests.max() ?? 0, processed.max() ?? 0)
        // The throttle is drawn when it is near the traffic; far above it, it would flatten every other line.
        let throttleShown = result.throttleRate > 0 && result.throttleRate <= 2 * max(traffic, 1)
        let scale = Ticks(maximum: max(traffic, throttleShown ? result.throttleRate : 0), integral: false)
        let label =
            "requests and \(result.noun.plural) per second"
            + (throttleShown || result.throttleRate <= 0
                ? "" : " (throttle \(Money.quantity(result.throttleRate))/s, above the scale)")
        var parts = grid(panelTop: top, scale: scale, label: label, side: left - 8, anchor: "end")
        // Widest first, dashed last: where lines coincide, each still shows.
        parts += [
            line(series(result.series.accepted), scale.maximum, top, "#1f77b4", width: 5, opacity: 0.45),
            line(processed, scale.maximum, top, "#2ca02c", width: 2),
            line(series(result.series.rejected, per: 60), scale.maximum, top, "#e377c2"),
            line(requests, scale.maximum, top, "#616161", dash: "5,3"),
        ]
        if throttleShown {
            let y = top + panel - panel * result.throttleRate / scale.maximum
            parts.append(
                "<line class=\"throttle\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#000000\" stroke-dasharray=\"8,4\"/>"
            )
        }
        return parts
    }

    /// Backlog (left axis) and concurrency (right axis): whole counts, on the same grid lines.
    func lowerPanel() -> [String] {
        let backlog = series(result.series.backlog), concurrency = series(result.series.concurrency)
        let divisions = max(
            Ticks(maximum: backlog.max() ?? 0, integral: true).divisions,
            Ticks(maximum: concurrency.max() ?? 0, integral: true).divisions)
        let left = Ticks(maximum: backlog.max() ?? 0, divisions: divisions)
        let right = Ticks(maximum: concurrency.max() ?? 0, divisions: divisions)
        var parts = grid(
            panelTop: lowerTop, scale: left, label: "backlog (messages, left axis)", side: self.left - 8,
            anchor: "end")
        parts.append(
            "<text x=\"\(f(width - self.right))\" y=\"\(f(lowerTop - 10))\" text-anchor=\"end\" font-size=\"12\" font-weight=\"bold\">concurrency (batches running, right axis)</text>"
        )
        for (index, value) in right.values.enumerated() {
            let y = lowerTop + panel - panel * Double(index) / Double(right.divisions)
            parts.append(
                "<text x=\"\(f(width - self.right + 8))\" y=\"\(f(y + 4))\" font-size=\"11\">\(Money.quantity(value))</text>"
            )
        }
        parts.append(line(backlog, left.maximum, lowerTop, "#d62728"))
        parts.append(line(concurrency, right.maximum, lowerTop, "#9467bd", dash: "4,2"))
        return parts
    }

    func grid(panelTop: Double, scale: Ticks, label: String, side: Double, anchor: String) -> [String] {
        var parts = [
            "<text x=\"\(f(left))\" y=\"\(f(panelTop - 10))\" text-anchor=\"start\" font-size=\"12\" font-weight=\"bold\">\(label)</text>"
        ]
        for (index, value) in scale.values.enumerated() {
            let y = panelTop + panel - panel * Double(index) / Double(scale.divisions)
            parts.append(
                "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#e0e0e0\"/>")
            parts.append(
                "<text x=\"\(f(side))\" y=\"\(f(y + 4))\" text-anchor=\"\(anchor)\" font-size=\"11\">\(Money.quantity(value))</text>"
            )
        }
        return parts
    }

    func line(
        _ values: [Double], _ maximum: Double, _ panelTop: Double, _ color: String, dash: String = "",
        width: Double = 1.6, opacity: Double = 1
    ) -> String {
        let points = values.enumerated().map { index, value in
            "\(f(x(index))),\(f(panelTop + panel - panel * min(value, maximum) / maximum))"
        }.joined(separator: " ")
        let extra =
            (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")
            + (opacity < 1 ? " stroke-opacity=\"\(opacity)\"" : "")
        return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(f(width))\"\(extra) points=\"\(points)\"/>"
    }

    /// Clock-aligned ticks (every 1, 2, 5, 10, 15, 30 minutes, 1, 2, 3, 6, 12 hours or days), at most eight.
    func timeAxis() -> [String] {
        let step =
            [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7200].first { window.count / $0 <= 7 } ?? 14_400
        let first = (window.lowerBound + step - 1) / step * step
        var parts = stride(from: first, to: window.upperBound, by: step).map { minute in
            "<text x=\"\(f(x(minute - window.lowerBound)))\" y=\"\(f(lowerTop + panel + 18))\" text-anchor=\"middle\" font-size=\"11\">\(SimulationReport.clockShort(minute * 60))</text>"
        }
        parts.append(
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(lowerTop + panel + 36))\" text-anchor=\"middle\" font-size=\"12\">time (day hh:mm of the 730-hour month)</text>"
        )
        return parts
    }

    func alarms() -> [String] {
        result.alarms.filter { window.contains($0.second / 60) }.flatMap { alarm in
            let position = x(alarm.second / 60 - window.lowerBound)
            return [
                "<line class=\"alarm\" x1=\"\(f(position))\" x2=\"\(f(position))\" y1=\"\(f(top))\" y2=\"\(f(lowerTop + panel))\" stroke=\"#ff7f0e\" stroke-dasharray=\"2,2\"/>",
                "<text x=\"\(f(position + 3))\" y=\"\(f(top + 12))\" font-size=\"10\" fill=\"#ff7f0e\">\(alarm.logicalId)</text>",
            ]
        }
    }

    func legend() -> [String] {
        let entries: [(String, String, String, Double)] = [
            ("API requests", "#616161", "5,3", 2), ("throttle", "#000000", "8,4", 2), ("429s", "#e377c2", "", 2),
            ("\(result.noun.plural) accepted", "#1f77b4", "", 5), ("processed", "#2ca02c", "", 2),
            ("backlog", "#d62728", "", 2),
            ("concurrency", "#9467bd", "4,2", 2), ("alarm", "#ff7f0e", "2,2", 2),
        ]
        var parts: [String] = []
        var lx = left
        let ly = lowerTop + panel + 62
        for (label, color, dash, stroke) in entries {
            let opacity = stroke > 2 ? " stroke-opacity=\"0.45\"" : ""
            parts.append(
                "<line x1=\"\(f(lx))\" x2=\"\(f(lx + 24))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"\(f(stroke))\"\(opacity)\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            )
            parts.append("<text x=\"\(f(lx + 30))\" y=\"\(f(ly))\" font-size=\"12\">\(label)</text>")
            lx += 44 + Double(label.count) * 6.5
        }
        return parts
    }

    /// Why there is a backlog where traffic is light: below a full batch per batching window, each message waits
    /// for the window to close (Lambda's SQS poller holds a batch up to MaximumBatchingWindowInSeconds or until it
    /// is full); under a spike batches fill at once, so the line drops while the traffic rises.
    func note() -> [String] {
        let parameters = result.parameters
        guard parameters.batchingWindowSeconds > 0, result.peakBacklog > 0 else { return [] }
        let lines = [
            "Backlog where traffic is light: below \(Money.quantity(parameters.batchSize)) messages per \(Money.quantity(parameters.batchingWindowSeconds)) s, each message waits for the batching window to close;",
            "under a spike batches fill at once, so the backlog falls as the traffic rises, until the consumers are saturated.",
        ]
        return lines.enumerated().map { index, text in
            "<text class=\"note\" x=\"\(f(left))\" y=\"\(f(height - 24 + 14 * Double(index)))\" font-size=\"11\" fill=\"#555555\">\(text)</text>"
        }
    }
}

/// Evenly spaced axis values: whole numbers for counts, 1, 2, 2.5 or 5 times a power of ten for rates.
struct Ticks {
    let step: Double
    let divisions: Int

    var maximum: Double { step * Double(divisions) }
    var values: [Double] { (0...divisions).map { step * Double($0) } }

    /// About four divisions covering `maximum`; whole steps when `integral`.
    init(maximum value: Double, integral: Bool) {
        let target = max(value, integral ? 1 : 0.000_001) / 4
        var magnitude = 1.0
        while magnitude * 10 <= target { magnitude *= 10 }
        while magnitude > target { magnitude /= 10 }
        let factors = integral ? [1.0, 2, 5, 10] : [1.0, 2, 2.5, 5, 10]
        var step = (factors.map { $0 * magnitude }.first { $0 >= target } ?? 10 * magnitude)
        if integral { step = max(1, step.rounded(.up)) }
        self.step = step
        divisions = max(1, Int((max(value, step) / step).rounded(.up)))
    }

    /// `divisions` whole steps covering `maximum`: a second axis on the first axis's grid lines.
    init(maximum value: Double, divisions: Int) {
        self.divisions = divisions
        step = max(1, (value / Double(divisions)).rounded(.up))
    }
}
