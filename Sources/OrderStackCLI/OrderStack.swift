import ArgumentParser
import SourceDiagnostics
import StackDSL

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `orderstack` command: owns a project's stacks as code. Its name in help and usage is the executable's
/// (`webhooks` in a project of one's own).
public struct OrderStack: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Stacks.executable,
            abstract:
                "Own serverless stacks as code: synthesize, check, price, simulate and draw their CloudFormation.",
            discussion: """
                Run anywhere inside the project (the folder holding blueprints/, found upward as git does) or pass \
                --project. The stacks are the Swift blueprints this executable was built with; stage settings are \
                blueprints/stages/*.yaml, and --stack NAME picks one stack where there are several.

                Exit status: 0 success, 1 findings or a failed check, 2 bad input or usage.
                """,
            version: OrderStack.version,
            subcommands: [
                Synth.self, Validate.self, Diff.self, Cost.self, Simulate.self, Profiles.self, Pricing.self, Graph.self,
                Package.self, Bootstrap.self, Deploy.self, Status.self, APIKey.self, Destroy.self, Local.self,
                Load.self,
                Logs.self, Trace.self, Drift.self, Init.self,
            ]
        )
    }

    public init() {}

    /// This release's version (`orderstack --version`); releases are tagged `<version>`, e.g. `0.9.0` (docs/your-own-stack.md).
    public static let version = "0.9.0"

    /// The entry point of a project's executable: registers `stacks`, parses `arguments` (default: the process's),
    /// runs the subcommand, and exits with 0, 1 or 2 (usage errors are 2, not 64).
    ///
    ///     import MyBlueprint
    ///     import OrderStackCLI
    ///     OrderStack.main(stacks: [MyBlueprint.stack], blueprint: BlueprintSources.fingerprint)
    ///
    /// `blueprint` is what the `BlueprintFingerprint` build plugin records of the blueprint's sources; with it, a
    /// binary refuses to synthesize a project whose blueprint sources differ from the ones it was built from.
    public static func main(stacks: [Stack], blueprint: BlueprintFingerprint? = nil, _ arguments: [String]? = nil)
        -> Never
    {
        Console.terminate(status(stacks: stacks, blueprint: blueprint, arguments))
    }

    /// Runs one command line with `stacks` registered and returns its exit status instead of exiting.
    static func status(stacks: [Stack], blueprint: BlueprintFingerprint? = nil, _ arguments: [String]?) -> Int32 {
        var registry = Stacks.Registry(stacks: stacks, fingerprint: blueprint)
        if let name = CommandLine.arguments.first?.split(separator: "/").last, !name.isEmpty {
            registry.executable = String(name)
        }
        return Stacks.$current.withValue(registry) { status(arguments) }
    }

    /// Runs one command line in this process with `stacks` registered and its output captured instead of
    /// written: the seam for testing a CLI (orderstack's, or a project's own) without starting a process.
    /// The registry and the console are the calling task's, so the commands that read and write files (synth,
    /// validate, cost, simulate, graph, profiles, diff between files) run side by side; those that talk to AWS,
    /// start processes or run a stage (`deploy`, `status`, `local`, `load`, `cost --base`) are for the real
    /// executable: they wait on the cooperative pool, share signal handling and write to the terminal.
    public static func run(
        _ arguments: [String], stacks: [Stack], blueprint: BlueprintFingerprint? = nil,
        executable: String = "orderstack"
    ) -> CommandOutput {
        let output = CommandOutput()
        let sink = ConsoleSink { text, stream in output.append(text, to: stream) }
        let registry = Stacks.Registry(stacks: stacks, fingerprint: blueprint, executable: executable)
        let status = Console.$current.withValue(sink) {
            Stacks.$current.withValue(registry) { self.status(arguments) }
        }
        output.status = status
        return output
    }

    /// Parses and runs `arguments` with the registry bound; the exit status.
    private static func status(_ arguments: [String]?) -> Int32 {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        // Only with --help: ArgumentParser names an unknown command itself otherwise (and the names' lookup costs
        // milliseconds at every start).
        if given.contains("--help") || given.contains("-h"), let first = given.first, !first.hasPrefix("-"),
            first != "help", !configuration.subcommands.contains(where: { $0._commandName == first })
        {
            // ArgumentParser would print the root help for `orderstack bogus --help` and exit 0.
            let names = configuration.subcommands.map { $0._commandName }
            Console().err("error: unknown command '\(first)'; the commands are: \(names.joined(separator: ", "))")
            return 2
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch is BadInput {
            return 2
        } catch let failure as FileFailure {
            Console().err(failure.line)
            return 2
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Console().out(message + "\n") }
                return 0
            }
            if !message.isEmpty { Console().err(message + hint(for: message, given: given)) }
            return code == .validationFailure ? 2 : code.rawValue
        }
    }
}

extension OrderStack {
    /// More for a usage error the parser words alone: a misspelt required option is reported by the parser as
    /// missing, so the misspelling is named; an AWS profile is chosen with `AWS_PROFILE`, not `--profile`.
    static func hint(for message: String, given: [String]) -> String {
        if let match = message.firstMatch(of: /Missing expected argument '--([a-z-]+)/) {
            let wanted = String(match.1)
            let typed = given.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2).prefix { $0 != "=" }) }
            if let near = typed.first(where: { $0 != wanted && Spelling.nearest($0, in: [wanted]) != nil }) {
                return "\nerror: '--\(near)' is not an option of this command; did you mean '--\(wanted)'?"
            }
        }
        if let match = message.firstMatch(of: /Unknown option '--([a-z-]+)'/),
            Spelling.nearest(String(match.1), in: ["profile"]) != nil
        {
            return "\nAWS credentials come from the environment: AWS_PROFILE=NAME picks a profile of ~/.aws/config"
        }
        return ""
    }
}

/// Options every command that reads the project shares.
public struct ProjectOptions: ParsableArguments {
    /// The project root, when given.
    @Option(
        name: .long,
        help:
            "The project root, the folder that holds blueprints/ (default: the nearest such folder, from here upward).")
    public var project: String?

    public init() {}

    /// The project if there is one, without a message when there is none.
    var found: Project? {
        project.map { Project(root: $0) } ?? Project.discover(from: FileManager.default.currentDirectoryPath)
    }

    /// The project: `--project`, else found by walking up from the current folder as git and SwiftPM do.
    /// - Throws: `BadInput` after naming `--project` when no folder upward holds `blueprints/`.
    var location: Project {
        get throws {
            if let project {
                guard FileManager.default.fileExists(atPath: project) else {
                    Console().err("error: --project \(project): no such folder")
                    throw BadInput()
                }
                guard FileManager.default.fileExists(atPath: "\(project)/blueprints/stages") else {
                    Console().err(
                        "error: --project \(project) is not an orderstack project (it has no blueprints/stages folder)")
                    throw BadInput()
                }
                return Project(root: project)
            }
            if let found = Project.discover(from: FileManager.default.currentDirectoryPath) { return found }
            Console().err(
                "error: no orderstack project in \(FileManager.default.currentDirectoryPath) or any folder above it "
                    + "(a project is the folder that holds blueprints/stages); run from inside one or pass --project DIR"
            )
            throw BadInput()
        }
    }
}
