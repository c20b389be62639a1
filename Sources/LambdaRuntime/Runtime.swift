import Dispatch
import JSONText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Paths and headers of the Lambda Runtime API, in one place.
public enum RuntimeAPI {
    public static let next = "/2018-06-01/runtime/invocation/next"
    public static let initError = "/2018-06-01/runtime/init/error"
    public static func response(_ requestId: String) -> String {
        "/2018-06-01/runtime/invocation/\(requestId)/response"
    }
    public static func error(_ requestId: String) -> String { "/2018-06-01/runtime/invocation/\(requestId)/error" }
    public static let requestIdHeader = "lambda-runtime-aws-request-id"
    public static let deadlineHeader = "lambda-runtime-deadline-ms"
    public static let functionArnHeader = "lambda-runtime-invoked-function-arn"
    public static let traceIdHeader = "lambda-runtime-trace-id"
    public static let errorTypeHeader = "Lambda-Runtime-Function-Error-Type"
}

/// One invocation: its event and context.
public struct Invocation: Sendable, Equatable {
    public var requestId: String
    /// Milliseconds since 1970 by which the handler must answer.
    public var deadlineMs: Int64
    public var invokedFunctionArn: String
    public var traceId: String?
    public var event: [UInt8]

    public init(requestId: String, deadlineMs: Int64, invokedFunctionArn: String, traceId: String?, event: [UInt8]) {
        self.requestId = requestId
        self.deadlineMs = deadlineMs
        self.invokedFunctionArn = invokedFunctionArn
        self.traceId = traceId
        self.event = event
    }
}

/// What the runtime asks of the Runtime API; the HTTP transport implements it, tests fake it.
public protocol RuntimeTransport: Sendable {
    func next() throws -> Invocation
    func respond(_ requestId: String, _ body: [UInt8]) throws
    func fail(_ requestId: String, type: String, message: String) throws
    func initFailed(type: String, message: String) throws
}

/// The Runtime API over HTTP at `AWS_LAMBDA_RUNTIME_API`.
public struct HTTPRuntimeTransport: RuntimeTransport {
    public var connection: HTTPConnection

    public init(connection: HTTPConnection) { self.connection = connection }

    public func next() throws -> Invocation {
        let response = try connection.send(method: "GET", path: RuntimeAPI.next)
        guard response.status == 200 else { throw HTTPError("next answered \(response.status)") }
        guard let requestId = response.headers[RuntimeAPI.requestIdHeader], !requestId.isEmpty else {
            throw HTTPError("next answered without \(RuntimeAPI.requestIdHeader)")
        }
        guard let deadline = response.headers[RuntimeAPI.deadlineHeader].flatMap(Int64.init) else {
            throw HTTPError("next answered without a numeric \(RuntimeAPI.deadlineHeader)")
        }
        return Invocation(
            requestId: requestId, deadlineMs: deadline,
            invokedFunctionArn: response.headers[RuntimeAPI.functionArnHeader] ?? "",
            traceId: response.headers[RuntimeAPI.traceIdHeader], event: response.body)
    }

    public func respond(_ requestId: String, _ body: [UInt8]) throws {
        try expectAccepted(connection.send(method: "POST", path: RuntimeAPI.response(requestId), body: body))
    }

    public func fail(_ requestId: String, type: String, message: String) throws {
        try expectAccepted(
            connection.send(
                method: "POST", path: RuntimeAPI.error(requestId), headers: [(RuntimeAPI.errorTypeHeader, "Unhandled")],
                body: Array(ErrorBody.json(type: type, message: message).utf8)))
    }

    public func initFailed(type: String, message: String) throws {
        try expectAccepted(
            connection.send(
                method: "POST", path: RuntimeAPI.initError,
                headers: [(RuntimeAPI.errorTypeHeader, "Runtime.InitError")],
                body: Array(ErrorBody.json(type: type, message: message).utf8)))
    }

    private func expectAccepted(_ response: HTTPResponse) throws {
        guard response.status == 202 else { throw HTTPError("the Runtime API answered \(response.status)") }
    }
}

/// `{"errorType": ..., "errorMessage": ...}`.
enum ErrorBody {
    static func json(type: String, message: String) -> String {
        "{\"errorType\":\(quote(type)),\"errorMessage\":\(quote(message))}"
    }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}

/// The runtime loop: `next`, handle, answer or report; init errors go to `/runtime/init/error` instead of a crash
/// loop. The transport's blocking calls run on a thread of their own, never on Swift's cooperative pool, so a slow
/// Runtime API cannot starve the handler's tasks.
public enum LambdaRuntimeLoop {
    /// A handler: event bytes and invocation in, response bytes out; a thrown error is reported for that request.
    public typealias Handler = (Invocation) async throws -> [UInt8]

    /// Why the loop stopped before its limit: the Runtime API could not be asked for the next invocation.
    public struct Stopped: Error, CustomStringConvertible {
        /// Invocations handled before.
        public var handled: Int
        /// What the transport said.
        public var reason: String
        public var description: String { "the Runtime API failed after \(handled) invocation(s): \(reason)" }
    }

    /// Reports an init failure (missing configuration) and returns: the process should then exit.
    public static func reportInitError(_ transport: any RuntimeTransport, type: String, message: String) {
        try? transport.initFailed(type: type, message: message)
    }

    /// Serves invocations until `limit` have been handled (`nil`: forever).
    /// - Returns: how many invocations were handled (the limit).
    /// - Throws: `Stopped` when `next` fails: on Lambda the process must then exit non-zero, so that the failure is
    ///   visible and the environment replaced.
    @discardableResult
    public static func run(_ transport: any RuntimeTransport, limit: Int? = nil, handler: Handler) async throws(Stopped)
        -> Int
    {
        var handled = 0
        while limit.map({ handled < $0 }) ?? true {
            let invocation: Invocation
            do {
                invocation = try await BlockingCalls.run { try transport.next() }
            } catch {
                throw Stopped(handled: handled, reason: String(describing: error))
            }
            if let trace = invocation.traceId {
                setenv("_X_AMZN_TRACE_ID", trace, 1)
            } else {
                unsetenv("_X_AMZN_TRACE_ID")
            }
            do {
                let response = try await handler(invocation)
                try await BlockingCalls.run { try transport.respond(invocation.requestId, response) }
            } catch {
                let type = String(describing: Swift.type(of: error))
                let message = String(describing: error)
                try? await BlockingCalls.run { try transport.fail(invocation.requestId, type: type, message: message) }
            }
            handled += 1
        }
        return handled
    }
}

/// Runs blocking calls (socket reads and writes) on a serial dispatch queue of their own and awaits them, so that
/// no thread of the cooperative pool waits in `recv`.
enum BlockingCalls {
    private static let queue = DispatchQueue(label: "orderstack.runtime-api")

    static func run<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try call() }) }
        }
    }
}
