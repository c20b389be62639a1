import CloudFormation
import Foundation
import OrdersBlueprint
import StackDSL
import TemplateYAML
import TestSupport
import Testing
import YAML

@testable import Validation

/// The real-world templates of ../shared/corpus-real (52) and ../shared/corpus-real-2 (140, mostly SAM), read where
/// they lie, and the blueprint's own stacks.
@Suite struct CorpusTests {
    static let shared = Requirement.shared
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The date runtime lifecycles are judged on, fixed so that the expectations do not move with the clock.
    static let today = "2026-12-01"
    static let corpora = ["corpus-real": 52, "corpus-real-2": 140]

    static func files(_ corpus: String) -> [String] {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: shared.appendingPathComponent(corpus).path)) ?? []
        return names.filter { name in [".yaml", ".yml", ".json", ".template"].contains { name.hasSuffix($0) } }.sorted()
    }

    /// The files cfn-lint passes (exit 0), from each corpus's MANIFEST.tsv or cfnlint.tsv.
    static func cfnLintClean(_ corpus: String) -> [String] {
        let table = corpus == "corpus-real" ? "MANIFEST.tsv" : "cfnlint.tsv"
        let column = corpus == "corpus-real" ? 8 : 1
        let text =
            (try? String(contentsOf: shared.appendingPathComponent("\(corpus)/\(table)"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            return columns.count > column && columns[column] == "0" ? String(columns[0]) : nil
        }
    }

    static func findings(_ corpus: String) throws -> [String] {
        try files(corpus).flatMap { name -> [String] in
            let data = try Data(contentsOf: shared.appendingPathComponent("\(corpus)/\(name)"))
            return Validator.validate(bytes: Array(data), path: "\(corpus)/\(name)", today: today).map(\.description)
        }.sorted()
    }

    /// The reviewed expectations: every finding on the corpus, one per line; every error carries `  # true: why`,
    /// the reviewer's reason after reading the template. Regenerate with `orderstack validate` over the corpus
    /// (see the file's first lines) and review the difference before committing it.
    static func expectations(_ corpus: String) throws -> (findings: [String], unreviewedErrors: [String]) {
        let name = corpus == "corpus-real" ? "corpus-expectations.txt" : "\(corpus)-expectations.txt"
        let lines = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        var findings: [String] = []
        var unreviewed: [String] = []
        for line in lines {
            let parts = line.components(separatedBy: "  # true: ")
            findings.append(parts[0])
            if parts.count < 2, parts[0].contains(": error: ") { unreviewed.append(parts[0]) }
        }
        return (findings.sorted(), unreviewed)
    }

    @Test(Requirement.corpus("corpus-real", "corpus-real-2"), arguments: ["corpus-real", "corpus-real-2"])
    func findingsMatchTheReviewedExpectations(corpus: String) throws {
        #expect(Self.files(corpus).count == Self.corpora[corpus])
        let (expected, unreviewed) = try Self.expectations(corpus)
        #expect(unreviewed.isEmpty, "errors without a review note: \(unreviewed)")
        let actual = try Self.findings(corpus)
        #expect(
            actual == expected,
            "new: \(Set(actual).subtracting(expected).sorted())\ngone: \(Set(expected).subtracting(actual).sorted())")
    }

    @Test(Requirement.corpus("corpus-real", "corpus-real-2"), arguments: ["corpus-real", "corpus-real-2"])
    func noReferenceErrorOnTemplatesCfnLintPasses(corpus: String) throws {
        let accepted = Self.cfnLintClean(corpus)
        #expect(accepted.count == (corpus == "corpus-real" ? 40 : 50))
        for name in accepted {
            let data = try Data(contentsOf: Self.shared.appendingPathComponent("\(corpus)/\(name)"))
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let errors = Validator.validate(bytes: Array(data), path: name, today: Self.today).filter {
                // Not false errors: IAM posture (Action '*'), runtimes blocked since cfn-lint's run, and Rain's
                // preprocessor directives (tags, and `Rain::` keys where a value belongs), which cfn-lint skips
                // and CloudFormation rejects.
                let line = $0.mark.line
                let rain =
                    $0.id == "OS1108" && lines.indices.contains(line)
                    && (lines[line - 1] + lines[line]).contains("Rain::")
                return $0.severity == .error && !["OS2024", "OS1107", "OS0004"].contains($0.id) && !rain
            }
            #expect(errors.isEmpty, "\(name): \(errors)")
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
