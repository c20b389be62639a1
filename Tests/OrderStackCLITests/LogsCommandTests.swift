import Foundation
import Testing

/// `orderstack logs` over what `local` wrote: every log group of the stage merged by time, labelled.
@Suite struct LogsCommandTests {
    @Test func theLocalStagesLogsAreMergedByTimeAndLabelled() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let missing = try CommandRunner.orderstack(["logs", "--project", project.path, "--stage", "dev"])
        #expect(missing.status == 2 && missing.stderr.contains("run `orderstack local --stage dev` first"))
        let logs = try CommandRunner.localLogs(of: project)
        let now = Date().timeIntervalSince1970
        func time(_ secondsAgo: Double) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.string(from: Date(timeIntervalSince1970: now - secondsAgo))
        }
        let processor = [
            "START RequestId: r1",
            #"{"timestamp":"\#(time(30))","level":"INFO","message":"stored","orderId":"o-1"}"#,
            #"{"timestamp":"\#(time(10))","level":"INFO","message":"stored","orderId":"o-2"}"#,
            #"{"timestamp":"\#(time(7200))","level":"INFO","message":"too old","orderId":"o-0"}"#,
        ]
        try processor.joined(separator: "\n").write(
            to: logs.appendingPathComponent("aws_lambda_orders-dev-OrderProcessor.log"), atomically: true,
            encoding: .utf8)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: now - 20))
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        // API Gateway's $context.requestTime: dd/MMM/yyyy:HH:mm:ss +0000.
        let requestTime =
            "\(two(parts.day))/\(months[(parts.month ?? 1) - 1])/\(parts.year ?? 0):\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
        let access = #"{"requestTime":"\#(requestTime)","status":"202","orderId":"o-1"}"#
        try access.write(
            to: logs.appendingPathComponent("aws_apigateway_orders-dev-OrdersApi_access.log"), atomically: true,
            encoding: .utf8)
        let all = try CommandRunner.orderstack(["logs", "--project", project.path, "--stage", "dev", "--since", "1h"])
        #expect(all.status == 0 && !all.stdout.isEmpty, "\(all.stderr) \(all.stdout)")
        let sources = all.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)[1]
        }
        #expect(
            sources == [
                "OrderProcessorLogGroup", "OrderProcessorLogGroup", "OrdersApiAccessLogGroup", "OrderProcessorLogGroup",
            ], "\(all.stdout)")
        #expect(!all.stdout.contains("too old") && all.stdout.contains("START RequestId: r1"))
        let one = try CommandRunner.orderstack([
            "logs", "--project", project.path, "--stage", "dev", "--key", "o-1", "--format", "json",
        ])
        let lines = one.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        #expect(lines.count == 2 && lines.allSatisfy { $0["message"]?.contains("o-1") == true && $0["time"] != nil })
        let bad = try CommandRunner.orderstack(["logs", "--project", project.path, "--since", "yesterday"])
        #expect(bad.status == 2 && bad.stderr.contains("--since takes a number and a unit"))
    }
}

/// `logs --tail` against the local stage's files: new lines appear while it runs; SIGINT stops it.
@Suite struct LogsTailCommandTests {
    @Test func newLinesArePrintedUntilInterrupted() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let logs = try CommandRunner.localLogs(of: project)
        let file = logs.appendingPathComponent("aws_lambda_orders-dev-OrderProcessor.log")
        try "".write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("orderstack")
        process.arguments = ["logs", "--project", project.path, "--tail", "--key", "o-tail"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The tail starts at the file's end once the project is synthesized: write until a line comes back.
        let stamp = ISO8601DateFormatter().string(from: Date())
        var printed = Data()
        let reader = output.fileHandleForReading
        for attempt in 0..<40 where !String(decoding: printed, as: UTF8.self).contains("o-tail") {
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(
                contentsOf: Data(
                    (#"{"timestamp":"\#(stamp)","message":"stored","orderId":"o-tail","n":\#(attempt)}"# + "\n"
                        + #"{"timestamp":"\#(stamp)","message":"other","orderId":"o-else"}"# + "\n").utf8))
            try handle.close()
            usleep(500_000)
            if let chunk = try? reader.availableDataBlocking(within: 0.5) { printed.append(chunk) }
        }
        let text = String(decoding: printed, as: UTF8.self)
        #expect(text.contains(#""orderId":"o-tail""#) && text.contains("OrderProcessorLogGroup"), "\(text)")
        #expect(!text.contains("o-else"))
        kill(process.processIdentifier, SIGINT)
        var waited = 0
        while process.isRunning && waited < 100 {
            usleep(50_000)
            waited += 1
        }
        #expect(!process.isRunning, "logs --tail stops on SIGINT")
    }
}

extension FileHandle {
    /// What is available to read within `seconds` (empty when nothing came), without blocking past it.
    func availableDataBlocking(within seconds: Double) throws -> Data {
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(seconds * 1000)) > 0 else { return Data() }
        return availableData
    }
}
