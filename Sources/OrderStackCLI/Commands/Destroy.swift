import ArgumentParser
import DeployClients
import Deployment
import Foundation

extension OrderStack {
    /// `orderstack destroy`: delete a deployed stack, after saying what goes and what stays.
    public struct Destroy: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Delete a deployed stack: lists what is deleted and what stays behind under Retain, then asks.",
            discussion: """
                Reads the deployed template and lists the resources deletion removes, those deleted after a \
                snapshot, and those that stay behind under Retain (in a stack orderstack generates: each table, \
                still billed, outside any stack; log groups are deleted with their logs, and the KMS key is \
                scheduled for deletion after its 30-day waiting period). Asks on a terminal; without one it refuses unless --yes. Then deletes \
                the stack and prints each event until it is gone.

                Examples:
                  orderstack destroy --stack-name app-dev
                  orderstack destroy --stack-name app-dev --yes   # in CI
                """)

        @Option(name: .customLong("stack-name"), help: "The CloudFormation stack to delete.")
        var stackName: String

        @Flag(name: .long, help: "Delete without asking (the only way without a terminal).")
        var yes = false

        public init() {}

        public func run() throws {
            let console = Console()
            let session = try AWSSession.resolve(console: console)
            let name = stackName
            let deployer: Deployer
            do {
                var configured = try session.deployer(console: console)
                configured.executing = {
                    WatchInterruption.install(
                        "\nstopped watching; the deletion goes on in CloudFormation. Watch it: \(Stacks.executable) status --stack-name \(name)\n"
                    )
                }
                deployer = configured
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "configuring the endpoints"))")
                throw BadInput()
            }
            let plan: DestroyPlan
            do {
                guard let found = try blocking({ try await deployer.destroyPlan(name) }) else {
                    console.err("error: no stack named \(name) in \(session.resolved.region)")
                    throw ExitCode(1)
                }
                plan = found
            } catch let error as ExitCode {
                throw error
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "reading stack \(name)"))")
                throw BadInput()
            }
            console.out("\(name): what deleting it does\n" + plan.text)
            if !yes {
                switch Terminal.confirm("Delete stack \(name)?") {
                case true?: break
                case false?:
                    console.err("not deleted")
                    throw ExitCode(1)
                case nil:
                    console.err("error: no terminal to ask; nothing was deleted. --yes deletes without asking")
                    throw ExitCode(1)
                }
            }
            let outcome: DeployOutcome
            do {
                outcome = try blocking { try await deployer.destroy(plan, stackName: name) }
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "deleting \(name)"))")
                throw BadInput()
            }
            switch outcome {
            case .failed(let reason, let status):
                console.err("error: \(name) is \(status): \(reason)")
                throw ExitCode(1)
            default:
                console.out(
                    "\(name): deleted\(plan.retained.isEmpty ? "" : "; \(plan.retained.count) retained resource(s) remain")\n"
                )
            }
        }
    }
}
