import Foundation
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

    /// A loopback port that nothing listens on: bound, read and closed again.
    static func closedPort() -> UInt16 {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        close(listener)
        return UInt16(bigEndian: address.sin_port)
    }

    @Test(arguments: ["order-processor", "order-query"])
    func exitsNonZeroAndSaysWhyWhenTheRuntimeAPIGoesAway(name: String) throws {
        let process = Process()
        process.executableURL = Self.executable(name)
        process.environment = [
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(Self.closedPort())", "AWS_REGION": "us-east-1",
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
