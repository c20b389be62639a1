import CloudFormation
import Foundation
import TemplateYAML
import Testing

@testable import Diff

enum Pair {
    static let base = """
        Parameters:
          Email:
            Type: String
            Default: ops@example.com
        Resources:
          Orders:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: orders
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: orderId, AttributeType: S}]
              KeySchema: [{AttributeName: orderId, KeyType: HASH}]
          Kept:
            Type: AWS::DynamoDB::Table
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
          Work:
            Type: AWS::SQS::Queue
            Properties:
              FifoQueue: false
          Events:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: events
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: provided.al2023
              Handler: bootstrap
              MemorySize: 512
              Role: !GetAtt FnRole.Arn
              Code: {S3Bucket: b, S3Key: k}
          FnRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
              Policies:
                - PolicyName: wiring
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Action: [sqs:ReceiveMessage]
                        Resource: !GetAtt Work.Arn
          Mapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties:
              EventSourceArn: !GetAtt Work.Arn
              FunctionName: !Ref Fn
        Outputs:
          QueueUrl:
            Value: !Ref Work
            Export:
              Name: !Sub ${AWS::StackName}-QueueUrl

        """

    static func template(_ text: String) throws -> Template {
        let result = TemplateReader.read(text, path: "t.yaml")
        return try #require(result.template, "\(result.diagnostics)")
    }

    static func diff(_ replace: String, _ with: String) throws -> StackDiff {
        #expect(base.contains(replace), "fixture has '\(replace)'")
        return Differ.diff(
            old: try template(base), new: try template(base.replacingOccurrences(of: replace, with: with)), name: "t")
    }
}

@Suite struct DifferTests {
    @Test func identicalTemplatesHaveNoChanges() throws {
        let diff = Differ.diff(old: try Pair.template(Pair.base), new: try Pair.template(Pair.base), name: "t")
        #expect(diff.isEmpty)
    }

    @Test func keySchemaChangeReplacesAndLosesDataWithoutRetain() throws {
        let diff = try Pair.diff("KeySchema: [{AttributeName: orderId", "KeySchema: [{AttributeName: id")
        let change = try #require(diff.resources.first { $0.logicalId == "Orders" })
        #expect(change.kind == .modified)
        #expect(change.replacement == .conditional, "KeySchema is conditionally create-only in the schema")
        #expect(change.properties.map(\.path) == ["KeySchema/0/AttributeName"])
        #expect(change.blocked?.hasPrefix("if the update replaces it: TableName orders is a custom name") == true)
        #expect(FailOn.dataLoss.fails([diff]))
    }

    @Test func keySchemaChangeOnARetainedTableIsStillDataLossForTheRunningStack() throws {
        let diff = try Pair.diff(
            "KeySchema: [{AttributeName: id, KeyType: HASH}]", "KeySchema: [{AttributeName: pk, KeyType: HASH}]")
        let change = try #require(diff.resources.first { $0.logicalId == "Kept" })
        #expect(change.replacement == .conditional)
        #expect(
            change.dataLoss
                == "may be replaced: the stack moves to a new, empty resource; the old one and its data stay in the account outside the stack (UpdateReplacePolicy: Retain), orphaned"
        )
        #expect(change.blocked == nil, "Kept has no custom name")
        #expect(diff.losesData && FailOn.dataLoss.fails([diff]))
    }

    @Test func snapshotPolicySaysTheSnapshotMustBeRestored() throws {
        let diff = try Pair.diff(
            "    UpdateReplacePolicy: Retain\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id,",
            "    UpdateReplacePolicy: Snapshot\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: pk,"
        )
        let change = try #require(diff.resources.first { $0.logicalId == "Kept" })
        #expect(change.dataLoss?.contains("deleted after a snapshot (UpdateReplacePolicy: Snapshot)") == true)
    }

    @Test func replacementKeepingACustomNameIsRefused() throws {
        let diff = try Pair.diff("TableName: orders\n", "TableName: orders\n      ImportSourceSpecification: {}\n")
        let change = try #require(diff.resources.first { $0.logicalId == "Orders" })
        #expect(change.blocked?.hasPrefix("TableName orders is a custom name: CloudFormation creates") == true)
        #expect(change.dataLoss == nil, "a refused update replaces nothing and loses nothing")
        #expect(diff.blocks)
        #expect(DiffReport.summary(diff).contains("1 refused by CloudFormation"))
        let topic = try Pair.diff("TopicName: events", "TopicName: events\n      FifoTopic: true")
        #expect(topic.resources.first?.blocked?.hasPrefix("TopicName events") == true)
        #expect(FailOn.dataLoss.fails([topic]), "a refused update fails the default gate, though a topic holds no data")
        let renamed = try Pair.diff("TableName: orders", "TableName: orders-v2")
        #expect(renamed.resources.first?.blocked == nil, "a new name with the replacement is allowed")
    }

    @Test func tableNameChangeReplaces() throws {
        let diff = try Pair.diff("TableName: orders", "TableName: orders-v2")
        let change = try #require(diff.resources.first)
        #expect(change.logicalId == "Orders" && change.replacement == .always)
        #expect(change.properties.first?.reason == "TableName is create-only: changing it replaces the resource")
        #expect(change.dataLoss != nil)
    }

    @Test func tableRemovalLosesDataUnlessRetained() throws {
        let removeOrders = try Pair.diff(
            "  Orders:\n    Type: AWS::DynamoDB::Table\n", "  Gone:\n    Type: AWS::SNS::Topic\n")
        let orders = try #require(removeOrders.resources.first { $0.logicalId == "Orders" })
        #expect(orders.kind == .removed)
        #expect(orders.dataLoss?.contains("DeletionPolicy: Retain") == true)
        let keptBody =
            "  Kept:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
        let removeKept = try Pair.diff(keptBody, "")
        let kept = try #require(removeKept.resources.first)
        #expect(kept.logicalId == "Kept" && kept.kind == .removed && kept.dataLoss == nil)
        #expect(!removeKept.losesData)
    }

    @Test func queueFifoFlagChangeReplacesTheQueue() throws {
        let diff = try Pair.diff("FifoQueue: false", "FifoQueue: true")
        let change = try #require(diff.resources.first { $0.logicalId == "Work" })
        #expect(change.replacement == .always)
        #expect(change.dataLoss != nil, "messages in the old queue are deleted")
        let mapping = try #require(diff.resources.first { $0.logicalId == "Mapping" })
        #expect(mapping.replacement == .conditional, "EventSourceArn is create-only and references the replaced queue")
    }

    @Test func topicNameChangeReplacesWithoutDataLoss() throws {
        let diff = try Pair.diff("TopicName: events", "TopicName: order-events")
        let change = try #require(diff.resources.first)
        #expect(change.logicalId == "Events" && change.replacement == .always && change.dataLoss == nil)
    }

    @Test func functionMemoryChangeIsAnInPlaceUpdate() throws {
        let diff = try Pair.diff("MemorySize: 512", "MemorySize: 1024")
        #expect(diff.resources.count == 1)
        let change = try #require(diff.resources.first)
        #expect(change.kind == .modified && change.replacement == .never && change.dataLoss == nil)
        #expect(
            change.properties == [
                PropertyChange(path: "MemorySize", old: .number("512"), new: .number("1024"), replacement: .never)
            ])
        #expect(!diff.replaces)
    }

    @Test func widenedIAMIsVisible() throws {
        let diff = try Pair.diff("Action: [sqs:ReceiveMessage]", "Action: [sqs:ReceiveMessage, sqs:DeleteMessage]")
        let change = try #require(diff.resources.first)
        #expect(change.logicalId == "FnRole")
        #expect(change.grantsAdded == ["Allow sqs:DeleteMessage on !GetAtt Work.Arn"])
        #expect(change.grantsRemoved.isEmpty)
    }

    @Test func removedExportBreaksImporters() throws {
        let diff = try Pair.diff("    Export:\n      Name: !Sub ${AWS::StackName}-QueueUrl\n", "")
        #expect(diff.outputs.count == 1)
        #expect(diff.outputs.first?.breaking == true)
        #expect(diff.breaks)
    }

    @Test func renameShowsRemoveAndAddWithAHint() throws {
        let diff = try Pair.diff("  Events:\n", "  OrderEvents:\n")
        let added = try #require(diff.resources.first { $0.kind == .added })
        let removed = try #require(diff.resources.first { $0.kind == .removed })
        #expect(added.logicalId == "OrderEvents" && added.renameHint == "Events")
        #expect(removed.logicalId == "Events" && removed.renameHint == "OrderEvents")
    }

    @Test func parameterDefaultChangeIsReported() throws {
        let diff = try Pair.diff("Default: ops@example.com", "Default: oncall@example.com")
        #expect(diff.parameters.map(\.detail) == ["Default: ops@example.com -> oncall@example.com"])
        #expect(diff.resources.isEmpty)
    }

    @Test func retentionPolicyChangesAreReported() throws {
        let diff = try Pair.diff(
            "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n",
            "    DeletionPolicy: Delete\n    UpdateReplacePolicy: Retain\n")
        #expect(diff.resources.first?.attributes == ["DeletionPolicy: Retain -> Delete"])
    }
}

/// IAM grants stay linear in the policy's size, and a change inside a large statement is still seen.
@Suite struct IAMGrantTests {
    static func role(resources: Int, condition: Int, last: String = "q-last") -> Resource {
        let arns = (0..<resources).map { Value.string("arn:aws:sqs:us-east-1:123456789012:q-\($0)") }
        return Resource(
            "Role", type: "AWS::IAM::Role",
            properties: Fields([
                (
                    "Policies",
                    .list([
                        .object([
                            "PolicyName": .string("p"),
                            "PolicyDocument": .object([
                                "Statement": .list([
                                    .object([
                                        "Effect": .string("Allow"),
                                        "Action": .strings(["sqs:SendMessage", "sqs:GetQueueUrl"]),
                                        "Resource": .list(arns + [.string(last)]),
                                        "Condition": .object([
                                            "NumericLessThan": .object([
                                                "aws:MultiFactorAuthAge": .list((0..<condition).map { .int($0) })
                                            ])
                                        ]),
                                    ])
                                ])
                            ]),
                        ])
                    ])
                )
            ]))
    }

    @Test func aSmallStatementIsOneLinePerActionAndResource() {
        let grants = IAMGrants.of(Self.role(resources: 2, condition: 2))
        #expect(grants.count == 6)
        #expect(
            grants.contains("Allow sqs:SendMessage on q-last if {NumericLessThan: {aws:MultiFactorAuthAge: [0, 1]}}"))
    }

    @Test func aLargeStatementIsOneLineWithDigestsThatStillChangeWithTheContent() {
        let large = IAMGrants.of(Self.role(resources: 5_000, condition: 5_000))
        #expect(large.count == 1)
        let line = large.first ?? ""
        #expect(line.count < 300, "\(line)")
        #expect(line.contains("characters, sha256 "))
        #expect(IAMGrants.of(Self.role(resources: 5_000, condition: 5_000, last: "q-other")) != large)
    }
}
