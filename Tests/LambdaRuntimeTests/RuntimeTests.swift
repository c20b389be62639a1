import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// A Runtime API on 127.0.0.1 serving scripted `next` answers and recording what the runtime posts.
final class FakeRuntimeAPI: @unchecked Sendable {
    struct Recorded: Equatable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var invocations: [(headers: [(String, String)], body: String)]
    private var recorded: [Recorded] = []

    init(invocations: [(headers: [(String, String)], body: String)]) throws {
        self.invocations = invocations
        let (listener, port) = Loopback.listen()
        socket = listener
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var requests: [Recorded] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var request: Recorded?
        while request == nil {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return }
            data += buffer[0..<count]
            guard let end = HTTPConnection.find([13, 10, 13, 10], in: data) else { continue }
            let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            guard data.count - end - 4 >= length else { continue }
            let first = lines[0].split(separator: " ")
            request = Recorded(
                method: String(first[0]), path: String(first[1]), headers: headers,
                body: String(decoding: data[(end + 4)..<(end + 4 + length)], as: UTF8.self))
        }
        guard let request else { return }
        var response: String
        if request.path.hasSuffix("/invocation/next") {
            lock.lock()
            let next = invocations.isEmpty ? nil : invocations.removeFirst()
            lock.unlock()
            guard let next else {
                response = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
                _ = response.withCString { send(client, $0, strlen($0), 0) }
                return
            }
            response = "HTTP/1.1 200 OK\r\nContent-Length: \(next.body.utf8.count)\r\n"
            for (name, value) in next.headers { response += "\(name): \(value)\r\n" }
            response += "\r\n" + next.body
        } else {
            lock.lock()
            recorded.append(request)
            lock.unlock()
            response = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"
        }
        _ = response.withCString { send(client, $0, strlen($0), 0) }
    }
}

@Suite(.serialized) struct RuntimeTests {
    static func invocation(
        _ id: String, body: String, deadline: String = "1795000000000", trace: String? = "Root=1-abc"
    ) -> (headers: [(String, String)], body: String) {
        var headers = [
            ("Lambda-Runtime-Aws-Request-Id", id), ("Lambda-Runtime-Deadline-Ms", deadline),
            (
                "Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:orders-OrderProcessor"
            ),
        ]
        if let trace { headers.append(("Lambda-Runtime-Trace-Id", trace)) }
        return (headers, body)
    }

    @Test func answersEachInvocationAndReportsHandlerErrors() async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "the table said no" } }
        let api = try FakeRuntimeAPI(invocations: [
            Self.invocation("req-1", body: "ping"), Self.invocation("req-2", body: "explode"),
        ])
        let transport = HTTPRuntimeTransport(connection: HTTPConnection(host: "127.0.0.1", port: api.port))
        var seen: [Invocation] = []
        var traces: [String?] = []
        let handled = try await LambdaRuntimeLoop.run(transport, limit: 2) { invocation in
            seen.append(invocation)
            traces.append(ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"])
            if invocation.event == Array("explode".utf8) { throw Boom() }
            return Array("pong".utf8)
        }
        #expect(handled == 2)
        #expect(seen.map(\.requestId) == ["req-1", "req-2"])
        #expect(seen[0].deadlineMs == 1_795_000_000_000)
        #expect(seen[0].invokedFunctionArn.hasSuffix("function:orders-OrderProcessor"))
        #expect(traces == ["Root=1-abc", "Root=1-abc"])
        let requests = api.requests
        #expect(
            requests.map(\.path) == [
                "/2018-06-01/runtime/invocation/req-1/response", "/2018-06-01/runtime/invocation/req-2/error",
            ])
        #expect(requests[0].body == "pong")
        #expect(requests[1].headers["lambda-runtime-function-error-type"] == "Unhandled")
        #expect(requests[1].body == #"{"errorType":"Boom","errorMessage":"the table said no"}"#)
    }

    @Test func aFailedNextStopsTheLoopWithAnError() async throws {
        let api = try FakeRuntimeAPI(invocations: [Self.invocation("req-1", body: "ping")])
        let transport = HTTPRuntimeTransport(connection: HTTPConnection(host: "127.0.0.1", port: api.port))
        await #expect(throws: LambdaRuntimeLoop.Stopped.self) {
            try await LambdaRuntimeLoop.run(transport) { _ in Array("pong".utf8) }
        }
        do {
            try await LambdaRuntimeLoop.run(transport) { _ in [] }
        } catch {
            #expect(error.handled == 0)
            #expect(error.description == "the Runtime API failed after 0 invocation(s): next answered 500")
        }
        #expect(api.requests.map(\.path) == ["/2018-06-01/runtime/invocation/req-1/response"])
    }

    /// Many loops whose `next` blocks until an async task of the same process runs: if the blocking calls ran on
    /// the cooperative pool (as wide as the cores), the loops would hold every pool thread and the task could never
    /// run. A watchdog releases them after 10 s and the test fails instead of hanging.
    @Test func blockingRuntimeCallsLeaveTheCooperativePoolFree() async throws {
        let gate = Gate()
        let loops = 4 * ProcessInfo.processInfo.activeProcessorCount + 4
        let transport = BlockingTransport(gate: gate)
        let watchdog = DispatchWorkItem { gate.open(byWatchdog: true) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: watchdog)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<loops {
                group.addTask { try await LambdaRuntimeLoop.run(transport, limit: 1) { _ in [] } }
            }
            group.addTask {
                try await Task.sleep(nanoseconds: 50_000_000)
                gate.open(byWatchdog: false)
                return 0
            }
            var handled = 0
            for try await count in group { handled += count }
            #expect(handled == loops)
        }
        watchdog.cancel()
        #expect(!gate.openedByWatchdog, "an async task could not run while the runtime blocked in next()")
    }

    @Test func initErrorsAreReportedNotCrashLooped() throws {
        let api = try FakeRuntimeAPI(invocations: [])
        let transport = HTTPRuntimeTransport(connection: HTTPConnection(host: "127.0.0.1", port: api.port))
        LambdaRuntimeLoop.reportInitError(transport, type: "Configuration", message: "ORDERS_TABLE_NAME is not set")
        #expect(api.requests.map(\.path) == ["/2018-06-01/runtime/init/error"])
        #expect(api.requests.first?.headers["lambda-runtime-function-error-type"] == "Runtime.InitError")
        #expect(
            api.requests.first?.body == #"{"errorType":"Configuration","errorMessage":"ORDERS_TABLE_NAME is not set"}"#)
    }

    @Test func malformedNextEndsTheLoopWithoutAnswering() throws {
        let api = try FakeRuntimeAPI(invocations: [Self.invocation("req-1", body: "x", deadline: "soon")])
        let transport = HTTPRuntimeTransport(connection: HTTPConnection(host: "127.0.0.1", port: api.port))
        #expect(throws: HTTPError.self) { try transport.next() }
        #expect(api.requests.isEmpty)
    }

    @Test func endpointParsing() {
        #expect(HTTPConnection(endpoint: "127.0.0.1:9001")?.port == 9001)
        #expect(HTTPConnection(endpoint: "localhost")?.port == nil)
    }
}

/// Opens once; blocked callers wait on it.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false
    private(set) var openedByWatchdog = false

    func open(byWatchdog: Bool) {
        condition.lock()
        if !isOpen {
            isOpen = true
            openedByWatchdog = byWatchdog
        }
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }
}

/// A transport whose `next` blocks in the calling thread until the gate opens, like a socket read.
struct BlockingTransport: RuntimeTransport {
    let gate: Gate

    func next() throws -> Invocation {
        gate.wait()
        return Invocation(requestId: "r", deadlineMs: 0, invokedFunctionArn: "", traceId: nil, event: [])
    }
    func respond(_ requestId: String, _ body: [UInt8]) throws {}
    func fail(_ requestId: String, type: String, message: String) throws {}
    func initFailed(type: String, message: String) throws {}
}
