import Foundation
import TestSupport
import Testing

/// The synthesized templates judged by the real tools: cfn-lint, checkov, and moto_server's CloudFormation.
///
/// These need cfn-lint, checkov and moto_server (`scripts/requirements-ci.txt`, which `.ci/run` installs in a
/// virtual environment); where one is missing its tests are skipped saying so, except in CI, where they fail.
@Suite(.serialized) struct ExternalCheckTests {
    static let templates: URL = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-external-\(getpid())")
        _ = try? CommandRunner.orderstack(["synth", "--output", directory.path])
        return directory
    }()

    /// A stage with partners (API keys and usage plans), synthesized in a scratch copy of the project by
    /// `Tests/Integration/partners_project.sh`.
    static let partners: URL = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-partners-\(getpid())")
        _ = try? CommandRunner.run(
            CommandRunner.packageRoot.appendingPathComponent("Tests/Integration/partners_project.sh").path,
            [CommandRunner.productsDirectory.appendingPathComponent("orderstack").path, directory.path])
        return directory.appendingPathComponent("output")
    }()

    static func template(_ stage: String) -> String {
        (stage == "partners" ? partners : templates).appendingPathComponent("orders-\(stage).yaml").path
    }

    @Test(Requirement.tools("cfn-lint"), arguments: ["dev", "prod", "partners"])
    func cfnLintReportsNothing(stage: String) throws {
        let result = try CommandRunner.run("cfn-lint", ["--format", "parseable", Self.template(stage)])
        #expect(result.status == 0, "cfn-lint found:\n\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(Requirement.tools("checkov"), arguments: ["dev", "prod", "partners"])
    func checkovFailsNoCheck(stage: String) throws {
        let result = try CommandRunner.run(
            "checkov",
            [
                "-f", Self.template(stage), "--framework", "cloudformation", "--skip-download", "--compact", "--output",
                "json",
            ])
        #expect(result.status == 0, "checkov failed checks:\n\(result.stdout.prefix(4000))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["failed"] as? Int == 0)
        #expect((summary["passed"] as? Int ?? 0) >= 50, "checkov ran its checks")
        let results = try #require(json["results"] as? [String: Any])
        let skipped = results["skipped_checks"] as? [[String: Any]] ?? []
        for check in skipped {
            let reason = (check["check_result"] as? [String: Any])?["suppress_comment"] as? String ?? ""
            #expect(reason.count > 30, "suppression of \(check["check_id"] ?? "?") has a written reason")
        }
    }

    @Test(Requirement.tools("moto_server")) func prodDeploysThroughMotoCloudFormation() throws {
        let result = try CommandRunner.run(
            "python3",
            [
                CommandRunner.packageRoot.appendingPathComponent("Tests/Integration/moto_deploy.py").path,
                Self.template("prod"),
            ])
        #expect(result.status == 0, "moto deployment failed:\n\(result.stdout)\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("ok   stack status is CREATE_COMPLETE"))
        #expect(result.stdout.contains("0 failed checks"))
    }

    /// The real handler binaries against moto_server, through a fault-injecting proxy and a test Runtime API
    /// (`Tests/Integration/handlers_moto.py` lists every invariant it checks).
    @Test(Requirement.tools("moto_server")) func handlersKeepTheirInvariantsAgainstMotoWithFaults() throws {
        let products = CommandRunner.productsDirectory
        let result = try CommandRunner.run(
            "python3",
            [
                CommandRunner.packageRoot.appendingPathComponent("Tests/Integration/handlers_moto.py").path,
                products.appendingPathComponent("order-processor").path,
                products.appendingPathComponent("order-query").path,
            ])
        #expect(result.status == 0, "handler integration failed:\n\(result.stdout)\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("ok   mixed batch: only the malformed messages fail"))
        #expect(result.stdout.contains("0 failed checks"))
    }
}
