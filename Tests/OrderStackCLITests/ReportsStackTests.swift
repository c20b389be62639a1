import Foundation
import Testing

@testable import OrderStackCLI

/// The third example (`ReportsStack`) through every command that reads a project: synth, validate, graph, cost,
/// simulate, diff and local's refusal (an HTTP API is not served locally); CI deploys its committed template into
/// moto_server (`Tests/Integration/moto_deploy_stack.py`).
@Suite struct ReportsStackTests {
    static func run(_ arguments: [String]) -> CommandOutput {
        OrderStack.run(arguments + ["--project", ReportsStack.project], stacks: [ReportsStack.stack])
    }

    /// `output/` is committed; `ORDERSTACK_WRITE_FIXTURES=1 swift test --filter ReportsStackTests` rewrites it.
    @Test func theCommittedTemplatesAreUpToDate() {
        let write = ProcessInfo.processInfo.environment["ORDERSTACK_WRITE_FIXTURES"] == "1"
        let synth = Self.run(write ? ["synth"] : ["synth", "--check"])
        #expect(synth.status == 0, "\(synth.stdout)\(synth.stderr)")
    }
}
