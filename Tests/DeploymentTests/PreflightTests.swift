import AWSClients
import CloudFormation
import DeployClients
import TemplateYAML
import Testing

@testable import Deployment

/// Account answers recorded from AWS (GetAccount of API Gateway, Lambda's GetAccountSettings, S3's HeadBucket,
/// CloudFormation's GetTemplate), replayed per operation with their headers: moto has no concurrency quota and
/// answers GetAccount with whatever was set, so the refusals a fresh account gives are proven here.
final class AccountReplay: AWSTransport, @unchecked Sendable {
    var answers: [String: (Int, String, [String: String])]
    var operations: [String] = []

    init(_ answers: [String: (Int, String, [String: String])]) { self.answers = answers }

    func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
        operations.append(request.operation)
        guard let (status, body, headers) = answers[request.operation] else {
            return AWSHTTPResponse(status: 500, body: Array(#"{"message":"no recording"}"#.utf8))
        }
        return AWSHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }
}

@Suite struct PreflightTests {
    /// A fresh account: no API Gateway logging role, AWS's GetAccount answer without `cloudwatchRoleArn`.
    static let noRole = (
        200,
        #"{"apiKeyVersion":"4","features":["UsagePlans"],"throttleSettings":{"burstLimit":5000,"rateLimit":10000.0}}"#,
        [String: String]()
    )
    static let withRole = (
        200,
        #"{"apiKeyVersion":"4","cloudwatchRoleArn":"arn:aws:iam::123456789012:role/ApiGatewayLogs","features":["UsagePlans"],"throttleSettings":{"burstLimit":5000,"rateLimit":10000.0}}"#,
        [String: String]()
    )
    /// A new account's quota of 10 concurrent executions, as GetAccountSettings reports it.
    static func settings(limit: Int, unreserved: Int) -> (Int, String, [String: String]) {
        (
            200,
            #"{"AccountLimit":{"CodeSizeUnzipped":262144000,"CodeSizeZipped":52428800,"ConcurrentExecutions":\#(limit),"TotalCodeSize":80530636800,"UnreservedConcurrentExecutions":\#(unreserved)},"AccountUsage":{"FunctionCount":0,"TotalCodeSize":0}}"#,
            [:]
        )
    }
    static func bucket(in region: String) -> (Int, String, [String: String]) {
        (200, "", ["x-amz-bucket-region": region])
    }
    static let noStack = (
        400,
        "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id s does not exist</Message></Error></ErrorResponse>",
        [String: String]()
    )

    static let template = try! #require(
        TemplateReader.read(
            """
            Resources:
              Fn: {Type: AWS::Lambda::Function, Properties: {ReservedConcurrentExecutions: 60}}
              Query: {Type: AWS::Lambda::Function, Properties: {ReservedConcurrentExecutions: 20}}
              Stage:
                Type: AWS::ApiGateway::Stage
                Properties: {AccessLogSetting: {DestinationArn: arn:aws:logs:us-east-1:1:log-group:x}}
            """, path: "t.yaml"
        ).template)

    static func preflight(_ transport: AccountReplay) -> Preflight {
        func caller(_ service: String) -> AWSCaller {
            AWSCaller(
                transport: transport,
                environment: AWSEnvironment(
                    region: "us-east-1", credentials: .init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s"),
                    environment: [:]),
                endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: 5000), service: service,
                now: { 1_795_000_000_000 })
        }
        return Preflight(
            apiGateway: APIGatewayClient(caller: caller("apigateway")), lambda: LambdaClient(caller: caller("lambda")),
            s3: S3Client(caller: caller("s3")), cloudFormation: CloudFormationClient(caller: caller("cloudformation")))
    }

    /// The preflight of `template` for stack `s` in us-east-1 against the recorded answers.
    static func run(_ transport: AccountReplay, bucket: String = "artifacts") async throws -> Preflight.Report {
        try await preflight(transport).run(
            template: template, bytes: 40_000, stackName: "s", bucket: bucket, region: "us-east-1")
    }

    /// The recorded answers of an account: its logging role, its concurrency, the bucket's Region, no stack yet.
    static func account(
        role: (Int, String, [String: String]) = withRole, limit: Int = 1_000, unreserved: Int = 1_000,
        bucketRegion: String = "us-east-1"
    ) -> AccountReplay {
        AccountReplay([
            "GetAccount": role, "GetAccountSettings": settings(limit: limit, unreserved: unreserved),
            "HeadBucket": bucket(in: bucketRegion), "GetTemplate": noStack,
        ])
    }

    @Test func aFreshAccountIsRefusedBeforeAnythingIsCreated() async throws {
        let transport = Self.account(role: Self.noRole, limit: 10, unreserved: 10, bucketRegion: "eu-west-1")
        let report = try await Self.run(transport)
        #expect(report.problems.count == 3)
        #expect(report.problems[0].contains("is in eu-west-1, the stack in us-east-1"))
        #expect(
            report.problems[1].contains("no CloudWatch Logs role")
                && report.problems[1].contains("orderstack bootstrap"))
        #expect(report.problems[2].contains("reserves 80 more") && report.problems[2].contains("at least 180"))
        #expect(!transport.operations.contains { ["CreateChangeSet", "PutObject"].contains($0) })
    }

    @Test func aPreparedAccountPasses() async throws {
        let transport = Self.account()
        let report = try await Self.run(transport)
        #expect(report.problems.isEmpty && report.notes.isEmpty)
        #expect(report.passed.count == 3)
    }

    @Test func anUpdateCountsOnlyTheReservationsItAdds() async throws {
        // The deployed stack already reserves 60 + 20: with 100 unreserved of 180, redeploying adds nothing.
        let deployed = (
            200,
            "<GetTemplateResponse><GetTemplateResult><TemplateBody>Resources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {ReservedConcurrentExecutions: 60}}\n  Query: {Type: AWS::Lambda::Function, Properties: {ReservedConcurrentExecutions: 20}}\n</TemplateBody></GetTemplateResult></GetTemplateResponse>",
            [String: String]()
        )
        let transport = AccountReplay([
            "GetAccount": Self.withRole, "GetAccountSettings": Self.settings(limit: 180, unreserved: 100),
            "HeadBucket": Self.bucket(in: "us-east-1"), "GetTemplate": deployed,
        ])
        let report = try await Self.run(transport)
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test func reservationsAreCountedPerFunctionAsAWSChecksThem() throws {
        // A rename (Fn to Renamed, 60 each) or a reservation moved between two functions: AWS creates or updates
        // each function while the old reservation still holds, so the whole new one must fit.
        let deployed = Self.template
        var renamed = Self.template
        renamed.resources[0].logicalId = "Renamed"
        #expect(Preflight.addedReservations(renamed, deployed: deployed) == 60)
        var swapped = Self.template
        swapped.resources[0].properties["ReservedConcurrentExecutions"] = .int(20)
        swapped.resources[1].properties["ReservedConcurrentExecutions"] = .int(60)
        #expect(Preflight.addedReservations(swapped, deployed: deployed) == 40)
        #expect(Preflight.addedReservations(Self.template, deployed: deployed) == 0)
        #expect(Preflight.addedReservations(Self.template, deployed: nil) == 80)
    }

    @Test func aBucketThatAnswers403IsNotPassed() async throws {
        let transport = AccountReplay([
            "GetAccount": Self.withRole, "GetAccountSettings": Self.settings(limit: 1_000, unreserved: 1_000),
            "HeadBucket": (403, "", ["x-amz-bucket-region": "us-east-1"]), "GetTemplate": Self.noStack,
        ])
        let report = try await Self.run(transport, bucket: "theirs")
        #expect(report.notes.contains { $0.contains("answered 403") })
        #expect(!report.passed.contains { $0.contains("artifact bucket") })
    }

    @Test func whatCannotBeReadIsANoteNotARefusal() async throws {
        let transport = AccountReplay([
            "GetAccount": Self.withRole, "GetAccountSettings": (404, #"{"message":"not found"}"#, [:]),
            "HeadBucket": Self.bucket(in: "us-east-1"), "GetTemplate": Self.noStack,
        ])
        let report = try await Self.run(transport)
        #expect(report.problems.isEmpty)
        #expect(report.notes.count == 1 && report.notes[0].contains("concurrency was not checked"))
    }

    @Test func theChecksThemselves() throws {
        #expect(Preflight.concurrencyProblem(limit: 1_000, unreserved: 1_000, adding: 80) == nil)
        #expect(Preflight.concurrencyProblem(limit: 180, unreserved: 180, adding: 80) == nil)
        #expect(Preflight.concurrencyProblem(limit: 179, unreserved: 179, adding: 80)?.contains("by 1") == true)
        #expect(Preflight.concurrencyProblem(limit: 50, unreserved: 10, adding: -20) == nil)
        var big = Template()
        big.resources = (0..<501).map { Resource("R\($0)", type: "AWS::SNS::Topic") }
        #expect(Preflight.templateLimits(big, bytes: 1_000_001).count == 2)
        #expect(Preflight.templateLimits(Self.template, bytes: 51_201).isEmpty)
        #expect(Preflight.stagesNeedLoggingRole(Self.template))
        let quiet = try #require(
            TemplateReader.read(
                "Resources:\n  Stage: {Type: AWS::ApiGateway::Stage, Properties: {MethodSettings: [{LoggingLevel: 'OFF'}]}}\n",
                path: "q.yaml"
            ).template)
        #expect(!Preflight.stagesNeedLoggingRole(quiet))
        var executionLogs = quiet
        executionLogs.resources[0].properties["MethodSettings"] = .list([.object(["LoggingLevel": .string("ERROR")])])
        #expect(Preflight.stagesNeedLoggingRole(executionLogs))
        var ownRole = executionLogs
        ownRole.resources.append(Resource("Account", type: "AWS::ApiGateway::Account"))
        #expect(!Preflight.stagesNeedLoggingRole(ownRole))
        var firehose = quiet
        firehose.resources[0].properties["AccessLogSetting"] = .object([
            "DestinationArn": .sub(
                "arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/amazon-apigateway-x",
                nil)
        ])
        #expect(!Preflight.stagesNeedLoggingRole(firehose), "Firehose access logs use a service-linked role")
        firehose.resources[0].properties["AccessLogSetting"] = .object(["DestinationArn": .getAtt("Stream", "Arn")])
        firehose.resources.append(Resource("Stream", type: "AWS::KinesisFirehose::DeliveryStream"))
        #expect(!Preflight.stagesNeedLoggingRole(firehose))
        firehose.resources[0].properties["MethodSettings"] = .list([.object(["DataTraceEnabled": .bool(true)])])
        #expect(Preflight.stagesNeedLoggingRole(firehose), "execution logs still need the account's role")
    }

    @Test func anUnreachableEndpointIsOneErrorNotANotePerCheck() async {
        final class Closed: AWSTransport, @unchecked Sendable {
            func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
                struct Refused: Error {}
                throw Refused()
            }
        }
        let preflight = Self.preflight(AccountReplay([:]))
        var closed = preflight
        closed.s3.caller.transport = Closed()
        await #expect(throws: TransientFailure.self) {
            _ = try await closed.run(
                template: Self.template, bytes: 1, stackName: "s", bucket: "artifacts", region: "us-east-1")
        }
    }
}

/// The bootstrap stack's template and how its bucket and role are found again.
@Suite struct BootstrapTests {
    @Test func theBucketIsEncryptedVersionedPrivateAndTLSOnly() throws {
        // moto's CloudFormation applies the encryption but not the versioning, and not bucket policies at all, so
        // the template itself is checked here.
        let template = Bootstrap.template(loggingRole: false)
        let bucket = try #require(template.resources.first { $0.logicalId == "ArtifactBucket" })
        #expect(bucket.properties["VersioningConfiguration"]?["Status"] == .string("Enabled"))
        #expect(
            bucket.properties["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?.items?.first?[
                "ServerSideEncryptionByDefault"]?["SSEAlgorithm"] == .string("AES256"))
        let block = bucket.properties["PublicAccessBlockConfiguration"]?.fields
        #expect(block?.count == 4 && block?.allSatisfy { $0.value == .bool(true) } == true)
        let rule = bucket.properties["LifecycleConfiguration"]?["Rules"]?.items?.first
        #expect(rule?["NoncurrentVersionExpiration"]?["NoncurrentDays"]?.intValue == 30)
        #expect(rule?["ExpirationInDays"] == nil, "current objects stay: a rollback needs the code it ran")
        let policy = try #require(template.resources.first { $0.type == "AWS::S3::BucketPolicy" })
        let statement = policy.properties["PolicyDocument"]?["Statement"]?.items?.first
        #expect(statement?["Effect"] == .string("Deny"))
        #expect(statement?["Condition"]?["Bool"]?["aws:SecureTransport"] == .string("false"))
        #expect(!template.resources.contains { $0.type == "AWS::IAM::Role" })
        #expect(template.outputs.map(\.name) == ["ArtifactBucket"])
    }

    @Test func theLoggingRoleIsThereOnlyWhenAskedAndRetained() throws {
        let template = Bootstrap.template(loggingRole: true)
        let role = try #require(template.resources.first { $0.type == "AWS::IAM::Role" })
        #expect(role.deletionPolicy == .string("Retain"))
        #expect(template.outputs.map(\.name) == ["ArtifactBucket", "ApiGatewayCloudWatchRoleArn"])
    }

    @Test func theBucketAndRoleAreFoundFromOutputsOrPhysicalIds() {
        let withOutputs = StackDescription(
            stackId: "arn:aws:cloudformation:eu-west-1:111122223333:stack/orderstack-bootstrap/x", name: "b",
            status: "CREATE_COMPLETE",
            outputs: [
                StackOutput(key: "ArtifactBucket", value: "from-output", description: nil),
                StackOutput(key: "ApiGatewayCloudWatchRoleArn", value: "arn:aws:iam::1:role/r", description: nil),
            ])
        #expect(Bootstrap.bucket(in: withOutputs, physicalIds: [:]) == "from-output")
        #expect(Bootstrap.roleArn(in: withOutputs, physicalIds: [:]) == "arn:aws:iam::1:role/r")
        var bare = withOutputs
        bare.outputs = []
        let ids = ["ArtifactBucket": "physical-bucket", "ApiGatewayCloudWatchRole": "role-name"]
        #expect(Bootstrap.bucket(in: bare, physicalIds: ids) == "physical-bucket")
        #expect(Bootstrap.roleArn(in: bare, physicalIds: ids) == "arn:aws:iam::111122223333:role/role-name")
        #expect(Bootstrap.bucket(in: nil, physicalIds: ids) == nil)
    }
}
