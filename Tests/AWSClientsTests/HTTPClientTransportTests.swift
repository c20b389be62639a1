import AWSClients
import Foundation
import TestSupport
import Testing

/// A server that answers every request with a response head and the first bytes of a body it announces as longer,
/// then holds the connection open without sending more: the slow dependency that once kept a handler waiting past
/// its deadline.
func stallingServer() -> LoopbackServer {
    LoopbackServer(
        answer: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"Item\":",
        holdOpen: true)
}

@Suite struct HTTPClientTransportTests {
    @Test(.timeLimit(.minutes(1))) func aBodyThatStallsAfterTheHeadEndsAtTheTimeout() async throws {
        let server = stallingServer()
        defer { server.stop() }
        let request = AWSHTTPRequest(
            endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: Int(server.port)), headers: [], body: [],
            service: "dynamodb", operation: "GetItem")
        await #expect(throws: ExchangeTimedOut.self) {
            _ = try await HTTPClientTransport().send(request, timeoutMs: 300)
        }
    }

    @Test func aDeadlineReturnsWhatFinishesInTime() async throws {
        #expect(try await withDeadline(milliseconds: 60_000) { 42 } == 42)
    }
}
