import CloudFormation
import Foundation
import TemplateYAML
import TestSupport
import Testing
import YAML

/// The real-world templates shipped beside the repository in `../shared/corpus-real`.
enum Corpus {
    static let directory = Requirement.shared.appendingPathComponent("corpus-real")

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

@Suite(Requirement.corpus("corpus-real")) struct CorpusRoundTripTests {
    @Test func corpusIsPresent() {
        #expect(Corpus.files.count == 52, "expected the 52 templates of ../shared/corpus-real")
    }

    @Test(arguments: Corpus.files)
    func readWriteReadGivesAnEqualTree(name: String) throws {
        let first = TemplateReader.read(bytes: try Corpus.bytes(name), path: name)
        let template = try #require(first.template, "\(first.diagnostics)")
        #expect(!template.resources.isEmpty || template.loops["Resources"] != nil)
        let written = try TemplateWriter.yaml(template)
        let second = TemplateReader.read(written, path: name + ".out")
        #expect(second.diagnostics.isEmpty, "\(second.diagnostics)")
        let reread = try #require(second.template)
        #expect(reread == template)
        #expect(try TemplateWriter.yaml(reread) == written, "writing is a fixed point")
    }
}
