extension TrafficPath {
    /// The entry route: the one named (`POST /items`, the method in any case, or the path alone), else, tier by
    /// tier, the only route that feeds a queue, the only non-GET route that invokes a function, the only POST;
    /// where a tier has several and one of them is a POST, that one.
    mutating func chooseEntry(_ named: String?) {
        let routes = graph.routes
        let list = routes.map(\.name).joined(separator: ", ")
        if let named {
            entry = Self.route(named, in: routes.filter { $0.method != "GET" }) ?? Self.route(named, in: routes)
            if entry == nil {
                problem =
                    "entry_route '\(named)' is not a route of the template; its routes: \(list.isEmpty ? "none" : list)"
            }
            return
        }
        let tiers: [(StackGraph.Route) -> Bool] = [
            { if case .queue = $0.target { return true } else { return false } },
            { if case .function = $0.target { return $0.method != "GET" } else { return false } },
            { $0.method == "POST" },
        ]
        for tier in tiers {
            let candidates = routes.filter(tier)
            let posts = candidates.filter { $0.method == "POST" }
            if candidates.count == 1 || posts.count == 1 {
                entry = candidates.count == 1 ? candidates[0] : posts[0]
                return
            }
            if !candidates.isEmpty {
                problem =
                    "several routes could take the traffic (\(candidates.map(\.name).joined(separator: ", "))); name one in the profile: entry_route: \(candidates[0].name)"
                return
            }
        }
        problem =
            routes.isEmpty
            ? "no API route: the traffic has no entry (the template needs an API Gateway route that feeds a queue or a function)"
            : "no route feeds a queue or a function (routes: \(list)); nothing carries the traffic"
    }

    /// The query route: the one named (a GET), else the GET routes below the entry's path, one parameter down
    /// first (`GET /items/{id}` under `POST /items`, before `GET /items/{id}/events`), the first of them; else the
    /// only GET route that invokes a function. Only a function behind it is priced as the query function.
    mutating func chooseQuery(_ named: String?) {
        let gets = graph.routes.filter { $0.method == "GET" && $0 != entry }
        if let named {
            queryRoute = Self.route(named, in: gets)
            if queryRoute == nil {
                problem =
                    problem
                    ?? "query_route '\(named)' is not a GET route of the template; its GET routes: \(gets.isEmpty ? "none" : gets.map(\.name).joined(separator: ", "))"
            }
        } else if let entry {
            let below = gets.filter { $0.api == entry.api && $0.path.hasPrefix(entry.path + "/{") }
            let oneDown = below.filter { !$0.path.dropFirst(entry.path.count + 1).contains("/") }
            queryRoute = oneDown.first ?? below.first
        }
        if queryRoute == nil && named == nil {
            let invoking = gets.filter { if case .function = $0.target { return true } else { return false } }
            if invoking.count == 1 { queryRoute = invoking[0] }
        }
        if case .function(let id)? = queryRoute?.target, let node = graph.function(id) {
            query = node
            reads = node.reads + node.writes
        }
        if let id = entry?.authorizer ?? queryRoute?.authorizer { authorizer = graph.function(id) }
    }

    /// The route `name` names among `routes`: `METHOD /path` (the method in any case), or a path alone when one
    /// route has it.
    static func route(_ name: String, in routes: [StackGraph.Route]) -> StackGraph.Route? {
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        if parts.count == 2 { return routes.first { $0.method == parts[0].uppercased() && $0.path == parts[1] } }
        let matching = routes.filter { $0.path == name }
        return matching.count == 1 ? matching[0] : nil
    }

    /// The property of an arrival's body that identifies it: `explicit` when given, else the query route's
    /// parameter when the route is below the entry's path, else the first required property of the entry
    /// route's request model that a table of the stack has as its partition key.
    /// `required` gives the model's required properties where the caller parsed a schema written as JSON text.
    public func key(explicit: String? = nil, required: [String]? = nil) -> String? {
        if let explicit { return explicit }
        if let parameter = queryParameter { return parameter }
        var names = required ?? []
        if required == nil, case .list(let items)? = entry?.requestSchema?["required"] {
            names = items.compactMap(\.stringValue)
        }
        let keys = Set(graph.tables.compactMap(\.partitionKey))
        return names.first { keys.contains($0) }
    }

    /// The parameter of the query route when it reads one arrival back below the entry path (`{id}` in
    /// `/items/{id}` under `/items`).
    public var queryParameter: String? {
        guard let entry, let queryRoute, queryRoute.path.hasPrefix(entry.path + "/{"),
            let last = queryRoute.path.split(separator: "/").last, last.hasPrefix("{"), last.hasSuffix("}")
        else { return nil }
        return String(last.dropFirst().dropLast())
    }
}
