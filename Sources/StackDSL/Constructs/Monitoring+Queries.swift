import CloudFormation

extension ExpansionContext {
    /// Saved CloudWatch Logs Insights queries (`AWS::Logs::QueryDefinition`) over the stack's log groups, in a
    /// folder named after the stack: one key's journey through every log, errors by function, the slowest
    /// invocations, and 429s by caller. Query definitions cost nothing; a query run is billed by the data it scans.
    /// Fields are those the stack writes: each function's JSON lines (`level`, `message`, `messageId`, the key),
    /// Lambda's JSON system records (`type`, `record.metrics.durationMs`) and the API's JSON access log (`status`,
    /// `caller`, `ip`, `apiRequestId`: the field name the API request's ID has on every line that carries it).
    mutating func expandQueries(for monitoring: Monitoring) {
        let groups = template.resources.filter { $0.type == "AWS::Logs::LogGroup" }
        let functionGroups = groups.filter { !$0.logicalId.hasSuffix("AccessLogGroup") }.map { Value.ref($0.logicalId) }
        let accessGroups = groups.filter { $0.logicalId.hasSuffix("AccessLogGroup") }.map { Value.ref($0.logicalId) }
        let key = model.tables.first?.partitionKey ?? "id"
        var queries: [(String, String, [String])] = []
        if !groups.isEmpty {
            queries.append(
                (
                    "Journey", "journey of one \(key) (replace KEY-VALUE)",
                    [
                        "fields @timestamp, @log, level, message, messageId, outcome, apiRequestId, status",
                        "filter @message like \"KEY-VALUE\"", "sort @timestamp asc", "limit 500",
                    ]
                ))
        }
        if !functionGroups.isEmpty {
            queries += [
                (
                    "Errors", "errors by function",
                    [
                        "filter level in [\"ERROR\", \"FATAL\"] or (type = \"platform.runtimeDone\" and record.status != \"success\")",
                        "stats count(*) as errors by @log", "sort errors desc",
                    ]
                ),
                (
                    "Slowest", "slowest invocations",
                    [
                        "filter type = \"platform.report\"",
                        "stats max(record.metrics.durationMs) as slowestMs, avg(record.metrics.durationMs) as averageMs, count(*) as invocations by @log, bin(5m)",
                        "sort slowestMs desc", "limit 50",
                    ]
                ),
            ]
        }
        if !accessGroups.isEmpty {
            queries.append(
                (
                    "Throttled", "429s by caller",
                    [
                        "filter status = \"429\"", "stats count(*) as throttled by caller, ip, resourcePath",
                        "sort throttled desc", "limit 50",
                    ]
                ))
        }
        for (suffix, title, lines) in queries {
            let logGroups =
                suffix == "Throttled"
                ? accessGroups : suffix == "Journey" ? functionGroups + accessGroups : functionGroups
            add(
                Resource(
                    "\(monitoring.name)\(suffix)Query", type: "AWS::Logs::QueryDefinition",
                    properties: Fields([
                        ("Name", .sub("${AWS::StackName}/\(title)", nil)),
                        ("QueryString", .string(lines.joined(separator: "\n| "))),
                        ("LogGroupNames", .list(logGroups)),
                    ])))
        }
    }
}
