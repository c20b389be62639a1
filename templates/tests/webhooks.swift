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

    /// Deliveries are kept when the stack goes.
    @Test func theDeliveriesOutliveTheStack() throws {
        let table = try Self.stage("prod").hasResource("AWS::DynamoDB::Table")
        #expect(table.deletionPolicy == .string("Retain"))
    }

    /// IAM follows the wiring: the worker stores, marks and reads back deliveries, and announces them.
    @Test func theWorkerIsAllowedWhatItsWiringNeeds() throws {
        let stack = try Self.stage("dev")
        try stack.allows(
            exactly: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"],
            on: .getAtt("DeliveriesTable", "Arn"), role: "WebhookWorkerFunction")
        try stack.allows(exactly: ["sns:Publish"], on: .ref("DeliveryEventsTopic"), role: "WebhookWorkerFunction")
    }
}
