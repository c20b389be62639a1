/// What a target lets the run look at after sending.
public protocol LoadTarget: Sendable {
    /// What the target is, for the report (`orderstack local, stage dev`).
    var label: String { get }
    /// Messages waiting in the intake queue (visible, not yet received: what the simulator calls the backlog);
    /// `nil` where the queue cannot be seen.
    func backlog() async -> Int?
    /// Waits up to `seconds` until the stack has finished with what it was sent (queue empty, nothing running).
    func settle(seconds: Double) async
    /// Of `keys`, those stored.
    func stored(_ keys: [String]) async throws -> Set<String>
    /// Per subscriber queue, how many events name each key (the queues are drained); empty where they cannot be
    /// seen.
    func announcements(key: String) async throws -> [(queue: String, counts: [String: Int])]
}

/// Every accepted order looked for: stored, then announced once on each subscriber queue.
public struct Verification: Sendable, Equatable {
    /// Orders the API accepted (2xx).
    public var accepted: Int
    /// Accepted and never stored.
    public var lost: [String]
    /// Orders with no answer (or a 5xx) that were stored anyway: what a client retry would find.
    public var storedWithoutAnswer: Int
    /// Subscriber queues looked at.
    public var queues: [String]
    /// Per queue, stored orders with no event.
    public var unannounced: [String: [String]]
    /// Per queue, orders with more than one event, and how many.
    public var duplicated: [String: [String: Int]]
    /// Seconds the stored check waited for the last order.
    public var settleSeconds: Double
    /// Nothing was looked for (`--no-verify`).
    public var skipped = false

    /// A verification that looked for nothing.
    public static func skipped(accepted: Int) -> Verification {
        var verification = Verification(
            accepted: accepted, lost: [], storedWithoutAnswer: 0, queues: [], unannounced: [:], duplicated: [:],
            settleSeconds: 0)
        verification.skipped = true
        return verification
    }

    /// Whether anything was lost, unannounced or announced twice.
    public var failed: Bool {
        !lost.isEmpty || unannounced.values.contains { !$0.isEmpty } || duplicated.values.contains { !$0.isEmpty }
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
        let unknown = counts.unansweredKeys.sorted()
        let unknownStored = unknown.isEmpty ? [] : try await target.stored(unknown)
        stored.formUnion(unknownStored)
        var result = Verification(
            accepted: counts.acceptedKeys.count, lost: missing, storedWithoutAnswer: unknownStored.count, queues: [],
            unannounced: [:], duplicated: [:], settleSeconds: clock.now() - started)
        // Stored orders may still be publishing: let the stack go idle before the queues are counted.
        await target.settle(seconds: quiet)
        for (queue, events) in try await target.announcements(key: key) {
            result.queues.append(queue)
            result.unannounced[queue] = stored.filter { (events[$0] ?? 0) == 0 }.sorted()
            result.duplicated[queue] = events.filter { stored.contains($0.key) && $0.value > 1 }
        }
        return result
    }
}
