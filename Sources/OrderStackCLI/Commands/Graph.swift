import ArgumentParser

extension OrderStack {
    /// `orderstack graph`: prints the architecture's constructs and wiring.
    public struct Graph: ParsableCommand {
        /// Output formats.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case mermaid, dot
        }

        public static let configuration = CommandConfiguration(
            abstract: "Print the architecture (constructs and wiring edges) as Mermaid or Graphviz DOT.",
            discussion: """
                Examples:
                  orderstack graph                       # Mermaid, paste into Markdown
                  orderstack graph --format dot | dot -Tsvg > architecture.svg
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @Option(name: .long, help: "Output format.")
        var format: Format = .mermaid

        @OptionGroup var stageOption: StageOption

        public init() {}

        public func run() throws {
            let console = Console()
            let project = try options.location
            let stages = [stageOption.resolve(project)]
            let stack = try stacks.single(console: console)
            guard
                let synthesis = try SynthesisRun.synthesize(
                    project: project, stacks: [stack], stages: stages, console: console
                ).first?.synthesis
            else { return }
            switch format {
            case .mermaid: console.out(synthesis.graph.mermaid())
            case .dot: console.out(synthesis.graph.dot())
            }
        }
    }
}
