import AWSClients
import AWSSigV4
import Testing

@testable import DeployClients

/// GetApiKey over the REST JSON protocol, against recorded answers in the shape of the API reference's
/// ("GetApiKey", Amazon API Gateway REST API Reference: `GET /apikeys/api_Key?includeValue=includeValue`).
@Suite struct APIGatewayClientTests {
    static func client(_ transport: ReplayTransport) -> APIGatewayClient {
        let environment = AWSEnvironment(
            region: "us-east-1", credentials: Credentials(accessKeyId: "AKID", secretAccessKey: "secret"),
            environment: [:])
        return APIGatewayClient(
            caller: AWSCaller(
                transport: transport, environment: environment,
                endpoint: Endpoint(scheme: "https", host: "apigateway.us-east-1.amazonaws.com", port: 443),
                service: "apigateway", now: { 1_796_000_000_000 }))
    }

    @Test func theKeyValueIsAskedForWithASignedQuery() async throws {
        let transport = ReplayTransport([
            "GetApiKey": [
                (
                    200,
                    #"{"id":"k2m1abc","name":"orders-prod-OrdersApi-acme","enabled":true,"value":"v4lu3-of-the-key"}"#
                )
            ]
        ])
        #expect(try await Self.client(transport).apiKeyValue(id: "k2m1abc") == "v4lu3-of-the-key")
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.endpoint.path == "/apikeys/k2m1abc?includeValue=true")
        // The query is signed as the canonical query string, not as part of the path.
        let host = [("Host", "apigateway.us-east-1.amazonaws.com"), ("Content-Type", "application/json")]
        let expected = SigV4.sign(
            SignableRequest(
                method: "GET", path: "/apikeys/k2m1abc", query: [("includeValue", "true")], headers: host, body: []),
            credentials: Credentials(accessKeyId: "AKID", secretAccessKey: "secret"), region: "us-east-1",
            service: "apigateway", amzDate: AWSCaller.amzDate(1_796_000_000_000))
        let sent = request.headers.first { $0.0 == "Authorization" }?.1
        #expect(sent != nil && sent == expected.first { $0.0 == "Authorization" }?.1)
    }

    @Test func anUnknownKeyIsAServiceErrorNamingTheOperation() async throws {
        let transport = ReplayTransport([
            "GetApiKey": [(404, #"{"message":"Invalid API Key identifier specified"}"#)]
        ])
        await #expect {
            _ = try await Self.client(transport).apiKeyValue(id: "nope")
        } throws: { error in
            guard let error = error as? AWSServiceError else { return false }
            return error.operation == "GetApiKey" && error.status == 404
        }
    }
}
