import AWSClients
import ArgumentParser
import DeployClients
import Deployment
import Foundation

extension OrderStack {
    /// `orderstack drift`: what was changed by hand in a deployed stack.
    public struct Drift: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Detect what was changed by hand in a deployed stack, property by property.",
            discussion: """
                Runs CloudFormation's drift detection on the stack, waits for it and prints each resource that \
                was modified or deleted outside CloudFormation with each property's expected and actual value. \
                Uses the credentials and endpoints `deploy` uses. `diff --deployed` and `deploy` run the same \
                detection and say when the live stack has drifted: their review compares templates and does not \
                include hand changes.

                Exit status: 0 in sync, 1 drifted (or the detection did not finish), 2 bad input or credentials.

                Examples:
                  orderstack drift --stack-name app-prod
                """)

        @Option(name: .customLong("stack-name"), help: "The CloudFormation stack name.")
        var stackName: String

        @Option(name: .long, help: "How many seconds to wait for the detection.")
        var wait = 300

        public init() {}

        public func validate() throws {
            if wait < 1 { throw ValidationError("--wait takes a number of seconds, at least 1") }
        }

        public func run() throws {
            let console = Console()
            let session = try AWSSession.resolve(console: console)
            let report: DriftReport
            do {
                let check = DriftCheck.live(try session.caller("cloudformation"))
                let name = stackName
                let waitMs = Int64(wait) * 1000
                report = try blocking { try await check.run(name, waitMs: waitMs) }
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "detecting the drift of \(stackName)"))")
                throw BadInput()
            }
            console.out(report.text)
            if report.hasDrifted || report.timedOut || report.detection.status == "DETECTION_FAILED" {
                throw ExitCode(1)
            }
        }
    }
}

extension DriftCheck {
    /// A check on the wall clock.
    static func live(_ caller: AWSCaller) -> DriftCheck {
        DriftCheck(
            cloudFormation: CloudFormationClient(caller: caller), now: { Int64(Date().timeIntervalSince1970 * 1000) },
            sleep: { try await Task.sleep(nanoseconds: UInt64(max(0, $0)) * 1_000_000) })
    }
}
