import CloudFormation
import YAML

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
    /// A stateful resource replaced (whatever its policies) or removed without `Retain`, or a replacement
    /// CloudFormation refuses (a custom name kept).
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
        add(resources.filter { $0.dataLoss != nil }.count, "losing data")
        add(resources.filter { $0.blocked != nil }.count, "refused by CloudFormation")
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
            if let loss = change.dataLoss { head += " DATA LOSS: \(loss)" }
            if let blocked = change.blocked { head += " REFUSED: \(blocked)" }
            if let rename = change.renameHint {
                head +=
                    change.kind == .added
                    ? " (same properties as removed \(rename): a rename?)" : " (renamed to \(rename)?)"
            }
            lines.append(head)
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
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ diff: StackDiff) -> String {
        var lines = ["### `\(diff.name)`: \(summary(diff))", ""]
        guard !diff.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        if !diff.resources.isEmpty {
            lines += [
                "| | Logical ID | Type | Replacement | Data loss | Changes |", "| --- | --- | --- | --- | --- | --- |",
            ]
            for change in diff.resources {
                var details = change.properties.map { "`\($0.path)`: \(cell($0.old)) → \(cell($0.new))" }
                details += change.attributes.map(escape)
                details +=
                    change.grantsAdded.map { "IAM + `\(escape($0))`" }
                    + change.grantsRemoved.map { "IAM − `\(escape($0))`" }
                if let rename = change.renameHint { details.append("rename of/to `\(rename)`?") }
                let replacement = change.replacement == .never ? "" : "**\(change.replacement.rawValue)**"
                let loss =
                    [change.dataLoss.map { "⚠️ \(escape($0))" }, change.blocked.map { "⛔ refused: \(escape($0))" }]
                    .compactMap { $0 }.joined(separator: "<br>")
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
                    + "\"refused\": \(optional(change.blocked)), "
                    + "\"renameOf\": \(optional(change.renameHint)), \"properties\": [\(properties.joined(separator: ", "))], "
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
                + "\"refused\": \(diff.blocks), "
                + "\"replacement\": \(diff.replaces), \"breaking\": \(diff.breaks),\n   \"resources\": [\(resources.joined(separator: ",\n     "))],\n"
                + "   \"parameters\": \(entries(diff.parameters)), \"outputs\": \(entries(diff.outputs)), \"sections\": \(strings(diff.sections))}"
        }
        return "[\n" + stacks.joined(separator: ",\n") + "\n]\n"
    }
}
