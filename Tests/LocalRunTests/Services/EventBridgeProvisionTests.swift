import CloudFormation
import Foundation
import JSONDocument
import TemplateYAML
import TestSupport
import Testing

@testable import LocalRun

/// `local` provisions a template's event buses and rules in moto_server: an event put on the bus reaches the queue
/// of the rule whose pattern matches it, and no other; a schedule is listed as not run. Runs moto_server for real.
@Suite(.serialized) struct EventBridgeProvisionTests {
    static let template = Requirement.root.appendingPathComponent(
        "Tests/OrderStackCLITests/Fixtures/reports/output/reports-dev.yaml")

    @Test(Requirement.tools("moto_server"))
    func anEventReachesTheQueueItsRuleMatches() async throws {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-eb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let processes = ProcessRegistry()
        let moto = try MotoServer.start(
            logPath: logs.appendingPathComponent("moto.log").path, processes: processes,
            path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        // Killed, not awaited: Process.waitUntilExit spins a run loop that an async test's thread does not serve.
        defer { processes.killAll() }
        let text = try String(contentsOf: Self.template, encoding: .utf8)
        let template = try #require(TemplateReader.read(text, path: Self.template.path).template)
        let configuration = LocalConfiguration(
            stackName: "reports-dev", region: "us-east-1", endpoint: moto.endpoint, port: 0, executables: [:],
            logsDirectory: logs.path)
        let callers = Callers(configuration: configuration)
        let events = EventsAdmin(caller: try callers.caller("events"))
        let sqs = SQSClient(caller: try callers.caller("sqs"))
        let provisioner = Provisioner(
            sqs: sqs, sns: SNSAdmin(caller: try callers.caller("sns")),
            dynamodb: DynamoDBAdmin(caller: try callers.caller("dynamodb")), events: events)
        var parameters: [String: String] = ["ArtifactBucket": "artifacts", "AlarmEmail": "ops@example.com"]
        for parameter in template.parameters where parameters[parameter.name] == nil {
            parameters[parameter.name] = parameter.defaultValue?.stringValue ?? "local"
        }
        let (names, report) = try await provisioner.provision(
            template, names: LocalNames(stackName: "reports-dev", region: "us-east-1", parameters: parameters))
        #expect(report.created.contains("ReportEventsEventBus: event bus reports-dev-ReportEvents"))
        #expect(
            report.created.contains {
                $0.hasPrefix("ArchiveRule: rule reports-dev-ArchiveRule on reports-dev-ReportEvents, 1 queue target")
            })
        #expect(
            report.notEmulated.contains {
                $0.hasPrefix("NightlyScheduleRule (AWS::Events::Rule): schedules are not run locally")
            })
        let bus = try #require(names.resources["ReportEventsEventBus"]?.ref)
        let queue = try #require(names.resources["ArchiveQueue"]?.attributes["QueueUrl"])
        _ = try await events.putEvent(
            bus: bus, source: "reports", detailType: "ReportRequested", detail: #"{"reportId":"r-matching"}"#)
        _ = try await events.putEvent(
            bus: bus, source: "reports", detailType: "ReportBuilt", detail: #"{"reportId":"r-other"}"#)
        let received = try await sqs.receive(queue, max: 10, waitSeconds: 2)
        #expect(received.count == 1)
        #expect(received.first?.body.contains("r-matching") == true)
        #expect(received.first?.body.contains(#""detail-type": "ReportRequested""#) == true)
    }
}
