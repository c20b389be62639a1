import AWSClients
import Foundation
import Testing

/// A server on 127.0.0.1 that answers every request with a response head and the first bytes of a body it
/// announces as longer, then holds the connection open without sending more: the slow dependency that once kept a
/// handler waiting past its deadline.
final class StallingServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var clients: [Int32] = []

    init() {
        let listener = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(listener, $0, length) }
        }
        Glibc.listen(listener, 8)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in serve() }.start()
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(client, &buffer, buffer.count)
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"Item\":"
            _ = head.withCString { write(client, $0, strlen($0)) }
            lock.withLock { clients.append(client) }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.withLock { clients.forEach { close($0) } }
    }
}

@Suite struct HTTPClientTransportTests {
    @Test(.timeLimit(.minutes(1))) func aBodyThatStallsAfterTheHeadEndsAtTheTimeout() async throws {
        let server = StallingServer()
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
