import AWSClients
import JSONDocument
import JSONText
import LoadRun
import LocalRun
import StackGraph

/// A stage run by `orderstack local` in this process: the intake queue's depth, the table read directly
/// (BatchGetItem), and every subscriber queue drained and counted.
struct LocalTarget: LoadTarget {
    var session: LocalSession
    /// The queue the entry route feeds.
    var intakeQueueUrl: String?
    /// The table keyed by the arrivals' key, and that key's attribute name.
    var table: String
    var keyAttribute: String
    var label: String
    /// Events counted while the run goes on.
    let collector = EventCollector()

    /// The target for `session`: the table keyed by `key` and the queue the entry route feeds, from the stack's
    /// traffic path; a failure with the reason when no table is keyed by `key`.
    static func make(session: LocalSession, path: TrafficPath, key: String, label: String)
        -> Result<LocalTarget, RequestMix.Problem>
    {
        let tables = path.graph.tables
        guard let table = tables.first(where: { $0.partitionKey == key }),
            let name = session.tables.first(where: { $0.0 == table.logicalId })?.1
        else {
            let found = tables.map { "\($0.logicalId) (\($0.partitionKey ?? "?"))" }.joined(separator: ", ")
            return .failure(
                RequestMix.Problem(
                    description:
                        "no table of the stack has the partition key '\(key)' to look the accepted requests up in (tables: \(found.isEmpty ? "none" : found))"
                ))
        }
        let intake = path.intakeQueue.flatMap { session.names.resources[$0]?.attributes["QueueUrl"] }
        return .success(
            LocalTarget(session: session, intakeQueueUrl: intake, table: name, keyAttribute: key, label: label))
    }

    var lookup: String { "table \(table) by \(keyAttribute)" }
    let seesQueues = true

    func backlog() async -> Int? { await intakeDepth()?.visible }

    func unfinished() async -> Int? { await intakeDepth().map { $0.visible + $0.inFlight } }

    func intakeDepth() async -> (visible: Int, inFlight: Int)? {
        guard let intakeQueueUrl else { return nil }
        return try? await session.sqs.depth(intakeQueueUrl)
    }

    func settle(seconds: Double) async { try? await session.waitUntilIdle(seconds: seconds) }

    func stored(_ keys: [String]) async throws -> Set<String> {
        var found: Set<String> = []
        var start = 0
        while start < keys.count {
            let chunk = keys[start..<min(keys.count, start + 100)]
            start += 100
            let wanted = chunk.map { "{\(JSONText.quote(keyAttribute)):{\"S\":\(JSONText.quote($0))}}" }
            let body =
                "{\"RequestItems\":{\(JSONText.quote(table)):{\"Keys\":[\(wanted.joined(separator: ","))],\"ProjectionExpression\":\"#k\",\"ExpressionAttributeNames\":{\"#k\":\(JSONText.quote(keyAttribute))}}}}"
            let answer = try await session.dynamodb.call("BatchGetItem", body)
            if case .array(let items)? = answer["Responses"]?[table] {
                for item in items { if let value = item[keyAttribute]?["S"]?.string { found.insert(value) } }
            }
        }
        return found
    }

    func startCollecting(key: String) {
        for (queue, url) in session.subscriberQueues {
            collector.start(queue) { [session] in
                try await session.take(url).compactMap { EventKey.find(key, in: $0.body) }
            }
        }
    }

    /// Stops the collectors (each finishes the batch it holds), then drains what is left.
    func announcements(key: String) async throws -> [(queue: String, counts: [String: Int])] {
        let collected = await collector.finish()
        var result: [(queue: String, counts: [String: Int])] = []
        for (queue, url) in session.subscriberQueues {
            var counts = collected[queue] ?? [:]
            for message in try await session.drain(url) {
                if let value = EventKey.find(key, in: message.body) { counts[value, default: 0] += 1 }
            }
            result.append((queue, counts))
        }
        return result
    }
}
