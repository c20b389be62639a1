import Testing
import YAML

@testable import Validation

/// Unreadable or malformed input: one clear, located diagnostic, never a crash or a hang.
@Suite struct ParsingTests {
    static let cases: [(name: String, text: [UInt8], id: String, line: Int, column: Int, contains: String)] = [
        ("tab indentation", Array("Resources:\n\tQ:\n    Type: AWS::SQS::Queue\n".utf8), "OS0001", 2, 1, "tab"),
        (
            "unknown tag !Reff",
            Array("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Reff X\n".utf8),
            "OS0004", 5, 18, "'!Reff'"
        ),
        (
            "unknown tag !GetAttr",
            Array(
                "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAttr X.Arn\n".utf8),
            "OS0004", 5, 18, "'!GetAttr'"
        ),
        (
            "duplicate logical ID",
            Array("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SNS::Topic\n".utf8),
            "OS0003", 4, 3, "duplicate key 'Q'"
        ),
        (
            "JSON trailing comma",
            Array("{\n  \"Resources\": {\n    \"Q\": {\"Type\": \"AWS::SQS::Queue\"},\n  }\n}\n".utf8),
            "OS0001", 4, 3, "trailing comma"
        ),
        ("JSON comment", Array("{\"Resources\": {} // none\n}".utf8), "OS0001", 1, 18, "expected ',' or '}'"),
        ("top level is a list", Array("- Resources\n".utf8), "OS0002", 1, 1, "top level is a sequence"),
        ("empty file", [], "OS0002", 1, 1, "empty"),
        ("only a comment", Array("# nothing\n".utf8), "OS0002", 1, 1, "empty"),
        ("binary junk", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00], "OS0001", 1, 1, "invalid"),
        ("NUL bytes", Array("Resources:\n  Q: \u{0}\n".utf8), "OS0001", 2, 6, "control characters"),
        (
            "unclosed flow sequence", Array("Resources:\n  Q:\n    Type: [a, b\n".utf8), "OS0001", 4, 1,
            "did not find expected"
        ),
        (
            "very deep nesting",
            Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8),
            "OS0001", 1, 1, "nesting deeper"
        ),
        (
            "very deep YAML nesting",
            Array(("a: " + String(repeating: "{b: ", count: 5_000) + "1" + String(repeating: "}", count: 5_000)).utf8),
            "OS0001", 1, 1, "nesting deeper"
        ),
    ]

    @Test(arguments: 0..<cases.count)
    func malformedInputGivesOneLocatedError(index: Int) {
        let test = Self.cases[index]
        let found = Validator.validate(bytes: test.text, path: "bad.yaml")
        #expect(found.count == 1, "\(test.name): \(found)")
        guard let diagnostic = found.first else { return }
        #expect(diagnostic.id == test.id, "\(test.name)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.path == "bad.yaml")
        #expect(diagnostic.message.contains(test.contains), "\(test.name): \(diagnostic.message)")
        if test.line > 0 && test.name != "very deep nesting" && test.name != "very deep YAML nesting" {
            #expect(diagnostic.mark == Mark(line: test.line, column: test.column), "\(test.name): \(diagnostic.mark)")
        }
    }

    @Test func veryLargeFilesAreRefusedWithoutReading() {
        let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: Validator.maximumFileSize + 1)
        let found = Validator.validate(bytes: bytes, path: "huge.yaml")
        #expect(found.map(\.id) == ["OS0002"])
        #expect(found.first?.message.contains("not read") == true)
    }

    @Test func largeValidTemplatesAreRead() {
        var text = "Resources:\n"
        for index in 0..<5_000 {
            text += "  Queue\(index):\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: 1\n"
        }
        let found = Validator.validate(bytes: Array(text.utf8), path: "big.yaml")
        #expect(found.isEmpty)
    }
}

@Suite struct RuleFunctionAndTagTests {
    @Test func ruleFunctionsAreAcceptedInRules() {
        let text = """
            Parameters:
              Env: {Type: String, Default: dev}
              Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}
            Rules:
              SubnetsInVpc:
                Assertions:
                  - Assert: !EachMemberIn [!ValueOfAll ['AWS::EC2::Subnet::Id', VpcId], !RefAll 'AWS::EC2::VPC::Id']
                  - Assert: !Contains [[dev, prod], !Ref Env]
                  - Assert: !EachMemberEquals [!ValueOfAll ['AWS::EC2::Subnet::Id', VpcId], vpc-1]
                  - Assert: !Equals [!ValueOf [Subnets, VpcId], vpc-1]
            Resources:
              Q:
                Type: AWS::SQS::Queue
                Properties:
                  Tags: [{Key: env, Value: !Ref Env}, {Key: subnets, Value: !Join [',', !Ref Subnets]}]
            """
        let found = Validator.validate(bytes: Array(text.utf8), path: "rules.yaml")
        #expect(found.filter { $0.severity == .error }.isEmpty, "\(found.map(\.description))")
    }

    @Test func aNestedUnknownTagIsReportedOnce() {
        let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Foo [!Bar x, y]\n"
        let found = Validator.validate(bytes: Array(text.utf8), path: "tags.yaml").filter { $0.id == "OS0004" }
        #expect(
            found.map(\.message).sorted() == [
                "unknown tag '!Bar'; not a CloudFormation intrinsic function",
                "unknown tag '!Foo'; not a CloudFormation intrinsic function",
            ])
    }
}

@Suite struct IAMActionCatalogueTests {
    @Test func actionsWithoutAResourceTypeAreUnscopable() {
        for action in [
            "ecr:GetAuthorizationToken", "ssmmessages:CreateControlChannel", "cloudformation:ValidateTemplate",
            "xray:PutTraceSegments", "sqs:ListQueues", "ssmmessages:*",
        ] {
            #expect(IAMActionCatalogue.scope(of: action) == .unscopable, "\(action)")
        }
    }

    @Test func actionsWithAResourceTypeAreScopable() {
        for action in ["sqs:SendMessage", "dynamodb:PutItem", "config:Put*", "logs:PutLogEvents", "s3:Get*Object"] {
            #expect(IAMActionCatalogue.scope(of: action) == .scopable, "\(action)")
        }
        #expect(IAMActionCatalogue.scope(of: "sqs:SendMesage") == .unknown)
        #expect(IAMActionCatalogue.scope(of: "nosuchservice:Do") == .unknown)
    }

    @Test func resourceStarForUnscopableActionsIsNotReported() {
        let text = """
            Resources:
              R:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                      - {Effect: Allow, Action: [ecr:GetAuthorizationToken, ssmmessages:OpenDataChannel], Resource: '*'}
                      - {Effect: Allow, Action: [sqs:SendMessage, ecr:GetAuthorizationToken], Resource: '*'}
            """
        let found = Validator.validate(bytes: Array(text.utf8), path: "iam.yaml").filter { $0.id == "OS2025" }
        #expect(found.map(\.message) == ["Resource '*' for sqs:sendmessage, which can be scoped to resource ARNs"])
        #expect(found.map(\.mark.line) == [9])
    }
}
