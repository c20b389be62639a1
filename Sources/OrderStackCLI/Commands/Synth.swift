import ArgumentParser
import CloudFormation
import OrdersBlueprint
import StackDSL
import YAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension OrderStack {
    /// `orderstack synth`: renders the blueprint's CloudFormation for each stage into `output/`.
    public struct Synth: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Render the CloudFormation template of each stage into output/.",
            discussion: """
                Writes output/<stack>-<stage>.yaml for every stage in blueprints/stages (or only --stage). \
                The same blueprint always gives byte-identical files.

                Examples:
                  orderstack synth                  # every stage
                  orderstack synth --stage prod     # only prod
                  orderstack synth --check          # CI: exit 1 naming stale files
                """)

        @OptionGroup var options: ProjectOptions

        @Option(name: .long, help: "Only this stage (repeatable; default: every stage).")
        var stage: [String] = []

        @Option(name: .long, help: "Folder to write templates into (default: output under the project).")
        var output: String?

        @Flag(
            name: .long, help: "Write nothing; exit 1 if any template in the output folder differs from a fresh synth.")
        var check = false

        public init() {}

        public func run() throws {
            let console = Console()
            let project = try options.location
            let rendered = try SynthesisRun.render(project: project, stages: stage, console: console)
            let directory = output ?? project.path("output")
            if check {
                var stale: [String] = []
                for (name, text) in rendered {
                    let file = "\(directory)/\(name)"
                    guard let existing = project.read(file) else {
                        stale.append("\(file): missing; run 'orderstack synth'")
                        continue
                    }
                    if existing != text { stale.append("\(file): stale; differs from a fresh synth of the blueprint") }
                }
                for line in stale { console.err(line) }
                if !stale.isEmpty { throw ExitCode.failure }
                console.out("up to date: \(rendered.map { "\(directory)/\($0.name)" }.joined(separator: ", "))\n")
                return
            }
            try FileSystem.createDirectory(directory)
            for (name, text) in rendered {
                let file = "\(directory)/\(name)"
                try FileSystem.write(text, to: file)
                console.out("wrote \(file) (\(text.utf8.count) bytes)\n")
            }
        }
    }
}

/// Loads stages and schemas, expands the blueprint and renders YAML: shared by `synth` and `graph`.
enum SynthesisRun {
    /// Renders every requested stage.
    /// - Returns: file names (`orders-dev.yaml`) and their YAML, in stage order.
    /// - Throws: `BadInput` after printing what is wrong.
    static func render(project: Project, stages: [String], console: Console) throws -> [(name: String, text: String)] {
        try synthesize(project: project, stages: stages, console: console).map { stage, synthesis in
            do {
                return ("\(OrdersBlueprint.stack.name)-\(stage.name).yaml", try TemplateWriter.yaml(synthesis.template))
            } catch {
                console.err("error: rendering stage \(stage.name) failed: \(error)")
                throw BadInput()
            }
        }
    }

    /// Expands the blueprint for one stage (`nil`: the project's default stage, prod when it exists).
    static func synthesize(project: Project, stage: String?, console: Console) throws -> (StageSettings, Synthesis) {
        guard
            let first = try synthesize(project: project, stages: [stage ?? project.defaultStage], console: console)
                .first
        else { throw BadInput() }
        return first
    }

    /// Expands the blueprint for every requested stage.
    static func synthesize(project: Project, stages: [String], console: Console) throws -> [(StageSettings, Synthesis)]
    {
        let settings: [StageSettings]
        switch project.loadStages(stages) {
        case .success(let loaded): settings = loaded
        case .failure(let failure): throw failure.report(to: console)
        }
        let schemas: [String: Value]
        switch project.loadSchemas() {
        case .success(let loaded): schemas = loaded
        case .failure(let failure): throw failure.report(to: console)
        }
        return try settings.map { stage in
            do {
                return (stage, try Synthesizer.synthesize(OrdersBlueprint.stack, stage: stage, schemas: schemas))
            } catch {
                console.err("blueprints/OrdersStack.swift: error: \((error as? SynthesisError)?.message ?? "\(error)")")
                throw BadInput()
            }
        }
    }
}
