extension TrafficPath {
    /// The entry route: the one named, else the only route that feeds a queue (or, failing that, the only
    /// non-GET route that invokes a function).
    mutating func chooseEntry(_ named: String?) {
        let routes = graph.routes
        let list = routes.map(\.name).joined(separator: ", ")
        if let named {
            entry = routes.first { $0.name == named }
            if entry == nil {
                problem =
                    "entry_route '\(named)' is not a route of the template; its routes: \(list.isEmpty ? "none" : list)"
            }
            return
        }
        var candidates = routes.filter { if case .queue = $0.target { return true } else { return false } }
        if candidates.isEmpty {
            candidates = routes.filter {
                guard case .function = $0.target else { return false }
                return $0.method != "GET"
            }
        }
        if candidates.count == 1 {
            entry = candidates[0]
        } else if candidates.isEmpty {
            problem =
                routes.isEmpty
                ? "no API route: the traffic has no entry (the template needs an API Gateway route that feeds a queue or a function)"
                : "no route feeds a queue or a function (routes: \(list)); nothing carries the traffic"
        } else {
            problem =
                "several routes could take the traffic (\(candidates.map(\.name).joined(separator: ", "))); name one in the profile: entry_route: \(candidates[0].name)"
        }
    }

    /// The query route: the one named, else the only other GET route that invokes a function, else (several)
    /// the only one below the entry route's path with a parameter (`GET /items/{id}` under `POST /items`).
    mutating func chooseQuery(_ named: String?) {
        let gets = graph.routes.filter {
            guard case .function = $0.target, $0 != entry else { return false }
            return $0.method == "GET"
        }
        if let named {
            queryRoute = gets.first { $0.name == named }
            if queryRoute == nil {
                problem =
                    problem
                    ?? "query_route '\(named)' is not a GET route that invokes a function; those routes: \(gets.isEmpty ? "none" : gets.map(\.name).joined(separator: ", "))"
            }
        } else if gets.count == 1 {
            queryRoute = gets[0]
        } else if let entry {
            let below = gets.filter { $0.api == entry.api && $0.path.hasPrefix(entry.path + "/{") }
            if below.count == 1 { queryRoute = below[0] }
        }
        if case .function(let id)? = queryRoute?.target, let node = graph.function(id) {
            query = node
            reads = node.reads + node.writes
        }
        if let id = entry?.authorizer ?? queryRoute?.authorizer { authorizer = graph.function(id) }
    }

    /// The property of an arrival's body that identifies it: `explicit` when given, else the query route's
    /// parameter when the route is below the entry's path, else the first required property of the entry
    /// route's request model that a table of the stack has as its partition key.
    public func key(explicit: String? = nil) -> String? {
        if let explicit { return explicit }
        if let parameter = queryParameter { return parameter }
        guard case .list(let required)? = entry?.requestSchema?["required"] else { return nil }
        let keys = Set(graph.tables.compactMap(\.partitionKey))
        return required.compactMap(\.stringValue).first { keys.contains($0) }
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
