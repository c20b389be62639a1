import ArgumentParser

/// The `orderstack` command: owns the orders system as code.
public struct OrderStack: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "orderstack",
        abstract: "Own the serverless orders system as code: synthesize, check and draw its CloudFormation.",
        discussion: """
            Run from the repository root (or pass --project). The architecture is the Swift blueprint in
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
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Console().out(message + "\n") }
                Console.terminate(0)
            }
            if !message.isEmpty { Console().err(message) }
            if error is BadInput { Console.terminate(2) }
            Console.terminate(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Options every command that reads the project shares.
public struct ProjectOptions: ParsableArguments {
    /// The project root.
    @Option(name: .long, help: "The project root, the folder that holds blueprints/ (default: current folder).")
    public var project: String = "."

    public init() {}

    var location: Project { Project(root: project) }
}
