import ArgumentParser
import Costing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension OrderStack {
    /// `orderstack simulate`: what a traffic profile does to the stack, second by second.
    public struct Simulate: ParsableCommand {
        /// Output formats.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        public static let configuration = CommandConfiguration(
            abstract: "Simulate a traffic profile through the stack's limits, second by second, with a chart.",
            discussion: """
                Throttling, batch size and window, maximum and reserved concurrency, timeouts, visibility timeout, \
                maxReceiveCount and alarm thresholds come from the stage's synthesized template; the traffic and \
                the handler time per batch from the profile. The model: API token bucket (account 10,000/s, \
                burst 5,000, and the stage's limits) -> SQS backlog -> event source mapping (5 concurrent \
                batches, +300 per minute, capped by MaximumConcurrency and 1,250) -> handler time per batch -> \
                DynamoDB on-demand writes (4,000 WRU/s for a new table, twice the previous peak after 30 minutes) \
                -> SNS publish quota. Reserved concurrency below the batches attempted throttles them: their \
                messages come back after the visibility timeout with a receive counted (the DLQ trap).

                Examples:
                  orderstack simulate --profile sale-spike --svg sale-spike.svg
                  orderstack simulate --profile black-friday --window 600..612 --format json
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @OptionGroup var traffic: TrafficOptions

        @OptionGroup var stageOption: StageOption
        var stage: String? { stageOption.stage }

        @Option(
            name: .long,
            help: "Simulate this CloudFormation or SAM template instead of a stage (its wiring gives the path).")
        var template: String?

        @Option(name: .long, help: "Output format.")
        var format: Format = .text

        @Option(name: .long, help: "Write an SVG chart of the window to this file.")
        var svg: String?

        @Option(
            name: .long,
            help: "Hours of the month to chart and list, START..END (default: the largest departure, whole).")
        var window: String?

        public init() {}

        public func validate() throws {
            if traffic.profile == "all" { throw ValidationError("simulate takes one profile; run it once per profile") }
            if template != nil && stage != nil {
                throw ValidationError("--template simulates that file; --stage applies to the project's stacks")
            }
            if let window, Self.parse(window) == nil {
                throw ValidationError("--window takes hours of the month as START..END, e.g. 299.5..303 (0 to 730)")
            }
        }

        /// Minutes of the month of `--window START..END` (hours).
        static func parse(_ text: String) -> Range<Int>? {
            hours(text).map { Int($0.lowerBound * 60)..<Int(($0.upperBound * 60).rounded(.up)) }
        }

        /// Hours of the month, `START..END` within 0 to 730 (`--window` of simulate and load).
        static func hours(_ text: String) -> Range<Double>? {
            let parts = text.split(separator: "..", omittingEmptySubsequences: false)
            guard parts.count == 2, let start = Double(parts[0]), let end = Double(parts[1]), start >= 0, end <= 730,
                start < end
            else { return nil }
            return start..<end
        }

        public func run() throws {
            let console = Console()
            if let svg { try FileSystem.checkWritable(svg) }
            let project = try options.location
            let priced = try PricedTemplate.load(
                project: project, stacks: stacks, stage: stage, file: template, region: nil, console: console)
            let loaded = try traffic.single(project, console: console)
            let model = try priced.place(loaded, console: console)
            guard model.intakeMapping != nil, let entry = model.entry else {
                let reason =
                    model.intakeQueue.map { "nothing in the template consumes \($0), the queue it feeds" }
                    ?? "it invokes a function directly"
                console.err(
                    "\(priced.file ?? priced.stage?.outputPath ?? "template"): error: simulate follows the entry route into a queue and the mapping that consumes it; \(model.entry?.name ?? "the entry route"): \(reason)"
                )
                throw BadInput()
            }
            let parameters = SimulationParameters(model: model, profile: loaded)
            let result = Simulator.run(loaded, parameters)
            let range = window.flatMap(Self.parse) ?? SimulationReport.defaultWindow(result)
            switch format {
            case .text:
                let subject = priced.file.map { "template \($0)" } ?? "stage \(priced.label)"
                console.out("\(subject), entry \(entry.name), " + SimulationReport.text(result, window: range))
            case .json: console.out(SimulationReport.json(result, window: range))
            }
            if let svg {
                try FileSystem.write(SimulationReport.svg(result, window: range), to: svg)
                if format == .text { console.out("wrote \(svg)\n") }
            }
        }
    }
}
