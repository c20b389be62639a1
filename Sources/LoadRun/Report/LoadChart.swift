import Costing

/// The run drawn second by second beside its prediction: requests on top (offered, accepted, 429s, measured solid,
/// predicted dashed), the intake backlog below.
public enum LoadChart {
    public static func svg(_ run: LoadResult) -> String {
        let width = 960.0, left = 70.0, right = 30.0, panel = 200.0, gap = 60.0, top = 50.0
        let plotWidth = width - left - right
        let height = top + panel * 2 + gap + 70
        let measured = run.counts.seconds
        var predicted = run.prediction?.result.perSecond
        var backlog = (run.backlog ?? []).map(Double.init)
        // Until traffic and both backlogs are over, and ten seconds more.
        let end =
            [
                measured.count, (backlog.lastIndex { $0 > 0 } ?? 0) + 1,
                (predicted?.backlog.lastIndex { $0 > 0 } ?? 0) + 1,
            ].max()! + 10
        backlog = Array(backlog.prefix(end))
        predicted = predicted.map { series in
            var trimmed = series
            trimmed.admitted = Array(series.admitted.prefix(end))
            trimmed.rejected = Array(series.rejected.prefix(end))
            trimmed.requests = Array(series.requests.prefix(end))
            trimmed.backlog = Array(series.backlog.prefix(end))
            return trimmed
        }
        let span = Double(max(1, max(measured.count, backlog.count, predicted?.backlog.count ?? 0) - 1))
        func x(_ index: Int) -> Double { left + plotWidth * Double(index) / span }
        func line(_ values: [Double], maximum: Double, panelTop: Double, color: String, dash: String = "") -> String {
            guard !values.isEmpty else { return "" }
            let points = values.enumerated().map { index, value in
                "\(format(x(index))),\(format(panelTop + panel - panel * min(value, maximum) / maximum))"
            }.joined(separator: " ")
            return
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") points=\"\(points)\"/>"
        }
        let offered = measured.map { Double($0.offered) }
        let accepted = measured.map { Double($0.accepted) }
        let throttled = measured.map { Double($0.throttled) }
        let rateMax = nice(max(offered.max() ?? 0, predicted?.requests.max() ?? 0))
        let backlogMax = nice(max(backlog.max() ?? 0, predicted?.backlog.max() ?? 0))
        let lowerTop = top + panel + gap
        var body = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
            "<title>orderstack load: \(run.shape.profile.name)</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(format(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Load \(run.shape.profile.name) x\(LoadReport.number(run.shape.scale)) at \(LoadReport.number(run.shape.speedup))x: measured (solid) and predicted (dashed)</text>",
            axis(top, rateMax, "requests per second", left: left, right: width - right, panel: panel),
            line(offered, maximum: rateMax, panelTop: top, color: "#9e9e9e"),
            line(accepted, maximum: rateMax, panelTop: top, color: "#1f77b4"),
            line(throttled, maximum: rateMax, panelTop: top, color: "#e377c2"),
            line(predicted?.admitted ?? [], maximum: rateMax, panelTop: top, color: "#1f77b4", dash: "6,3"),
            line(predicted?.rejected ?? [], maximum: rateMax, panelTop: top, color: "#e377c2", dash: "6,3"),
            axis(lowerTop, backlogMax, "intake backlog (messages)", left: left, right: width - right, panel: panel),
            line(backlog, maximum: backlogMax, panelTop: lowerTop, color: "#d62728"),
            line(predicted?.backlog ?? [], maximum: backlogMax, panelTop: lowerTop, color: "#d62728", dash: "6,3"),
        ]
        for tick in 0...6 {
            let index = Int(span * Double(tick) / 6)
            body.append(
                "<text x=\"\(format(x(index)))\" y=\"\(format(lowerTop + panel + 18))\" text-anchor=\"middle\" font-size=\"11\">\(index) s</text>"
            )
        }
        let legend = [
            ("offered", "#9e9e9e"), ("accepted (2xx)", "#1f77b4"), ("429s", "#e377c2"), ("backlog", "#d62728"),
        ]
        var lx = left
        for (name, color) in legend {
            body.append(
                "<line x1=\"\(format(lx))\" x2=\"\(format(lx + 24))\" y1=\"\(format(height - 18))\" y2=\"\(format(height - 18))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            )
            body.append("<text x=\"\(format(lx + 30))\" y=\"\(format(height - 14))\" font-size=\"12\">\(name)</text>")
            lx += 50 + Double(name.count) * 6.5
        }
        body.append("</svg>")
        return body.filter { !$0.isEmpty }.joined(separator: "\n") + "\n"
    }

    static func axis(_ panelTop: Double, _ maximum: Double, _ label: String, left: Double, right: Double, panel: Double)
        -> String
    {
        var parts = [
            "<text x=\"\(format(left))\" y=\"\(format(panelTop - 10))\" font-size=\"12\" font-weight=\"bold\">\(label)</text>"
        ]
        for tick in 0...4 {
            let y = panelTop + panel - panel * Double(tick) / 4
            parts.append(
                "<line x1=\"\(format(left))\" x2=\"\(format(right))\" y1=\"\(format(y))\" y2=\"\(format(y))\" stroke=\"#e0e0e0\"/>"
            )
            parts.append(
                "<text x=\"\(format(left - 8))\" y=\"\(format(y + 4))\" text-anchor=\"end\" font-size=\"11\">\(LoadReport.number(maximum * Double(tick) / 4))</text>"
            )
        }
        return parts.joined(separator: "\n")
    }

    static func nice(_ value: Double) -> Double { SimulationReport.axisMaximum(value) }

    static func format(_ value: Double) -> String { SimulationReport.format(value) }
}
