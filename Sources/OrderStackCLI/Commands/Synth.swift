import ArgumentParser
import CloudFormation
import StackDSL
import TemplateYAML
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

        @OptionGroup var stacks: StackOptions

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
            let rendered = try SynthesisRun.render(
                project: project, stacks: try stacks.selected(console: console), stages: stage, console: console)
            let directory = output ?? project.path("output")
            if check {
                var stale: [String] = []
                for (name, text) in rendered {
                    let file = "\(directory)/\(name)"
                    guard let existing = project.read(file) else {
                        stale.append("\(file): missing; run '\(Stacks.executable) synth'")
                        continue
                    }
                    if existing != text { stale.append("\(file): stale; differs from a fresh synth of the blueprint") }
                }
                if stacks.stack.isEmpty && stage.isEmpty {
                    let written = Set(rendered.map(\.name))
                    let present = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                        $0.hasSuffix(".yaml")
                    }
                    for name in present.sorted() where !written.contains(name) {
                        stale.append(
                            "\(directory)/\(name): left over; no stack and stage of the blueprint produces it (delete it)"
                        )
                    }
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

/// One stack synthesized for one stage.
struct StackStage {
    /// The stack.
    let stack: Stack
    /// The stage's settings.
    let settings: StageSettings
    /// The template and graph.
    let synthesis: Synthesis

    /// `output/<stack>-<stage>.yaml`, relative to the project root.
    var outputPath: String { "output/\(fileName)" }
    /// `<stack>-<stage>.yaml`.
    var fileName: String { "\(stack.name)-\(settings.name).yaml" }
}

/// Loads stages and schemas, expands the stacks and renders YAML: shared by every command that synthesizes.
enum SynthesisRun {
    /// Renders every requested stack and stage.
    /// - Returns: file names (`<stack>-<stage>.yaml`) and their YAML, stack by stack in stage order.
    /// - Throws: `BadInput` after printing what is wrong.
    static func render(project: Project, stacks: [Stack], stages: [String], console: Console) throws -> [(
        name: String, text: String
    )] {
        try synthesize(project: project, stacks: stacks, stages: stages, console: console).map { item in
            do {
                return (item.fileName, try TemplateWriter.yaml(item.synthesis.template))
            } catch {
                console.err("error: rendering \(item.fileName) failed: \(error)")
                throw BadInput()
            }
        }
    }

    /// Expands `stack` for one stage (`nil`: the project's default stage, `StageOption`'s).
    static func synthesize(project: Project, stack: Stack, stage: String?, console: Console) throws -> StackStage {
        let stages = [stage ?? project.defaultStage]
        guard let first = try synthesize(project: project, stacks: [stack], stages: stages, console: console).first
        else { throw BadInput() }
        return first
    }

    /// Expands every requested stack for every requested stage (all stages when `stages` is empty).
    static func synthesize(project: Project, stacks: [Stack], stages: [String], console: Console) throws
        -> [StackStage]
    {
        try Stacks.checkFingerprint(project: project, console: console)
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
        return try stacks.flatMap { stack in
            try settings.map { stage in
                do {
                    let synthesis = try Synthesizer.synthesize(
                        stack, stage: stage, schemas: schemas, siblings: Stacks.all)
                    return StackStage(stack: stack, settings: stage, synthesis: synthesis)
                } catch let error as SynthesisError where !error.diagnostics.isEmpty {
                    console.print(error.diagnostics)
                    throw BadInput()
                } catch {
                    let reason = (error as? SynthesisError)?.message ?? "\(error)"
                    console.err("error: stack '\(stack.name)', stage \(stage.name): \(reason)")
                    throw BadInput()
                }
            }
        }
    }
}
