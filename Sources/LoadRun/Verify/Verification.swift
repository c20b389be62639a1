/// What a target lets the run look at after sending.
public protocol LoadTarget: Sendable {
    /// What the target is, for the report (`orderstack local, stage dev`).
    var label: String { get }
    /// Where orders are looked for (`table orders-dev-OrdersTable by orderId`, `GET /orders/{orderId}`).
    var lookup: String { get }
    /// Whether the target's subscriber queues can be seen (so that none means the stack has none).
    var seesQueues: Bool { get }
    /// Messages waiting in the intake queue (visible, not yet received: what the simulator calls the backlog);
    /// `nil` where the queue cannot be seen.
    func backlog() async -> Int?
    /// Messages still in the intake queue, waiting or being processed; `nil` where the queue cannot be seen.
    func unfinished() async -> Int?
    /// Waits up to `seconds` until the stack has finished with what it was sent (queue empty, nothing running).
    func settle(seconds: Double) async
    /// Of `keys`, those stored.
    func stored(_ keys: [String]) async throws -> Set<String>
    /// Per subscriber queue, how many events name each key (the queues are drained); empty where they cannot be
    /// seen.
    func announcements(key: String) async throws -> [(queue: String, counts: [String: Int])]
    /// Starts counting events while the run goes on, so that the queues stay short (moto_server's ReceiveMessage
    /// costs time in proportion to the queue's length).
    func startCollecting(key: String)
}

extension LoadTarget {
    /// Nothing to collect.
    public func startCollecting(key: String) {}
    /// Not visible.
    public func unfinished() async -> Int? { nil }
}

/// Every accepted order looked for: stored, then announced once on each subscriber queue.
public struct Verification: Sendable, Equatable {
    /// Orders the API accepted (2xx).
    public var accepted: Int
    /// Accepted and never stored, with nothing left in the intake queue that could still store them.
    public var lost: [String]
    /// Accepted and not stored yet while the intake queue still held messages when the wait ended: the stack had
    /// not finished (raise `--settle`), so these are not called lost.
    public var pending: [String] = []
    /// Messages still in the intake queue when verification ended (waiting or in flight); `nil`: not visible.
    public var unfinishedMessages: Int?
    /// Orders with no answer (or a 5xx) that were stored anyway: what a client retry would find.
    public var storedWithoutAnswer: Int
    /// Subscriber queues looked at.
    public var queues: [String]
    /// Per queue, stored orders with no event (none while the stack had not finished: see `unannouncedYet`).
    public var unannounced: [String: [String]]
    /// Per queue, stored orders with no event yet while the intake queue still held messages.
    public var unannouncedYet: [String: [String]] = [:]
    /// Per queue, orders with more than one event, and how many.
    public var duplicated: [String: [String: Int]]
    /// Seconds the stored check waited for the last order.
    public var settleSeconds: Double
    /// Nothing was looked for (`--no-verify`).
    public var skipped = false
    /// Where orders were looked for.
    public var lookup = ""
    /// Whether subscriber queues could be seen at all.
    public var seesQueues = false

    /// A verification that looked for nothing.
    public static func skipped(accepted: Int) -> Verification {
        var verification = Verification(
            accepted: accepted, lost: [], storedWithoutAnswer: 0, queues: [], unannounced: [:], duplicated: [:],
            settleSeconds: 0)
        verification.skipped = true
        return verification
    }

    /// Whether anything was lost, unannounced or announced twice, or the stack had not finished.
    public var failed: Bool {
        !lost.isEmpty || !pending.isEmpty || unannounced.values.contains { !$0.isEmpty }
            || unannouncedYet.values.contains { !$0.isEmpty } || duplicated.values.contains { !$0.isEmpty }
    }
}

/// Looks for every accepted order on the target.
public enum Verifier {
    /// Asks for the missing ones until all are stored or none appeared for `quiet` seconds, then drains the
    /// subscriber queues; `clock` times the wait.
    public static func verify(
        _ counts: LoadCounts, target: any LoadTarget, key: String, quiet: Double, clock: any LoadClock
    ) async throws -> Verification {
        let started = clock.now()
        var missing = counts.acceptedKeys.sorted()
        var stored: Set<String> = []
        var lastChange = clock.now()
        while !missing.isEmpty && clock.now() - lastChange < quiet {
            let found = try await target.stored(missing)
            if !found.isEmpty { lastChange = clock.now() }
            stored.formUnion(found)
            missing.removeAll { found.contains($0) }
            if !missing.isEmpty { await clock.sleep(until: clock.now() + 1) }
        }
        // Orders the stack may still store: the intake queue is not empty.
        let unfinished = await target.unfinished()
        let pending = (unfinished ?? 0) > 0 ? missing : []
        if !pending.isEmpty { missing = [] }
        let unknown = counts.unansweredKeys.sorted()
        let unknownStored = unknown.isEmpty ? [] : try await target.stored(unknown)
        stored.formUnion(unknownStored)
        var result = Verification(
            accepted: counts.acceptedKeys.count, lost: missing, storedWithoutAnswer: unknownStored.count, queues: [],
            unannounced: [:], duplicated: [:], settleSeconds: clock.now() - started)
        result.lookup = target.lookup
        result.seesQueues = target.seesQueues
        result.pending = pending
        result.unfinishedMessages = unfinished
        // Stored orders may still be publishing: let the stack go idle before the queues are counted.
        await target.settle(seconds: quiet)
        for (queue, events) in try await target.announcements(key: key) {
            result.queues.append(queue)
            let silent = stored.filter { (events[$0] ?? 0) == 0 }.sorted()
            if (unfinished ?? 0) > 0 {
                result.unannouncedYet[queue] = silent
                result.unannounced[queue] = []
            } else {
                result.unannounced[queue] = silent
            }
            result.duplicated[queue] = events.filter { stored.contains($0.key) && $0.value > 1 }
        }
        return result
    }
}
