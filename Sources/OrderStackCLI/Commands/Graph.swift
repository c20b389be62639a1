import ArgumentParser
import StackDSL
import StackGraph

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
                  orderstack graph --template template.yaml   # any CloudFormation or SAM template's wiring
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @Option(name: .long, help: "Output format.")
        var format: Format = .mermaid

        @OptionGroup var stageOption: StageOption

        @Option(name: .long, help: "Draw this CloudFormation or SAM template's wiring instead of a stage's.")
        var template: String?

        public init() {}

        public func validate() throws {
            if template != nil && stageOption.stage != nil {
                throw ValidationError("--template draws that file; --stage applies to the project's stacks")
            }
        }

        public func run() throws {
            let console = Console()
            if let template {
                let graph = Self.architecture(StackGraph(try TemplateFile.read(template, console: console)))
                console.out(format == .mermaid ? graph.mermaid() : graph.dot())
                return
            }
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
