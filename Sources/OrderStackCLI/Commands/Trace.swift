import AWSClients
import ArgumentParser
import CloudFormation
import DeployClients
import Foundation
import StackLogs
import StackTrace
import TemplateYAML

extension OrderStack {
    /// `orderstack trace KEY`: where one item is now and how it got there, from the stack's logs and wiring.
    public struct Trace: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Where one key (the ID a request named an item by) is now and how it got there.",
            discussion: """
                Reads the stack's log lines that name the key (the local stage's files, or with --stack-name the \
                deployed stack's CloudWatch Logs) and its wiring: the API request that accepted it, each receive \
                by a consumer and its outcome, the store, the event sent and, by each subscription's filter \
                policy, the subscribers it was delivered to; a message that failed maxReceiveCount times is shown \
                parked in its dead-letter queue. With --stack-name the table's item is read too. Nothing is \
                received from any queue.

                Exit status: 0 when the key reached its subscribers, 1 when it stopped short (or no line names \
                it), 2 bad input.

                Examples:
                  orderstack trace id-0001
                  orderstack trace id-0001 --stack-name app-prod --since 2d
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @Argument(help: "The key's value: the ID the request named the item by.")
        var key: String

        @OptionGroup var source: LogSourceOptions

        var stage: String? { source.stage }
        var stackName: String? { source.stackName }

        @Option(name: .long, help: "text or json (one object: key, verdict, stopped, notes, hops).")
        var format: Logs.Format = .text

        public init() {}

        public func validate() throws {
            if key.isEmpty { throw ValidationError("the key is empty") }
        }

        public func run() throws {
            let console = Console()
            let since = source.start(now: Int64(Date().timeIntervalSince1970 * 1000), fallback: "1d")
            let journey =
                try stackName.map { try deployed($0, since: since, console: console) }
                ?? local(since: since, console: console)
            console.out(format == .json ? journey.json : journey.text)
            if journey.stopped { throw ExitCode(1) }
        }

        /// From the local stage's log files.
        func local(since: Int64, console: Console) throws -> Journey {
            let project = try options.location
            let item = try SynthesisRun.synthesize(
                project: project, stack: try stacks.single(console: console), stage: stage ?? project.defaultStage,
                console: console)
            let stack = "\(item.stack.name)-\(item.settings.name)"
            let wiring = TraceWiring(item.synthesis.template)
            guard
                let lists = StackLogSources.local(
                    item.synthesis.template, stack: stack, folder: project.path("output/local/logs"),
                    keep: { $0.time >= since })
            else {
                console.err(StackLogSources.noLocalLogs(stack: stack, stage: item.settings.name))
                throw BadInput()
            }
            let events = Journey.select(LogMerge.merge(lists), key: key, accessLog: wiring.accessLog)
            return Journey(key: key, events: events, wiring: wiring)
        }
    }
}
