import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Loopback TCP sockets for tests, bound by the kernel to a free port.
public enum Loopback {
    /// A socket listening on 127.0.0.1 at a port the kernel chose, and that port; the caller closes it.
    public static func listen(backlog: Int32 = 16) -> (descriptor: Int32, port: UInt16) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && Glibc.listen(listener, backlog) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        return (listener, UInt16(bigEndian: address.sin_port))
    }

    /// A loopback port that nothing listens on: bound, read and closed again.
    public static func closedPort() -> UInt16 {
        let (descriptor, port) = listen(backlog: 1)
        close(descriptor)
        return port
    }
}

/// A server on 127.0.0.1 that answers every connection's first request with the same bytes: a whole response
/// (then it closes the connection), or a response head and part of a body it holds open (a stalled dependency).
public final class LoopbackServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: UInt16
    private let listener: Int32
    private let answer: [UInt8]
    private let holdOpen: Bool
    private let lock = NSLock()
    private var clients: [Int32] = []
    private var stopped = false

    /// Answers with `answer` as written; `holdOpen` keeps each connection open afterwards instead of closing it.
    public init(answer: String, holdOpen: Bool = false) {
        self.answer = Array(answer.utf8)
        self.holdOpen = holdOpen
        let (listener, port) = Loopback.listen()
        self.listener = listener
        self.port = port
        Thread { [self] in serve() }.start()
    }

    /// A complete HTTP/1.1 response with `status` and `body`.
    public convenience init(status: Int, body: String, contentType: String = "text/html") {
        self.init(
            answer:
                "HTTP/1.1 \(status) Status\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n\(body)")
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            _ = read(client, &buffer, buffer.count)
            _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if holdOpen { lock.withLock { clients.append(client) } } else { close(client) }
        }
    }

    /// Stops listening and closes the connections it holds; once (a second close of a descriptor number could
    /// close another test's socket that reuses it).
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.withLock { clients.forEach { close($0) } }
    }

    deinit { stop() }
}
