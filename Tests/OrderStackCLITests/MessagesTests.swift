import Foundation
import SourceDiagnostics
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Messages a new user met that misled (issue 27): each now names what is wrong, with exit 2.
@Suite struct MessagesTests {
    @Test func anUnknownCommandIsNamedEvenWithHelp() throws {
        let result = try CommandRunner.orderstack(["bogus", "--help"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: unknown command 'bogus'; the commands are: synth, validate"))
        #expect(try CommandRunner.orderstack(["help", "synth"]).status == 0)
    }

    @Test func aProjectFolderThatIsNotOneIsSaidSo() throws {
        let missing = try CommandRunner.orderstack(["synth", "--project", "/nonexistent-orderstack"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: --project /nonexistent-orderstack: no such folder\n")
        let empty = FileManager.default.temporaryDirectory.path
        let notProject = try CommandRunner.orderstack(["synth", "--project", empty])
        #expect(notProject.status == 2)
        #expect(notProject.stderr.contains("is not an orderstack project (it has no blueprints/stages folder)"))
    }

    @Test func theVersionIsPrintedAndHelpSaysEachDefaultOnce() throws {
        let version = try CommandRunner.orderstack(["--version"])
        #expect(version.status == 0 && version.stdout.split(separator: ".").count == 3)
        let help = try CommandRunner.orderstack(["local", "--help"])
        #expect(!help.stdout.contains("(default: dev). (default: dev)"))
    }

    @Test func deployRefusesARegionOtherThanTheStages() throws {
        let result = try CommandRunner.run(
            "env",
            [
                "AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
                "AWS_ENDPOINT_URL=http://127.0.0.1:9",
                CommandRunner.productsDirectory.appendingPathComponent("orderstack").path,
                "deploy", "--stage", "dev", "--bucket", "artifacts",
            ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("blueprints/stages/dev.yaml deploys to us-east-1 (region:), but AWS_REGION"))
        #expect(result.stderr.contains("says eu-west-1"))
    }

    @Test func aMisspeltOptionIsNamedEvenWhenTheParserCallsTheRightOneMissing() throws {
        let cost = try CommandRunner.orderstack(["cost", "--profle", "baseline"])
        #expect(cost.status == 2)
        #expect(cost.stderr.contains("error: '--profle' is not an option of this command; did you mean '--profile'?"))
        let deploy = try CommandRunner.orderstack(["deploy", "--profle", "x", "--stage", "dev"])
        #expect(deploy.status == 2)
        #expect(deploy.stderr.contains("AWS_PROFILE=NAME picks a profile"))
        // The negative path: a missing option that nothing resembles gets no suggestion.
        let missing = try CommandRunner.orderstack(["cost", "--stage", "dev"])
        #expect(missing.status == 2 && !missing.stderr.contains("did you mean"))
    }

    @Test func validateSaysWhyAFileCannotBeRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.orderstack(["validate", folder.path, "/nonexistent.yaml", "/dev/null"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("\(folder.path):1:1: error: OS0002: cannot read the file: it is a folder"))
        #expect(result.stdout.contains("/nonexistent.yaml:1:1: error: OS0002: cannot read the file: no such file"))
        #expect(result.stdout.contains("/dev/null:1:1: error: OS0002: the file is empty"))
    }

    @Test func aChartIntoAMissingFolderIsRefusedBeforeTheSimulation() throws {
        let result = try CommandRunner.orderstack([
            "simulate", "--profile", "sale-spike", "--svg", "/nonexistent-orderstack/chart.svg",
        ])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "nothing is simulated or printed first")
        #expect(result.stderr.contains("the folder /nonexistent-orderstack does not exist; create it first"))
    }

    @Test func aBusyPortIsNamedBeforeAnythingStarts() throws {
        let listener = LoopbackServer(status: 200, body: "")
        defer { listener.stop() }
        let port = Int(listener.port)
        let result = try CommandRunner.orderstack(["local", "--port", String(port), "--endpoint", "http://127.0.0.1:9"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: --port \(port): another process listens on 127.0.0.1:\(port); choose another port, or --port 0 for a free one\n"
        )
    }

    @Test func diffInARepositoryWithoutCommitsSaysSo() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        try CommandRunner.git(["init", "-q"], in: project)
        let result = try CommandRunner.orderstack(["diff", "--project", project.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("this repository has no commits yet"), "\(result.stderr)")
        #expect(!result.stderr.contains("try HEAD"))
    }

    @Test func aServersOwnErrorPageIsNotPrinted() throws {
        // A proxy's HTML page where AWS should answer: named as one, the endpoint said, no markup printed.
        let server = LoopbackServer(status: 500, body: "<html><body><h1>Internal Server Error</h1></body></html>")
        defer { server.stop() }
        let result = try CommandRunner.run(
            "env",
            [
                "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
                "AWS_ENDPOINT_URL=http://127.0.0.1:\(server.port)",
                CommandRunner.productsDirectory.appendingPathComponent("orderstack").path,
                "status", "--stack-name", "orders-dev",
            ])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("<html>") && !result.stderr.contains("HTTP500"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "http://127.0.0.1:\(server.port) (AWS_ENDPOINT_URL) answered HTTP 500, an HTML page, not an AWS answer"),
            "\(result.stderr)")
    }

    /// One catalogue of diagnostic IDs: no source outside SourceDiagnostics writes an ID as a literal, and every
    /// ID outside validate's rules (which document themselves) is in docs/diagnostics.md.
    @Test func everyDiagnosticIDComesFromTheCatalogueAndIsDocumented() throws {
        let sources = CommandRunner.packageRoot.appendingPathComponent("Sources")
        let literal = try Regex(#""OS[0-9]{4}""#)
        var offenders: [String] = []
        let walker = FileManager.default.enumerator(atPath: sources.path)
        while let path = walker?.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasPrefix("SourceDiagnostics/") else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            if text.contains(literal) { offenders.append(path) }
        }
        #expect(offenders.isEmpty, "IDs written as literals outside the catalogue: \(offenders)")
        let docs = try String(
            contentsOf: CommandRunner.packageRoot.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        for id in DiagnosticID.configurationAndPackaging {
            #expect(docs.contains("| \(id) |"), "\(id) is not in docs/diagnostics.md")
        }
    }
}
