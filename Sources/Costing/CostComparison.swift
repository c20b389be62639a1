import YAML

/// The monthly cost before and after a change, per profile, with the lines that moved (as Infracost's diff
/// does for Terraform).
public struct CostComparison: Sendable, Equatable {
    /// One profile before and after.
    public struct Profile: Sendable, Equatable {
        /// The profile name.
        public var name: String
        /// The monthly total at the base (0 when the base has no template for the stage).
        public var before: Double
        /// The monthly total with the change.
        public var after: Double
        /// The lines whose cost moved by at least a cent, in the order of the new estimate, removed lines last.
        public var moved: [Line]
        /// `after - before`.
        public var change: Double { after - before }
    }

    /// One cost line before and after.
    public struct Line: Sendable, Equatable {
        /// The service (`Lambda`).
        public var service: String
        /// The item (`OrderProcessor compute`).
        public var item: String
        /// The cost at the base (`nil`: the line is new).
        public var before: Double?
        /// The cost with the change (`nil`: the line is gone).
        public var after: Double?
        /// `after - before`, missing sides counted as 0.
        public var change: Double { (after ?? 0) - (before ?? 0) }
    }

    /// What the base is called in reports (`origin/main`).
    public var base: String
    /// The stage priced.
    public var stage: String
    /// The profiles, in the order of the new estimates.
    public var profiles: [Profile]

    /// Compares estimates of the same profiles; `before` is empty when the base has no template.
    public init(base: String, stage: String, before: [Estimate], after: [Estimate]) {
        self.base = base
        self.stage = stage
        profiles = after.map { estimate in
            let old = before.first { $0.profile == estimate.profile }
            return Profile(
                name: estimate.profile, before: old?.total ?? 0, after: estimate.total,
                moved: Self.moved(old?.lines ?? [], estimate.lines))
        }
    }

    private static func moved(_ old: [CostLine], _ new: [CostLine]) -> [Line] {
        func key(_ line: CostLine) -> String { line.service + "\u{0}" + line.item }
        let oldByKey = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let newKeys = Set(new.map(key))
        var lines = new.map { line in
            Line(service: line.service, item: line.item, before: oldByKey[key(line)]?.cost, after: line.cost)
        }
        lines += old.filter { !newKeys.contains(key($0)) }.map {
            Line(service: $0.service, item: $0.item, before: $0.cost, after: nil)
        }
        return lines.filter { abs($0.change) >= 0.005 }
    }
}

extension CostReport {
    /// A comparison as text, Markdown (the pull-request comment) or JSON.
    public static func comparison(_ comparison: CostComparison, format: CostFormat) -> String {
        switch format {
        case .table: return comparisonText(comparison)
        case .markdown: return comparisonMarkdown(comparison)
        case .json: return comparisonJSON(comparison)
        }
    }

    private static func comparisonText(_ comparison: CostComparison) -> String {
        var text = "stage \(comparison.stage): monthly cost at \(comparison.base) and with this change\n"
        var rows = [["profile", "before", "after", "change"]]
        for profile in comparison.profiles {
            rows.append([
                profile.name, Money.dollars(profile.before), Money.dollars(profile.after),
                signed(profile.change, of: profile.before),
            ])
        }
        text += render(rows, rightAligned: [1, 2, 3])
        for profile in comparison.profiles where !profile.moved.isEmpty {
            text += "\(profile.name): lines that moved\n"
            var lines = [[String]]()
            for line in profile.moved {
                lines.append([
                    "  " + line.service, line.item, line.before.map(Money.dollars) ?? "(new)",
                    line.after.map(Money.dollars) ?? "(gone)", signed(line.change, of: line.before ?? 0),
                ])
            }
            text += render(lines, rightAligned: [2, 3, 4])
        }
        return text
    }

    private static func comparisonMarkdown(_ comparison: CostComparison) -> String {
        var lines = ["### Monthly cost: `\(comparison.base)` → this change (stage \(comparison.stage))", ""]
        lines += ["| profile | before | after | change |", "| --- | ---: | ---: | ---: |"]
        for profile in comparison.profiles {
            lines.append(
                "| \(profile.name) | \(Money.dollars(profile.before)) | \(Money.dollars(profile.after)) | \(signed(profile.change, of: profile.before)) |"
            )
        }
        for profile in comparison.profiles where !profile.moved.isEmpty {
            lines += [
                "",
                "<details><summary>\(profile.name): \(profile.moved.count) line\(profile.moved.count == 1 ? "" : "s") moved</summary>",
                "",
            ]
            lines += ["| service | item | before | after | change |", "| --- | --- | ---: | ---: | ---: |"]
            for line in profile.moved {
                lines.append(
                    "| \(line.service) | \(line.item) | \(line.before.map(Money.dollars) ?? "(new)") | \(line.after.map(Money.dollars) ?? "(gone)") | \(signed(line.change, of: line.before ?? 0)) |"
                )
            }
            lines += ["", "</details>"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func comparisonJSON(_ comparison: CostComparison) -> String {
        func optional(_ value: Double?) -> String { value.map { JSONNumber.money($0) } ?? "null" }
        let profiles = comparison.profiles.map { profile in
            let lines = profile.moved.map { line in
                "{\"service\": \(JSONText.quote(line.service)), \"item\": \(JSONText.quote(line.item)), "
                    + "\"before\": \(optional(line.before)), \"after\": \(optional(line.after)), \"change\": \(JSONNumber.money(line.change))}"
            }
            return
                "  {\"profile\": \(JSONText.quote(profile.name)), \"before\": \(JSONNumber.money(profile.before)), "
                + "\"after\": \(JSONNumber.money(profile.after)), \"change\": \(JSONNumber.money(profile.change)),\n"
                + "   \"moved\": [\(lines.joined(separator: ",\n     "))]}"
        }
        return
            "{\"base\": \(JSONText.quote(comparison.base)), \"stage\": \(JSONText.quote(comparison.stage)), \"profiles\": [\n"
            + profiles.joined(separator: ",\n") + "\n]}\n"
    }

    /// `+$6.55 (+5.3%)`, `-$1.00 (-100.0%)`, `$0.00`; no percentage from a zero base.
    static func signed(_ change: Double, of base: Double) -> String {
        let cents = (change * 100).rounded()
        guard cents != 0 else { return "$0.00" }
        let text = (cents > 0 ? "+" : "-") + Money.dollars(abs(change))
        guard base >= 0.005 else { return text }
        let percent = (change / base * 1000).rounded() / 10
        return text + " (\(percent > 0 ? "+" : "")\(percent)%)"
    }
}

/// Numbers in JSON reports, rounded to what they mean: no `99999.99999997865` for a hundred thousand requests.
enum JSONNumber {
    /// Dollars, to a millionth of a dollar.
    static func money(_ value: Double) -> String { format(value, places: 6) }
    /// A quantity (requests, GB-seconds, GB-months), to four decimals.
    static func quantity(_ value: Double) -> String { format(value, places: 4) }
    /// A unit price, to ten decimals.
    static func price(_ value: Double) -> String { format(value, places: 10) }

    private static func format(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }
}
