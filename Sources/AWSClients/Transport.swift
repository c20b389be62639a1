import AWSSigV4
import AsyncHTTPClient
import NIOCore
import Timestamps

/// One signed HTTP request to an AWS service.
public struct AWSHTTPRequest: Sendable {
    public var endpoint: Endpoint
    public var method: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The service's signing name (`dynamodb`, `sns`) and the operation, for logs and fault injection.
    public var service: String
    public var operation: String

    public init(
        endpoint: Endpoint, method: String = "POST", headers: [(String, String)], body: [UInt8], service: String,
        operation: String
    ) {
        self.endpoint = endpoint
        self.method = method
        self.headers = headers
        self.body = body
        self.service = service
        self.operation = operation
    }
}

/// What came back: status, headers (names lowercased) and body.
public struct AWSHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends requests; AsyncHTTPClient in the handlers, fakes and fault injectors in tests. A thrown error means the
/// exchange did not complete (connection, timeout) and is treated as transient.
public protocol AWSTransport: Sendable {
    func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse
}

/// The transport over AsyncHTTPClient's shared client (HTTPS with the system's trust roots, pooled connections).
public struct HTTPClientTransport: AWSTransport {
    public var client: HTTPClient
    /// Largest response body accepted (DynamoDB items are at most 400 KB).
    public var maximumBodyBytes = 4 << 20

    public init(client: HTTPClient = .shared) { self.client = client }

    /// Sends `request`; `timeoutMs` bounds the whole exchange, the body included: AsyncHTTPClient's own deadline
    /// ends when the response head arrives, so a body that stalls after it would otherwise wait forever.
    public func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
        let client = client
        let limit = maximumBodyBytes
        return try await withDeadline(milliseconds: max(1, timeoutMs)) {
            var outgoing = HTTPClientRequest(url: request.endpoint.url)
            outgoing.method = .RAW(value: request.method)
            for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
            let response = try await client.execute(outgoing, timeout: .milliseconds(max(1, timeoutMs)))
            var body = try await response.body.collect(upTo: limit)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return AWSHTTPResponse(
                status: Int(response.status.code), headers: headers,
                body: body.readBytes(length: body.readableBytes) ?? [])
        }
    }
}

/// The exchange did not finish in time (head or body).
public struct ExchangeTimedOut: Error, Sendable, CustomStringConvertible {
    public var milliseconds: Int64
    public var description: String { "no complete answer within \(milliseconds) ms" }
}

/// Runs `body`, cancelling it and throwing `ExchangeTimedOut` when it has not finished after `milliseconds`.
public func withDeadline<T: Sendable>(
    milliseconds: Int64, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw ExchangeTimedOut(milliseconds: milliseconds)
        }
        return value
    }
}

/// An error an AWS service answered with.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var service: String
    public var operation: String
    public var status: Int
    /// The error code without its namespace (`ConditionalCheckFailedException`, `Throttling`, ...).
    public var code: String
    public var message: String

    public init(service: String, operation: String, status: Int, code: String, message: String) {
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        // AWS echoes parts of the request in some messages (the canonical request of SignatureDoesNotMatch):
        // redacted here, so no caller can print a credential from it.
        self.message = Redaction.redact(Self.plain(message))
    }

    /// Whether the answer carried no AWS error code (a proxy's or a server's own page): `code` is `HTTP<status>`.
    public var isBareHTTP: Bool { code == "HTTP\(status)" }

    public var description: String {
        isBareHTTP
            ? "\(service) \(operation): HTTP \(status) without an AWS error\(message.isEmpty ? "" : ": \(message)")"
            : "\(service) \(operation): \(status) \(code): \(message)"
    }

    /// A message fit for one line: an HTML page (a proxy's, a load balancer's) said to be one, not printed.
    static func plain(_ message: String) -> String {
        let start = message.drop { $0.isWhitespace }.prefix(200).lowercased()
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") || start.contains("<body") {
            return "an HTML page, not an AWS answer (a proxy or another server at the endpoint?)"
        }
        return message
    }

    /// Codes the SDKs retry (throttling and service-side faults), plus every 5xx.
    static let retryableCodes: Set<String> = [
        "ThrottlingException", "Throttling", "Throttled", "ThrottledException", "RequestThrottled",
        "RequestThrottledException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "TooManyRequestsException", "TransactionInProgressException", "InternalServerError", "InternalFailure",
        "InternalError", "ServiceUnavailable", "KMSThrottlingException", "KMSThrottling",
    ]

    /// Whether retrying the same request may succeed.
    public var isTransient: Bool { status >= 500 || status == 429 || Self.retryableCodes.contains(code) }
}

/// The time by which every AWS call of the current task must have answered: a handler sets it to its
/// invocation's deadline less a margin, so that no call outlives the invocation (Lambda would cut it off and
/// return the whole batch) and the handler still answers.
public enum CallDeadline {
    /// Milliseconds since 1970; `nil`: no deadline but each attempt's own timeout.
    @TaskLocal public static var milliseconds: Int64?
}

/// Signs and sends requests for one service; the clock is injected so signing is testable.
public struct AWSCaller: Sendable {
    public var transport: any AWSTransport
    public var environment: AWSEnvironment
    public var endpoint: Endpoint
    public var service: String
    /// Milliseconds since 1970.
    public var now: @Sendable () -> Int64
    /// Longest single attempt.
    public var attemptTimeoutMs: Int64 = 5_000

    public init(
        transport: any AWSTransport, environment: AWSEnvironment, endpoint: Endpoint, service: String,
        now: @escaping @Sendable () -> Int64
    ) {
        self.transport = transport
        self.environment = environment
        self.endpoint = endpoint
        self.service = service
        self.now = now
    }

    /// Signs `headers` + `body` and sends them. Transport failures become `TransientFailure`; the response is
    /// returned whatever its status, for the protocol to decode.
    public func send(operation: String, headers: [(String, String)], body: [UInt8]) async throws -> AWSHTTPResponse {
        var all = [("Host", endpoint.hostHeader)] + headers
        let signable = SignableRequest(method: "POST", path: endpoint.path, headers: all, body: body)
        all += SigV4.sign(
            signable, credentials: environment.credentials, region: environment.region, service: service,
            amzDate: Self.amzDate(now()))
        let request = AWSHTTPRequest(
            endpoint: endpoint, headers: all, body: body, service: service, operation: operation)
        var timeout = attemptTimeoutMs
        if let deadline = CallDeadline.milliseconds {
            let left = deadline - now()
            guard left > 0 else {
                throw TransientFailure("\(service) \(operation): not sent, the invocation's time is up")
            }
            timeout = min(timeout, left)
        }
        do {
            return try await transport.send(request, timeoutMs: timeout)
        } catch {
            throw TransientFailure("\(service) \(operation): \(TransientFailure.plainWords(error))")
        }
    }

    /// `yyyyMMdd'T'HHmmss'Z'` for milliseconds since 1970.
    public static func amzDate(_ milliseconds: Int64) -> String {
        let text = RFC3339.format(milliseconds)  // 2026-11-28T04:05:06.789Z
        return String(text.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }
}

extension AWSServiceError {
    /// This error as the processor's retry loop sees it: transient ones are retried.
    func classified() -> any Error { isTransient ? TransientFailure(description) : self }
}

/// A failure worth retrying: throttling, a 5xx answer, a timeout or a dropped connection.
public struct TransientFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed, for the log.
    public var reason: String

    /// Creates a transient failure.
    public init(_ reason: String) { self.reason = Redaction.redact(reason) }

    /// What a transport error means, in words a reader knows, without the HTTP client's type names.
    public static func plainWords(_ error: any Error) -> String {
        if let failure = error as? TransientFailure { return failure.reason }
        let text = String(describing: error)
        let lower = text.lowercased()
        let known: [(String, String)] = [
            ("refused", "connection refused"), ("remoteconnectionclosed", "connection closed by the server"),
            ("reset", "connection reset by the server"), ("connecttimeout", "no connection within the timeout"),
            ("deadlineexceeded", "no answer within the timeout"), ("timeout", "no answer within the timeout"),
            ("timedout", "no answer within the timeout"), ("connect", "connection failed"),
        ]
        if let (_, words) = known.first(where: { lower.contains($0.0) }) { return words }
        // `SomeClientError.someCase` says nothing to a reader: keep the case, drop the type.
        if let dot = text.firstIndex(of: "."), text[..<dot].hasSuffix("Error"), !text[..<dot].contains(" ") {
            return String(text[text.index(after: dot)...])
        }
        return text
    }

    public var description: String { reason }
}
