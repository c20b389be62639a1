import ArgumentParser
import CloudFormation
import DeployClients
import Deployment
import Diff
import JSONText
import Packaging
import TemplateYAML

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Approval: ExpressibleByArgument {}

/// Questions on a terminal.
enum Terminal {
    /// Asks `question` on stderr and reads y/N from stdin; `nil` when stdin or stderr is not a terminal.
    static func confirm(_ question: String) -> Bool? {
        guard isatty(0) == 1, isatty(2) == 1 else { return nil }
        Console().err("\(question) [y/N]")
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.lowercased())
    }
}

extension OrderStack {
    /// `orderstack deploy`: artifacts to S3, a change set judged by orderstack's own gate, progress, outputs.
    public struct Deploy: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Deploy a stage: upload the handlers, review a change set with the diff gate, execute it.",
            discussion: """
                Synthesizes the stage, packages a handler whose zip is missing or older than the project's sources \
                (as `orderstack package` does; --skip-package refuses instead), uploads the zips under \
                content-addressed keys unless an object with the same SHA-256 is there, creates a change set \
                (CREATE or UPDATE), reviews the deployed template against the new one with the classification of \
                `orderstack diff` (replacement, data loss, IAM widened) and the change set's own Replacement, and \
                stops before execution when --fail-on says so (exit 1, the change set deleted). Then executes it \
                and prints each stack event with its elapsed time and resources done, and the outputs.

                Credentials and region: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE with \
                AWS_ROLE_ARN, or AWS_PROFILE (~/.aws/credentials and ~/.aws/config, role_arn with \
                source_profile); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured.

                Examples:
                  orderstack deploy --stage dev --bucket my-artifacts
                  orderstack deploy --stage prod --bucket my-artifacts --outputs-file outputs.json
                  orderstack deploy --stage dev --bucket my-artifacts --hotswap   # only the code changed
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        /// Required when the project has more than one stage: a deploy never picks one.
        @OptionGroup var stageOption: StageOption
        var stage: String? { stageOption.stage }

        @Option(name: .customLong("stack-name"), help: "The CloudFormation stack name (default: <stack>-<stage>).")
        var stackName: String?

        @Option(
            name: .long,
            help: "The S3 bucket for the handler zips (default: the one `orderstack bootstrap` made in this Region).")
        var bucket: String?

        @Flag(
            name: .customLong("preflight-only"),
            help:
                "Check the account (logging role, concurrency, handler architecture, bucket Region, template quotas) and stop."
        )
        var preflightOnly = false

        @Option(name: .long, help: "When to ask before executing (broadening: when IAM widens).")
        var approve: Approval = .broadening

        @Option(name: .long, help: "Review and record the change set in this file; do not execute it.")
        var plan: String?

        @Option(name: .long, help: "Execute exactly the change set a --plan file recorded.")
        var apply: String?

        @Option(name: .long, help: "How the review is printed (markdown for a pull-request comment).")
        var format: DiffFormat = .text

        @Flag(
            name: .long,
            help: "When only handler code changed, update the functions directly (not on production stages).")
        var hotswap = false

        @Flag(
            name: .customLong("no-wait"),
            help: "Refuse, instead of waiting, when another operation is running on the stack.")
        var noWait = false

        @Flag(
            name: .customLong("skip-package"),
            help: "Upload the zips in output/artifacts as they are; refuse when one is missing or stale.")
        var skipPackage = false

        @Option(name: .customLong("parameter"), help: "A template parameter, KEY=VALUE (repeatable).")
        var parameters: [String] = []

        @Option(name: .customLong("tag"), help: "A stack tag, KEY=VALUE (repeatable).")
        var tags: [String] = []

        @Option(
            name: .customLong("fail-on"),
            help: "Stop before execution at this level of change.")
        var failOn: FailOn = .dataLoss

        @Option(name: .customLong("outputs-file"), help: "Write the stack's outputs to this file as JSON.")
        var outputsFile: String?

        @Option(
            name: .customLong("drift-wait"),
            help: "Seconds to wait for drift detection before an update's review (0: do not detect).")
        var driftWait = 60

        public init() {}

        static func pairs(_ values: [String], option: String) throws -> [(String, String)] {
            try values.map { value in
                guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                    throw ValidationError("\(option) takes KEY=VALUE, got '\(value)'")
                }
                return (String(value[..<equals]), String(value[value.index(after: equals)...]))
            }
        }

        public func validate() throws {
            if plan != nil && apply != nil {
                throw ValidationError("--plan records a change set, --apply executes one; pick one")
            }
            _ = try Self.pairs(parameters, option: "--parameter")
            _ = try Self.pairs(tags, option: "--tag")
        }

        public func run() throws {
            let console = Console()
            if let apply { return try runApply(apply, console: console) }
            let project = try options.location
            let item = try SynthesisRun.synthesize(
                project: project, stack: try stacks.single(console: console),
                stage: try Self.chosenStage(stage, among: project.stageNames(), console: console), console: console)
            if hotswap && item.settings.production {
                console.err(
                    "error: stage \(item.settings.name) is marked production: true; --hotswap is refused there (every change goes through a reviewed change set)"
                )
                throw BadInput()
            }
            let session = try Self.session(for: (item.settings.region, item.settings.path), console: console)
            let body = try TemplateWriter.yaml(item.synthesis.template)
            let artifacts = try artifacts(
                project: project, template: item.synthesis.template, stage: item.settings.name, console: console)
            let request = DeployRequest(
                stackName: stackName ?? "\(item.stack.name)-\(item.settings.name)", templateBody: body,
                template: item.synthesis.template, parameters: try Self.pairs(parameters, option: "--parameter"),
                tags: try Self.pairs(tags, option: "--tag"), bucket: bucket ?? "", bucketParameter: "ArtifactBucket",
                artifacts: artifacts, failOn: failOn)
            var configuring = request
            configuring.approval = approve
            configuring.planOnly = plan != nil
            configuring.hotswap = hotswap
            configuring.reviewFormat = format
            configuring.waitsForOtherOperations = !noWait
            configuring.acknowledgements = try AcknowledgedLosses.load(project, console: console)
            configuring.names = [AcknowledgedLosses.stackName(of: item.outputPath)]
            let deployer = try makeDeployer(stackName: request.stackName, session: session, console: console)
            if bucket == nil { configuring.bucket = try bootstrapBucket(deployer: deployer, console: console) }
            let configuredRequest = configuring
            try runPreflight(configuredRequest, deployer: deployer, console: console)
            if preflightOnly { return }
            let outcome: DeployOutcome
            do {
                outcome = try blocking { try await deployer.deploy(configuredRequest, review: { console.out($0) }) }
            } catch let error as DeployError {
                console.err("error: \(error.message)")
                throw ExitCode(1)
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "deploying \(request.stackName)"))")
                throw BadInput()
            }
            try report(outcome, stackName: request.stackName, console: console)
        }

        /// `--apply FILE`.
        func runApply(_ file: String, console: Console) throws {
            guard let bytes = FileManager.default.contents(atPath: file).map(Array.init) else {
                console.err("\(file): error: cannot read the plan file")
                throw BadInput()
            }
            guard let recorded = DeployPlan.read(bytes) else {
                console.err("\(file): error: not a plan written by `\(Stacks.executable) deploy --plan`")
                throw BadInput()
            }
            console.out(recorded.review)
            let deployer = try makeDeployer(stackName: recorded.stackName, console: console)
            let outcome: DeployOutcome
            do {
                outcome = try blocking { try await deployer.apply(recorded) }
            } catch let error as DeployError {
                console.err("error: \(error.message)")
                throw ExitCode(1)
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "applying \(file)"))")
                throw BadInput()
            }
            try report(outcome, stackName: recorded.stackName, console: console)
        }

        /// The session for a stage: its Region unless the environment or profile names one, and then they must
        /// agree (a stack deployed to another Region than its stage file says is priced and checked wrongly).
        static func session(for stage: (region: String, file: String)?, console: Console) throws -> AWSSession {
            let session = try AWSSession.resolve(defaultRegion: stage?.region, console: console)
            if let stage, session.resolved.region != stage.region {
                console.err(
                    "error: \(stage.file) deploys to \(stage.region) (region:), but AWS_REGION, AWS_DEFAULT_REGION or the profile says \(session.resolved.region); make them agree (or unset the variable: the stage's region is then used)"
                )
                throw BadInput()
            }
            return session
        }

        func makeDeployer(stackName: String, session given: AWSSession? = nil, console: Console) throws -> Deployer {
            let session = try given ?? AWSSession.resolve(console: console)
            console.err("credentials: \(session.resolved.source); region \(session.resolved.region)")
            var deployer: Deployer
            do {
                deployer = try session.deployer(console: console)
                let watchAgain = "\(Stacks.executable) status --stack-name \(stackName)"
                deployer.executing = {
                    WatchInterruption.install(
                        "\nstopped watching; the deployment goes on in CloudFormation. Watch it again: \(watchAgain)\n")
                }
                deployer.confirm = Terminal.confirm
                deployer.lambda = LambdaClient(caller: try session.caller("lambda"))
                deployer.apiGateway = APIGatewayClient(caller: try session.caller("apigateway"))
                deployer.driftWaitMs = driftWait > 0 ? Int64(driftWait) * 1000 : nil
                deployer.cloudWatch = CloudWatchClient(caller: try session.caller("monitoring"))
                deployer.codeDeploy = CodeDeployClient(caller: try session.caller("codedeploy"))
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "configuring the endpoints"))")
                throw BadInput()
            }
            return deployer
        }

        func report(_ outcome: DeployOutcome, stackName: String, console: Console) throws {
            switch outcome {
            case .noChanges:
                console.out("\(stackName): no changes; the empty change set was deleted\n")
            case .refused(let level):
                console.err(
                    "error: refused by --fail-on \(level): nothing was executed and the change set was deleted; a loss intended on purpose is accepted by naming the resource, its class and the reason in blueprints/acknowledged-losses.yaml (reviewed like code; docs/ci.md)"
                )
                throw ExitCode(1)
            case .needsApproval(let widening):
                console.err(
                    "error: approval needed and no terminal to ask (nothing waits in CI): \(widening.joined(separator: "; ")). The change set was deleted; --approve never deploys without asking"
                )
                throw ExitCode(1)
            case .declined:
                console.err("not approved: nothing was executed and the change set was deleted")
                throw ExitCode(1)
            case .hotswapped(let functions):
                console.out(
                    "\(stackName): hotswapped \(functions.joined(separator: ", ")) (no change set); the stack's code-key parameters name the old zips until the next deploy without --hotswap\n"
                )
            case .planned(let recorded):
                try FileSystem.write(try recorded.json(), to: plan ?? "plan.json")
                console.out(
                    "planned: change set \(recorded.changeSetName) of \(stackName), digest \(recorded.digest); execute it with: \(Stacks.executable) deploy --apply \(plan ?? "plan.json")\n"
                )
            case .failed(let reason, let status):
                console.err("error: \(stackName) is \(status): \(reason)")
                throw ExitCode(1)
            case .deployed(let stack):
                console.out("\(stackName): \(stack.status)\n")
                for output in stack.outputs { console.out("  \(output.key) = \(output.value)\n") }
                if let outputsFile {
                    let fields = stack.outputs.map { "  \(JSONText.quote($0.key)): \(JSONText.quote($0.value))" }
                    try FileSystem.write(Array("{\n\(fields.joined(separator: ",\n"))\n}\n".utf8), to: outputsFile)
                }
            }
        }

        /// The stage to deploy: the one named, or the project's only stage. With several and none named, deploy
        /// stops (exit 2) naming them: defaulting would send a change to production by omission.
        static func chosenStage(_ named: String?, among names: [String], console: Console) throws -> String? {
            if let named { return named }
            if names.count <= 1 { return names.first }
            console.err(
                "error: this project has \(names.count) stages (\(names.joined(separator: ", "))); say which to deploy with --stage, e.g. `\(Stacks.executable) deploy --stage \(names.first { $0 != "prod" } ?? names[0])`"
            )
            throw ExitCode(2)
        }

        /// The zips of the stage's handlers, read from output/artifacts and keyed by content; a missing or stale one
        /// is packaged first (as `\(Stacks.executable) package` does), unless `--skip-package`.
        func artifacts(project: Project, template: Template, stage: String, console: Console) throws
            -> [ArtifactUpload]
        {
            let wanted = Package.artifacts(in: template)
            let stale = wanted.compactMap { item in
                HandlerBuild.staleness(of: "output/artifacts/\(item.executable).zip", project: project).map {
                    (item, $0)
                }
            }
            if !stale.isEmpty {
                if skipPackage {
                    for (_, why) in stale {
                        console.err(
                            "error: \(why); run `\(Stacks.executable) package --stage \(stage)`, or deploy without --skip-package"
                        )
                    }
                    throw BadInput()
                }
                for (_, why) in stale {
                    console.err("\(why): packaging it first (as `\(Stacks.executable) package` does)")
                }
                var builder = HandlerBuild(
                    project: project, console: console, binaries: project.path(".build/release"),
                    outputPath: project.path("output/artifacts"), outputName: "output/artifacts")
                builder.report = { console.err($0) }
                try builder.build(stale.map(\.0.executable))
                _ = try builder.zip(stale.map(\.0))
            }
            let architectures = Package.architectures(in: template)
            return try wanted.map { executable, parameter in
                let path = "output/artifacts/\(executable).zip"
                guard let data = FileManager.default.contents(atPath: project.path(path)) else {
                    console.err("error: cannot read \(path)")
                    throw BadInput()
                }
                // Preflight: a zip built on a machine of the other architecture deploys and fails every call.
                let machine = ZipReader.firstEntryPrefix(Array(data)).map(ELFHeader.machine) ?? .notELF
                if let mismatch = ELFHeader.mismatch(machine, architecture: architectures[executable] ?? "x86_64") {
                    console.err(
                        "\(path): error: \(DiagnosticID.architectureMismatch): its bootstrap is \(mismatch); package it again on the right machine"
                    )
                    throw ExitCode(2)
                }
                let artifact = Artifact(executable: executable, keyParameter: parameter, zip: Array(data))
                return ArtifactUpload(key: artifact.s3Key, parameter: parameter, bytes: artifact.zip, path: path)
            }
        }
    }
}
