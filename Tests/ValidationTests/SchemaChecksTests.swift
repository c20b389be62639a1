import CloudFormation
import TemplateYAML
import Testing

@testable import Validation

/// The checks against every resource type's schema and the values that cannot deploy, each proven by one mutation of
/// `Fixtures/wired.yaml` (a clean stack) that must give exactly the finding named, and nothing else.
@Suite struct SchemaChecksTests {
    static let cases: [Case] = [
        Case(
            name: "Nested property misspelt", replace: "PointInTimeRecoveryEnabled: true",
            with: "PointInTimeRecoveryEnable: true",
            expected: [
                r(Rules.unknownProperty, "Orders", "PointInTimeRecoveryEnable: true"),
                r(Rules.tableWithoutPITR, "Orders", "  Orders:"),
            ]),
        Case(
            name: "Text where an integer is required", replace: "Timeout: 30", with: "Timeout: thirty",
            expected: [r(Rules.wrongShape, "Worker", "Timeout: thirty")]),
        Case(
            name: "A mapping where a list is required",
            replace: "      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n",
            with: "      AttributeDefinitions:\n        AttributeName: id\n        AttributeType: S\n",
            expected: [r(Rules.wrongShape, "Orders", "AttributeDefinitions:")]),
        Case(
            name: "A nested required property missing", replace: "          KeyType: HASH\n", with: "",
            expected: [r(Rules.missingRequiredProperty, "Orders", "- AttributeName: id", after: "KeySchema:")]),
        Case(
            name: "A string where an object is required", replace: "      DeletionProtectionEnabled: true\n",
            with: "      DeletionProtectionEnabled: true\n      SSESpecification: enabled\n",
            expected: [r(Rules.wrongShape, "Orders", "SSESpecification: enabled")]),
        Case(
            name: "Fn::If branches are judged, AWS::NoValue allowed", replace: "Timeout: 30",
            with: "Timeout: !If [IsProd, [30], !Ref AWS::NoValue]",
            expected: [r(Rules.wrongShape, "Worker", "Timeout: !If")]),
        Case(
            name: "A property of a type outside the first services", replace: "  Events:\n    Type: AWS::SNS::Topic\n",
            with:
                "  Events:\n    Type: AWS::SNS::Topic\n  Source:\n    Type: AWS::DMS::Endpoint\n    Properties:\n      EndpointType: source\n      EngineName: mysql\n      MasterUsername: admin\n",
            expected: [r(Rules.unknownProperty, "Source", "MasterUsername: admin")]),
        Case(
            name: "A resource type AWS has shut down", replace: "  Events:\n    Type: AWS::SNS::Topic\n",
            with:
                "  Events:\n    Type: AWS::SNS::Topic\n  Flags:\n    Type: AWS::Evidently::Project\n    Properties:\n      Name: flags\n",
            expected: [r(Rules.shutDownType, "Flags", "Type: AWS::Evidently::Project")]),
        Case(
            name: "A placeholder left in an ARN", replace: "Resource: !GetAtt Orders.Arn",
            with: "Resource: arn:aws:dynamodb:us-east-1:123456789012:table/<TABLE_NAME>",
            expected: [r(Rules.placeholder, "WorkerRole", "<TABLE_NAME>")]),
        Case(
            name: "A blank word left as a value", replace: "Handler: bootstrap", with: "Handler: REPLACE_ME",
            expected: [r(Rules.placeholder, "Worker", "Handler: REPLACE_ME")]),
        Case(
            name: "A deprecated AWS managed policy", replace: "      Policies:\n        - PolicyName: wiring\n",
            with:
                "      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/AWSLambdaFullAccess\n      Policies:\n        - PolicyName: wiring\n",
            expected: [r(Rules.deprecatedManagedPolicy, "WorkerRole", "- arn:aws:iam::aws:policy/AWSLambdaFullAccess")]),
        Case(
            name: "A public-read ACL on a bucket with ACLs disabled", replace: "  Events:\n    Type: AWS::SNS::Topic\n",
            with:
                "  Events:\n    Type: AWS::SNS::Topic\n  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n",
            expected: [r(Rules.bucketACLWithoutOwnership, "Site", "AccessControl: PublicRead")]),
    ]

    @Test(arguments: cases)
    func mutationGivesExactlyTheExpectedFindings(test: Case) {
        Fixture.expectExactFindings(test, today: ValidatorTests.today)
    }

    @Test func theNegativePathsStayQuiet() {
        let quiet = [
            // An ACL a bucket with ACLs disabled accepts, and a public one with ownership that allows ACLs.
            "  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: Private\n",
            "  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: LogDeliveryWrite\n      OwnershipControls:\n        Rules:\n          - ObjectOwnership: ObjectWriter\n",
            // Angle brackets in prose and code are not placeholders.
            "  Notes:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: orders <to> accounting\n",
            // The replacement policy, not the deprecated one.
            "  Extra:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}\n      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/AWSLambda_FullAccess']\n",
        ]
        for extra in quiet {
            let text = Fixture.wired.replacingOccurrences(of: "Resources:\n", with: "Resources:\n" + extra)
            let found = Validator.validate(bytes: Array(text.utf8), path: "wired.yaml", today: ValidatorTests.today)
            #expect(found.isEmpty, "\(extra): \(found.map(\.description))")
        }
    }

    @Test func samPropertiesAreJudgedAsTheTransformJudgesThem() {
        let template = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: provided.al2023
                  Handler: bootstrap
                  CodeUri: build/
                  LoggingConfig: {LogGroup: !Ref Logs, LogFormat: JSON}
                  Tags:
                    - Key: team
                      Value: orders
                  Polices: AWSLambdaBasicExecutionRole
                  Environment: {Variables: [A]}
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: {RetentionInDays: 7}
            """
        let found = Validator.validate(bytes: Array(template.utf8), path: "sam.yaml", today: ValidatorTests.today)
            .map { "\($0.mark.line) \($0.id) \($0.message)" }
        #expect(
            found == [
                "10 OS1108 'Tags' of AWS::Serverless::Function must be a mapping, found a list",
                "13 OS1101 AWS::Serverless::Function has no property 'Polices'; did you mean 'Policies'?",
                "14 OS1108 'Environment.Variables' of AWS::Lambda::Function must be a mapping of values, found a list",
            ])
    }

    @Test func anAliasNamedByAParameterWithoutDefaultStillResolvesVersionAndAlias() throws {
        // The shape of a public sample that was reported as two false errors: the alias is `!Ref Stage` (no
        // Default, known only at deploy), on the function or in Globals, and a pre-traffic hook refers to the
        // version. SAM resolves `CreateBook.Version` to the published version either way.
        for (function, globals) in [
            ("      AutoPublishAlias: !Ref Stage\n", ""),
            ("", "Globals:\n  Function:\n    AutoPublishAlias: !Ref Stage\n"),
        ] {
            let template = """
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  Stage: {Type: String, AllowedValues: [staging, prod]}
                \(globals)Resources:
                  CreateBook:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: provided.al2023
                      Handler: bootstrap
                      CodeUri: build/
                \(function)      DeploymentPreference:
                        Type: AllAtOnce
                        Hooks: {PreTraffic: !Ref PreTraffic}
                  PreTraffic:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: provided.al2023
                      Handler: bootstrap
                      CodeUri: build/
                      Environment: {Variables: {FN_NEW_VERSION: !Ref CreateBook.Version}}
                """
            let expansion = SAMExpansion(try #require(TemplateReader.read(template, path: "t.yaml").template))
            #expect(expansion.referenceAliases["CreateBook.Version"] == "AWS::Lambda::Version")
            let errors = Validator.validate(bytes: Array(template.utf8), path: "t.yaml").filter {
                $0.severity == .error
            }
            #expect(errors.isEmpty, "\(errors.map(\.description))")
        }
    }

    /// What an adversarial run over 872 public templates found wrongly reported, each now quiet or a warning.
    @Test func theAdversarysFalseErrorsStayQuiet() {
        let template = """
            Resources:
              Setup:
                Type: AWS::CloudFormation::CustomResource
                Properties:
                  ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:x
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  DisplayName: !GetAtt Setup.ModelId
                  TopicName: !GetStackOutput {StackName: producer, OutputName: TopicName}
              Client:
                Type: AWS::Cognito::UserPoolClient
                Properties:
                  UserPoolId: pool
                  ClientId: fixed
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Code: ../function-code
                  Role: arn:aws:iam::123456789012:role/r
                  Handler: index.handler
                  Runtime: python3.13
                  Timeout: "thirty\\nseconds"
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: {LogGroupName: /aws/lambda/fn, RetentionInDays: 7}
            """
        let found = Validator.validate(bytes: Array(template.utf8), path: "t.yaml", today: ValidatorTests.today)
            .filter { $0.id != Rules.functionLogGroup.id }.map { "\($0.mark.line) \($0.id) \($0.message)" }
        // A custom resource's attributes are its provider's (`.*`); Fn::GetStackOutput is an intrinsic; a local
        // path in Code is for `aws cloudformation package`; a read-only property is ignored, not refused; a value
        // with a line break is shown on one line.
        #expect(
            found == [
                "15 OS1115 'ClientId' of AWS::Cognito::UserPoolClient is read-only: CloudFormation does not use the value",
                "23 OS1108 'Timeout' of AWS::Lambda::Function must be an integer, found the string 'thirty\u{21B5}seconds'",
            ])
    }

    @Test func aTemplateForACustomMacroIsNotJudgedByTheSchemas() {
        let template = """
            Transform: [AWS::Serverless-2016-10-31, ExecutionRoleBuilder]
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  Permissions: [s3:GetObject]
            """
        let found = Validator.validate(bytes: Array(template.utf8), path: "t.yaml", today: ValidatorTests.today)
        #expect(!found.contains { ["OS1101", "OS1102", "OS1108"].contains($0.id) }, "\(found.map(\.description))")
        let plain = template.replacingOccurrences(of: ", ExecutionRoleBuilder", with: "")
        let judged = Validator.validate(bytes: Array(plain.utf8), path: "t.yaml", today: ValidatorTests.today)
        #expect(judged.contains { $0.id == "OS1101" } && judged.contains { $0.id == "OS1102" })
    }

    @Test func samFunctionPropertiesTheTransformPassesOnAreJudgedAsLambdas() {
        let template = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/, Timeout: abc, MemorySize: 512}
            """
        let found = Validator.validate(bytes: Array(template.utf8), path: "t.yaml", today: ValidatorTests.today)
            .filter { $0.severity == .error }.map(\.message)
        #expect(found == ["'Timeout' of AWS::Lambda::Function must be an integer, found the string 'abc'"])
    }

    @Test func attributePatternsMatchWholePartsOnly() {
        #expect(ReferenceChecks.matches("ModelId", pattern: ".*"))
        #expect(ReferenceChecks.matches("Endpoints.3.Address", pattern: "Endpoints.*.Address"))
        #expect(!ReferenceChecks.matches("Endpoints.Address", pattern: "Endpoints.*.Address"))
        #expect(!ReferenceChecks.matches("Other.3.Address", pattern: "Endpoints.*.Address"))
    }
}
