import AWSClients
import ArgumentParser
import DeployClients
import Deployment

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension OrderStack {
    /// `orderstack bootstrap`: the stack an account and Region need once before their first deploy.
    public struct Bootstrap: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Prepare an account and Region for deploys: the artifact bucket and API Gateway's logging role.",
            discussion: """
                Deploys (or updates) the stack orderstack-bootstrap: an S3 bucket for handler zips (encrypted, \
                versioned, TLS-only, public access blocked, old versions expired) and, when the account has none in \
                this Region, the role API Gateway needs to write any stage's logs, which it then sets in the \
                account's API Gateway settings. A role already set is left alone. Safe to run again; app stacks \
                never own what it creates, and `orderstack destroy` never touches it. `deploy` finds the bucket \
                here when --bucket is not given.

                Examples:
                  orderstack bootstrap
                  orderstack bootstrap --region eu-west-1
                """)

        @Option(name: .long, help: "The Region to prepare (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's).")
        var region: String?

        @Option(name: .customLong("stack-name"), help: "The bootstrap stack's name.")
        var stackName: String = Deployment.Bootstrap.stackName

        public init() {}

        public func run() throws {
            let console = Console()
            var variables = ProcessInfo.processInfo.environment
            if let region { variables["AWS_REGION"] = region }
            let session = try AWSSession.resolve(environment: variables, console: console)
            let region = session.resolved.region
            console.err("credentials: \(session.resolved.source); region \(region)")
            let clients: (Deployer, APIGatewayClient)
            do {
                clients = (
                    try session.deployer(console: console), APIGatewayClient(caller: try session.caller("apigateway"))
                )
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "configuring the endpoints"))")
                throw BadInput()
            }
            let name = stackName
            do {
                let summary = try blocking {
                    try await Self.bootstrap(stackName: name, deployer: clients.0, apiGateway: clients.1)
                }
                console.out(summary)
            } catch let error as DeployError {
                console.err("error: \(error.message)")
                throw ExitCode(1)
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "bootstrapping \(region)"))")
                throw ExitCode(1)
            }
        }

        /// Deploys the bootstrap stack, with the logging role when the account has none or the stack already
        /// holds it, then points the account setting at that role when none is set. The summary to print.
        static func bootstrap(stackName: String, deployer: Deployer, apiGateway: APIGatewayClient) async throws
            -> String
        {
            let existing = try await deployer.cloudFormation.describeStack(stackName)
            let accountRole = try await apiGateway.cloudWatchRoleArn()
            let before = existing == nil ? [:] : try await deployer.cloudFormation.physicalIds(stackName: stackName)
            let holdsRole = before["ApiGatewayCloudWatchRole"] != nil
            let loggingRole = accountRole == nil || holdsRole
            var request = DeployRequest(
                stackName: stackName, templateBody: Deployment.Bootstrap.templateBody(loggingRole: loggingRole),
                template: Deployment.Bootstrap.template(loggingRole: loggingRole), parameters: [], tags: [],
                bucket: "", bucketParameter: "", artifacts: [], failOn: .dataLoss)
            // orderstack's own fixed stack: its one role carries AWS's managed policy for API Gateway logging.
            request.approval = .never
            let outcome = try await deployer.deploy(request, review: { _ in })
            let stack: StackDescription?
            switch outcome {
            case .deployed(let deployed): stack = deployed
            case .noChanges: stack = existing
            case .failed(let reason, let status): throw DeployError("\(stackName) is \(status): \(reason)")
            default: throw DeployError("\(stackName) was not deployed: its change was refused or not approved")
            }
            let physicalIds = try await deployer.cloudFormation.physicalIds(stackName: stackName)
            guard let bucket = Deployment.Bootstrap.bucket(in: stack, physicalIds: physicalIds) else {
                throw DeployError("\(stackName) has no artifact bucket")
            }
            var lines = [
                "\(stackName) in \(deployer.region): \(outcome == .noChanges ? "up to date" : "deployed")",
                "  artifact bucket: \(bucket) (deploy uses it when --bucket is not given)",
            ]
            if let accountRole {
                lines.append("  API Gateway logging role: already set for the account (\(accountRole)); left alone")
            } else if let role = Deployment.Bootstrap.roleArn(in: stack, physicalIds: physicalIds) {
                try await setRole(role, apiGateway: apiGateway, sleep: deployer.sleep)
                lines.append("  API Gateway logging role: \(role), now the account's setting in \(deployer.region)")
            }
            return lines.joined(separator: "\n") + "\n"
        }

        /// Sets the account's role, retrying while IAM has not yet propagated a role created seconds before:
        /// UpdateAccount checks the role when called and refuses a new one with a 400 for a while (IAM User Guide,
        /// eventual consistency). Every 10 s for 2 minutes, then the last refusal.
        static func setRole(
            _ role: String, apiGateway: APIGatewayClient, sleep: @Sendable (Int64) async throws -> Void
        ) async throws {
            for attempt in 1...12 {
                do {
                    return try await apiGateway.setCloudWatchRoleArn(role)
                } catch let error as AWSServiceError
                    where attempt < 12 && error.status == 400
                    && (error.message.contains("role ARN does not have required permissions")
                        || error.message.contains("could not successfully write to CloudWatch Logs"))
                {
                    try await sleep(10_000)
                }
            }
        }
    }
}
