import CloudFormation
import Foundation
import OrdersBlueprint
import StackDSL
import Testing
import YAML

@testable import Validation

/// The 52 real-world templates of ../shared/corpus-real and the blueprint's own stacks.
@Suite struct CorpusTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")

    static var files: [String] {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: shared.appendingPathComponent("corpus-real").path))
            ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
    }

    /// cfn-lint's exit code per corpus file, from MANIFEST.tsv.
    static var cfnLintExit: [String: Int] {
        let text =
            (try? String(contentsOf: shared.appendingPathComponent("corpus-real/MANIFEST.tsv"), encoding: .utf8)) ?? ""
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            if columns.count > 8 { result[String(columns[0])] = Int(columns[8]) }
        }
        return result
    }

    static func findings() throws -> [String] {
        try files.flatMap { name -> [String] in
            let data = try Data(contentsOf: shared.appendingPathComponent("corpus-real/\(name)"))
            return Validator.validate(bytes: Array(data), path: "corpus-real/\(name)").map(\.description)
        }.sorted()
    }

    /// The reviewed expectations: every finding on the corpus, one per line. Regenerate with
    /// `(cd ../shared && for f in corpus-real/*.y*ml corpus-real/*.json; do orderstack validate $f; done)`
    /// and review the difference before committing it.
    @Test func findingsMatchTheReviewedExpectations() throws {
        #expect(Self.files.count == 52)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/corpus-expectations.txt")
        let expected = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
        let actual = try Self.findings()
        #expect(
            actual == expected,
            "new: \(Set(actual).subtracting(expected).sorted())\ngone: \(Set(expected).subtracting(actual).sorted())")
    }

    @Test func noReferenceErrorOnTemplatesCloudFormationAccepts() throws {
        let accepted = Self.cfnLintExit.filter { $0.value == 0 }.map(\.key)
        #expect(accepted.count == 40)
        for name in accepted {
            let data = try Data(contentsOf: Self.shared.appendingPathComponent("corpus-real/\(name)"))
            let references = Validator.validate(bytes: Array(data), path: name).filter {
                $0.id.hasPrefix("OS10") && $0.severity == .error
            }
            #expect(references.isEmpty, "\(name): \(references)")
        }
    }

    @Test func synthesizedStacksOfEveryStageHaveNoFindings() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let schema = try String(
            contentsOf: root.appendingPathComponent("blueprints/schemas/order.json"), encoding: .utf8)
        let schemaValue = try #require(
            TemplateReader.read("Resources: {}\nMetadata: " + schema, path: "schema").template?.metadata)
        for stageName in ["dev", "prod"] {
            let text = try String(
                contentsOf: root.appendingPathComponent("blueprints/stages/\(stageName).yaml"), encoding: .utf8)
            let stage = try #require(StageSettings.load(text, path: stageName).settings)
            let template = try Synthesizer.synthesize(
                OrdersBlueprint.stack, stage: stage, schemas: ["order": schemaValue]
            ).template
            let yaml = try TemplateWriter.yaml(template)
            let found = Validator.validate(bytes: Array(yaml.utf8), path: stageName)
            #expect(found.isEmpty, "\(stageName): \(found.map(\.description))")
        }
    }
}
