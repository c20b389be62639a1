import YAML

/// Output formats of `orderstack validate`.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// `path:line:col: severity: ID: message`, then a summary line.
    case text
    /// A JSON array of findings.
    case json
    /// SARIF 2.1.0, for code-scanning uploads.
    case sarif
    /// GitHub Actions workflow commands (`::error file=...,line=...::message`).
    case github
}

/// Renders diagnostics in the report formats.
public enum Report {
    /// Renders `diagnostics` (already sorted) for `files` checked.
    public static func render(_ diagnostics: [Diagnostic], format: ReportFormat, files: Int, colours: Bool = false)
        -> String
    {
        switch format {
        case .text: return text(diagnostics, files: files, colours: colours)
        case .json: return json(diagnostics)
        case .sarif: return sarif(diagnostics)
        case .github: return github(diagnostics)
        }
    }

    /// The summary line, e.g. `2 errors, 1 warning, 0 notes in 3 files`.
    public static func summary(_ diagnostics: [Diagnostic], files: Int) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(diagnostics.count(.error), "error")), \(plural(diagnostics.count(.warning), "warning")), "
            + "\(plural(diagnostics.count(.note), "note")) in \(plural(files, "file"))"
    }

    static func text(_ diagnostics: [Diagnostic], files: Int, colours: Bool) -> String {
        var lines: [String] = diagnostics.map { diagnostic in
            guard colours else { return diagnostic.description }
            let colour: String
            switch diagnostic.severity {
            case .error: colour = "\u{1B}[1;31m"
            case .warning: colour = "\u{1B}[1;33m"
            case .note: colour = "\u{1B}[1;36m"
            }
            return
                "\u{1B}[1m\(diagnostic.path):\(diagnostic.mark):\u{1B}[0m \(colour)\(diagnostic.severity.rawValue):\u{1B}[0m "
                + "\(diagnostic.id): \(diagnostic.message)"
        }
        lines.append(summary(diagnostics, files: files))
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ diagnostics: [Diagnostic]) -> String {
        let items = diagnostics.map { diagnostic in
            "  {\"path\": \(quote(diagnostic.path)), \"line\": \(diagnostic.mark.line), \"column\": \(diagnostic.mark.column), "
                + "\"severity\": \(quote(diagnostic.severity.rawValue)), \"id\": \(quote(diagnostic.id)), "
                + "\"logicalId\": \(diagnostic.subject.map(quote) ?? "null"), \"message\": \(quote(diagnostic.message))}"
        }
        return items.isEmpty ? "[]\n" : "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }

    static func sarif(_ diagnostics: [Diagnostic]) -> String {
        let used = Set(diagnostics.map(\.id))
        let rules = Rules.all.filter { used.contains($0.id) }.map { rule in
            "{\"id\": \(quote(rule.id)), \"name\": \(quote(rule.title.replacingSpaces())), "
                + "\"shortDescription\": {\"text\": \(quote(rule.title))}, \"fullDescription\": {\"text\": \(quote(rule.why))}, "
                + "\"help\": {\"text\": \(quote(rule.fix))}, "
                + "\"defaultConfiguration\": {\"level\": \(quote(level(rule.severity)))}}"
        }
        let results = diagnostics.map { diagnostic in
            "{\"ruleId\": \(quote(diagnostic.id)), \"level\": \(quote(level(diagnostic.severity))), "
                + "\"message\": {\"text\": \(quote(diagnostic.message))}, \"locations\": [{\"physicalLocation\": "
                + "{\"artifactLocation\": {\"uri\": \(quote(diagnostic.path))}, \"region\": {\"startLine\": \(diagnostic.mark.line), "
                + "\"startColumn\": \(diagnostic.mark.column)}}}]}"
        }
        return """
            {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{
              "tool": {"driver": {"name": "orderstack", "informationUri": "https://github.com/orderstack/orderstack", "rules": [
                \(rules.joined(separator: ",\n    "))
              ]}},
              "results": [
                \(results.joined(separator: ",\n    "))
              ]
            }]}

            """
    }

    static func github(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { diagnostic in
            let command = diagnostic.severity == .note ? "notice" : diagnostic.severity.rawValue
            return
                "::\(command) file=\(escapeProperty(diagnostic.path)),line=\(diagnostic.mark.line),col=\(diagnostic.mark.column),"
                + "title=\(escapeProperty(diagnostic.id))::\(escapeData(diagnostic.message))"
        }.joined(separator: "\n") + (diagnostics.isEmpty ? "" : "\n")
    }

    private static func level(_ severity: Diagnostic.Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    static func quote(_ text: String) -> String { JSONText.quote(text) }

    private static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    private static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}

extension String {
    fileprivate func replacingSpaces() -> String {
        split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
