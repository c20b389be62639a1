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

extension ReportsStackTests {
    @Test func itValidatesCleanAndDrawsEveryNewConstruct() {
        let validate = Self.run(["validate", "--fail-on", "note"])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stdout.contains("0 errors, 0 warnings, 0 notes in 2 files"))
        let graph = Self.run(["graph"])
        #expect(graph.status == 0)
        for line in [
            #"ReportsApi(["ReportsApi (HTTP API)"])"#, #"ReportEventsEventBus{{"ReportEvents (event bus)"}}"#,
            #"ReportsApi -->|"POST /reports (report not validated at the edge)"| ReportRequestsQueue"#,
            #"ReportEventsEventBus -->|"rule ArchiveRule"| ArchiveQueue"#,
            #"NightlyScheduleRule -->|"invokes"| NightlyReportFunction"#,
            #"NightlyReportFunction -->|"reads"| PartnerTokenSecret"#,
            #"ReportQueryFunction -->|"reads objects"| ReportsBucket"#,
        ] {
            #expect(graph.stdout.contains(line), "\(line)\n\(graph.stdout)")
        }
    }

    /// Cost follows the traffic through the HTTP API, the queue, the builder, the bus and the archive queue; the
    /// secret is priced from its construct; the bucket is said not to be priced (billed by use).
    @Test func itIsPricedAlongItsPath() {
        let cost = Self.run(["cost", "--profile", "baseline", "--format", "json"])
        #expect(cost.status == 0, "\(cost.stderr)")
        for item in [
            #""item": "HTTP API requests""#, #""item": "custom events""#,
            #""item": "subscriber queues: EventBridge deliveries""#, #""item": "secrets""#,
            #""item": "requests (ArchiverFunction)""#,
        ] {
            #expect(cost.stdout.contains(item), "\(item)")
        }
        #expect(cost.stdout.contains("not priced (no price in this estimate): AWS::S3::Bucket × 1"))
        let simulate = Self.run(["simulate", "--profile", "launch"])
        #expect(simulate.status == 0, "\(simulate.stderr)")
        #expect(simulate.stdout.hasPrefix("stage dev, entry POST /reports, profile launch"))
        #expect(simulate.stdout.contains("rejected with 429"), "the dev stage admits 20 requests/s of the 150/s burst")
    }

    /// The committed prod template against its blueprint with the archive rule's pattern narrowed: delivery loss
    /// the gate refuses, through the same command users run.
    @Test func theGateJudgesTheNewConstructs() throws {
        let old = ReportsStack.project + "/output/reports-prod.yaml"
        let text = try String(contentsOfFile: old, encoding: .utf8)
        let edited = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: edited) }
        try Data(
            text.replacingOccurrences(of: "        - ReportRequested\n", with: "        - ReportBuilt\n").utf8
        ).write(to: edited)
        let diff = Self.run(["diff", old, edited.path, "--fail-on", "data-loss"])
        #expect(diff.status == 1, "\(diff.stdout)")
        #expect(diff.stdout.contains("ArchiveRule") && diff.stdout.contains("EventPattern changed"))
        let same = Self.run(["diff", old, old, "--fail-on", "data-loss"])
        #expect(same.status == 0, "\(same.stdout)")
    }
}
