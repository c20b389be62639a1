import AWSClients
import CloudFormation
import Foundation
import JSONDocument
import JSONText
import LocalRun

/// A stage run by `orderstack local` in this process: the intake queue's depth, the table read directly
/// (BatchGetItem), and every subscriber queue drained and counted.
public struct LocalTarget: LoadTarget {
    public var session: LocalSession
    /// The queue the POST route sends to.
    public var intakeQueueUrl: String?
    /// The table keyed by the order's key, and that key's attribute name.
    public var table: String
    public var keyAttribute: String
    public var label: String
    /// Events counted while the run goes on.
    let collector = EventCollector()

    /// The target for `session`; a failure with the reason when no table of the template is keyed by `key`.
    public static func make(
        session: LocalSession, template: Template, postRoute: String, key: String, label: String
    ) -> Result<LocalTarget, RequestMix.Problem> {
        let tables = template.resources.filter { $0.type == "AWS::DynamoDB::Table" }
        guard
            let resource = tables.first(where: { hashKey($0) == key }),
            let name = session.tables.first(where: { $0.0 == resource.logicalId })?.1
        else {
            let found = tables.map { "\($0.logicalId) (\(hashKey($0) ?? "?"))" }.joined(separator: ", ")
            return .failure(
                RequestMix.Problem(
                    description:
                        "no table of the stack has the partition key '\(key)' to look the orders up in (tables: \(found.isEmpty ? "none" : found))"
                ))
        }
        var intake: String?
        if let route = session.api?.routes.first(where: { $0.method == "POST" && $0.path == postRoute }),
            case .service(let integration) = route.integration
        {
            intake = session.mappings.first { $0.queueUrl.hasSuffix(integration.path) }?.queueUrl
        }
        return .success(
            LocalTarget(session: session, intakeQueueUrl: intake, table: name, keyAttribute: key, label: label))
    }

    /// The partition key's attribute name of a table resource.
    public static func hashKey(_ table: Resource) -> String? {
        table.properties["KeySchema"]?.items?.first { $0["KeyType"]?.stringValue == "HASH" }?["AttributeName"]?
            .stringValue
    }

    public var lookup: String { "table \(table) by \(keyAttribute)" }
    public let seesQueues = true

    public func backlog() async -> Int? { await intakeDepth()?.visible }

    public func unfinished() async -> Int? { await intakeDepth().map { $0.visible + $0.inFlight } }

    func intakeDepth() async -> (visible: Int, inFlight: Int)? {
        guard let intakeQueueUrl else { return nil }
        return try? await session.sqs.depth(intakeQueueUrl)
    }

    public func settle(seconds: Double) async { try? await session.waitUntilIdle(seconds: seconds) }

    public func stored(_ keys: [String]) async throws -> Set<String> {
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

    public func startCollecting(key: String) {
        for (queue, url) in session.subscriberQueues {
            collector.start(queue) { [session] in
                try await session.take(url).compactMap { EventKey.find(key, in: $0.body) }
            }
        }
    }

    /// Stops the collectors (each finishes the batch it holds), then drains what is left.
    public func announcements(key: String) async throws -> [(queue: String, counts: [String: Int])] {
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

/// Loops that receive and count events per queue until told to finish. They stop at a loop's end, never inside
/// a receive: a receive cut off after the service handed out messages would hide them until their visibility
/// timeout, and they would be counted missing.
final class EventCollector: @unchecked Sendable {
    let lock = NSLock()
    var counts: [String: [String: Int]] = [:]
    var tasks: [Task<Void, Never>] = []
    let stop = StopFlag()

    /// Runs `receive` (the keys of one batch, received and deleted) for `queue` until `finish`.
    func start(_ queue: String, receive: @escaping @Sendable () async throws -> [String]) {
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
    func finish() async -> [String: [String: Int]] {
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

/// A deployed API (or any URL): orders looked up through the GET route, queues not visible.
public struct APITarget: LoadTarget {
    public var sender: Sender
    /// The GET route with `{key}` in it.
    public var getRoute: String?
    public var key: String
    public var signed: Bool
    public var label: String

    public init(sender: Sender, getRoute: String?, key: String, signed: Bool, label: String) {
        self.sender = sender
        self.getRoute = getRoute
        self.key = key
        self.signed = signed
        self.label = label
    }

    public var lookup: String { getRoute.map { "GET \($0)" } ?? "nowhere (no GET route)" }
    public let seesQueues = false

    public func backlog() async -> Int? { nil }

    public func settle(seconds: Double) async {}

    /// GETs each key, 16 at a time; 200 is stored.
    public func stored(_ keys: [String]) async throws -> Set<String> {
        guard let getRoute else { return [] }
        var found: Set<String> = []
        var index = 0
        while index < keys.count {
            let chunk = Array(keys[index..<min(keys.count, index + 16)])
            index += 16
            let statuses = await withTaskGroup(of: (String, Int).self) { group in
                for value in chunk {
                    group.addTask {
                        let request = PlannedRequest(
                            kind: .query, method: "GET",
                            path: getRoute.replacingOccurrences(of: "{\(key)}", with: value),
                            body: [], key: value, scheduled: 0)
                        return (value, await sender.status(request, signed: signed))
                    }
                }
                var all: [(String, Int)] = []
                for await answer in group { all.append(answer) }
                return all
            }
            for (value, status) in statuses where status == 200 { found.insert(value) }
        }
        return found
    }

    public func announcements(key: String) async throws -> [(queue: String, counts: [String: Int])] { [] }
}
