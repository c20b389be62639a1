import AWSClients
import DeployClients
import Foundation
import OrdersBlueprint
import StackDSL
import Testing

@testable import OrderStackCLI

/// A project with two stacks, run in process through `OrderStack.status(stacks:_:)`, the entry point's core.
@Suite(.serialized) struct StacksTests {
    static let signups = Stack("signups", description: "Sign-ups: accept, store and count new members") {
        let members = Table("Members", partitionKey: "memberId")
        let intake = Queue("SignupIntake")
        Function("SignupWorker", handler: Handler(artifact: "signup-worker"))
            .consumes(intake)
            .writes(members)
    }

    static let both = [OrdersBlueprint.stack, signups]

    func files(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted()
    }

    @Test func everyStackIsSynthesizedAndStackPicksOne() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let root = project.path
        #expect(OrderStack.status(stacks: Self.both, ["synth", "--project", root]) == 0)
        #expect(
            files(project.appendingPathComponent("output")) == [
                "orders-dev.yaml", "orders-prod.yaml", "signups-dev.yaml", "signups-prod.yaml",
            ])
        let signupsDev = try String(
            contentsOf: project.appendingPathComponent("output/signups-dev.yaml"), encoding: .utf8)
        #expect(signupsDev.contains("SignupWorkerFunction:") && !signupsDev.contains("OrderProcessor"))
        #expect(OrderStack.status(stacks: Self.both, ["synth", "--check", "--project", root]) == 0)
        let only = project.appendingPathComponent("only")
        #expect(
            OrderStack.status(
                stacks: Self.both, ["synth", "--project", root, "--stack", "signups", "--output", only.path]) == 0)
        #expect(files(only) == ["signups-dev.yaml", "signups-prod.yaml"])
        #expect(OrderStack.status(stacks: Self.both, ["validate", "--project", root, "--stack", "signups"]) != 2)
        #expect(OrderStack.status(stacks: Self.both, ["synth", "--project", root, "--stack", "nope"]) == 2)
    }

    @Test func aStackNoLongerInTheBlueprintLeavesFilesThatCheckReports() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let root = project.path
        #expect(OrderStack.status(stacks: Self.both, ["synth", "--project", root]) == 0)
        #expect(OrderStack.status(stacks: [OrdersBlueprint.stack], ["synth", "--check", "--project", root]) == 1)
        #expect(
            OrderStack.status(
                stacks: [OrdersBlueprint.stack], ["synth", "--check", "--project", root, "--stage", "dev"]) == 0,
            "a check of some stages does not judge the others' files")
    }

    @Test func singleStackCommandsAskForOneWhenThereAreSeveral() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let root = project.path
        #expect(OrderStack.status(stacks: Self.both, ["cost", "--project", root, "--profile", "quiet"]) == 2)
        #expect(
            OrderStack.status(
                stacks: Self.both, ["cost", "--project", root, "--profile", "quiet", "--stack", "orders"]) == 0)
        #expect(OrderStack.status(stacks: Self.both, ["graph", "--project", root, "--stack", "signups"]) == 0)
        #expect(OrderStack.status(stacks: [], ["synth", "--project", root]) == 2)
    }
}

@Suite struct AWSSessionTests {
    @Test func refusedCredentialsAndUnreachableEndpointsAreOneLineWithoutTypeNames() {
        let refused = AWSSession.explain(
            AWSServiceError(
                service: "cloudformation", operation: "DescribeStacks", status: 403, code: "InvalidClientTokenId",
                message: "The security token included in the request is invalid."), what: "deploying orders-dev")
        #expect(
            refused
                == "cloudformation refused the credentials while deploying orders-dev (InvalidClientTokenId: The security token included in the request is invalid.)"
        )
        let unreachable = AWSSession.explain(
            TransientFailure("sts AssumeRole: connection refused"), what: "resolving AWS credentials")
        #expect(unreachable == "cannot reach AWS while resolving AWS credentials: sts AssumeRole: connection refused")
        #expect(
            AWSSession.explain(CredentialError("no region: set AWS_REGION"), what: "x") == "no region: set AWS_REGION")
    }

    /// A failed `local --smoke` shows the handlers' error lines, not only a pointer to their log files.
    @Test func aFailedSmokeRunShowsTheHandlersErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            OrderStack.Local.handlerErrors(in: folder.path) == ["no handler logged an error (logs: output/local/logs)"])
        let lines = (1...7).map { #"{"level":"ERROR","message":"store failed \#($0)"}"# } + [#"{"level":"INFO"}"#]
        try lines.joined(separator: "\n").write(
            to: folder.appendingPathComponent("aws_lambda_orders-dev-OrderProcessor.log"), atomically: true,
            encoding: .utf8)
        let shown = OrderStack.Local.handlerErrors(in: folder.path)
        #expect(shown.first == "errors logged in output/local/logs/aws_lambda_orders-dev-OrderProcessor.log:")
        #expect(
            shown.count == 6 && shown.last?.contains("store failed 7") == true
                && !shown.contains { $0.contains("INFO") })
    }
}
