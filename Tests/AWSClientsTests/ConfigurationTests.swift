import Testing

@testable import AWSClients

@Suite struct ConfigurationTests {
    static let lambda = [
        "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_SESSION_TOKEN": "token", "ORDERS_TABLE_NAME": "orders",
    ]

    @Test func endpointURLs() {
        #expect(Endpoint(url: "http://127.0.0.1:5000") == Endpoint(scheme: "http", host: "127.0.0.1", port: 5000))
        #expect(Endpoint(url: "https://dynamodb.eu-west-1.amazonaws.com")?.port == 443)
        #expect(
            Endpoint(url: "https://dynamodb.eu-west-1.amazonaws.com")?.hostHeader == "dynamodb.eu-west-1.amazonaws.com")
        #expect(Endpoint(url: "http://localhost:4566/base")?.path == "/base")
        #expect(Endpoint(url: "http://localhost:4566")?.hostHeader == "localhost:4566")
        #expect(Endpoint(url: "http://localhost:4566")?.url == "http://localhost:4566/")
        #expect(Endpoint(url: "ftp://example.com") == nil)
        #expect(Endpoint(url: "http://host:99999") == nil)
        #expect(Endpoint(url: "http://") == nil)
    }

    @Test func readsRegionCredentialsAndEndpoints() throws {
        let environment = try AWSEnvironment(Self.lambda)
        #expect(environment.region == "eu-west-1")
        #expect(environment.credentials.sessionToken == "token")
        #expect(try environment.endpoint(for: "dynamodb").url == "https://dynamodb.eu-west-1.amazonaws.com/")
        var overridden = Self.lambda
        overridden["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000"
        overridden["AWS_ENDPOINT_URL_SNS"] = "http://127.0.0.1:6000"
        let local = try AWSEnvironment(overridden)
        #expect(try local.endpoint(for: "dynamodb").port == 5000)
        #expect(try local.endpoint(for: "sns").port == 6000, "the service-specific override wins")
        #expect(try local.required("ORDERS_TABLE_NAME") == "orders")
    }

    @Test(arguments: ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
    func missingVariablesAreNamed(variable: String) {
        var environment = Self.lambda
        environment[variable] = nil
        #expect(throws: ConfigurationError(variable: variable, problem: "is not set")) {
            try AWSEnvironment(environment)
        }
    }

    @Test func badValuesAreNamed() throws {
        var environment = Self.lambda
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = "localhost:5000"
        let aws = try AWSEnvironment(environment)
        #expect(throws: ConfigurationError.self) { try aws.endpoint(for: "dynamodb") }
        #expect(throws: ConfigurationError(variable: "ORDER_EVENTS_TOPIC_ARN", problem: "is not set")) {
            try aws.required("ORDER_EVENTS_TOPIC_ARN")
        }
        environment["AWS_REGION"] = "eu west"
        #expect(throws: ConfigurationError.self) { try AWSEnvironment(environment) }
        #expect(AWSCaller.amzDate(1_795_000_000_123) == "20261118T110640Z")
    }
}
