import CloudFormation
import Costing
import Foundation
import OrdersBlueprint
import StackDSL
import StackTesting
import Testing

/// `HTTPAPI`: the REST API's routes on API Gateway v2, and the one-line switch the cost suggestion names.
@Suite struct HTTPAPITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The orders stack with `RestAPI("OrdersApi")` written `HTTPAPI("OrdersApi")`, and nothing else changed.
    static func orders(http: Bool, authorizer: JWTAuthorizer? = nil) -> Stack {
        Stack("orders", description: "Orders service: accept, store and announce orders") {
            let orders = Table("Orders", partitionKey: "orderId")
            let events = Topic("OrderEvents", displayName: "Order events")
            let intake = Queue("OrderIntake")
            Function("OrderProcessor", handler: .orderProcessor).consumes(intake).writes(orders)
                .publishes(events, from: orders)
            let query = Function("OrderQuery", handler: .orderQuery).reads(orders)
            if http {
                HTTPAPI("OrdersApi", authorizer: authorizer) {
                    Route.post("/orders", validatedBy: .order, enqueueTo: intake)
                    Route.get("/orders/{orderId}", invoke: query)
                }
            } else {
                RestAPI("OrdersApi") {
                    Route.post("/orders", validatedBy: .order, enqueueTo: intake)
                    Route.get("/orders/{orderId}", invoke: query)
                }
            }
            Subscriber("InventoryFulfillment", to: events, filter: ["type": ["OrderAccepted"]])
            Subscriber("Accounting", to: events, filter: ["type": ["OrderAccepted"]])
            Monitoring("Operations")
        }
    }

    static func synthesize(_ stack: Stack, stage: String = "dev") throws -> StackAssertions {
        try StackAssertions.synthesize(stack, stage: stage, project: root.path)
    }

    @Test func theRoutesBecomeAnHTTPAPIWithTheStagesThrottleAndLogs() throws {
        let stack = try Self.synthesize(Self.orders(http: true))
        try stack.resourceCount("AWS::ApiGateway::RestApi", is: 0)
        try stack.hasResource("AWS::ApiGatewayV2::Api", properties: Fields([("ProtocolType", .string("HTTP"))]))
        let stage = try stack.hasResource(
            "AWS::ApiGatewayV2::Stage",
            properties: Fields([("StageName", .string("$default")), ("AutoDeploy", .bool(true))]))
        // blueprints/stages/dev.yaml: api.rateLimit 20, burstLimit 40.
        #expect(stage["DefaultRouteSettings"]?["ThrottlingRateLimit"] == .int(20))
        #expect(stage["DefaultRouteSettings"]?["ThrottlingBurstLimit"] == .int(40))
        #expect(stage["AccessLogSettings"]?["DestinationArn"] == .getAtt("OrdersApiAccessLogGroup", "Arn"))
        try stack.hasResource(
            "AWS::ApiGatewayV2::Integration",
            properties: Fields([
                ("IntegrationSubtype", .string("SQS-SendMessage")),
                (
                    "RequestParameters",
                    .map(Fields([("QueueUrl", .ref("OrderIntakeQueue")), ("MessageBody", .string("$request.body"))]))
                ),
            ]))
        try stack.hasResource(
            "AWS::ApiGatewayV2::Integration", properties: Fields([("PayloadFormatVersion", .string("1.0"))]))
        try stack.allows(
            exactly: ["sqs:SendMessage"], on: .getAtt("OrderIntakeQueue", "Arn"), role: "OrdersApiOrderIntakeSendRole")
        try stack.resourceCount("AWS::ApiGatewayV2::Route", is: 2)
        try stack.hasResource(
            "AWS::ApiGatewayV2::Route",
            properties: Fields([("RouteKey", .string("POST /orders")), ("AuthorizationType", .string("AWS_IAM"))]))
        try stack.noResourceIsPublic()
    }

    /// A JWT authorizer guards every route; without any authorization the routes are public, and StackTesting
    /// says so.
    @Test func aJWTAuthorizerGuardsEveryRoute() throws {
        let jwt = JWTAuthorizer(issuer: "https://auth.example.com/", audience: ["orders"])
        let stack = try Self.synthesize(Self.orders(http: true, authorizer: jwt))
        try stack.hasResource(
            "AWS::ApiGatewayV2::Authorizer",
            properties: Fields([
                ("AuthorizerType", .string("JWT")),
                (
                    "JwtConfiguration",
                    .map(
                        Fields([("Issuer", .string("https://auth.example.com/")), ("Audience", .strings(["orders"]))]))
                ),
            ]))
        for route in stack.resources(ofType: "AWS::ApiGatewayV2::Route") {
            #expect(route["AuthorizationType"] == .string("JWT"))
            #expect(route["AuthorizerId"] == .ref("OrdersApiAuthorizer"))
        }
        try stack.noResourceIsPublic()
        var template = stack.template
        for index in template.resources.indices where template.resources[index].type == "AWS::ApiGatewayV2::Route" {
            template.resources[index]["AuthorizationType"] = .string("NONE")
        }
        #expect(StackAssertions(template).publicResources().count == 2)
    }

    /// An HTTP API has no usage plans or API keys: a stage asking for them is refused, naming why.
    @Test func aStageWithAPIKeysIsRefused() throws {
        var stage = StageSettings(name: "dev", region: "us-east-1")
        stage.api.authorization = "api-key"
        stage.functionDefaults.reservedConcurrency = 20
        stage.alarms.email = "ops@example.com"
        #expect(throws: SynthesisError.self) {
            try Synthesizer.synthesize(Self.orders(http: true), stage: stage, schemas: ["order": .map(Fields())])
        }
        do {
            _ = try Synthesizer.synthesize(Self.orders(http: true), stage: stage, schemas: ["order": .map(Fields())])
        } catch {
            #expect(error.message.contains("OrdersApi is an HTTP API, which has no API keys or usage plans"))
        }
    }

    static func price(_ stack: Stack, profile: String) throws -> Estimate {
        let synthesized = try synthesize(stack, stage: "prod")
        let pricing = try String(
            contentsOf: root.appendingPathComponent("blueprints/pricing/us-east-1.yaml"), encoding: .utf8)
        let prices = try #require(PriceCatalogue.load(pricing, path: "us-east-1.yaml").catalogue)
        let file = root.appendingPathComponent("blueprints/profiles/\(profile).yaml")
        let loaded = TrafficProfile.load(try String(contentsOf: file, encoding: .utf8), path: file.path, name: profile)
        return Estimator.estimate(template: synthesized.template, profile: try #require(loaded.profile), prices: prices)
    }

    /// REST against HTTP API for the baseline profile (100,000 orders, no queries), checked by hand against
    /// blueprints/pricing/us-east-1.yaml: api_rest_requests $0.0000035 (first tier) x 100,000 = $0.35;
    /// api_http_requests $0.000001 x 100,000 = $0.10. Nothing else moves but the API's access log lines.
    @Test func theSwitchSavesWhatThePriceFileSays() throws {
        let rest = try Self.price(Self.orders(http: false), profile: "baseline")
        let http = try Self.price(Self.orders(http: true), profile: "baseline")
        let restLine = try #require(rest.lines.first { $0.item == "REST API requests" })
        let httpLine = try #require(http.lines.first { $0.item == "HTTP API requests" })
        // The month is integrated minute by minute: 100,000 within floating-point rounding.
        #expect(abs(restLine.quantity - 100_000) < 0.001 && abs(httpLine.quantity - 100_000) < 0.001)
        #expect(abs(restLine.cost - 0.35) < 0.000_001)
        #expect(abs(httpLine.cost - 0.10) < 0.000_001)
        #expect(!http.lines.contains { $0.item == "REST API requests" })
    }

    /// Two routes to one function and two routes into one queue: one permission and one role each, no collision.
    @Test func routesSharingAFunctionOrAQueueShareTheirGrants() throws {
        let stack = Stack("shared", description: "Two routes per target") {
            let intake = Queue("Intake")
            let items = Table("Items", partitionKey: "id")
            Function("Worker", handler: Handler(artifact: "worker")).consumes(intake).writes(items)
            let reader = Function("Reader", handler: Handler(artifact: "reader")).reads(items)
            HTTPAPI("Api") {
                Route.post("/items", validatedBy: Schema("item"), enqueueTo: intake)
                Route.post("/bulk", validatedBy: Schema("item"), enqueueTo: intake)
                Route.get("/items/{id}", invoke: reader)
                Route.get("/items", invoke: reader)
            }
        }
        var stage = StageSettings(name: "dev", region: "us-east-1")
        stage.functionDefaults.reservedConcurrency = 20
        let template = try Synthesizer.synthesize(stack, stage: stage, schemas: ["item": .map(Fields())]).template
        let assertions = StackAssertions(template)
        try assertions.resourceCount("AWS::ApiGatewayV2::Route", is: 4)
        try assertions.resourceCount("AWS::Lambda::Permission", is: 1)
        try assertions.resourceCount("AWS::IAM::Role", is: 3)
        let permission = try assertions.hasResource("AWS::Lambda::Permission")
        #expect(
            permission["SourceArn"]
                == .sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*", nil))
    }
}
