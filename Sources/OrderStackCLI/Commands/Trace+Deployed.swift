import AWSClients
import CloudFormation
import DeployClients
import StackLogs
import StackTrace
import TemplateYAML

extension OrderStack.Trace {
    /// From a deployed stack: its template (GetTemplate) for the wiring, its log groups (FilterLogEvents on the
    /// key, then on the API requests that name it) and its table's item.
    func deployed(_ name: String, since: Int64, console: Console) throws -> Journey {
        let session = try AWSSession.resolve(console: console)
        let key = key
        do {
            let cloudFormation = CloudFormationClient(caller: try session.caller("cloudformation"))
            let logs = CloudWatchLogsClient(caller: try session.caller("logs"))
            let dynamodb = DynamoDBClient(caller: try session.caller("dynamodb"))
            return try blocking {
                let resources = try await cloudFormation.resources(stackName: name)
                let text = try await cloudFormation.template(name)
                guard let template = TemplateReader.read(text, path: name).template else {
                    throw TraceFailure("the deployed template of \(name) could not be read")
                }
                let wiring = TraceWiring(template)
                let groups = resources.filter { $0.type == "AWS::Logs::LogGroup" }.map { ($0.logicalId, $0.physicalId) }
                let keyed = LogMerge.merge(
                    try await StackLogSources.deployed(
                        groups, logs: logs, since: since,
                        pattern: CloudWatchLogsClient.pattern(containing: key), keep: { _ in true }))
                var events = keyed
                if let access = groups.first(where: { $0.0 == wiring.accessLog }) {
                    for request in Set(keyed.compactMap(Self.apiRequestId)) {
                        events += try await logs.events(
                            group: access.1, since: since, pattern: CloudWatchLogsClient.pattern(containing: request),
                            source: access.0)
                    }
                }
                let topics = Dictionary(
                    resources.filter { $0.type == "AWS::SNS::Topic" }.map { ($0.physicalId, $0.logicalId) },
                    uniquingKeysWith: { first, _ in first })
                var journey = Journey(
                    key: key,
                    events: Journey.select(
                        LogMerge.merge([events]).sorted { $0.time < $1.time }, key: key,
                        accessLog: wiring.accessLog),
                    wiring: wiring, topics: topics)
                if let table = wiring.table, let physical = resources.first(where: { $0.logicalId == table.logicalId })
                {
                    let item = try await dynamodb.getItem(
                        table: physical.physicalId, key: [table.key: AttributeValue.s(key)], consistent: true)
                    journey.notes.append(
                        item.map { Journey.note(item: $0, table: table.logicalId, key: table.key) }
                            ?? "not in \(table.logicalId)")
                }
                return journey
            }
        } catch let failure as TraceFailure {
            console.err("error: \(failure.message)")
            throw BadInput()
        } catch {
            console.err("error: \(AWSSession.explain(error, what: "tracing \(key) in \(name)"))")
            throw BadInput()
        }
    }

    static func apiRequestId(_ event: LogEvent) -> String? {
        guard let start = event.text.range(of: "\"apiRequestId\":\"") else { return nil }
        return event.text[start.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
    }
}

/// A trace that cannot go on, with the reason.
struct TraceFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
