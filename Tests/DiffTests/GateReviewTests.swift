import CloudFormation
import Foundation
import Testing

@testable import Diff

/// The gate's verdict beside CloudFormation's, acknowledgements, and every format saying what was found.
@Suite struct GateReviewTests {
    static func retentionLowered() throws -> StackDiff {
        try Pair.diff("FifoQueue: false", "FifoQueue: false\n      MessageRetentionPeriod: 60")
    }

    @Test func theChangeSetsReplacementOfAStatefulResourceFailsTheGateWhateverOurDiffSays() throws {
        var diff = try Pair.diff("MemorySize: 512", "MemorySize: 1024")
        #expect(!FailOn.dataLoss.fails([diff]))
        ChangeSetVerdict.merge(
            [
                ChangeSetResource(
                    logicalId: "Fn", resourceType: "AWS::Lambda::Function", action: "Modify", replacement: "False",
                    scope: ["Properties"]),
                ChangeSetResource(
                    logicalId: "Kept", resourceType: "AWS::DynamoDB::Table", action: "Modify",
                    replacement: "Conditional", scope: ["Properties"]),
            ], into: &diff)
        #expect(FailOn.dataLoss.fails([diff]))
        let kept = try #require(diff.resources.first { $0.logicalId == "Kept" })
        #expect(kept.changeSet == "Modify, Replacement: Conditional, scope Properties")
        #expect(kept.dataLoss?.contains("CloudFormation's change set may replace this resource") == true)
        #expect(
            diff.resources.first { $0.logicalId == "Fn" }?.changeSet == "Modify, Replacement: False, scope Properties")
        for format in DiffFormat.allCases {
            let text = DiffReport.render([diff], format: format)
            #expect(text.contains("Replacement: Conditional"), "\(format) shows AWS's verdict")
            #expect(text.contains("Replacement: False"), "\(format) shows AWS's verdict for every change")
        }
    }

    @Test func aChangeSetReplacingAResourceWithoutDataAddsNoLoss() throws {
        var diff = try Pair.diff("MemorySize: 512", "MemorySize: 1024")
        ChangeSetVerdict.merge(
            [
                ChangeSetResource(
                    logicalId: "Events", resourceType: "AWS::SNS::Topic", action: "Modify", replacement: "True",
                    scope: ["Properties"])
            ], into: &diff)
        #expect(!FailOn.dataLoss.fails([diff]))
        #expect(diff.resources.first { $0.logicalId == "Events" }?.changeSet?.contains("Replacement: True") == true)
    }

    @Test func anAcknowledgementAcceptsOnlyItsResourceAndClassAndNeverARefusal() throws {
        var diff = try Self.retentionLowered()
        #expect(FailOn.dataLoss.fails([diff]))
        let wrongClass = Acknowledgement(resource: "Work", kind: .removed, reason: "not this loss", location: "f:1:1")
        Acknowledgement.apply([wrongClass], to: &diff, names: ["t"])
        #expect(FailOn.dataLoss.fails([diff]))
        #expect(diff.unusedAcknowledgements.count == 1)
        let otherStack = Acknowledgement(
            resource: "Work", kind: .retentionLowered, reason: "dev only", stacks: ["orders-dev"], location: "f:2:1")
        Acknowledgement.apply([otherStack], to: &diff, names: ["orders-prod"])
        #expect(FailOn.dataLoss.fails([diff]) && diff.unusedAcknowledgements.isEmpty)
        let right = Acknowledgement(
            resource: "Work", kind: .retentionLowered, reason: "drained first", location: "f:3:1")
        Acknowledgement.apply([right], to: &diff, names: ["t"])
        #expect(!FailOn.dataLoss.fails([diff]))
        #expect(DiffReport.render([diff], format: .text).contains("acknowledged DATA LOSS (retention-lowered)"))
        #expect(DiffReport.summary(diff).contains("1 acknowledged loss"))

        var refused = try Pair.diff("TableName: orders\n", "TableName: orders\n      ImportSourceSpecification: {}\n")
        let attempt = Acknowledgement(resource: "Orders", kind: .refused, reason: "cannot be", location: "f:4:1")
        Acknowledgement.apply([attempt], to: &refused, names: ["t"])
        #expect(FailOn.dataLoss.fails([refused]), "CloudFormation refuses whatever the file says")
        #expect(!Acknowledgement.classes.contains(.refused) && !Acknowledgement.classes.contains(.safeguardRemoved))
    }

    @Test func everyFormatSaysEachFindingWithItsClass() throws {
        let diff = try Self.retentionLowered()
        let text = DiffReport.render([diff], format: .text)
        let markdown = DiffReport.render([diff], format: .markdown)
        let json = DiffReport.render([diff], format: .json)
        #expect(text.contains("DATA LOSS (retention-lowered): MessageRetentionPeriod lowered from 4 days to 1 minute"))
        #expect(markdown.contains("⛔ DATA LOSS (retention-lowered)"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let resources = try #require(parsed.first?["resources"] as? [[String: Any]])
        let findings = resources.compactMap { $0["findings"] as? [[String: Any]] }.flatMap { $0 }
        #expect(findings.contains { $0["class"] as? String == "retention-lowered" && $0["failsGate"] as? Bool == true })
    }
}
