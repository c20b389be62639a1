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

@Suite struct SenderTests {
    static func mix(queries: Double = 0) throws -> RequestMix {
        try RequestMix(
            schema: Fixtures.orderSchema, base: nil,
            routes: LoadRoutes(post: "/orders", get: "/orders/{orderId}", key: "orderId"),
            shares: .init(invalid: 0, duplicate: 0, queriesPerOrder: queries), runTag: "ldsend", seed: 1)
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
        let target = SlowTarget(seconds: 0.01)
        let sender = Sender(
            transport: target, target: TargetAddress(url: "http://127.0.0.1:9")!, signing: nil,
            clock: SystemLoadClock())
        let stop = StopFlag()
        let recorder = Recorder()
        let origin = SystemLoadClock().now()
        // From a thread of its own, as the CLI's signal thread does (a task could wait behind other suites' work).
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            stop.stop()
        }
        await sender.run(
            schedule: ArrivalSchedule(end: 10, seed: 4) { _ in 20 }, mix: try Self.mix(), recorder: recorder,
            stop: stop, origin: origin, signs: { _ in false })
        let counts = recorder.snapshot
        // The schedule holds 10 s and about 200 requests; stopped after 0.3 s, it sends a few dozen at most (the
        // bound leaves room for a loaded machine's late timers; wall time is not asserted, as other suites may hold
        // the cooperative pool).
        #expect(counts.total(\.offered) > 0 && counts.total(\.offered) < 100)
        #expect(counts.total(\.accepted) == counts.total(\.offered))
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
