import Foundation
import TestSupport
import Testing

/// The handler executables as Lambda runs them: a bootstrap process talking to a Runtime API.
@Suite struct HandlerMainTests {
    /// The built `order-processor` and `order-query` (beside the test bundle).
    static func executable(_ name: String) -> URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let candidate = url.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/\(name)")
    }

    @Test(arguments: ["order-processor", "order-query"])
    func exitsNonZeroAndSaysWhyWhenTheRuntimeAPIGoesAway(name: String) throws {
        let process = Process()
        process.executableURL = Self.executable(name)
        process.environment = [
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(Loopback.closedPort())", "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "ORDERS_TABLE_NAME": "orders",
            "ORDER_EVENTS_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:events",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(log.contains("\"level\":\"FATAL\""), "\(log)")
        #expect(log.contains("stopping: the Runtime API failed after 0 invocation(s): "), "\(log)")
    }
}
