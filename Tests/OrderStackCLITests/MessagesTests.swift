import Foundation
import Testing

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
}
