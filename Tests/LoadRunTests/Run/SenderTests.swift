import AWSClients
import AWSSigV4
import Foundation
import Testing

@testable import LoadRun

/// A target with one connection that takes `seconds` per answer, recording what it was sent.
actor SlowTarget: AWSTransport {
    let seconds: Double
    var requests: [AWSHTTPRequest] = []
    /// When the one connection is free again.
    var busyUntil = 0.0
    init(seconds: Double) { self.seconds = seconds }

    func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
        requests.append(request)
        // One request at a time, first come first served: each answer comes `seconds` after the previous one.
        let clock = SystemLoadClock()
        busyUntil = max(clock.now(), busyUntil) + seconds
        await clock.sleep(until: busyUntil)
        return AWSHTTPResponse(status: request.method == "GET" ? 404 : 202, body: [])
    }
}

/// A virtual clock: sleeping moves time to the deadline at once, and the stop is raised when time passes
/// `stopAt`, as Ctrl-C would be at that moment of the run (no wall-clock timer to be late on a loaded machine).
final class StoppingClock: LoadClock, @unchecked Sendable {
    let lock = NSLock()
    var time = 0.0
    let stopAt: Double
    let flag: StopFlag

    init(stopAt: Double, flag: StopFlag) {
        self.stopAt = stopAt
        self.flag = flag
    }

    func now() -> Double { lock.withLock { time } }

    func sleep(until deadline: Double) async {
        lock.withLock { time = max(time, deadline) }
        if deadline >= stopAt { flag.stop() }
        await Task.yield()
    }
}

@Suite struct SenderTests {
    static func mix(queries: Double = 0) throws -> RequestMix {
        try RequestMix(
            schema: Fixtures.orderSchema, base: nil,
            routes: LoadRoutes(post: "/orders", get: "/orders/{orderId}", key: "orderId"),
            shares: .init(invalid: 0, duplicate: 0, queriesPerArrival: queries), runTag: "ldsend", seed: 1)
    }

    @Test func arrivalsAreSentWhenDueWhateverTheAnswersAndLatencyCountsFromTheDueTime() async throws {
        // 40 requests/s for 1 s into a target that answers one every 100 ms: a closed loop would send 10; the
        // open model sends all, and the last answers come seconds after they were due.
        let target = SlowTarget(seconds: 0.1)
        let sender = Sender(
            transport: target, target: TargetAddress(url: "http://127.0.0.1:9/dev")!, signing: nil,
            clock: SystemLoadClock())
        let schedule = ArrivalSchedule(end: 1, seed: 11) { _ in 40 }
        let expected = Array(schedule).count
        let recorder = Recorder()
        let clock = SystemLoadClock()
        await sender.run(
            schedule: schedule, mix: try Self.mix(), recorder: recorder, stop: StopFlag(), origin: clock.now(),
            signs: { _ in false })
        let counts = recorder.snapshot
        #expect(counts.total(\.offered) == expected)
        #expect(counts.total(\.accepted) == expected)
        #expect(await target.requests.count == expected)
        #expect(counts.latency.max > Double(expected) * 0.1 - 1.2)
        #expect(counts.acceptedKeys.count == expected)
        #expect(await target.requests.allSatisfy { $0.endpoint.path == "/dev/orders" })
    }

    @Test func signedRoutesCarryASignatureForExecuteAPIAndOthersDoNot() async throws {
        let target = SlowTarget(seconds: 0)
        var sender = Sender(
            transport: target, target: TargetAddress(url: "http://127.0.0.1:9/prod")!,
            signing: (Credentials(accessKeyId: "AKID", secretAccessKey: "secret"), "eu-west-1"),
            clock: SystemLoadClock())
        sender.wallClock = { 1_796_000_000_000 }
        let schedule = ArrivalSchedule(end: 2, seed: 2) { _ in 50 }
        let clock = SystemLoadClock()
        await sender.run(
            schedule: schedule, mix: try Self.mix(queries: 1), recorder: Recorder(), stop: StopFlag(),
            origin: clock.now(), signs: { $0.method == "POST" })
        let sent = await target.requests
        let posts = sent.filter { $0.method == "POST" }
        let gets = sent.filter { $0.method == "GET" }
        #expect(!posts.isEmpty && !gets.isEmpty)
        for post in posts {
            let authorization = post.headers.first { $0.0 == "Authorization" }?.1 ?? ""
            #expect(authorization.contains("Credential=AKID/20261130/eu-west-1/execute-api/aws4_request"))
        }
        #expect(gets.allSatisfy { request in !request.headers.contains { $0.0 == "Authorization" } })
    }

    @Test func stoppingEndsSendingButAnswersWhatWasSent() async throws {
        // The stop comes 0.3 s into the run on a virtual clock: a point of the run, whatever the machine's load
        // (a timer on another thread was late by seconds on a busy 2-core runner).
        let stop = StopFlag()
        let clock = StoppingClock(stopAt: 0.3, flag: stop)
        let target = SlowTarget(seconds: 0.001)
        let sender = Sender(
            transport: target, target: TargetAddress(url: "http://127.0.0.1:9")!, signing: nil, clock: clock)
        let recorder = Recorder()
        let schedule = ArrivalSchedule(end: 10, seed: 4) { _ in 20 }
        let before = Array(schedule).filter { $0 < 0.3 }.count
        await sender.run(
            schedule: schedule, mix: try Self.mix(), recorder: recorder, stop: stop, origin: 0,
            signs: { _ in false })
        let counts = recorder.snapshot
        // The schedule holds about 200 requests over 10 s: exactly those due before the stop are sent, and each is
        // answered and counted.
        #expect(before > 0 && counts.total(\.offered) == before, "\(counts.total(\.offered)) offered, \(before) due")
        #expect(counts.total(\.accepted) == counts.total(\.offered))
        #expect(await target.requests.count == counts.total(\.offered))
    }

    /// An error described as AsyncHTTPClient's are.
    struct ClientError: Error, CustomStringConvertible {
        var description: String
    }

    @Test(arguments: [
        ("HTTPClientError.connectTimeout", "no connection within 10 s"),
        ("dynamodb BatchGetItem: HTTPClientError.deadlineExceeded", "no answer within the timeout"),
        ("connect(descriptor:addr:size:): Connection refused (errno: 111)", "connection refused"),
        ("HTTPClientError.remoteConnectionClosed", "connection closed by the server"),
    ])
    func transportErrorsAreSaidWithoutTypeNames(raw: String, said: String) {
        let text = Sender.describe(ClientError(description: raw))
        #expect(text.hasPrefix(said))
        #expect(!text.contains("HTTPClientError") && !text.contains("errno"))
    }

    @Test func targetAddresses() {
        #expect(TargetAddress(url: "http://127.0.0.1:3000/dev")?.basePath == "/dev")
        #expect(TargetAddress(url: "http://127.0.0.1:3000/dev/")?.basePath == "/dev")
        #expect(TargetAddress(url: "http://localhost:3000")?.basePath == "")
        #expect(TargetAddress(url: "http://127.0.0.2:3000")?.isLoopback == true)
        #expect(TargetAddress(url: "https://abc.execute-api.eu-west-1.amazonaws.com/prod")?.isLoopback == false)
        #expect(TargetAddress(url: "ftp://x") == nil)
    }
}
