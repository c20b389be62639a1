import Foundation
import Testing

@testable import LambdaRuntime

/// The bootstrap every handler executable shares, for any handler.
@Suite(.serialized) struct BootstrapTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String { "TABLE_NAME is not set" }
    }

    @Test func aHandlerThatCannotBeMadeIsReportedAsAnInitError() async throws {
        let api = try FakeRuntimeAPI(invocations: [])
        let lines = Lines()
        let status = await LambdaBootstrap.run(
            HTTPRuntimeTransport(connection: HTTPConnection(host: "127.0.0.1", port: api.port)),
            log: { lines.add($0) }
        ) { throw NotConfigured() }
        #expect(status == 1)
        #expect(api.requests.map(\.path) == ["/2018-06-01/runtime/init/error"])
        #expect(api.requests.first?.body.contains("TABLE_NAME is not set") == true)
        #expect(lines.all == ["configuration error: TABLE_NAME is not set"])
    }

    @Test func theHandlerAnswersUntilTheRuntimeAPIGoesAway() async throws {
        let api = try FakeRuntimeAPI(invocations: [RuntimeTests.invocation("req-1", body: "ping")])
        let lines = Lines()
        let status = await LambdaBootstrap.run(
            HTTPRuntimeTransport(connection: HTTPConnection(host: "127.0.0.1", port: api.port)),
            log: { lines.add($0) }
        ) { { invocation in Array("pong:".utf8) + invocation.event } }
        #expect(status == 1, "the fake API has no second invocation: the loop stops")
        #expect(api.requests.first?.path == "/2018-06-01/runtime/invocation/req-1/response")
        #expect(api.requests.first?.body == "pong:ping")
        #expect(lines.all.count == 1 && lines.all[0].hasPrefix("stopping: the Runtime API failed after 1 invocation"))
    }

    @Test func withoutARuntimeAPIItExitsTwo() async {
        let status = await LambdaBootstrap.run(environment: [:]) { { _ in [] } }
        #expect(status == 2)
    }
}
