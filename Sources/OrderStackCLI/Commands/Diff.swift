import ArgumentParser
import CloudFormation
import DeployClients
import Deployment
import Diff
import StackDSL
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

                Both sides are evaluated first: parameters take their defaults (or --parameter), conditions are \
                decided, and values are resolved, so a resource whose condition turns false is removed and one name \
                written through !Sub, !Join or a parameter is no change. A modified resource is replaced when a \
                create-only property changes, and may be when a conditionally create-only one does (from the \
                CloudFormation resource schemas).

                The data-loss gate fails on: a stateful resource (table, queue, log group, key, bucket, ...) \
                replaced, renamed or removed without Retain; a retention period lowered; a redrive policy removed; \
                ReportBatchItemFailures removed from a mapping; a subscription removed or its filter narrowed \
                (delivery loss); an update CloudFormation refuses or that fails (a custom name kept, an immutable \
                KMS property). It warns, without failing, when a safeguard is removed (point-in-time recovery, \
                deletion protection, Retain, TTL turned on, a disabled mapping, zero reserved concurrency). A loss \
                accepted on purpose is listed with its reason in blueprints/acknowledged-losses.yaml (see \
                docs/ci.md); the gate then prints it as acknowledged and passes.

                Exit status: 0 nothing at the --fail-on level, 1 found, 2 unreadable input or bad usage.

                Examples:
                  orderstack diff                             # committed output/ against the blueprint
                  orderstack diff --base origin/main --format markdown > diff.md
                  orderstack diff old.yaml new.yaml --fail-on replacement
                  orderstack diff --deployed app-prod --stage prod   # the live stack against the blueprint
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

        @Option(
            name: .customLong("parameter"),
            help: "A template parameter, KEY=VALUE (repeatable): what a deploy would pass; defaults otherwise.")
        var parameters: [String] = []

        @Option(name: .long, help: "Only this stage (repeatable), without files.")
        var stage: [String] = []

        @Option(
            name: .long,
            help: "Compare the template deployed as this CloudFormation stack with a fresh synth of the stage.")
        var deployed: String?

        @Option(
            name: .customLong("drift-wait"),
            help: "With --deployed: seconds to wait for drift detection (0: do not detect).")
        var driftWait = 60

        public init() {}

        public func validate() throws {
            if !files.isEmpty && files.count != 2 { throw ValidationError("give two files (OLD NEW), or none") }
            if !files.isEmpty && base != nil {
                throw ValidationError("--base compares the committed output/; give no files")
            }
            if deployed != nil && (!files.isEmpty || base != nil || stage.count > 1) {
                throw ValidationError(
                    "--deployed compares one live stack with one stage (--stage NAME); no files or --base")
            }
        }

        public func run() throws {
            let console = Console()
            let values = Dictionary(
                try OrderStack.Deploy.pairs(parameters, option: "--parameter"), uniquingKeysWith: { _, last in last })
            var diffs: [(StackDiff, String)] = []
            if let deployed {
                diffs.append((try deployedDiff(deployed, parameters: values, console: console), deployed))
            } else if files.count == 2 {
                let old = try TemplateFile.read(files[0], console: console)
                let new = try TemplateFile.read(files[1], console: console)
                diffs.append(
                    (
                        Differ.diff(old: old, new: new, name: files[1], parameters: values),
                        AcknowledgedLosses.stackName(of: files[1])
                    ))
            } else {
                let project = try options.location
                let committed = try CommittedOutput(project: project, revision: base ?? "HEAD", console: console)
                let chosen = try stacks.selected(console: console)
                for item in try SynthesisRun.synthesize(
                    project: project, stacks: chosen, stages: stage, console: console)
                {
                    let old = try committed.template(item.outputPath, console: console)
                    let diff = Differ.diff(
                        old: old ?? Template(), new: item.synthesis.template, name: item.outputPath, parameters: values)
                    diffs.append((diff, AcknowledgedLosses.stackName(of: item.outputPath)))
                }
            }
            let project = files.isEmpty ? try options.location : options.found
            let acknowledgements = try AcknowledgedLosses.load(project, console: console)
            let reviewed = diffs.map { diff, name in
                var diff = diff
                Acknowledgement.apply(acknowledgements, to: &diff, names: [name])
                return diff
            }
            console.out(DiffReport.render(reviewed, format: format))
            if failOn.fails(reviewed) { throw ExitCode.failure }
        }

        /// The stage a deployed stack is compared with: `--stage`, else the one its name says (`<stack>-<stage>`,
        /// as deploy names it); never a default, so a live stack is not judged against another stage's template.
        static func deployedStage(
            _ stackName: String, stack: Stack, named: String?, project: Project, console: Console
        ) throws -> String {
            if let named { return named }
            if let stage = project.stageNames().first(where: { stackName == "\(stack.name)-\($0)" }) { return stage }
            console.err(
                "error: cannot tell which stage \(stackName) was deployed from (deploy names stacks <stack>-<stage>, e.g. \(stack.name)-\(project.stageNames().first ?? "dev")); say it with --stage"
            )
            throw BadInput()
        }

        /// The live stack's template (GetTemplate) against a fresh synth of the stage: what a deploy would change,
        /// and where the live template was edited outside orderstack.
        func deployedDiff(_ stackName: String, parameters: [String: String], console: Console) throws -> StackDiff {
            let project = try options.location
            let stack = try stacks.single(console: console)
            let item = try SynthesisRun.synthesize(
                project: project, stack: stack,
                stage: try Self.deployedStage(
                    stackName, stack: stack, named: stage.first, project: project, console: console),
                console: console)
            let session = try AWSSession.resolve(console: console)
            let body: String
            let deployedValues: [String: String]
            do {
                let client = CloudFormationClient(caller: try session.caller("cloudformation"))
                body = try blocking { try await client.template(stackName) }
                deployedValues = try blocking { try await client.describeStack(stackName)?.parameters ?? [:] }
                if driftWait > 0 {
                    let check = DriftCheck.live(try session.caller("cloudformation"))
                    let waitMs = Int64(driftWait) * 1000
                    console.err(
                        try blocking { await check.note(stackName, waitMs: waitMs, command: Stacks.executable) })
                }
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "reading the template of \(stackName)"))")
                throw BadInput()
            }
            let old = try TemplateFile.parse(body, path: "deployed \(stackName)", console: console)
            // The artifact bucket and code keys, unless given with --parameter, keep their deployed values (code
            // changes are deploy's business); every other parameter takes its default, as a deploy would.
            var values = parameters
            let packaged = ["ArtifactBucket"] + Package.artifacts(in: item.synthesis.template).map(\.parameter)
            for name in packaged where values[name] == nil { values[name] = deployedValues[name] }
            return Differ.diff(
                old: old, new: item.synthesis.template, name: "\(stackName) (deployed) -> \(item.outputPath)",
                parameters: values, oldParameters: deployedValues)
        }

    }
}
