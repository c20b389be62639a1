import AWSClients
import AWSSigV4
import Foundation

/// Monotonic time and sleeping, injected so the sender is testable without waiting.
public protocol LoadClock: Sendable {
    /// Seconds since an arbitrary origin.
    func now() -> Double
    /// Returns at `deadline` (seconds on the same origin) or soon after.
    func sleep(until deadline: Double) async
}

/// The process's monotonic clock.
public struct SystemLoadClock: LoadClock {
    public init() {}

    public func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    public func sleep(until deadline: Double) async {
        let wait = deadline - now()
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
    }
}

/// Set once to stop sending (Ctrl-C): requests already sent are still answered and verified.
public final class StopFlag: @unchecked Sendable {
    let lock = NSLock()
    var stopped = false

    public init() {}

    public func stop() { lock.withLock { stopped = true } }
    public var isStopped: Bool { lock.withLock { stopped } }
}

/// Where requests go: `http://127.0.0.1:3000/dev` or `https://id.execute-api.region.amazonaws.com/prod`.
public struct TargetAddress: Sendable, Equatable {
    public var endpoint: Endpoint
    /// The stage's path prefix (`/dev`), or empty.
    public var basePath: String

    /// Parses an http(s) URL whose path is the stage prefix.
    public init?(url: String) {
        guard var endpoint = Endpoint(url: url) else { return nil }
        basePath = endpoint.path == "/" ? "" : String(endpoint.path.reversed().drop { $0 == "/" }.reversed())
        endpoint.path = "/"
        self.endpoint = endpoint
    }

    /// Whether the host is on this machine (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        let host = endpoint.host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// Sends each arrival when it is due, whatever the answers to earlier ones (an open model); signs requests to
/// `AWS_IAM` routes; a request waits for a free connection when all are busy, and its latency counts from when it
/// was due, so a slow target shows queueing instead of a lower rate.
public struct Sender: Sendable {
    public var transport: any AWSTransport
    public var target: TargetAddress
    /// Credentials and region for SigV4 (`execute-api`); `nil`: unsigned.
    public var signing: (credentials: Credentials, region: String)?
    public var clock: any LoadClock
    public var timeoutMs: Int64 = 30_000
    /// Wall-clock milliseconds for the signature's date.
    public var wallClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    public init(
        transport: any AWSTransport, target: TargetAddress, signing: (credentials: Credentials, region: String)?,
        clock: any LoadClock
    ) {
        self.transport = transport
        self.target = target
        self.signing = signing
        self.clock = clock
    }

    /// Sends `schedule`'s arrivals as `mix` makes them until it ends or `stop` is set; returns when every request
    /// sent has its answer (or timed out). `origin` is the clock reading the schedule counts from.
    public func run(
        schedule: ArrivalSchedule, mix: RequestMix, recorder: Recorder, stop: StopFlag, origin: Double,
        signs: @escaping @Sendable (PlannedRequest) -> Bool
    ) async {
        var schedule = schedule
        var mix = mix
        await withDiscardingTaskGroup { group in
            while !stop.isStopped, let due = schedule.next() {
                await clock.sleep(until: origin + due)
                if stop.isStopped { break }
                let request = mix.next(at: due)
                recorder.offered(request)
                group.addTask { await send(request, signed: signs(request), recorder: recorder, origin: origin) }
            }
        }
    }

    func send(_ request: PlannedRequest, signed: Bool, recorder: Recorder, origin: Double) async {
        let (status, failure) = await exchange(request, signed: signed)
        recorder.answered(request, status: status, latency: clock.now() - origin - request.scheduled, error: failure)
    }

    /// The status `request` is answered with; 0 when there is no answer.
    public func status(_ request: PlannedRequest, signed: Bool) async -> Int {
        await exchange(request, signed: signed).status
    }

    /// Signs (when asked) and sends `request`: the status, or 0 and why there was none.
    func exchange(_ request: PlannedRequest, signed: Bool) async -> (status: Int, failure: String?) {
        let path = target.basePath + request.path
        var headers = [("Host", target.endpoint.hostHeader)]
        if request.method == "POST" { headers.append(("Content-Type", "application/json")) }
        if signed, let signing {
            headers += SigV4.sign(
                SignableRequest(method: request.method, path: path, headers: headers, body: request.body),
                credentials: signing.credentials, region: signing.region, service: "execute-api",
                amzDate: AWSCaller.amzDate(wallClock()))
        }
        var endpoint = target.endpoint
        endpoint.path = path
        let outgoing = AWSHTTPRequest(
            endpoint: endpoint, method: request.method, headers: headers, body: request.body, service: "execute-api",
            operation: request.kind.rawValue)
        do {
            return (try await transport.send(outgoing, timeoutMs: timeoutMs).status, nil)
        } catch {
            return (0, Self.describe(error))
        }
    }

    /// A transport error in a few words, without type names.
    public static func describe(_ error: Error) -> String {
        let text = String(describing: error).lowercased()
        if text.contains("connecttimeout") {
            return "no connection within 10 s (every connection busy, or none accepted)"
        }
        if text.contains("deadlineexceeded") || text.contains("timeout") { return "no answer within the timeout" }
        if text.contains("refused") { return "connection refused" }
        if text.contains("remoteconnectionclosed") { return "connection closed by the server" }
        if text.contains("connect") { return "connection failed" }
        return "no answer"
    }
}
