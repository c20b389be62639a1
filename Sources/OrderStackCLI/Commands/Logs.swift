import AWSClients
import ArgumentParser
import CloudFormation
import DeployClients
import Foundation
import JSONText
import LocalRun
import StackLogs
import Timestamps

extension OrderStack {
    /// `orderstack logs`: every log group of a stack, merged by time, from the local stage's files or from a
    /// deployed stack's CloudWatch Logs.
    public struct Logs: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Every log group of a stack merged by time: a local stage's files, or a deployed stack's.",
            discussion: """
                Without --stack-name, reads what `local` wrote for the stage (output/local/logs): each function's \
                log, the API's access log. With --stack-name, reads the deployed stack's log groups from \
                CloudWatch Logs (FilterLogEvents, with the credentials `deploy` uses). Each line is printed with \
                the time it was written and the log group's logical ID.

                Examples:
                  orderstack logs --since 10m
                  orderstack logs --stack-name app-dev --key id-0001
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @OptionGroup var source: LogSourceOptions

        var stage: String? { source.stage }
        var stackName: String? { source.stackName }

        @Option(name: .long, help: "Only lines containing this text.")
        var filter: String?

        @Option(name: .long, help: "Only lines naming this key's value (the ID a request named an item by).")
        var key: String?

        @Option(name: .long, help: "text or json (one object per line: time, source, message).")
        var format: Format = .text

        @Flag(name: .long, help: "After the history, keep printing new lines every 2 s until Ctrl-C.")
        var tail = false

        public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }

        public init() {}

        public func validate() throws {
            if filter != nil && key != nil { throw ValidationError("give --filter or --key, not both") }
        }

        public func run() throws {
            let console = Console()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let query = LogQuery(since: source.start(now: now, fallback: "1h"), contains: key ?? filter)
            let events =
                try stackName.map { try deployed($0, query: query, console: console) }
                ?? local(query: query, console: console)
            // One write: redaction and the system call once for the whole output, not per line.
            var text = ""
            text.reserveCapacity(events.reduce(0) { $0 + $1.text.utf8.count + 64 })
            for event in events { text += Self.render(event, format: format) + "\n" }
            console.out(text)
            if tail { try follow(query: query, after: events.last?.time ?? now, console: console) }
        }

        /// `--tail`: new lines of the same groups, every 2 s, with the same filter, until the process is stopped.
        func follow(query: LogQuery, after newest: Int64, console: Console) throws {
            // Ctrl-C and SIGTERM end the tail at their default action, even when this process was started with
            // them ignored or blocked (by a script's `&`, a test runner): nothing here needs cleaning up.
            var unblock = sigset_t()
            sigemptyset(&unblock)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_DFL)
                sigaddset(&unblock, number)
            }
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            let format = format
            let emit: @Sendable ([LogEvent]) -> Void = { events in
                console.out(events.map { Self.render($0, format: format) + "\n" }.joined())
            }
            let keep: @Sendable (LogEvent) -> Bool = { LogQuery(contains: query.contains).keeps($0) }
            let sleep: @Sendable (Int64) async throws -> Void = {
                try await Task.sleep(nanoseconds: UInt64($0) * 1_000_000)
            }
            if let stackName {
                let session = try AWSSession.resolve(console: console)
                let cloudFormation = CloudFormationClient(caller: try session.caller("cloudformation"))
                let logs = CloudWatchLogsClient(caller: try session.caller("logs"))
                let pattern = query.contains.map(CloudWatchLogsClient.pattern(containing:))
                try blocking {
                    let groups = try await cloudFormation.resources(stackName: stackName).filter {
                        $0.type == "AWS::Logs::LogGroup"
                    }.map { (physicalId: $0.physicalId, logicalId: $0.logicalId) }
                    var tail = LogTail(
                        source: CloudWatchTailSource(groups: groups, since: newest) { group, source, since in
                            try await logs.events(group: group, since: since, pattern: pattern, source: source)
                        }, sleep: sleep)
                    try await tail.run(keep: keep, emit: emit)
                }
            } else {
                let project = try options.location
                let item = try SynthesisRun.synthesize(
                    project: project, stack: try stacks.single(console: console), stage: stage ?? project.defaultStage,
                    console: console)
                let files = StackLogSources.localFiles(
                    item.synthesis.template, stack: "\(item.stack.name)-\(item.settings.name)",
                    folder: project.path("output/local/logs"))
                try blocking {
                    var tail = LogTail(source: LocalTailSource(files: files), sleep: sleep)
                    try await tail.run(keep: keep, emit: emit)
                }
            }
        }

        /// The local stage's log files, by the log groups of its synthesized template.
        func local(query: LogQuery, console: Console) throws -> [LogEvent] {
            let project = try options.location
            let item = try SynthesisRun.synthesize(
                project: project, stack: try stacks.single(console: console), stage: stage ?? project.defaultStage,
                console: console)
            let stack = "\(item.stack.name)-\(item.settings.name)"
            guard
                let lists = StackLogSources.local(
                    item.synthesis.template, stack: stack, folder: project.path("output/local/logs"), keep: query.keeps)
            else {
                console.err(StackLogSources.noLocalLogs(stack: stack, stage: item.settings.name))
                throw BadInput()
            }
            return LogMerge.merge(lists)
        }

        /// The deployed stack's log groups, from CloudWatch Logs.
        func deployed(_ name: String, query: LogQuery, console: Console) throws -> [LogEvent] {
            let session = try AWSSession.resolve(console: console)
            do {
                let cloudFormation = CloudFormationClient(caller: try session.caller("cloudformation"))
                let logs = CloudWatchLogsClient(caller: try session.caller("logs"))
                let since = query.since ?? 0
                let pattern = query.contains.map(CloudWatchLogsClient.pattern(containing:))
                return try blocking {
                    let groups = try await cloudFormation.resources(stackName: name).filter {
                        $0.type == "AWS::Logs::LogGroup"
                    }.map { ($0.logicalId, $0.physicalId) }
                    return LogMerge.merge(
                        try await StackLogSources.deployed(
                            groups, logs: logs, since: since, pattern: pattern, keep: query.keeps))
                }
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "reading the logs of \(name)"))")
                throw BadInput()
            }
        }

        static func render(_ event: LogEvent, format: Format) -> String {
            switch format {
            case .text: return "\(RFC3339.format(event.time))  \(event.source)  \(event.text)"
            case .json:
                return
                    "{\"time\":\(JSONText.quote(RFC3339.format(event.time))),\"source\":\(JSONText.quote(event.source)),\"message\":\(JSONText.quote(event.text))}"
            }
        }
    }
}
