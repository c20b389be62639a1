import CloudFormation
import JSONText

/// How `orderstack diff` prints.
public enum DiffFormat: String, Sendable, CaseIterable {
    /// Indented lines for a terminal.
    case text
    /// A stable JSON document.
    case json
    /// A pull-request comment.
    case markdown
}

/// What fails the run.
public enum FailOn: String, Sendable, CaseIterable {
    /// Data or deliveries lost and not acknowledged (a stateful resource replaced, renamed or removed without
    /// `Retain`, retention lowered, redrive or partial batch responses removed, a subscription removed or narrowed),
    /// or an update CloudFormation refuses or that fails.
    case dataLoss = "data-loss"
    /// Any replacement (conditional included), or data loss.
    case replacement
    /// Any change.
    case any
    /// Never.
    case none

    /// Whether `diffs` fail at this level.
    public func fails(_ diffs: [StackDiff]) -> Bool {
        switch self {
        case .dataLoss: return diffs.contains { $0.losesData || $0.blocks }
        case .replacement: return diffs.contains { $0.losesData || $0.blocks || $0.replaces }
        case .any: return diffs.contains { !$0.isEmpty }
        case .none: return false
        }
    }
}

/// Renders stack diffs.
public enum DiffReport {
    /// Renders `diffs` in `format`.
    public static func render(_ diffs: [StackDiff], format: DiffFormat) -> String {
        switch format {
        case .text: return diffs.map(text).joined()
        case .json: return json(diffs)
        case .markdown: return diffs.map(markdown).joined(separator: "\n")
        }
    }

    static func summary(_ diff: StackDiff) -> String {
        if diff.isEmpty { return "no changes" }
        let resources = diff.resources
        var parts: [String] = []
        func add(_ count: Int, _ label: String) { if count > 0 { parts.append("\(count) \(label)") } }
        add(resources.filter { $0.kind == .added }.count, "added")
        add(resources.filter { $0.kind == .modified }.count, "modified")
        add(resources.filter { $0.kind == .removed }.count, "removed")
        add(resources.filter { $0.replacement == .always }.count, "replaced")
        add(resources.filter { $0.replacement == .conditional }.count, "maybe replaced")
        func count(_ gate: Finding.Gate) -> Int {
            resources.filter { $0.findings.contains { $0.kind.gate == gate && $0.failsGate } }.count
        }
        add(count(.dataLoss), "losing data")
        add(count(.deliveryLoss), "losing deliveries")
        add(resources.filter { $0.blocked != nil }.count, "refused by CloudFormation")
        let warned = resources.filter { $0.findings.contains { $0.kind.gate == .warning } }.count
        add(warned, warned == 1 ? "with a safeguard removed" : "with safeguards removed")
        let accepted = resources.filter { $0.findings.contains { $0.acknowledged != nil && $0.kind != .refused } }.count
        add(accepted, accepted == 1 ? "acknowledged loss" : "acknowledged losses")
        if diff.breaks { parts.append("breaks importing stacks") }
        return parts.isEmpty ? "changes outside resources" : parts.joined(separator: ", ")
    }

    private static func marker(_ kind: ResourceChange.Kind) -> String {
        switch kind {
        case .added: return "+"
        case .removed: return "-"
        case .modified: return "~"
        }
    }

    static func text(_ diff: StackDiff) -> String {
        var lines = ["\(diff.name): \(summary(diff))"]
        for change in diff.resources {
            var head = "  \(marker(change.kind)) \(change.logicalId) (\(change.type))"
            if change.replacement == .always { head += " REPLACED" }
            if change.replacement == .conditional { head += " MAY BE REPLACED" }
            if let rename = change.renameHint {
                head += change.kind == .added ? " (renamed from \(rename))" : " (renamed to \(rename))"
            }
            lines.append(head)
            lines += change.findings.map { "      \(label($0)): \($0.message)" + acknowledgement($0) }
            if let verdict = change.changeSet { lines.append("      CloudFormation's change set: \(verdict)") }
            for property in change.properties {
                var line =
                    "      \(property.path): \(property.old.map(ValueText.compact) ?? "(unset)") -> \(property.new.map(ValueText.compact) ?? "(unset)")"
                if let reason = property.reason { line += "  [\(reason)]" }
                lines.append(line)
            }
            for attribute in change.attributes { lines.append("      \(attribute)") }
            for grant in change.grantsAdded { lines.append("      IAM + \(grant)") }
            for grant in change.grantsRemoved { lines.append("      IAM - \(grant)") }
        }
        for entry in diff.parameters {
            lines.append(
                "  \(marker(entry.kind)) parameter \(entry.name): \(entry.detail)\(entry.breaking ? " (BREAKING)" : "")"
            )
        }
        for entry in diff.outputs {
            lines.append(
                "  \(marker(entry.kind)) output \(entry.name): \(entry.detail)\(entry.breaking ? " (BREAKING)" : "")")
        }
        for section in diff.sections { lines.append("  ~ \(section)") }
        for unused in diff.unusedAcknowledgements { lines.append("  note: \(unused)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `DATA LOSS (replaced)`, `REFUSED`, `WARNING (safeguard-removed)`, `note`; prefixed `acknowledged` when
    /// the project accepts the loss.
    static func label(_ finding: Finding) -> String {
        let name: String
        switch finding.kind.gate {
        case .dataLoss: name = "DATA LOSS (\(finding.kind.rawValue))"
        case .deliveryLoss: name = "DELIVERY LOSS (\(finding.kind.rawValue))"
        case .refused: name = "REFUSED"
        case .warning: name = "WARNING (\(finding.kind.rawValue))"
        case .note: name = "note"
        }
        return finding.acknowledged != nil && finding.kind != .refused ? "acknowledged \(name)" : name
    }

    private static func acknowledgement(_ finding: Finding) -> String {
        guard let reason = finding.acknowledged, finding.kind != .refused else { return "" }
        return " [accepted in the acknowledgement file: \(reason)]"
    }

    static func markdown(_ diff: StackDiff) -> String {
        var lines = ["### `\(diff.name)`: \(summary(diff))", ""]
        guard !diff.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        if !diff.resources.isEmpty {
            lines += [
                "| | Logical ID | Type | Replacement | Findings | Changes |", "| --- | --- | --- | --- | --- | --- |",
            ]
            for change in diff.resources {
                var details = change.properties.map { "`\($0.path)`: \(cell($0.old)) → \(cell($0.new))" }
                details += change.attributes.map(escape)
                details +=
                    change.grantsAdded.map { "IAM + `\(escape($0))`" }
                    + change.grantsRemoved.map { "IAM − `\(escape($0))`" }
                if let rename = change.renameHint {
                    details.append(change.kind == .added ? "renamed from `\(rename)`" : "renamed to `\(rename)`")
                }
                if let verdict = change.changeSet { details.append("CloudFormation's change set: \(escape(verdict))") }
                let replacement = change.replacement == .never ? "" : "**\(change.replacement.rawValue)**"
                let loss = change.findings.map { finding in
                    let mark =
                        finding.kind.gate.fails && finding.failsGate ? "⛔" : finding.kind.gate == .note ? "ℹ️" : "⚠️"
                    return "\(mark) \(label(finding)): \(escape(finding.message))\(escape(acknowledgement(finding)))"
                }.joined(separator: "<br>")
                lines.append(
                    "| \(marker(change.kind)) | `\(change.logicalId)` | \(change.type) | \(replacement) | \(loss) | \(details.joined(separator: "<br>")) |"
                )
            }
            lines.append("")
        }
        for entry in diff.parameters + diff.outputs {
            let kind = diff.parameters.contains(entry) ? "parameter" : "output"
            lines.append(
                "- \(marker(entry.kind)) \(kind) `\(entry.name)`: \(escape(entry.detail))\(entry.breaking ? " **(breaking)**" : "")"
            )
        }
        for section in diff.sections { lines.append("- \(section)") }
        for unused in diff.unusedAcknowledgements { lines.append("- note: \(escape(unused))") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ value: Value?) -> String {
        value.map { "`\(escape(ValueText.compact($0)))`" } ?? "(unset)"
    }

    private static func escape(_ text: String) -> String {
        text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }

    static func json(_ diffs: [StackDiff]) -> String {
        let quote = JSONText.quote
        func optional(_ text: String?) -> String { text.map(quote) ?? "null" }
        func strings(_ items: [String]) -> String { "[" + items.map(quote).joined(separator: ", ") + "]" }
        let stacks = diffs.map { diff in
            let resources = diff.resources.map { change in
                let properties = change.properties.map { property in
                    "{\"path\": \(quote(property.path)), \"old\": \(optional(property.old.map(ValueText.compact))), "
                        + "\"new\": \(optional(property.new.map(ValueText.compact))), \"replacement\": \(quote(property.replacement.rawValue)), "
                        + "\"reason\": \(optional(property.reason))}"
                }
                return
                    "{\"logicalId\": \(quote(change.logicalId)), \"type\": \(quote(change.type)), \"change\": \(quote(change.kind.rawValue)), "
                    + "\"replacement\": \(quote(change.replacement.rawValue)), \"dataLoss\": \(optional(change.dataLoss)), "
                    + "\"refused\": \(optional(change.blocked)), \"findings\": [\(change.findings.map(findingJSON).joined(separator: ", "))], "
                    + "\"changeSet\": \(optional(change.changeSet)), "
                    + "\"renamedTo\": \(optional(change.kind == .removed ? change.renameHint : nil)), "
                    + "\"renamedFrom\": \(optional(change.kind == .added ? change.renameHint : nil)), "
                    + "\"properties\": [\(properties.joined(separator: ", "))], "
                    + "\"attributes\": \(strings(change.attributes)), \"grantsAdded\": \(strings(change.grantsAdded)), "
                    + "\"grantsRemoved\": \(strings(change.grantsRemoved))}"
            }
            func entries(_ items: [EntryChange]) -> String {
                "["
                    + items.map {
                        "{\"name\": \(quote($0.name)), \"change\": \(quote($0.kind.rawValue)), \"detail\": \(quote($0.detail)), \"breaking\": \($0.breaking)}"
                    }.joined(separator: ", ") + "]"
            }
            return
                "  {\"stack\": \(quote(diff.name)), \"summary\": \(quote(summary(diff))), \"dataLoss\": \(diff.losesData), "
                + "\"refused\": \(diff.blocks), \"warnings\": \(diff.warns), "
                + "\"unusedAcknowledgements\": \(strings(diff.unusedAcknowledgements)), "
                + "\"replacement\": \(diff.replaces), \"breaking\": \(diff.breaks),\n   \"resources\": [\(resources.joined(separator: ",\n     "))],\n"
                + "   \"parameters\": \(entries(diff.parameters)), \"outputs\": \(entries(diff.outputs)), \"sections\": \(strings(diff.sections))}"
        }
        return "[\n" + stacks.joined(separator: ",\n") + "\n]\n"
    }

    private static func findingJSON(_ finding: Finding) -> String {
        let quote = JSONText.quote
        return "{\"class\": \(quote(finding.kind.rawValue)), \"gate\": \(quote(finding.kind.gate.rawValue)), "
            + "\"failsGate\": \(finding.failsGate), \"message\": \(quote(finding.message)), "
            + "\"acknowledged\": \(finding.acknowledged.map(quote) ?? "null")}"
    }
}
