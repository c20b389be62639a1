import Foundation
import JSONDocument

/// Loops that receive and count events per queue until told to finish. They stop at a loop's end, never inside
/// a receive: a receive cut off after the service handed out messages would hide them until their visibility
/// timeout, and they would be counted missing.
public final class EventCollector: @unchecked Sendable {
    let lock = NSLock()
    var counts: [String: [String: Int]] = [:]
    var tasks: [Task<Void, Never>] = []
    let stop = StopFlag()

    public init() {}

    /// Runs `receive` (the keys of one batch, received and deleted) for `queue` until `finish`.
    public func start(_ queue: String, receive: @escaping @Sendable () async throws -> [String]) {
        let task = Task {
            while !stop.isStopped {
                guard let keys = try? await receive() else {
                    try? await Task.sleep(nanoseconds: 200_000_000)
                    continue
                }
                lock.withLock { for key in keys { counts[queue, default: [:]][key, default: 0] += 1 } }
            }
        }
        lock.withLock { tasks.append(task) }
    }

    /// Stops every loop after its current batch; the counts so far.
    public func finish() async -> [String: [String: Int]] {
        stop.stop()
        for task in lock.withLock({ tasks }) { await task.value }
        return lock.withLock { counts }
    }
}

/// The key an event names: the first string field called `key` in its JSON body, looking inside an SNS envelope's
/// `Message` when delivery is not raw.
public enum EventKey {
    public static func find(_ key: String, in body: String) -> String? {
        guard let document = JSONValue.parse(Array(body.utf8)) else { return nil }
        return search(key, document)
    }

    static func search(_ key: String, _ value: JSONValue) -> String? {
        switch value {
        case .object(let fields):
            if let found = fields[key]?.string { return found }
            for name in fields.keys.sorted() {
                if let found = search(key, fields[name]!) { return found }
            }
            return nil
        case .array(let items): return items.lazy.compactMap { search(key, $0) }.first
        case .string(let text) where text.hasPrefix("{"):
            return JSONValue.parse(Array(text.utf8)).flatMap { search(key, $0) }
        default: return nil
        }
    }
}
