import Foundation
import Testing

@testable import LoadRun

/// Virtual time: sleeping moves the clock.
final class VirtualClock: LoadClock, @unchecked Sendable {
    let lock = NSLock()
    var time = 0.0

    func now() -> Double { lock.withLock { time } }
    func sleep(until deadline: Double) async { lock.withLock { time = max(time, deadline) } }
}

/// A stack that stored and announced what the test says, and stores `late` keys only after a few looks.
final class FakeTarget: LoadTarget, @unchecked Sendable {
    let label = "fake"
    let lookup = "table T by id"
    let seesQueues = true
    var storedKeys: Set<String>
    var late: Set<String>
    var looks = 0
    var events: [(queue: String, counts: [String: Int])]
    /// Messages left in the intake queue.
    var left: Int?

    init(stored: Set<String>, late: Set<String> = [], events: [(queue: String, counts: [String: Int])]) {
        self.storedKeys = stored
        self.late = late
        self.events = events
    }

    func backlog() async -> Int? { nil }
    func unfinished() async -> Int? { left }
    func settle(seconds: Double) async {}
    func stored(_ keys: [String]) async throws -> Set<String> {
        looks += 1
        if looks == 3 { storedKeys.formUnion(late) }
        return storedKeys.intersection(keys)
    }
    func announcements(key: String) async throws -> [(queue: String, counts: [String: Int])] { events }
}

@Suite struct VerifierTests {
    static func counts(accepted: Set<String>, unanswered: Set<String> = []) -> LoadCounts {
        let recorder = Recorder()
        var counts = recorder.snapshot
        counts.acceptedKeys = accepted
        counts.unansweredKeys = unanswered
        return counts
    }

    @Test func lostUnannouncedAndTwiceAnnouncedOrdersAreNamed() async throws {
        let target = FakeTarget(
            stored: ["a", "b", "c", "x"], late: ["d"],
            events: [
                (queue: "Inventory", counts: ["a": 1, "b": 1, "c": 2, "d": 1, "zz": 1]),
                (queue: "Accounting", counts: ["a": 1, "c": 1, "d": 1]),
            ])
        let verification = try await Verifier.verify(
            Self.counts(accepted: ["a", "b", "c", "d", "e"], unanswered: ["x", "y"]), target: target, key: "id",
            quiet: 5, clock: VirtualClock())
        #expect(verification.accepted == 5)
        #expect(verification.lost == ["e"])
        #expect(verification.storedWithoutAnswer == 1)
        // x got no answer but was stored: it must be announced like any other.
        #expect(verification.unannounced["Inventory"] == ["x"])
        #expect(verification.unannounced["Accounting"]?.sorted() == ["b", "x"])
        #expect(verification.duplicated["Inventory"] == ["c": 2])
        #expect(verification.failed)
        // The late order was waited for; the missing one given up after the quiet time.
        #expect(verification.settleSeconds >= 5)
    }

    @Test func ordersStillQueuedArePendingNotLost() async throws {
        let target = FakeTarget(
            stored: ["a"], events: [(queue: "Q", counts: ["a": 1]), (queue: "R", counts: [:])])
        target.left = 40
        let verification = try await Verifier.verify(
            Self.counts(accepted: ["a", "b", "c"]), target: target, key: "id", quiet: 5, clock: VirtualClock())
        #expect(verification.lost.isEmpty)
        #expect(verification.pending == ["b", "c"])
        // Stored but not announced yet while messages remain: not yet, rather than never.
        #expect(verification.unannounced["R"] == [] && verification.unannouncedYet["R"] == ["a"])
        #expect(verification.failed)
        let findings = LoadReport.findings(verification)
        #expect(
            findings.first?.hasPrefix("NOT FINISHED: 2 accepted request(s) not stored yet while 40 message(s)") == true)
        // With the queue empty, the same orders are lost.
        target.left = 0
        let settled = try await Verifier.verify(
            Self.counts(accepted: ["a", "b", "c"]), target: target, key: "id", quiet: 5, clock: VirtualClock())
        #expect(settled.lost == ["b", "c"] && settled.pending.isEmpty)
        #expect(settled.unannounced["R"] == ["a"])
    }

    @Test func anEventNotPublishedYetFailsTheRunToo() async throws {
        // Every order stored, one event missing while the intake queue still holds messages: not finished, and the
        // exit status says so as the report does.
        let target = FakeTarget(stored: ["a", "b"], events: [(queue: "Q", counts: ["a": 1])])
        target.left = 3
        let verification = try await Verifier.verify(
            Self.counts(accepted: ["a", "b"]), target: target, key: "id", quiet: 5, clock: VirtualClock())
        #expect(verification.lost.isEmpty && verification.pending.isEmpty)
        #expect(verification.unannouncedYet["Q"] == ["b"])
        #expect(verification.failed)
    }

    @Test func everythingStoredAndAnnouncedOncePasses() async throws {
        let target = FakeTarget(stored: ["a", "b"], events: [(queue: "Q", counts: ["a": 1, "b": 1])])
        let verification = try await Verifier.verify(
            Self.counts(accepted: ["a", "b"]), target: target, key: "id", quiet: 5, clock: VirtualClock())
        #expect(!verification.failed)
        #expect(verification.lost.isEmpty)
        #expect(LoadReport.findings(verification).isEmpty)
    }

    @Test func eventKeysAreFoundInRawAndEnvelopedBodies() {
        #expect(EventKey.find("orderId", in: #"{"type":"OrderAccepted","orderId":"k1"}"#) == "k1")
        #expect(EventKey.find("orderId", in: #"{"detail":{"order":{"orderId":"k2"}}}"#) == "k2")
        #expect(
            EventKey.find("orderId", in: #"{"Type":"Notification","Message":"{\"orderId\":\"k3\"}"}"#) == "k3")
        #expect(EventKey.find("orderId", in: "not json") == nil)
    }
}
