import AWSClients
import DeployClients
import Foundation
import Testing

@testable import OrderStackCLI

/// `bootstrap` sets the account's logging role right after creating it: UpdateAccount refuses a role IAM has not
/// propagated yet (400, AWS's words replayed here), so the call is retried every 10 s for up to 2 minutes.
@Suite struct BootstrapCommandTests {
    final class Answers: AWSTransport, @unchecked Sendable {
        var queue: [(Int, String)]
        var calls = 0
        init(_ queue: [(Int, String)]) { self.queue = queue }
        func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
            calls += 1
            let (status, body) = queue.count > 1 ? queue.removeFirst() : queue[0]
            return AWSHTTPResponse(status: status, body: Array(body.utf8))
        }
    }

    final class Sleeps: @unchecked Sendable { var total: Int64 = 0 }

    static let notYet = (
        400,
        #"{"message":"The role ARN does not have required permissions set to API Gateway"}"#
    )

    static func client(_ transport: Answers) -> APIGatewayClient {
        APIGatewayClient(
            caller: AWSCaller(
                transport: transport,
                environment: AWSEnvironment(
                    region: "us-east-1", credentials: .init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s"),
                    environment: [:]),
                endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: 5000), service: "apigateway",
                now: { 1_795_000_000_000 }))
    }

    @Test func aRoleIAMHasNotPropagatedIsRetriedUntilAccepted() async throws {
        let transport = Answers([Self.notYet, Self.notYet, (200, #"{"cloudwatchRoleArn":"arn:r"}"#)])
        let sleeps = Sleeps()
        try await OrderStack.Bootstrap.setRole(
            "arn:r", apiGateway: Self.client(transport), sleep: { sleeps.total += $0 })
        #expect(transport.calls == 3 && sleeps.total == 20_000)
    }

    @Test func otherRefusalsAndAPersistentOneEndTheCommand() async {
        let other = Answers([(400, #"{"message":"Invalid ARN specified in the request"}"#)])
        await #expect(throws: AWSServiceError.self) {
            try await OrderStack.Bootstrap.setRole("bad", apiGateway: Self.client(other), sleep: { _ in })
        }
        #expect(other.calls == 1)
        let never = Answers([Self.notYet])
        let sleeps = Sleeps()
        await #expect(throws: AWSServiceError.self) {
            try await OrderStack.Bootstrap.setRole(
                "arn:r", apiGateway: Self.client(never), sleep: { sleeps.total += $0 })
        }
        #expect(never.calls == 12 && sleeps.total == 110_000)
    }
}
