import ArgumentParser
import DeployClients
import Foundation
import StackDSL

extension OrderStack {
    /// `orderstack api-key`: the partners of a deployed stack, and one partner's API key written where the user
    /// says: the only command that reveals a key.
    public struct APIKey: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "api-key",
            abstract: "List a deployed stack's partners, or write one partner's API key to a file.",
            discussion: """
                Partners are declared per stage under api.partners; each has an API key and a usage plan. Without \
                --partner, lists them with their key IDs (never values). With --partner, reads the key's value \
                (API Gateway GetApiKey) and writes it where you say: --out FILE creates the file readable only by \
                you (an existing file is refused), --stdout prints it alone on standard output. Nothing else \
                orderstack prints ever contains a key. Exit 0 on success, 1 when the stack or partner does not \
                exist, 2 for bad input or credentials.

                Examples:
                  orderstack api-key --stack-name app-prod
                  orderstack api-key --stack-name app-prod --partner wholesale-acme --out acme.key
                """)

        @Option(name: .customLong("stack-name"), help: "The CloudFormation stack name.")
        var stackName: String

        @Option(name: .long, help: "The partner whose key to write (its name under api.partners).")
        var partner: String?

        @Option(name: .long, help: "Write the key to this new file, readable only by you.")
        var out: String?

        @Flag(name: .long, help: "Print the key alone on standard output (for a pipe into a secret store).")
        var stdout = false

        public init() {}

        public func validate() throws {
            if out != nil && stdout { throw ValidationError("give --out FILE or --stdout, not both") }
            if partner == nil && (out != nil || stdout) { throw ValidationError("--out and --stdout need --partner") }
            if partner != nil && out == nil && !stdout {
                throw ValidationError(
                    "say where the key goes: --out FILE (a new file readable only by you) or --stdout")
            }
        }

        public func run() throws {
            let console = Console()
            let session = try AWSSession.resolve(console: console)
            let name = stackName
            let outputs: [StackOutput]
            do {
                let client = CloudFormationClient(caller: try session.caller("cloudformation"))
                guard let stack = try blocking({ try await client.describeStack(name) }) else {
                    console.err("error: no stack named \(name) in \(session.resolved.region)")
                    throw ExitCode(1)
                }
                outputs = stack.outputs
            } catch let error as ExitCode {
                throw error
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "reading stack \(name)"))")
                throw BadInput()
            }
            let partners = Self.partnerKeys(outputs)
            guard let partner else {
                console.out(Self.listing(partners, stack: name))
                return
            }
            let logical = StageSettings.Partner(name: partner).logicalName
            guard let keyId = partners.first(where: { $0.name == logical })?.keyId else {
                let known = partners.map(\.name).joined(separator: ", ")
                console.err(
                    "error: stack \(name) has no partner '\(partner)'\(known.isEmpty ? " (it declares none)" : "; its partners: \(known)")"
                )
                throw ExitCode(1)
            }
            try reveal(keyId: keyId, partner: partner, session: session, console: console)
        }

        /// Reads the key's value and writes it to `--out` or standard output, saying where it went on stderr.
        func reveal(keyId: String, partner: String, session: AWSSession, console: Console) throws {
            if let out, FileManager.default.fileExists(atPath: out) {
                console.err("error: \(out) exists; the key is written only to a new file (remove it, or name another)")
                throw BadInput()
            }
            let value: String?
            do {
                let client = APIGatewayClient(caller: try session.caller("apigateway"))
                value = try blocking { try await client.apiKeyValue(id: keyId) }
            } catch {
                console.err("error: \(AWSSession.explain(error, what: "reading API key \(keyId)"))")
                throw BadInput()
            }
            guard let value else {
                console.err("error: API Gateway returned no value for API key \(keyId)")
                throw BadInput()
            }
            guard let out else {
                console.out(value + "\n")
                console.err(
                    "the API key of partner \(partner) (key ID \(keyId)) is on standard output, and nowhere else")
                return
            }
            do {
                try FileSystem.write(value + "\n", to: out, mode: 0o600)
            } catch {
                console.err("error: \(error)")
                throw BadInput()
            }
            console.err(
                "wrote the API key of partner \(partner) (key ID \(keyId)) to \(out), readable only by you; hand it over on a channel you trust, then delete the file"
            )
        }

        /// The partners' key IDs from the stack's outputs (`<Api>Partner<Name>KeyId`), by logical name.
        static func partnerKeys(_ outputs: [StackOutput]) -> [(name: String, keyId: String)] {
            outputs.compactMap { output -> (String, String)? in
                guard output.key.hasSuffix("KeyId"), let range = output.key.range(of: "Partner") else { return nil }
                return (String(output.key[range.upperBound...].dropLast(5)), output.value)
            }.sorted { $0.0 < $1.0 }
        }

        /// `partners of orders-prod (keys: orderstack api-key --partner NAME --out FILE)`, one line each.
        static func listing(_ partners: [(name: String, keyId: String)], stack: String) -> String {
            guard !partners.isEmpty else { return "\(stack) declares no partners (api.partners in the stage file)\n" }
            return "partners of \(stack), with their API key IDs (a key's value: --partner NAME --out FILE):\n"
                + partners.map { "  \($0.name)  \($0.keyId)\n" }.joined()
        }
    }
}
