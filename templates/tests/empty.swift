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

    /// Items are kept when the stack goes.
    @Test func theItemsOutliveTheStack() throws {
        let table = try Self.stage("prod").hasResource(
            "AWS::DynamoDB::Table", properties: Fields([("BillingMode", .string("PAY_PER_REQUEST"))]))
        #expect(table.deletionPolicy == .string("Retain"))
    }

    /// IAM follows the wiring: the worker takes from the intake queue and writes the table.
    @Test func theWorkerIsAllowedWhatItsWiringNeeds() throws {
        let stack = try Self.stage("dev")
        try stack.allows(
            exactly: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"],
            on: .getAtt("ItemsTable", "Arn"), role: "WorkerFunction")
        try stack.allows(
            exactly: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            on: .getAtt("IntakeQueue", "Arn"), role: "WorkerFunction")
    }
}
