import AWSClients

/// CloudWatch's Query API (version 2010-08-01), for the alarm states `deploy` reads before it names alarms as
/// rollback triggers.
public struct CloudWatchClient: Sendable {
    public var query: QueryClient

    public init(caller: AWSCaller) { query = QueryClient(caller: caller, version: "2010-08-01") }

    /// The state (`OK`, `ALARM`, `INSUFFICIENT_DATA`) of each named metric alarm that exists (DescribeAlarms,
    /// `AlarmNames.member.N`, at most 100 names per call, every page).
    public func alarmStates(_ names: [String]) async throws -> [String: String] {
        var states: [String: String] = [:]
        for start in stride(from: 0, to: names.count, by: 100) {
            var token: String?
            repeat {
                var fields: [(String, String)] = names[start..<min(start + 100, names.count)].enumerated().map {
                    ("AlarmNames.member.\($0.offset + 1)", $0.element)
                }
                if let token { fields.append(("NextToken", token)) }
                let root = try await query.call("DescribeAlarms", fields)
                for member in root.first("MetricAlarms")?.children ?? [] {
                    if let name = member.string("AlarmName") { states[name] = member.string("StateValue") ?? "" }
                }
                token = root.first("NextToken").map(\.text).flatMap { $0.isEmpty ? nil : $0 }
            } while token != nil
        }
        return states
    }
}
