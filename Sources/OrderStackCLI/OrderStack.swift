import ArgumentParser

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `orderstack` command: owns the orders system as code.
public struct OrderStack: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "orderstack",
        abstract: "Own the serverless orders system as code: synthesize, check and draw its CloudFormation.",
        discussion: """
            Run anywhere inside the project (the folder holding blueprints/, found upward as git does) or pass --project. The architecture is the Swift blueprint in \
            blueprints/OrdersStack.swift; stage settings are blueprints/stages/*.yaml.

            Exit status: 0 success, 1 findings or a failed check, 2 bad input or usage.
            """,
        subcommands: [
            Synth.self, Validate.self, Diff.self, Cost.self, Simulate.self, Profiles.self, Pricing.self, Graph.self,
            Package.self,
        ]
    )

    public init() {}

    /// Parses `arguments`, runs the subcommand, and exits with 0, 1 or 2 (usage errors are 2, not 64).
    public static func main(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Console.terminate(0)
        } catch is BadInput {
            Console.terminate(2)
        } catch let failure as FileFailure {
            Console().err(failure.line)
            Console.terminate(2)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Console().out(message + "\n") }
                Console.terminate(0)
            }
            if !message.isEmpty { Console().err(message) }
            Console.terminate(code == .validationFailure ? 2 : code.rawValue)
        }
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

    /// The project: `--project`, else found by walking up from the current folder as git and SwiftPM do.
    /// - Throws: `BadInput` after naming `--project` when no folder upward holds `blueprints/`.
    var location: Project {
        get throws {
            if let project { return Project(root: project) }
            if let found = Project.discover(from: FileManager.default.currentDirectoryPath) { return found }
            Console().err(
                "error: no orderstack project in \(FileManager.default.currentDirectoryPath) or any folder above it "
                    + "(a project is the folder that holds blueprints/stages); run from inside one or pass --project DIR"
            )
            throw BadInput()
        }
    }
}
