import JSONDocument
import StackLogs

/// One step of a key's journey: when, what, where it was written, and what the line said.
public struct Hop: Sendable, Equatable {
    /// Milliseconds since 1970; `nil` for a step inferred, not logged.
    public var time: Int64?
    /// `accepted`, `refused`, `received` outcomes (`stored`, `published`, `duplicate`, `rejected`, `failed`,
    /// `malformed`, ...), `sent`, `delivered`, `filtered`, `parked`.
    public var kind: String
    /// The log group (logical ID) or resource it comes from.
    public var source: String
    public var detail: String

    public init(time: Int64?, kind: String, source: String, detail: String) {
        self.time = time
        self.kind = kind
        self.source = source
        self.detail = detail
    }
}

/// Where one key is and how it got there, from the stack's log lines and its wiring.
///
/// The lines `trace` reads (written by the handlers; any consumer that writes the same fields is traced):
/// the API's access log (`requestId`, `httpMethod`, `resourcePath`, `status`); a consumer's line per message per
/// receive (`messageId`, `outcome`, `apiRequestId`, the key's field); a publisher's line per event sent
/// (`outcome: sent`, `topicArn`, `snsMessageId`, `attributes`).
public struct Journey: Sendable, Equatable {
    public var key: String
    public var hops: [Hop]
    /// Where the key is now, in one sentence.
    public var verdict: String
    /// Whether the journey stopped short of its subscribers (parked, waiting, rejected, never seen).
    public var stopped: Bool
    /// What else is known of the key (the item in the table now), printed before the verdict.
    public var notes: [String] = []

    /// Outcomes after which SQS delivers the message again (until its queue's `maxReceiveCount`).
    public static let retried: Set<String> = ["failed", "malformed", "not-started"]

    /// The journey of `key` through `events` (every line of the stack that names the key or one of the API
    /// requests that brought it). `topics` maps a topic's ARN to its logical ID (the stack's resources).
    public init(key: String, events: [LogEvent], wiring: TraceWiring, topics: [String: String] = [:]) {
        self.key = key
        let lines = events.compactMap { event in
            JSONValue.parse(Array(event.text.utf8)).map { (event, $0) }
        }
        let naming = lines.filter { _, json in Self.names(json, key) }
        let requests = Set(naming.compactMap { $0.1["apiRequestId"]?.string })
        var hops: [Hop] = []
        for (event, json) in lines where event.source == wiring.accessLog {
            guard let request = json["apiRequestId"]?.string ?? json["requestId"]?.string, requests.contains(request)
            else { continue }
            hops.append(Self.access(event, json))
        }
        var receives: [String: Int] = [:]
        var last: [(message: String, hop: Hop)] = []
        for (event, json) in naming {
            guard let outcome = json["outcome"]?.string else { continue }
            if outcome == "sent" {
                hops += Self.sent(event, json, wiring: wiring, topics: topics)
                continue
            }
            let message = json["messageId"]?.string
            var detail = json["message"]?.string ?? outcome
            if let message {
                receives[message, default: 0] += 1
                detail += " (message \(message), receive \(receives[message]!))"
            }
            let hop = Hop(time: event.time, kind: outcome, source: event.source, detail: detail)
            hops.append(hop)
            if let message {
                last.removeAll { $0.message == message }
                last.append((message, hop))
            }
        }
        hops.sort { ($0.time ?? .max) < ($1.time ?? .max) }
        hops += Self.parked(last, receives: receives, wiring: wiring)
        self.hops = hops
        (verdict, stopped) = Self.verdict(hops, wiring: wiring)
    }

    /// Whether a top-level string field of `json` is `key`.
    static func names(_ json: JSONValue, _ key: String) -> Bool {
        guard case .object(let fields) = json else { return false }
        return fields.contains { _, value in value.string == key }
    }

    static func access(_ event: LogEvent, _ json: JSONValue) -> Hop {
        let status = json["status"]?.string ?? "?"
        let refused = (Int(status) ?? 0) >= 400
        let route = "\(json["httpMethod"]?.string ?? "?") \(json["resourcePath"]?.string ?? "?")"
        let error = json["errorMessage"]?.string.flatMap { $0.isEmpty || $0 == "-" ? nil : ": \($0)" } ?? ""
        return Hop(
            time: event.time, kind: refused ? "refused" : "accepted", source: event.source,
            detail:
                "\(route) answered \(status)\(error) (request \(json["apiRequestId"]?.string ?? json["requestId"]?.string ?? "?"))"
        )
    }
}

extension Journey {
    /// The lines a journey reads out of `events`: those naming `key` (as a quoted value), then the access log's
    /// lines of the API requests those name. Two byte searches, linear in the events' size.
    public static func select(_ events: [LogEvent], key: String, accessLog: String?) -> [LogEvent] {
        let naming = LogQuery(contains: jsonQuoted(key))
        let keyed = events.filter(naming.keeps)
        let requests = Set(
            keyed.compactMap { event -> String? in
                JSONValue.parse(Array(event.text.utf8))?["apiRequestId"]?.string
            })
        guard let accessLog, !requests.isEmpty else { return keyed }
        let queries = requests.map { LogQuery(contains: jsonQuoted($0)) }
        let access = events.filter { event in
            event.source == accessLog && queries.contains { $0.keeps(event) }
        }
        return LogMerge.merge([access, keyed])
    }

    /// `"text"` as it appears in a JSON line (quotes and backslashes escaped).
    public static func jsonQuoted(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
