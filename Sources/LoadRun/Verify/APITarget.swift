import AWSClients
import Foundation

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
