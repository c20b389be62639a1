import ArgumentParser
import CloudFormation
import Diff
import YAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension DiffFormat: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}

extension OrderStack {
    /// `orderstack diff`: what a change does to the deployed stack.
    public struct Diff: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Show what a change does to the stack: replacements, data loss, widened IAM, broken exports.",
            discussion: """
                With two files, compares OLD with NEW. With none, compares each output/<stack>-<stage>.yaml as \
                committed at --base (default HEAD; in a pull request, its target branch: what is deployed) with a \
                fresh synth of the blueprint (what this change would deploy). Files on disk are not read, so a \
                local synth does not hide the change.

                A modified resource is replaced when a create-only property changes (from the CloudFormation \
                resource schemas). Replacing a table, queue, log group, key or bucket is data loss whatever its \
                policies (the stack moves to a new, empty resource; Retain only keeps the old one as an orphan); \
                removing one without Retain is data loss; a replacement that keeps a custom name (TableName, \
                QueueName) is refused by CloudFormation; a removed export breaks stacks that import it.

                Exit status: 0 nothing at the --fail-on level, 1 found, 2 unreadable input or bad usage.

                Examples:
                  orderstack diff                             # committed output/ against the blueprint
                  orderstack diff --base origin/main --format markdown > diff.md
                  orderstack diff old.yaml new.yaml --fail-on replacement
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @Argument(help: "OLD and NEW template (default: the committed output/ against a fresh synth).")
        var files: [String] = []

        @Option(name: .long, help: "The git revision whose output/ is the old side, without files (default: HEAD).")
        var base: String?

        @Option(name: .long, help: "Output format.")
        var format: DiffFormat = .text

        @Option(name: .long, help: "What makes the exit status 1.")
        var failOn: FailOn = .dataLoss

        @Option(name: .long, help: "Only this stage (repeatable), without files.")
        var stage: [String] = []

        public init() {}

        public func validate() throws {
            if !files.isEmpty && files.count != 2 { throw ValidationError("give two files (OLD NEW), or none") }
            if !files.isEmpty && base != nil {
                throw ValidationError("--base compares the committed output/; give no files")
            }
        }

        public func run() throws {
            let console = Console()
            var diffs: [StackDiff] = []
            if files.count == 2 {
                let old = try TemplateFile.read(files[0], console: console)
                let new = try TemplateFile.read(files[1], console: console)
                diffs.append(Differ.diff(old: old, new: new, name: files[1]))
            } else {
                let project = try options.location
                let committed = try CommittedOutput(project: project, revision: base ?? "HEAD", console: console)
                let chosen = try stacks.selected(console: console)
                for item in try SynthesisRun.synthesize(
                    project: project, stacks: chosen, stages: stage, console: console)
                {
                    let old = try committed.template(item.outputPath, console: console)
                    diffs.append(
                        Differ.diff(old: old ?? Template(), new: item.synthesis.template, name: item.outputPath))
                }
            }
            console.out(DiffReport.render(diffs, format: format))
            if failOn.fails(diffs) { throw ExitCode.failure }
        }

    }
}
