import CloudFormation
import Foundation
import TemplateYAML
import Testing

/// The repository's committed templates.
enum Files {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func template(_ path: String) throws -> Template {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        return try #require(TemplateReader.read(text, path: path).template)
    }

    static func prodTemplate() throws -> Template { try template("output/orders-prod.yaml") }

    /// A template from YAML text.
    static func read(_ yaml: String) throws -> Template {
        let read = TemplateReader.read(yaml, path: "t.yaml")
        return try #require(read.template, "\(read.diagnostics)")
    }
}
