import CloudFormation
import Foundation
import StackDSL
import StackTesting
import Testing

/// `Schedule`, `Bucket`, `StringParameter` and `Secret`: what each adds, what a function using it is granted, what
/// a stage may set, and what is refused.
@Suite struct ResourceConstructsTests {
    static let reports = Bucket("Reports")
    static let endpoint = StringParameter("PartnerEndpoint", value: "https://partner.example.com")
    static let token = Secret("PartnerToken")

    static func stack(schedule: String = "rate(1 hour)", generated: Bool = true) -> Stack {
        Stack("reports", description: "Reports on a schedule") {
            let nightly = Function("Nightly", handler: Handler(artifact: "nightly"))
                .uses(reports.readWrite).uses(endpoint).uses(
                    generated ? token : Secret("PartnerToken", generatedLength: nil))
            Function("Reader", handler: Handler(artifact: "reader")).uses(reports.read)
            Schedule("Nightly", schedule, run: nightly)
        }
    }

    static func synthesize(_ stack: Stack = stack(), constructs: String = "") throws -> StackAssertions {
        let text = "name: dev\nregion: eu-west-1\nfunctions:\n  defaults: {reservedConcurrency: 5}\n\(constructs)"
        let loaded = StageSettings.load(text, path: "stages/dev.yaml")
        let stage = try #require(loaded.settings, "\(loaded.diagnostics)")
        return StackAssertions(try Synthesizer.synthesize(stack, stage: stage, schemas: [:]).template)
    }

    @Test func aScheduleInvokesItsFunctionAloneAndParksFailures() throws {
        let stack = try Self.synthesize()
        let rule = try stack.hasResource(
            "AWS::Events::Rule",
            properties: Fields([("ScheduleExpression", .string("rate(1 hour)")), ("State", .string("ENABLED"))]))
        let target = try #require(rule["Targets"]?.items?.first)
        #expect(target["Arn"] == .getAtt("NightlyFunction", "Arn"))
        #expect(target["DeadLetterConfig"]?["Arn"] == .getAtt("NightlyScheduleDeadLetterQueue", "Arn"))
        try stack.hasResource(
            "AWS::Lambda::Permission",
            properties: Fields([
                ("Principal", .string("events.amazonaws.com")), ("SourceArn", .getAtt("NightlyScheduleRule", "Arn")),
            ]))
        // EventBridge invokes asynchronously: a failed run reaches the DLQ through the function's on-failure
        // destination, which its role may send to.
        try stack.hasResource(
            "AWS::Lambda::EventInvokeConfig",
            properties: Fields([
                ("FunctionName", .ref("NightlyFunction")), ("Qualifier", .string("$LATEST")),
                (
                    "DestinationConfig",
                    .map(
                        Fields([
                            (
                                "OnFailure",
                                .map(Fields([("Destination", .getAtt("NightlyScheduleDeadLetterQueue", "Arn"))]))
                            )
                        ]))
                ),
            ]))
        try stack.allows(
            exactly: ["sqs:SendMessage"], on: .getAtt("NightlyScheduleDeadLetterQueue", "Arn"), role: "NightlyFunction")
        try stack.allows(exactly: [], on: .getAtt("NightlyScheduleDeadLetterQueue", "Arn"), role: "ReaderFunction")
        try stack.noResourceIsPublic()
    }

    /// A stage sets its own expression or turns the schedule off; a bad expression is refused with the reason.
    @Test func aStageSetsTheScheduleAndBadExpressionsAreRefused() throws {
        let weekly = try Self.synthesize(
            constructs: "constructs:\n  Nightly: {expression: \"cron(0 3 ? * MON *)\", enabled: false}\n")
        try weekly.hasResource(
            "AWS::Events::Rule",
            properties: Fields([
                ("ScheduleExpression", .string("cron(0 3 ? * MON *)")), ("State", .string("DISABLED")),
            ]))
        for (expression, reason) in [
            ("rate(1 hours)", "the unit for 1 is one of minute, hour, day"),
            ("rate(5 minute)", "the unit for 5 is one of minutes, hours, days"),
            ("rate(0 days)", "is not rate(<whole number ≥ 1> <unit>)"),
            ("cron(0 3 * * *)", "has 5 fields; cron(...) takes 6"),
            ("cron(0 3 1 * MON *)", "exactly one of day-of-month and day-of-week must be '?'"),
            ("cron(0 3 ? * ? *)", "exactly one of day-of-month and day-of-week must be '?'"),
            ("cron(0 24 ? * * *)", "hours 24 is outside 0-23"),
            ("cron(0 3 ? * 0 *)", "day-of-week 0 is outside 1-7 (1 is Sunday"),
            ("cron(60 3 ? * * *)", "minutes 60 is outside 0-59"),
            ("every hour", "is neither rate(...) nor cron(...)"),
        ] {
            #expect(Schedule.problem(with: expression)?.contains(reason) == true, "\(expression)")
            #expect(throws: SynthesisError.self) { try Self.synthesize(Self.stack(schedule: expression)) }
        }
        for good in ["rate(1 day)", "rate(15 minutes)", "cron(0/5 8-17 ? * MON-FRI *)", "cron(0 12 1 * ? *)"] {
            #expect(Schedule.problem(with: good) == nil, "\(good)")
        }
    }

    /// The bucket is encrypted, versioned, private, owner-enforced and kept; each function gets what its access
    /// says, exactly.
    @Test func aBucketIsPrivateKeptAndGrantedByAccess() throws {
        let stack = try Self.synthesize()
        let bucket = try stack.hasResource(
            "AWS::S3::Bucket",
            properties: Fields([
                ("VersioningConfiguration", .map(Fields([("Status", .string("Enabled"))]))),
                (
                    "PublicAccessBlockConfiguration",
                    .map(
                        Fields([
                            ("BlockPublicAcls", .bool(true)), ("BlockPublicPolicy", .bool(true)),
                            ("IgnorePublicAcls", .bool(true)), ("RestrictPublicBuckets", .bool(true)),
                        ]))
                ),
            ]))
        #expect(bucket.deletionPolicy == .string("Retain") && bucket.updateReplacePolicy == .string("Retain"))
        let objects = Value.sub("${ReportsBucket.Arn}/*", nil)
        try stack.allows(
            exactly: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], on: objects, role: "NightlyFunction")
        try stack.allows(exactly: ["s3:GetObject"], on: objects, role: "ReaderFunction")
        try stack.allows(exactly: ["s3:ListBucket"], on: .getAtt("ReportsBucket", "Arn"), role: "ReaderFunction")
        #expect(
            stack.template.resource("ReaderFunction")?["Environment"]?["Variables"]?["REPORTS_BUCKET_NAME"]
                == .ref("ReportsBucket"))
        try stack.noResourceIsPublic()
        let longer = try Self.synthesize(constructs: "constructs:\n  Reports: {noncurrentVersionDays: 90}\n")
        let rules = longer.template.resource("ReportsBucket")?["LifecycleConfiguration"]?["Rules"]?.items
        #expect(rules?.first?["NoncurrentVersionExpiration"]?["NoncurrentDays"] == .number("90"))
        #expect(throws: SynthesisError.self) {
            try Self.synthesize(constructs: "constructs:\n  Reports: {noncurrentVersionDays: 0}\n")
        }
    }

    /// A parameter is granted by its exact ARN, named for the handler, and set per stage; a secret's value is
    /// generated unless asked not to be, never written in the template.
    @Test func parametersAndSecretsAreGrantedExactly() throws {
        let stack = try Self.synthesize(
            constructs: "constructs:\n  PartnerEndpoint: {value: \"https://partner-dev.example.com\"}\n")
        try stack.hasResource(
            "AWS::SSM::Parameter",
            properties: Fields([
                ("Name", .sub("/${AWS::StackName}/PartnerEndpoint", nil)),
                ("Value", .string("https://partner-dev.example.com")), ("Type", .string("String")),
            ]))
        try stack.allows(
            exactly: ["ssm:GetParameter"],
            on: .sub(
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${AWS::StackName}/PartnerEndpoint",
                nil),
            role: "NightlyFunction")
        try stack.allows(
            exactly: ["secretsmanager:GetSecretValue"], on: .ref("PartnerTokenSecret"), role: "NightlyFunction")
        let variables = stack.template.resource("NightlyFunction")?["Environment"]?["Variables"]
        #expect(variables?["PARTNER_ENDPOINT_PARAMETER_NAME"] == .sub("/${AWS::StackName}/PartnerEndpoint", nil))
        #expect(variables?["PARTNER_TOKEN_SECRET_ARN"] == .ref("PartnerTokenSecret"))
        try stack.allows(exactly: [], on: .ref("PartnerTokenSecret"), role: "ReaderFunction")
        #expect(stack.template.resource("PartnerTokenSecret")?["GenerateSecretString"]?["PasswordLength"] == .int(32))
        let byHand = try Self.synthesize(Self.stack(generated: false))
        #expect(byHand.template.resource("PartnerTokenSecret")?["GenerateSecretString"] == nil)
        #expect(byHand.template.resource("PartnerTokenSecret")?["SecretString"] == nil)
        #expect(throws: SynthesisError.self) {
            try Self.synthesize(constructs: "constructs:\n  PartnerEndpoint: {value: \"\"}\n")
        }
        #expect(Secret.prices.first?.unitPrice == 0.40)
    }
}
