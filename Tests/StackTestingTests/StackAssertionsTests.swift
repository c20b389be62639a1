import CloudFormation
import Foundation
import OrdersBlueprint
import StackDSL
import StackTesting
import Testing

/// StackTesting on the orders stack as `synth` writes it, and on templates made to fail each assertion.
@Suite struct StackAssertionsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func orders(_ stage: String = "dev") throws -> StackAssertions {
        try StackAssertions.synthesize(OrdersBlueprint.stack, stage: stage, project: root)
    }

    static func template(_ resources: [Resource]) -> StackAssertions {
        var template = Template()
        template.resources = resources
        return StackAssertions(template)
    }

    @Test func itFindsResourcesByTypeAndProperties() throws {
        let stack = try Self.orders()
        let table = try stack.hasResource(
            "AWS::DynamoDB::Table", properties: Fields([("BillingMode", .string("PAY_PER_REQUEST"))]))
        #expect(table.logicalId == "OrdersTable")
        // A map matches a map holding at least its keys.
        try stack.hasResource(
            "AWS::DynamoDB::Table",
            properties: Fields([
                ("PointInTimeRecoverySpecification", .map(Fields([("PointInTimeRecoveryEnabled", .bool(true))])))
            ]))
        try stack.resourceCount("AWS::DynamoDB::Table", is: 1)
        try stack.resourceCount("AWS::S3::Bucket", is: 0)
    }

    @Test func aResourceOrCountThatIsNotThereFails() throws {
        let stack = try Self.orders()
        #expect(throws: StackAssertionFailure("no resource of type AWS::S3::Bucket")) {
            try stack.hasResource("AWS::S3::Bucket")
        }
        #expect(
            throws: StackAssertionFailure(
                "no AWS::DynamoDB::Table has the properties {BillingMode: \"PROVISIONED\"}; the template's: OrdersTable"
            )
        ) {
            try stack.hasResource(
                "AWS::DynamoDB::Table", properties: Fields([("BillingMode", .string("PROVISIONED"))]))
        }
        #expect(throws: StackAssertionFailure("expected 2 of AWS::DynamoDB::Table, found 1: OrdersTable")) {
            try stack.resourceCount("AWS::DynamoDB::Table", is: 2)
        }
    }

    /// The processor's role, reached through the function, allows exactly what its wiring needs on the table.
    @Test func itChecksWhatARoleAllowsExactly() throws {
        let stack = try Self.orders()
        let table = Value.getAtt("OrdersTable", "Arn")
        let role = try #require(
            stack.resources(ofType: "AWS::IAM::Role").first { $0.logicalId.hasPrefix("OrderQuery") })
        try stack.allows(exactly: ["dynamodb:GetItem"], on: table, role: "OrderQueryFunction")
        try stack.allows(exactly: ["dynamodb:GetItem"], on: table, role: role.logicalId)
        #expect(throws: StackAssertionFailure.self) {
            try stack.allows(exactly: ["dynamodb:GetItem", "dynamodb:PutItem"], on: table, role: "OrderQueryFunction")
        }
        #expect(throws: StackAssertionFailure.self) {
            try stack.allows(exactly: [], on: table, role: "OrderQueryFunction")
        }
        // In prod the role also allows X-Ray on `*`: not counted on a table.
        try Self.orders("prod").allows(exactly: ["dynamodb:GetItem"], on: table, role: "OrderQueryFunction")
        #expect(throws: StackAssertionFailure("no resource Nowhere in the template")) {
            try stack.allows(exactly: [], on: table, role: "Nowhere")
        }
        #expect(throws: StackAssertionFailure("OrdersTable is a AWS::DynamoDB::Table, not an IAM role or a function")) {
            try stack.allows(exactly: [], on: table, role: "OrdersTable")
        }
    }

    /// A statement added in a separate policy, or one with a wildcard resource, counts.
    @Test func attachedPoliciesAndWildcardsCount() {
        let statement = Value.map(
            Fields([
                ("Effect", .string("Allow")), ("Action", .string("sqs:*")), ("Resource", .string("*")),
            ]))
        let stack = Self.template([
            Resource("Role", type: "AWS::IAM::Role"),
            Resource(
                "Extra", type: "AWS::IAM::Policy",
                properties: Fields([
                    ("Roles", .list([.ref("Role")])),
                    ("PolicyDocument", .map(Fields([("Statement", .list([statement]))]))),
                ])),
        ])
        #expect(
            throws: StackAssertionFailure(
                "Role on !GetAtt Queue.Arn: does not allow sqs:sendmessage; also allows sqs:*")
        ) {
            try stack.allows(exactly: ["sqs:SendMessage"], on: .getAtt("Queue", "Arn"), role: "Role")
        }
    }

    @Test func theOrdersStackHasNothingPublic() throws {
        try Self.orders().noResourceIsPublic()
        try Self.orders("prod").noResourceIsPublic()
    }

    /// Every way to be public is found, and each can be excepted by name.
    @Test func everyWayToBePublicIsFound() throws {
        let everyone = Value.map(
            Fields([("Effect", .string("Allow")), ("Principal", .string("*")), ("Action", .string("sqs:*"))]))
        let stack = Self.template([
            Resource(
                "Open", type: "AWS::SQS::QueuePolicy",
                properties: Fields([("PolicyDocument", .map(Fields([("Statement", .list([everyone]))])))])),
            Resource(
                "Invoke", type: "AWS::Lambda::Permission",
                properties: Fields([("Principal", .string("*")), ("Action", .string("lambda:InvokeFunction"))])),
            Resource(
                "Scoped", type: "AWS::Lambda::Permission",
                properties: Fields([("Principal", .string("*")), ("SourceAccount", .string("123456789012"))])),
            Resource("Url", type: "AWS::Lambda::Url", properties: Fields([("AuthType", .string("NONE"))])),
            Resource("Get", type: "AWS::ApiGateway::Method", properties: Fields([("HttpMethod", .string("GET"))])),
            Resource(
                "Keyed", type: "AWS::ApiGateway::Method",
                properties: Fields([("HttpMethod", .string("GET")), ("ApiKeyRequired", .bool(true))])),
            Resource(
                "Route", type: "AWS::ApiGatewayV2::Route", properties: Fields([("AuthorizationType", .string("NONE"))])),
            Resource(
                "Jwt", type: "AWS::ApiGatewayV2::Route", properties: Fields([("AuthorizationType", .string("JWT"))])),
            Resource("Acl", type: "AWS::S3::Bucket", properties: Fields([("AccessControl", .string("PublicRead"))])),
            Resource(
                "Unblocked", type: "AWS::S3::Bucket",
                properties: Fields([
                    ("PublicAccessBlockConfiguration", .map(Fields([("BlockPublicPolicy", .bool(false))])))
                ])),
            Resource("Private", type: "AWS::S3::Bucket"),
        ])
        #expect(
            stack.publicResources().map(\.logicalId) == ["Open", "Invoke", "Url", "Get", "Route", "Acl", "Unblocked"])
        #expect(throws: StackAssertionFailure.self) { try stack.noResourceIsPublic() }
        try stack.noResourceIsPublic(except: ["Open", "Invoke", "Url", "Get", "Route", "Acl", "Unblocked"])
    }

    /// A bad stage file is named with its line, not a crash or a bare error.
    @Test func aStageThatIsNotThereIsNamed() {
        #expect(throws: StackAssertionFailure.self) {
            try StackAssertions.synthesize(OrdersBlueprint.stack, stage: "qa", project: Self.root)
        }
        do {
            _ = try StackAssertions.synthesize(OrdersBlueprint.stack, stage: "qa", project: Self.root)
        } catch {
            #expect(error.message.contains("unknown stage 'qa'"))
        }
    }

    /// What cannot be told exactly is refused, not passed: a managed policy, NotAction; a wildcard ARN counts.
    @Test func allowsExactlyIsNotFooled() throws {
        func role(_ statement: Value, managed: Bool = false) -> StackAssertions {
            var properties = Fields([
                (
                    "Policies",
                    .list([.map(Fields([("PolicyDocument", .map(Fields([("Statement", .list([statement]))])))]))])
                )
            ])
            if managed { properties["ManagedPolicyArns"] = .strings(["arn:aws:iam::aws:policy/AdministratorAccess"]) }
            return Self.template([
                Resource("Role", type: "AWS::IAM::Role", properties: properties),
                Resource("Queue", type: "AWS::SQS::Queue"),
            ])
        }
        let send = Value.map(
            Fields([
                ("Effect", .string("Allow")), ("Action", .string("sqs:SendMessage")),
                ("Resource", .getAtt("Queue", "Arn")),
            ]))
        try role(send).allows(exactly: ["sqs:SendMessage"], on: .getAtt("Queue", "Arn"), role: "Role")
        #expect(throws: StackAssertionFailure.self) {
            try role(send, managed: true).allows(
                exactly: ["sqs:SendMessage"], on: .getAtt("Queue", "Arn"), role: "Role")
        }
        let notAction = Value.map(
            Fields([("Effect", .string("Allow")), ("NotAction", .string("iam:*")), ("Resource", .string("*"))]))
        #expect(throws: StackAssertionFailure.self) {
            try role(notAction).allows(exactly: [], on: .getAtt("Queue", "Arn"), role: "Role")
        }
        let wildcard = Value.map(
            Fields([
                ("Effect", .string("Allow")), ("Action", .string("sqs:DeleteQueue")),
                ("Resource", .sub("${Queue.Arn}*", nil)),
            ]))
        #expect(throws: StackAssertionFailure("Role on !GetAtt Queue.Arn: also allows sqs:deletequeue")) {
            try role(wildcard).allows(exactly: [], on: .getAtt("Queue", "Arn"), role: "Role")
        }
    }

    /// Conditions that only say how (TLS) do not close a policy; bus policies, NotPrincipal, service principals
    /// without a source and HTTP routes relying on an API key are public; an HTTP OPTIONS route is not flagged.
    @Test func theHarderPublicCasesAreFound() {
        func statement(_ extra: [(String, Value)]) -> Value {
            .map(Fields([("Effect", .string("Allow")), ("Action", .string("sqs:SendMessage"))] + extra))
        }
        let tlsOnly = statement([
            ("Principal", .string("*")),
            ("Condition", .map(Fields([("Bool", .map(Fields([("aws:SecureTransport", .string("true"))])))]))),
        ])
        let scoped = statement([
            ("Principal", .string("*")),
            ("Condition", .map(Fields([("ArnEquals", .map(Fields([("aws:SourceArn", .string("arn:aws:sns:::t"))])))]))),
        ])
        let stack = Self.template([
            Resource(
                "Tls", type: "AWS::SQS::QueuePolicy",
                properties: Fields([("PolicyDocument", .map(Fields([("Statement", .list([tlsOnly]))])))])),
            Resource(
                "Scoped", type: "AWS::SQS::QueuePolicy",
                properties: Fields([("PolicyDocument", .map(Fields([("Statement", .list([scoped]))])))])),
            Resource(
                "Bus", type: "AWS::Events::EventBusPolicy",
                properties: Fields([
                    ("StatementId", .string("s")), ("Statement", statement([("Principal", .string("*"))])),
                ])),
            Resource(
                "NotPrincipal", type: "AWS::SNS::TopicPolicy",
                properties: Fields([
                    (
                        "PolicyDocument",
                        .map(
                            Fields([
                                (
                                    "Statement",
                                    .list([
                                        statement([
                                            ("NotPrincipal", .map(Fields([("AWS", .string("arn:aws:iam::1:root"))])))
                                        ])
                                    ])
                                )
                            ]))
                    )
                ])),
            Resource(
                "Service", type: "AWS::Lambda::Permission",
                properties: Fields([("Principal", .string("events.amazonaws.com"))])),
            Resource(
                "Keyed", type: "AWS::ApiGatewayV2::Route",
                properties: Fields([("RouteKey", .string("GET /a")), ("ApiKeyRequired", .bool(true))])),
            Resource(
                "Options", type: "AWS::ApiGatewayV2::Route", properties: Fields([("RouteKey", .string("OPTIONS /a"))])),
        ])
        #expect(stack.publicResources().map(\.logicalId) == ["Tls", "Bus", "NotPrincipal", "Service", "Keyed"])
    }
}
