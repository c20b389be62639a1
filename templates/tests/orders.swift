import CloudFormation
import Foundation
import StackTesting
import Testing
import {{Name}}Blueprint

/// The stack as `swift run {{name}} synth` writes it, asserted with orderstack's StackTesting.
@Suite struct StackTests {
    /// This package's folder (the one holding `blueprints/`).
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func stage(_ name: String) throws -> StackAssertions {
        try StackAssertions.synthesize({{Name}}Blueprint.stack, stage: name, project: project)
    }

    @Test func nothingIsOpenToThePublic() throws {
        try Self.stage("dev").noResourceIsPublic()
        try Self.stage("prod").noResourceIsPublic()
    }

    /// In prod the table cannot be deleted by a change, and it is kept when the stack goes.
    @Test func theOrdersOutliveTheStack() throws {
        let table = try Self.stage("prod").hasResource(
            "AWS::DynamoDB::Table", properties: Fields([("DeletionProtectionEnabled", .bool(true))]))
        #expect(table.deletionPolicy == .string("Retain"))
    }

    /// IAM follows the wiring: the query function only reads, the processor stores and announces.
    @Test func eachFunctionIsAllowedWhatItsWiringNeeds() throws {
        let stack = try Self.stage("prod")
        let table = Value.getAtt("OrdersTable", "Arn")
        try stack.allows(exactly: ["dynamodb:GetItem"], on: table, role: "OrderQueryFunction")
        try stack.allows(
            exactly: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"], on: table,
            role: "OrderProcessorFunction")
        try stack.allows(exactly: ["sns:Publish"], on: .ref("OrderEventsTopic"), role: "OrderProcessorFunction")
    }

    @Test func oneTableOneTopic() throws {
        let stack = try Self.stage("dev")
        try stack.resourceCount("AWS::DynamoDB::Table", is: 1)
        try stack.resourceCount("AWS::SNS::Topic", is: 2)  // the order events and the alarms
    }
}
