import CloudFormation
import Foundation
import Testing
import YAML

@testable import Validation

/// One mutation of `Fixtures/wired.yaml` and exactly what it must produce.
struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    /// Text to replace (the first occurrence after `after`, if given) and its replacement.
    var replace: String
    var with: String
    var after: String? = nil
    /// Expected findings: rule, logical ID, and the text of the line the finding points at (the first line
    /// containing it after `anchor`).
    var expected: [(rule: Rule, subject: String, line: String, anchor: String?)]

    var testDescription: String { name }
}

enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    static let wired = try! String(contentsOf: directory.appendingPathComponent("wired.yaml"), encoding: .utf8)

    static func apply(_ test: Case) -> String {
        var text = wired
        let start = test.after.flatMap { text.range(of: $0)?.upperBound } ?? text.startIndex
        guard let range = text.range(of: test.replace, range: start..<text.endIndex) else {
            fatalError("fixture has no '\(test.replace)' for case \(test.name)")
        }
        text.replaceSubrange(range, with: test.with)
        return text
    }

    /// Applies `test`'s mutation and expects exactly its findings (rule, severity, resource, line), printing them all
    /// when they differ.
    static func expectExactFindings(_ test: Case, today: String) {
        let text = apply(test)
        let found = Validator.validate(bytes: Array(text.utf8), path: "wired.yaml", today: today)
        let actual = found.map { "\($0.id) \($0.severity.rawValue) \($0.subject ?? "-") line \($0.mark.line)" }.sorted()
        let expected = test.expected.map { item in
            "\(item.rule.id) \(item.rule.severity.rawValue) \(item.subject) line \(line(of: item.line, after: item.anchor, in: text))"
        }.sorted()
        #expect(actual == expected, "\(found.map(\.description).joined(separator: "\n"))")
    }

    static func line(of needle: String, after anchor: String?, in text: String) -> Int {
        let start = anchor.flatMap { text.range(of: $0)?.upperBound } ?? text.startIndex
        guard let range = text.range(of: needle, range: start..<text.endIndex) else { return -1 }
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }
}

func r(_ rule: Rule, _ subject: String, _ line: String, after anchor: String? = nil) -> (Rule, String, String, String?)
{
    (rule, subject, line, anchor)
}

@Suite struct ValidatorTests {
    @Test func wiredFixtureIsClean() {
        #expect(Validator.validate(bytes: Array(Fixture.wired.utf8), path: "wired.yaml") == [])
    }

    static let cases: [Case] = [
        Case(
            name: "Ref to an undefined resource", replace: "TOPIC: !Ref Events", with: "TOPIC: !Ref Eventz",
            expected: [r(Rules.undefinedRef, "Worker", "TOPIC: !Ref Eventz")]),
        Case(
            name: "GetAtt of an undefined resource", replace: "Resource: !GetAtt Orders.Arn",
            with: "Resource: !GetAtt Order.Arn",
            expected: [r(Rules.getAttMissingResource, "WorkerRole", "Resource: !GetAtt Order.Arn")]),
        Case(
            name: "GetAtt of an unknown attribute", replace: "Value: !GetAtt Dlq.QueueName",
            with: "Value: !GetAtt Dlq.Name",
            expected: [r(Rules.getAttUnknownAttribute, "DlqAlarm", "Value: !GetAtt Dlq.Name")]),
        Case(
            name: "Sub variable undefined", replace: "Name: !Sub ${AWS::StackName}-QueueUrl",
            with: "Name: !Sub ${Stack}-QueueUrl",
            expected: [r(Rules.subUndefinedVariable, "QueueUrl", "Name: !Sub ${Stack}-QueueUrl")]),
        Case(
            name: "Sub attribute of a resource's unknown attribute",
            replace: "${Work.QueueName}", with: "${Work.Name}",
            expected: [r(Rules.getAttUnknownAttribute, "PostOrders", "Uri: !Sub")]),
        Case(
            name: "DependsOn an undefined resource", replace: "DependsOn: PostOrders", with: "DependsOn: PostOrder",
            expected: [r(Rules.dependsOnUndefined, "Deployment", "DependsOn: PostOrder")]),
        Case(
            name: "Fn::If with an undefined condition", replace: "!If [IsProd,", with: "!If [IsProduction,",
            expected: [
                r(Rules.undefinedCondition, "ApiStage", "StageName: !If"),
                r(Rules.unusedCondition, "IsProd", "IsProd: !Equals"),
            ]),
        Case(
            name: "FindInMap of an undefined mapping", replace: "S3Bucket: artifacts",
            with: "S3Bucket: !FindInMap [Buckets, !Ref AWS::Region, name]",
            expected: [r(Rules.undefinedMapping, "Worker", "S3Bucket: !FindInMap")]),
        Case(
            name: "Circular dependency", replace: "Resource: !Ref Events", with: "Resource: !GetAtt Worker.Arn",
            expected: [r(Rules.circularDependency, "WorkerRole", "  WorkerRole:")]),
        Case(
            name: "Unused parameter", replace: "Parameters:\n", with: "Parameters:\n  Unused:\n    Type: String\n",
            expected: [r(Rules.unusedParameter, "Unused", "  Unused:")]),
        Case(
            name: "Duplicate export name", replace: "Name: !Sub ${AWS::StackName}-TableName",
            with: "Name: !Sub ${AWS::StackName}-QueueUrl",
            after: "  TableName:",
            expected: [r(Rules.duplicateExport, "TableName", "Name: !Sub", after: "  TableName:")]),
        Case(
            name: "Unknown property", replace: "Timeout: 30", with: "Timeuot: 30",
            expected: [r(Rules.unknownProperty, "Worker", "Timeuot: 30")]),
        Case(
            name: "Unknown property with a case suggestion", replace: "Timeout: 30", with: "TimeOut: 30",
            expected: [r(Rules.unknownProperty, "Worker", "TimeOut: 30")]),
        Case(
            name: "Required property missing", replace: "      Role: !GetAtt WorkerRole.Arn\n", with: "",
            expected: [r(Rules.missingRequiredProperty, "Worker", "Properties:", after: "  Worker:")]),
        Case(
            name: "Type not in the catalogue", replace: "Resources:\n",
            with: "Resources:\n  Extra:\n    Type: AWS::Foo::Bar\n",
            expected: [r(Rules.unknownType, "Extra", "Type: AWS::Foo::Bar")]),
        Case(
            name: "Mapping's role lacks SQS actions",
            replace: "[sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]", with: "[sqs:ReceiveMessage]",
            expected: [r(Rules.mappingRoleLacksSQS, "WorkerMapping", "FunctionName: !Ref Worker")]),
        Case(
            name: "Mapping's role grants on another queue", replace: "Resource: !GetAtt Work.Arn",
            with: "Resource: !GetAtt Dlq.Arn",
            after: "  WorkerRole:",
            expected: [r(Rules.mappingRoleLacksSQS, "WorkerMapping", "FunctionName: !Ref Worker")]),
        Case(
            name: "EventSourceArn is a queue URL", replace: "EventSourceArn: !GetAtt Work.Arn",
            with: "EventSourceArn: !Ref Work",
            expected: [r(Rules.mappingSourceIsURL, "WorkerMapping", "EventSourceArn: !Ref Work")]),
        Case(
            name: "Visibility timeout below the function timeout", replace: "VisibilityTimeout: 181",
            with: "VisibilityTimeout: 20",
            expected: [r(Rules.visibilityBelowTimeout, "Work", "VisibilityTimeout: 20")]),
        Case(
            name: "Visibility timeout below 6x timeout + window", replace: "VisibilityTimeout: 181",
            with: "VisibilityTimeout: 180",
            expected: [r(Rules.visibilityBelowGuidance, "Work", "VisibilityTimeout: 180")]),
        Case(
            name: "Consumed queue without DLQ",
            replace: "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt Dlq.Arn\n        maxReceiveCount: 5\n",
            with: "",
            after: "  Work:", expected: [r(Rules.consumedQueueWithoutDLQ, "Work", "  Work:")]),
        Case(
            name: "DLQ keeps messages for less time than its sources", replace: "MessageRetentionPeriod: 1209600",
            with: "MessageRetentionPeriod: 60",
            expected: [r(Rules.dlqRetentionTooShort, "Dlq", "  Dlq:"), r(Rules.dlqRetentionTooShort, "Dlq", "  Dlq:")]),
        Case(
            name: "maxReceiveCount below 5", replace: "maxReceiveCount: 5", with: "maxReceiveCount: 2",
            after: "  Work:",
            expected: [r(Rules.maxReceiveCountTooLow, "Work", "RedrivePolicy:", after: "  Work:")]),
        Case(
            name: "Mapping without ReportBatchItemFailures",
            replace: "      FunctionResponseTypes: [ReportBatchItemFailures]\n", with: "",
            expected: [r(Rules.noPartialBatchResponse, "WorkerMapping", "Properties:", after: "  WorkerMapping:")]),
        Case(
            name: "MaximumConcurrency above reserved concurrency", replace: "MaximumConcurrency: 5",
            with: "MaximumConcurrency: 50",
            expected: [r(Rules.maximumConcurrencyAboveReserved, "WorkerMapping", "ScalingConfig:")]),
        Case(
            name: "API role cannot send to its queue", replace: "Resource: !GetAtt Work.Arn",
            with: "Resource: !GetAtt Dlq.Arn",
            after: "  ApiRole:", expected: [r(Rules.apiRoleLacksSend, "PostOrders", "Credentials: !GetAtt ApiRole.Arn")]
        ),
        Case(
            name: "SQS integration URI uses the ARN", replace: "${Work.QueueName}", with: "${Work.Arn}",
            expected: [r(Rules.apiUriUsesArn, "PostOrders", "Uri: !Sub")]),
        Case(
            name: "Lambda role trusts another service", replace: "Service: lambda.amazonaws.com",
            with: "Service: ec2.amazonaws.com",
            expected: [
                r(Rules.roleTrustsWrongService, "WorkerRole", "AssumeRolePolicyDocument:", after: "  WorkerRole:")
            ]),
        Case(
            name: "Permission principal does not match its source", replace: "Resources:\n",
            with: """
                Resources:
                  InvokeWorker:
                    Type: AWS::Lambda::Permission
                    Properties:
                      FunctionName: !GetAtt Worker.Arn
                      Action: lambda:InvokeFunction
                      Principal: sns.amazonaws.com
                      SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/POST/orders

                """,
            expected: [r(Rules.permissionPrincipalMismatch, "InvokeWorker", "Principal: sns.amazonaws.com")]),
        Case(
            name: "Subscribed queue's policy admits another service", replace: "Service: sns.amazonaws.com",
            with: "Service: s3.amazonaws.com",
            expected: [
                r(Rules.subscriptionQueueNotAllowed, "DownstreamSubscription", "Endpoint: !GetAtt Downstream.Arn")
            ]),
        Case(
            name: "Subscribed queue's policy admits another topic", replace: "aws:SourceArn: !Ref Events",
            with: "aws:SourceArn: !Ref Api",
            expected: [
                r(Rules.subscriptionQueueNotAllowed, "DownstreamSubscription", "Endpoint: !GetAtt Downstream.Arn")
            ]),
        Case(
            name: "Subscribed queue's policy admits another topic by literal ARN",
            replace: "aws:SourceArn: !Ref Events",
            with: "aws:SourceArn: arn:aws:sns:us-east-1:123456789012:other-topic",
            expected: [
                r(Rules.subscriptionQueueNotAllowed, "DownstreamSubscription", "Endpoint: !GetAtt Downstream.Arn")
            ]),
        Case(
            name: "Subscribed queue's policy admits another topic by a Sub of pseudo parameters",
            replace: "aws:SourceArn: !Ref Events",
            with: "aws:SourceArn: !Sub 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:other-topic'",
            expected: [
                r(Rules.subscriptionQueueNotAllowed, "DownstreamSubscription", "Endpoint: !GetAtt Downstream.Arn")
            ]),
        Case(
            name: "Subscribed queue's policy names the topic by a wildcard ARN", replace: "aws:SourceArn: !Ref Events",
            with: "aws:SourceArn: !Sub 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*'", expected: []),
        Case(
            name: "Subscription endpoint is a queue URL", replace: "Endpoint: !GetAtt Downstream.Arn",
            with: "Endpoint: !Ref Downstream",
            expected: [r(Rules.subscriptionEndpointIsURL, "DownstreamSubscription", "Endpoint: !Ref Downstream")]),
        Case(
            name: "Subscribed queue uses alias/aws/sqs", replace: "KmsMasterKeyId: alias/downstream",
            with: "KmsMasterKeyId: alias/aws/sqs",
            expected: [r(Rules.subscribedQueueAWSManagedKey, "Downstream", "KmsMasterKeyId: alias/aws/sqs")]),
        Case(
            name: "Alarm dimension is a literal", replace: "Value: !GetAtt Dlq.QueueName", with: "Value: my-dlq",
            expected: [r(Rules.alarmDimensionLiteral, "DlqAlarm", "- Name: QueueName", after: "  DlqAlarm:")]),
        Case(
            name: "Alarm dimension of the wrong type", replace: "Value: !Ref Worker", with: "Value: !Ref Work",
            expected: [
                r(Rules.alarmDimensionWrongType, "WorkerErrors", "- Name: FunctionName", after: "  WorkerErrors:")
            ]),
        Case(
            name: "IteratorAge on an SQS-fed function", replace: "MetricName: Errors", with: "MetricName: IteratorAge",
            expected: [r(Rules.iteratorAgeOnSQS, "WorkerErrors", "MetricName: IteratorAge")]),
        Case(
            name: "Function without a matching log group",
            replace: "LogGroupName: !Sub /aws/lambda/${AWS::StackName}-worker",
            with: "LogGroupName: !Sub /aws/lambda/${AWS::StackName}-other",
            expected: [r(Rules.functionLogGroup, "Worker", "  Worker:")]),
        Case(
            name: "Function log group without retention", replace: "      RetentionInDays: 30\n", with: "",
            after: "  WorkerLogs:",
            expected: [r(Rules.functionLogGroup, "WorkerLogs", "  WorkerLogs:")]),
        Case(
            name: "Table without PITR", replace: "PointInTimeRecoveryEnabled: true",
            with: "PointInTimeRecoveryEnabled: false",
            expected: [r(Rules.tableWithoutPITR, "Orders", "  Orders:")]),
        Case(
            name: "Table not retained", replace: "    DeletionPolicy: Retain\n", with: "",
            expected: [r(Rules.tableNotRetained, "Orders", "  Orders:")]),
        Case(
            name: "Table without deletion protection", replace: "DeletionProtectionEnabled: true",
            with: "DeletionProtectionEnabled: false",
            expected: [r(Rules.tableWithoutDeletionProtection, "Orders", "  Orders:")]),
        Case(
            name: "Action '*'", replace: "Action: sns:Publish", with: "Action: '*'",
            expected: [
                r(Rules.wildcardAction, "WorkerRole", "- Effect: Allow", after: "Resource: !GetAtt WorkerLogs.Arn")
            ]),
        Case(
            name: "Service-wide action wildcard", replace: "Action: sns:Publish", with: "Action: sns:*",
            expected: [
                r(
                    Rules.serviceWildcardAction, "WorkerRole", "- Effect: Allow",
                    after: "Resource: !GetAtt WorkerLogs.Arn")
            ]),
        Case(
            name: "Resource '*' for scopable actions", replace: "Resource: !Ref Events", with: "Resource: '*'",
            expected: [
                r(Rules.wildcardResource, "WorkerRole", "- Effect: Allow", after: "Resource: !GetAtt WorkerLogs.Arn")
            ]),
        Case(
            name: "Write route without authorization", replace: "AuthorizationType: AWS_IAM",
            with: "AuthorizationType: NONE",
            expected: [r(Rules.unauthenticatedWriteRoute, "PostOrders", "AuthorizationType: NONE")]),
        Case(
            name: "Stage without throttling",
            replace: "          ThrottlingRateLimit: 100\n          ThrottlingBurstLimit: 200\n", with: "",
            expected: [r(Rules.stageWithoutThrottling, "ApiStage", "  ApiStage:")]),
        Case(
            name: "Stage without access logs",
            replace: "      AccessLogSetting:\n        DestinationArn: !GetAtt AccessLogs.Arn\n",
            with: "", expected: [r(Rules.stageWithoutAccessLog, "ApiStage", "  ApiStage:")]),
        Case(
            name: "Suppression without a reason", replace: "  Work:\n    Type: AWS::SQS::Queue\n",
            with:
                "  Work:\n    Type: AWS::SQS::Queue\n    Metadata:\n      orderstack:\n        ignore:\n          - id: OS2004\n",
            expected: [r(Rules.suppressionWithoutReason, "Work", "- id: OS2004")]),
        Case(
            name: "Description beside Type", replace: "  Dlq:\n    Type: AWS::SQS::Queue\n",
            with: "  Dlq:\n    Type: AWS::SQS::Queue\n    Description: dead letters\n",
            expected: [r(Rules.unknownResourceAttribute, "Dlq", "Description: dead letters")]),
        Case(
            name: "Attribute written as a string", replace: "Resource: !GetAtt Work.Arn", with: "Resource: Work.Arn",
            expected: [r(Rules.attributeAsString, "WorkerRole", "Resource: Work.Arn")]),
        Case(
            name: "Pseudo parameter in Fn::Join", replace: "Name: !Sub ${AWS::StackName}-QueueUrl",
            with: "Name: !Join ['-', ['${AWS::StackName}', QueueUrl]]",
            expected: [r(Rules.variableOutsideSub, "QueueUrl", "Name: !Join")]),
        Case(
            name: "Runtime whose creation is blocked", replace: "Runtime: provided.al2023", with: "Runtime: nodejs16.x",
            expected: [r(Rules.runtimeCreationBlocked, "Worker", "Runtime: nodejs16.x")]),
        Case(
            name: "Runtime deprecated, creation not yet blocked", replace: "Runtime: provided.al2023",
            with: "Runtime: dotnet8", expected: [r(Rules.runtimeDeprecated, "Worker", "Runtime: dotnet8")]),
        Case(
            name: "FIFO queue with a standard DLQ", replace: "      VisibilityTimeout: 181\n",
            with: "      FifoQueue: true\n      VisibilityTimeout: 181\n",
            expected: [r(Rules.dlqTypeMismatch, "Work", "RedrivePolicy:", after: "  Work:")]),
        Case(
            name: "IteratorAge alarm on a function fed only by SQS (the orders stacks, fed by a stream too, are clean)",
            replace: "      MetricName: Errors\n", with: "      MetricName: IteratorAge\n",
            expected: [r(Rules.iteratorAgeOnSQS, "WorkerErrors", "MetricName: IteratorAge")]),
        Case(
            name: "SAM type without the transform", replace: "Resources:\n",
            with: "Resources:\n  Extra:\n    Type: AWS::Serverless::SimpleTable\n",
            expected: [r(Rules.serverlessWithoutTransform, "Extra", "Type: AWS::Serverless::SimpleTable")]),
    ]

    /// The date the lifecycle cases are judged on.
    static let today = "2026-12-01"

    @Test(arguments: cases)
    func mutationGivesExactlyTheExpectedFindings(test: Case) {
        Fixture.expectExactFindings(test, today: Self.today)
    }

    @Test func aLiteralSourceArnIsJudgedAgainstTheTopicsFixedName() {
        func findings(name: String, arn: String) -> [String] {
            let text = Fixture.wired.replacingOccurrences(
                of: "  Events:\n    Type: AWS::SNS::Topic\n",
                with: "  Events:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: \(name)\n"
            ).replacingOccurrences(of: "aws:SourceArn: !Ref Events", with: "aws:SourceArn: \(arn)")
            return Validator.validate(bytes: Array(text.utf8), path: "wired.yaml", today: Self.today).map(\.id)
        }
        #expect(findings(name: "order-events", arn: "arn:aws:sns:us-east-1:123456789012:order-events") == [])
        #expect(findings(name: "order-events", arn: "arn:aws:sns:us-east-1:123456789012:order-*") == [])
        #expect(
            findings(name: "order-events", arn: "arn:aws:sns:us-east-1:123456789012:refunds")
                == [Rules.subscriptionQueueNotAllowed.id])
        #expect(
            findings(name: "!Sub '${AWS::StackName}-events'", arn: "arn:aws:sns:us-east-1:123456789012:shop-events")
                == [], "a name built at deploy time gets no verdict")
    }

    @Test func suppressionWithAReasonHidesTheFinding() {
        let test = Case(
            name: "suppressed",
            replace: "  Work:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 181",
            with: """
                  Work:
                    Type: AWS::SQS::Queue
                    Metadata:
                      orderstack:
                        ignore:
                          - id: OS2004
                            reason: the worker finishes in 2 s; 60 s is plenty
                    Properties:
                      VisibilityTimeout: 60
                """, expected: [])
        #expect(Validator.validate(bytes: Array(Fixture.apply(test).utf8), path: "wired.yaml") == [])
    }

    @Test func everyRuleHasAUniqueIDAndDocumentation() {
        #expect(Set(Rules.all.map(\.id)).count == Rules.all.count)
        #expect(Rules.all.allSatisfy { !$0.why.isEmpty && !$0.fix.isEmpty && !$0.title.isEmpty })
    }
}

/// OS2027 counts a usage plan only when it can throttle: it has an API key and a method requires one.
@Suite struct UsagePlanThrottleTests {
    static let unthrottled = Fixture.wired.replacingOccurrences(
        of: "          ThrottlingRateLimit: 100\n          ThrottlingBurstLimit: 200\n", with: "")
    static let plan = """
          Plan:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref Api, Stage: !Ref ApiStage}]
              Throttle: {RateLimit: 10, BurstLimit: 20}

        """
    static let key = """
          Key:
            Type: AWS::ApiGateway::ApiKey
            Properties: {Enabled: true}
          PlanKey:
            Type: AWS::ApiGateway::UsagePlanKey
            Properties: {KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan}

        """

    static func ids(_ text: String) -> [String] {
        Validator.validate(bytes: Array(text.utf8), path: "wired.yaml").filter { $0.id == "OS2027" }.map(\.message)
    }

    static func withResources(_ extra: String, keyRequired: Bool = false) -> String {
        var text = unthrottled.replacingOccurrences(of: "Resources:\n", with: "Resources:\n" + extra)
        if keyRequired {
            text = text.replacingOccurrences(
                of: "      AuthorizationType: AWS_IAM\n",
                with: "      AuthorizationType: AWS_IAM\n      ApiKeyRequired: true\n")
        }
        return text
    }

    @Test func aPlanWithoutKeysOrKeyedMethodsThrottlesNothing() {
        #expect(Self.ids(Self.unthrottled).first?.hasSuffix("no usage plan throttles it") == true)
        #expect(Self.ids(Self.withResources(Self.plan)).first?.contains("throttles nothing") == true)
        #expect(Self.ids(Self.withResources(Self.plan + Self.key)).first?.contains("throttles nothing") == true)
        #expect(Self.ids(Self.withResources(Self.plan, keyRequired: true)).first?.contains("throttles nothing") == true)
    }

    @Test func aKeyedPlanOnKeyedMethodsCounts() {
        #expect(Self.ids(Self.withResources(Self.plan + Self.key, keyRequired: true)).isEmpty)
    }
}
