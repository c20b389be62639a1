import Foundation
import Testing

@Suite struct ValidateCommandTests {
    func write(_ text: String, name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderstack-validate-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func blueprintStacksAreClean() throws {
        let result = try CommandRunner.orderstack(["validate"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "0 errors, 0 warnings, 0 notes in 2 files\n")
    }

    @Test func findingsExitOneAndBadInputExitsTwo() throws {
        let broken = try write(
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedriveAllowPolicy: !Ref Nope\n",
            name: "b.yaml")
        let result = try CommandRunner.orderstack(["validate", broken.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(broken.path):5:7: error: OS1001: Ref to 'Nope'"))
        let warningsOnly = try CommandRunner.orderstack([
            "validate", "--severity", "error",
            try write(
                "Parameters:\n  P:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n", name: "w.yaml"
            ).path,
        ])
        #expect(warningsOnly.status == 0, "a warning below the threshold does not fail")
        let warnings = try write(
            "Parameters:\n  P:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n", name: "w2.yaml")
        let shown = try CommandRunner.orderstack(["validate", "--severity", "note", warnings.path])
        #expect(shown.status == 0, "warnings are printed but fail nothing by default: exit 1 means an error")
        #expect(shown.stdout.contains("warning: OS1009"))
        let strict = try CommandRunner.orderstack([
            "validate", "--fail-on", "warning", "--severity", "error", warnings.path,
        ])
        #expect(strict.status == 1, "--fail-on warning fails on a warning")
        #expect(strict.stdout.contains("warning: OS1009"), "a finding that fails the run is always printed")
        let junk = try write("{\"Resources\": {},}", name: "j.json")
        let unreadable = try CommandRunner.orderstack(["validate", junk.path])
        #expect(unreadable.status == 2)
        #expect(unreadable.stdout.contains("OS0001: JSON: trailing comma"))
        let missing = try CommandRunner.orderstack(["validate", "/nonexistent.yaml"])
        #expect(missing.status == 2)
        let usage = try CommandRunner.orderstack(["validate", "--format", "xml"])
        #expect(usage.status == 2)
    }

    @Test func formatsAreSelectable() throws {
        let broken = try write("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    DependsOn: Missing\n", name: "f.yaml")
        let sarif = try CommandRunner.orderstack(["validate", "--format", "sarif", broken.path])
        #expect(sarif.status == 1)
        #expect(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) is [String: Any])
        let github = try CommandRunner.orderstack(["validate", "--format", "github", broken.path])
        #expect(github.stdout.hasPrefix("::error file=\(broken.path),line=4,col=5,title=OS1005::"))
    }

    @Test func listRulesDocumentsEveryCheck() throws {
        let result = try CommandRunner.orderstack(["validate", "--list-rules"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("| OS2001 | error | Event source mapping's function cannot read its queue |"))
        let docs = try String(
            contentsOf: CommandRunner.packageRoot.appendingPathComponent("docs/validate.md"), encoding: .utf8)
        #expect(docs == result.stdout, "docs/validate.md is stale: orderstack validate --list-rules > docs/validate.md")
    }
}
