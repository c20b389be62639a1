import AWSClients
import JSONDocument

/// CloudWatch Logs over the AWS JSON 1.1 protocol (`X-Amz-Target: Logs_20140328.FilterLogEvents`), for reading
/// a log group's events from a time on (FilterLogEvents, CloudWatch Logs API Reference: events of every stream
/// of the group, in ascending time order, `nextToken` until the last page).
public struct CloudWatchLogsClient: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    /// Every event of `group` at or after `since` (milliseconds since 1970) matching `pattern` (a CloudWatch
    /// filter pattern; a quoted term matches lines containing it), at most `limit`, labelled with `source`.
    public func events(group: String, since: Int64, pattern: String?, source: String, limit: Int = 10_000)
        async throws -> [LogEvent]
    {
        let logs = JSONProtocol(
            caller: caller, targetPrefix: "Logs_20140328", contentType: "application/x-amz-json-1.1")
        var found: [LogEvent] = []
        var token: String?
        repeat {
            var request: [String: JSONValue] = [
                "logGroupName": .string(group), "startTime": .number(Double(since)), "interleaved": .bool(true),
            ]
            if let pattern { request["filterPattern"] = .string(pattern) }
            if let token { request["nextToken"] = .string(token) }
            let answer = try await logs.call("FilterLogEvents", request)
            if case .array(let events)? = answer["events"] {
                for event in events {
                    guard let message = event["message"]?.string, let time = event["timestamp"]?.integer else {
                        continue
                    }
                    found.append(LogEvent(time: Int64(time), source: source, text: message))
                }
            }
            token = answer["nextToken"]?.string
        } while token != nil && found.count < limit
        return found.sorted { $0.time < $1.time }
    }

    /// A filter pattern that matches lines containing `text` (quoted, as CloudWatch's term syntax needs).
    public static func pattern(containing text: String) -> String {
        "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\""
    }
}
