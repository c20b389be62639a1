import YAML

/// Output formats of `orderstack cost`.
public enum CostFormat: String, Sendable, CaseIterable {
    case table, json, markdown
}

/// Renders estimates.
public enum CostReport {
    /// One profile: a table of lines, the total, the assumptions; `explain` adds each line's formula.
    public static func table(_ estimate: Estimate, explain: Bool, suggestions: [Suggestion] = []) -> String {
        var rows: [[String]] = [["service", "item", "quantity", "unit", "unit price", "monthly"]]
        var formulas: [Int: String] = [:]
        for line in estimate.lines {
            rows.append([
                line.service, line.item, Money.quantity(line.quantity), line.unit, Money.unit(line.unitPrice),
                Money.dollars(line.cost),
            ])
            if explain { formulas[rows.count - 1] = line.formula }
        }
        rows.append(["total", "", "", "", "", Money.dollars(estimate.total)])
        var text = header(estimate) + "\n" + render(rows, rightAligned: [2, 4, 5], notes: formulas)
        text += "assumptions:\n" + estimate.assumptions.map { "  - \($0)\n" }.joined()
        if !suggestions.isEmpty {
            text += "cheaper variants:\n"
            for suggestion in suggestions {
                text +=
                    "  - \(suggestion.change): saves \(Money.dollars(suggestion.saving))/month (total \(Money.dollars(suggestion.total))); trade-off: \(suggestion.tradeOff)\n"
            }
        }
        return text
    }

    static func header(_ estimate: Estimate) -> String {
        "\(estimate.subject), profile \(estimate.profile) (\(Money.quantity(estimate.arrivals.rounded())) \(estimate.noun.plural)), "
            + "\(estimate.region), prices as of \(estimate.pricingAsOf), free tier \(estimate.freeTier ? "on" : "off"), \(estimate.currency)"
    }

    /// Several profiles side by side: one column per profile.
    public static func columns(_ estimates: [Estimate]) -> String {
        var items: [(String, String)] = []
        for estimate in estimates {
            for line in estimate.lines where !items.contains(where: { $0 == (line.service, line.item) }) {
                items.append((line.service, line.item))
            }
        }
        var rows: [[String]] = [["service", "item"] + estimates.map(\.profile)]
        rows.append(
            [estimates.first?.noun.plural ?? "arrivals", ""] + estimates.map { Money.quantity($0.arrivals.rounded()) })
        for (service, item) in items {
            rows.append(
                [service, item]
                    + estimates.map { estimate in
                        estimate.lines.first { $0.service == service && $0.item == item }.map { Money.dollars($0.cost) }
                            ?? "-"
                    })
        }
        rows.append(["total", ""] + estimates.map { Money.dollars($0.total) })
        let first = estimates.first
        return
            "\(first?.subject ?? ""), \(first?.region ?? ""), prices as of \(first?.pricingAsOf ?? ""), free tier "
            + "\((first?.freeTier ?? false) ? "on" : "off"), \(first?.currency ?? "USD")\n"
            + render(rows, rightAligned: Set(2..<(2 + estimates.count)), notes: [:])
    }

    /// A Markdown table per profile (for pull-request comments), with totals side by side first.
    public static func markdown(_ estimates: [Estimate], suggestions: [String: [Suggestion]] = [:]) -> String {
        var lines = ["### Monthly cost", ""]
        lines.append("| profile | \(estimates.first?.noun.plural ?? "arrivals") | total |")
        lines.append("| --- | ---: | ---: |")
        for estimate in estimates {
            lines.append(
                "| \(estimate.profile) | \(Money.quantity(estimate.arrivals.rounded())) | \(Money.dollars(estimate.total)) |"
            )
        }
        for estimate in estimates {
            lines += ["", "<details><summary>\(estimate.profile): \(Money.dollars(estimate.total))</summary>", ""]
            lines += ["| service | item | quantity | unit price | monthly |", "| --- | --- | ---: | ---: | ---: |"]
            for line in estimate.lines {
                lines.append(
                    "| \(line.service) | \(line.item) | \(Money.quantity(line.quantity)) \(line.unit) | \(Money.unit(line.unitPrice)) | \(Money.dollars(line.cost)) |"
                )
            }
            for suggestion in suggestions[estimate.profile] ?? [] {
                lines.append("")
                lines.append(
                    "- cheaper: \(suggestion.change), saves \(Money.dollars(suggestion.saving))/month; \(suggestion.tradeOff)"
                )
            }
            lines += ["", "</details>"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The documented JSON shape: one object per profile (an array when several).
    public static func json(_ estimates: [Estimate], suggestions: [String: [Suggestion]] = [:]) -> String {
        let objects = estimates.map { estimate in
            let lines = estimate.lines.map { line in
                "    {\"service\": \(quote(line.service)), \"item\": \(quote(line.item)), \"quantity\": \(JSONNumber.quantity(line.quantity)), "
                    + "\"unit\": \(quote(line.unit)), \"unit_price\": \(JSONNumber.price(line.unitPrice)), \"cost\": \(JSONNumber.money(line.cost)), "
                    + "\"formula\": \(quote(line.formula))}"
            }
            let suggested = (suggestions[estimate.profile] ?? []).map {
                "{\"change\": \(quote($0.change)), \"saving\": \(JSONNumber.money($0.saving)), \"total\": \(JSONNumber.money($0.total)), \"trade_off\": \(quote($0.tradeOff))}"
            }
            return
                "{\"profile\": \(quote(estimate.profile)), \"stage\": \(quote(estimate.stage)), \"region\": \(quote(estimate.region)), "
                + "\"currency\": \(quote(estimate.currency)), \"pricing_as_of\": \(quote(estimate.pricingAsOf)), "
                + "\"free_tier\": \(estimate.freeTier), \"arrivals\": \(JSONNumber.quantity(estimate.arrivals.rounded())), \"total\": \(JSONNumber.money(estimate.total)),\n"
                + "  \"lines\": [\n\(lines.joined(separator: ",\n"))\n  ],\n"
                + "  \"assumptions\": [\(estimate.assumptions.map(quote).joined(separator: ", "))]"
                + (suggestions.isEmpty ? "" : ",\n  \"suggestions\": [\(suggested.joined(separator: ", "))]") + "}"
        }
        return (estimates.count == 1 ? objects[0] : "[\n" + objects.joined(separator: ",\n") + "\n]") + "\n"
    }

    private static func quote(_ text: String) -> String { JSONText.quote(text) }

    /// Rows as aligned columns (`rightAligned` by index), each row optionally followed by a note line.
    static func render(_ rows: [[String]], rightAligned: Set<Int>, notes: [Int: String] = [:]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var text = ""
        for (rowIndex, row) in rows.enumerated() {
            let cells = row.enumerated().map { index, cell -> String in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            text += line + "\n"
            if let note = notes[rowIndex] { text += "      = \(note)\n" }
        }
        return text
    }
}
