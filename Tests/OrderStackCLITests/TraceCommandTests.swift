import Foundation
import Testing

/// `orderstack trace` over what `local` wrote: one order's journey, its exit status, and bad input.
@Suite struct TraceCommandTests {
    @Test func anOrdersJourneyIsReadFromTheLocalStagesLogs() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let logs = try CommandRunner.localLogs(of: project)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func stamp(_ ms: Int64) -> String { formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
        let processor = [
            #"{"timestamp":"\#(stamp(now - 900))","message":"order accepted and stored; the outbox announces it","messageId":"m-1","outcome":"stored","orderId":"o-1","apiRequestId":"r-1"}"#,
            #"{"timestamp":"\#(stamp(now - 800))","message":"event sent","outcome":"sent","orderId":"o-1","snsMessageId":"s-1","topicArn":"arn:aws:sns:us-east-1:1:t","attributes":{"type":"OrderAccepted"}}"#,
            #"{"timestamp":"\#(stamp(now - 700))","message":"order accepted and stored; the outbox announces it","messageId":"m-2","outcome":"stored","orderId":"o-2","apiRequestId":"r-2"}"#,
        ]
        try processor.joined(separator: "\n").write(
            to: logs.appendingPathComponent("aws_lambda_orders-dev-OrderProcessor.log"), atomically: true,
            encoding: .utf8)
        try [
            #"{"apiRequestId":"r-1","requestTimeEpoch":"\#(now - 1000)","httpMethod":"POST","resourcePath":"/orders","status":"202"}"#,
            #"{"apiRequestId":"r-2","requestTimeEpoch":"\#(now - 950)","httpMethod":"POST","resourcePath":"/orders","status":"202"}"#,
        ].joined(separator: "\n").write(
            to: logs.appendingPathComponent("aws_apigateway_orders-dev-OrdersApi_access.log"), atomically: true,
            encoding: .utf8)
        let delivered = try CommandRunner.orderstack(["trace", "o-1", "--project", project.path])
        #expect(delivered.status == 0, "\(delivered.stderr)")
        #expect(delivered.stdout.contains("(request r-1)") && !delivered.stdout.contains("r-2"), "\(delivered.stdout)")
        #expect(
            delivered.stdout.contains("now: announced: delivered to InventoryFulfillmentQueue, AccountingQueue"),
            "\(delivered.stdout)")
        let waiting = try CommandRunner.orderstack(["trace", "o-2", "--project", project.path, "--format", "json"])
        #expect(waiting.status == 1)
        let journey = try JSONSerialization.jsonObject(with: Data(waiting.stdout.utf8)) as? [String: Any]
        #expect((journey?["verdict"] as? String)?.hasPrefix("stored, not announced yet") == true, "\(waiting.stdout)")
        let old = try CommandRunner.orderstack(["trace", "o-1", "--project", project.path, "--since", "0s"])
        #expect(old.status == 1 && old.stdout.contains("now: no log line names it"))
        for since in ["99999999999999d", "36501d", "1.5h"] {
            let wrong = try CommandRunner.orderstack(["trace", "o-1", "--project", project.path, "--since", since])
            #expect(wrong.status == 2 && wrong.stderr.contains("--since takes a number and a unit"), "\(since)")
        }
        let both = try CommandRunner.orderstack(["trace", "o-1", "--stage", "dev", "--stack-name", "orders-dev"])
        #expect(both.status == 2 && both.stderr.contains("not both"))
        let none = try CommandRunner.orderstack(["trace", "o-1", "--project", project.path, "--stage", "prod"])
        #expect(none.status == 2 && none.stderr.contains("run `orderstack local --stage prod` first"))
    }
}
