import ArgumentParser
import DeployClients

extension OrderStack {
    /// `orderstack status`: a deployed stack's state, its latest events and its outputs.
    public struct Status: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print a deployed stack's state, its latest events and its outputs.",
            discussion: """
                Uses the credentials and endpoints `orderstack deploy` uses. Exit 0 when the stack exists, 1 when \
                it does not, 2 for bad credentials or an unreachable endpoint.

                Examples:
                  orderstack status --stack-name app-dev
                """)

        @Option(name: .customLong("stack-name"), help: "The CloudFormation stack name.")
        var stackName: String

        @Option(name: .long, help: "How many of the latest events to print.")
        var events = 10

        public init() {}

        public func run() throws {
            let console = Console()
            let session = try AWSSession.resolve(console: console)
            let (stack, recent): (StackDescription?, [StackEvent])
            do {
                let client = CloudFormationClient(caller: try session.caller("cloudformation"))
                let name = stackName
                (stack, recent) = try blocking {
                    guard let stack = try await client.describeStack(name) else { return (nil, []) }
                    return (stack, try await client.events(name, pages: 1))
                }
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "reading stack \(stackName)"))")
                throw BadInput()
            }
            guard let stack else {
                console.err("error: no stack named \(stackName) in \(session.resolved.region)")
                throw ExitCode(1)
            }
            console.out("\(stack.name): \(stack.status)\(stack.statusReason.map { " (\($0))" } ?? "")\n")
            for event in recent.prefix(events).reversed() {
                console.out(
                    "  \(event.timestamp)  \(event.logicalId)  \(event.status)\(event.reason.map { "  \($0)" } ?? "")\n"
                )
            }
            for output in stack.outputs { console.out("  \(output.key) = \(output.value)\n") }
        }
    }
}
