import Foundation
import Testing
import YAML

@testable import Validation

@Suite struct ReportTests {
    let diagnostics = [
        Diagnostic(
            path: "a.yaml", mark: Mark(line: 3, column: 5), severity: .error, id: "OS1001",
            message: "Ref to 'X\"y', which is not", subject: "Q"),
        Diagnostic(
            path: "a.yaml", mark: Mark(line: 9, column: 1), severity: .warning, id: "OS2004",
            message: "low, visibility: 20 s", subject: nil),
    ]

    @Test func textEndsWithASummary() {
        let text = Report.render(diagnostics, format: .text, files: 1)
        #expect(
            text == """
                a.yaml:3:5: error: OS1001: Ref to 'X"y', which is not
                a.yaml:9:1: warning: OS2004: low, visibility: 20 s
                1 error, 1 warning, 0 notes in 1 file

                """)
    }

    @Test func jsonIsValidAndComplete() throws {
        let text = Report.render(diagnostics, format: .json, files: 1)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items[0]["id"] as? String == "OS1001")
        #expect(items[0]["line"] as? Int == 3)
        #expect(items[0]["logicalId"] as? String == "Q")
        #expect(items[0]["message"] as? String == "Ref to 'X\"y', which is not")
        #expect(items[1]["logicalId"] is NSNull)
        #expect(Report.render([], format: .json, files: 1) == "[]\n")
    }

    @Test func sarifFollowsTheSchemaShape() throws {
        let text = Report.render(diagnostics, format: .sarif, files: 1)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let rules = try #require(
            ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["OS1001", "OS2004"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["level"] as? String } == ["error", "warning"])
        let region =
            ((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"]
            as? [String: Any]
        #expect(region?["startLine"] as? Int == 3)
        #expect(region?["startColumn"] as? Int == 5)
    }

    @Test func githubAnnotationsEscapeProperties() {
        let text = Report.render(diagnostics, format: .github, files: 1)
        #expect(
            text == """
                ::error file=a.yaml,line=3,col=5,title=OS1001::Ref to 'X"y', which is not
                ::warning file=a.yaml,line=9,col=1,title=OS2004::low, visibility: 20 s

                """)
    }
}
