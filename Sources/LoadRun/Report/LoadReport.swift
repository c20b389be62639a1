import Costing
import JSONText

/// Renders a load run: text, JSON and an SVG chart beside the prediction.
public enum LoadReport {
    /// The run's verdict in words; empty when nothing was found.
    public static func findings(_ verification: Verification) -> [String] {
        var lines: [String] = []
        if !verification.lost.isEmpty {
            lines.append(
                "LOST \(verification.lost.count) accepted request(s), never stored: \(list(verification.lost))")
        }
        if !verification.pending.isEmpty {
            lines.append(
                "NOT FINISHED: \(verification.pending.count) accepted request(s) not stored yet while \(verification.unfinishedMessages ?? 0) message(s) were still in the intake queue; wait longer with --settle, or send less: \(list(verification.pending))"
            )
        }
        for queue in verification.queues {
            if let waiting = verification.unannouncedYet[queue], !waiting.isEmpty {
                lines.append(
                    "NOT FINISHED on \(queue): \(waiting.count) stored item(s) without an event yet: \(list(waiting))")
            }
            if let missing = verification.unannounced[queue], !missing.isEmpty {
                lines.append("NEVER ANNOUNCED on \(queue): \(missing.count) stored item(s): \(list(missing))")
            }
            if let twice = verification.duplicated[queue], !twice.isEmpty {
                let named = twice.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) events)" }
                lines.append("ANNOUNCED MORE THAN ONCE on \(queue): \(twice.count) item(s): \(list(named))")
            }
        }
        return lines
    }

    static func list(_ items: [String]) -> String {
        items.prefix(50).joined(separator: ", ") + (items.count > 50 ? ", ... (\(items.count - 50) more)" : "")
    }

    /// The text report.
    public static func text(_ run: LoadResult) -> String {
        let counts = run.counts
        let shape = run.shape
        var lines: [String] = []
        lines.append(
            "load: profile \(shape.profile.name), hours \(hours(shape.window)) of the month at \(number(shape.speedup))x (\(number(shape.seconds)) s), rates x\(number(shape.scale)), seed \(run.seed), keys \(run.runTag)-NNNNNN; target \(run.target)"
        )
        let sent = counts.total(\.offered)
        let sigma = 3 * run.expectedRequests.squareRoot()
        let kinds = RequestKind.allCases.map { kind in
            "\(kind.rawValue) \(counts.byKind[kind]?.values.reduce(0, +) ?? 0)"
        }
        lines.append(
            "sent \(sent) requests in \(number(run.sentSeconds)) s\(run.stoppedEarly ? " (stopped early)" : "") (the profile asks for \(Int(run.expectedRequests.rounded())) ± \(Int(sigma.rounded()))): \(kinds.joined(separator: ", "))"
        )
        lines.append(
            "answers: 2xx \(counts.total(\.accepted)), 4xx \(counts.total(\.clientErrors)), 429 \(counts.total(\.throttled)), 5xx \(counts.total(\.serverErrors)), no answer \(counts.total(\.failed))"
                + (counts.errors.isEmpty
                    ? ""
                    : " ("
                        + counts.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
                            separator: ", ") + ")"))
        for kind in RequestKind.allCases {
            guard let statuses = counts.byKind[kind], !statuses.isEmpty else { continue }
            let parts = statuses.sorted { $0.key < $1.key }.map {
                "\($0.key == 0 ? "none" : String($0.key)): \($0.value)"
            }
            lines.append("  \(kind.rawValue): \(parts.joined(separator: ", "))")
        }
        let latency = counts.latency
        lines.append(
            "latency from each request's due time: p50 \(ms(latency.p50)), p90 \(ms(latency.p90)), p99 \(ms(latency.p99)), max \(ms(latency.max)) (\(latency.count) answers)"
        )
        if let peak = run.peakBacklog {
            let drain = run.prediction.map { Int($0.result.parameters.batchSize) } ?? 10
            lines.append(
                "intake queue (messages waiting, sampled each second): peak \(peak.messages) at \(peak.second) s, "
                    + (run.drainSeconds(batchSize: drain).map { "drained \(number($0)) s after its peak" }
                        ?? "not drained"))
        } else {
            lines.append("intake queue: not visible from this target")
        }
        lines.append("")
        lines.append("second  offered  2xx  4xx  429  5xx  none")
        for (index, second) in counts.seconds.enumerated() {
            let cells = [second.accepted, second.clientErrors, second.throttled, second.serverErrors, second.failed]
            lines.append(
                pad(String(index), 6) + pad(String(second.offered), 9) + cells.map { pad(String($0), 5) }.joined())
        }
        lines.append("")
        lines += run.answerFindings
        lines += verificationLines(run.verification)
        if let prediction = run.prediction {
            lines.append("")
            lines += predictionLines(prediction, run: run)
        }
        lines.append("")
        lines.append(run.failed ? "result: FAILED" : "result: ok")
        return lines.joined(separator: "\n") + "\n"
    }

    static func verificationLines(_ verification: Verification) -> [String] {
        if verification.skipped {
            return ["verification: skipped (--no-verify); \(verification.accepted) requests were accepted"]
        }
        var lines = [
            "verification: \(verification.accepted) accepted requests looked for; \(verification.accepted - verification.lost.count - verification.pending.count) stored"
                + (verification.storedWithoutAnswer > 0
                    ? "; \(verification.storedWithoutAnswer) more stored that got no answer (a client retry finds them)"
                    : "")
        ]
        if verification.accepted > 0 && verification.lost.count == verification.accepted && verification.pending.isEmpty
        {
            lines.append(
                "  none of them is in \(verification.lookup): is that where the stack keeps what it accepts?")
        }
        if verification.queues.isEmpty {
            lines.append(
                verification.seesQueues
                    ? "  events: the stack has no subscriber queue (a queue subscribed to a topic, consumed outside it)"
                    : "  events: the subscriber queues are not visible from this target")
        }
        for queue in verification.queues {
            let missing =
                (verification.unannounced[queue]?.count ?? 0) + (verification.unannouncedYet[queue]?.count ?? 0)
            let twice = verification.duplicated[queue]?.count ?? 0
            lines.append(
                "  \(queue): \(missing == 0 && twice == 0 ? "one event for each stored item" : "\(missing) without an event, \(twice) with more than one")"
            )
        }
        return lines + findings(verification).map { "  " + $0 }
    }

    static func predictionLines(_ prediction: LoadPrediction, run: LoadResult) -> [String] {
        var lines = [
            "prediction (orderstack simulate on the same profile, compressed and scaled, second by second):",
            "  figure                 measured   predicted",
        ]
        for row in prediction.comparisons(run) {
            lines.append(
                "  " + row.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + pad(row.measured.map(number) ?? "-", 9) + pad(row.predicted.map(number) ?? "never", 12)
                    + (row.differs ? "   differs by more than 20 %" : ""))
        }
        lines.append(
            "  (the prediction is AWS's limits and the profile's handler time; a local run's processing speed is moto_server's)"
        )
        return lines
    }

    /// The JSON report.
    public static func json(_ run: LoadResult) -> String {
        let counts = run.counts
        func numbers(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ",") + "]" }
        func strings(_ values: [String]) -> String { "[" + values.map(JSONText.quote).joined(separator: ",") + "]" }
        let seconds = counts.seconds.map {
            "{\"offered\":\($0.offered),\"accepted\":\($0.accepted),\"4xx\":\($0.clientErrors),\"429\":\($0.throttled),\"5xx\":\($0.serverErrors),\"noAnswer\":\($0.failed)}"
        }
        let kinds = RequestKind.allCases.map { kind in
            let statuses = (counts.byKind[kind] ?? [:]).sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
            return "\(JSONText.quote(kind.rawValue)):{\(statuses.joined(separator: ","))}"
        }
        let v = run.verification
        let queues = v.queues.map { queue in
            let twice = (v.duplicated[queue] ?? [:]).sorted { $0.key < $1.key }.map {
                "\(JSONText.quote($0.key)):\($0.value)"
            }
            return
                "\(JSONText.quote(queue)):{\"unannounced\":\(strings(v.unannounced[queue] ?? [])),\"duplicated\":{\(twice.joined(separator: ","))}}"
        }
        var fields = [
            "\"profile\":\(JSONText.quote(run.shape.profile.name))",
            "\"window\":[\(number(run.shape.window.lowerBound)),\(number(run.shape.window.upperBound))]",
            "\"scale\":\(number(run.shape.scale))", "\"speedup\":\(number(run.shape.speedup))", "\"seed\":\(run.seed)",
            "\"runTag\":\(JSONText.quote(run.runTag))",
            "\"target\":\(JSONText.quote(run.target))", "\"expectedRequests\":\(number(run.expectedRequests))",
            "\"sent\":\(counts.total(\.offered))", "\"sentSeconds\":\(number(run.sentSeconds))",
            "\"stoppedEarly\":\(run.stoppedEarly)", "\"byKind\":{\(kinds.joined(separator: ","))}",
            "\"latencyMs\":{\"p50\":\(number(counts.latency.p50 * 1000)),\"p90\":\(number(counts.latency.p90 * 1000)),\"p99\":\(number(counts.latency.p99 * 1000)),\"max\":\(number(counts.latency.max * 1000))}",
            "\"seconds\":[\(seconds.joined(separator: ","))]",
            "\"backlog\":\(run.backlog.map { numbers($0.map(Double.init)) } ?? "null")",
            "\"verification\":{\"skipped\":\(v.skipped),\"accepted\":\(v.accepted),\"lost\":\(strings(v.lost)),\"pending\":\(strings(v.pending)),\"unfinishedMessages\":\(v.unfinishedMessages.map(String.init) ?? "null"),\"storedWithoutAnswer\":\(v.storedWithoutAnswer),\"queues\":{\(queues.joined(separator: ","))}}",
            "\"answerFindings\":\(strings(run.answerFindings))", "\"failed\":\(run.failed)",
        ]
        if let prediction = run.prediction {
            let rows = prediction.comparisons(run).map {
                "{\"name\":\(JSONText.quote($0.name)),\"measured\":\($0.measured.map(number) ?? "null"),\"predicted\":\($0.predicted.map(number) ?? "null"),\"differs\":\($0.differs)}"
            }
            let series = prediction.result.perSecond ?? SecondSeries()
            fields.append(
                "\"prediction\":{\"comparisons\":[\(rows.joined(separator: ","))],\"admitted\":\(numbers(series.admitted)),\"rejected\":\(numbers(series.rejected)),\"backlog\":\(numbers(series.backlog))}"
            )
        }
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func ms(_ seconds: Double) -> String { number(seconds * 1000) + " ms" }

    static func hours(_ window: Range<Double>) -> String {
        number(window.lowerBound) + ".." + number(window.upperBound)
    }

    /// At most two decimals, none when whole.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
