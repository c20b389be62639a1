import Foundation
import Testing

@Suite struct DiffCommandTests {
    func write(_ text: String, _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderstack-diff-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    var committed: String {
        get throws {
            try String(
                contentsOf: CommandRunner.packageRoot.appendingPathComponent("output/orders-prod.yaml"), encoding: .utf8
            )
        }
    }

    @Test func committedOutputMatchesTheBlueprint() throws {
        let result = try CommandRunner.orderstack(["diff"])
        #expect(result.status == 0)
        #expect(result.stdout == "output/orders-dev.yaml: no changes\noutput/orders-prod.yaml: no changes\n")
    }

    @Test func dataLossFailsByDefaultAndReplacementOnlyWhenAsked() throws {
        let old = try write(try committed, "old.yaml")
        let renamedTable = try committed.replacingOccurrences(of: "    UpdateReplacePolicy: Retain\n", with: "")
            .replacingOccurrences(
                of: "AttributeName: orderId\n        KeyType: HASH", with: "AttributeName: id\n        KeyType: HASH")
        let new = try write(renamedTable, "new.yaml")
        let result = try CommandRunner.orderstack(["diff", old, new])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("~ OrdersTable (AWS::DynamoDB::Table) MAY BE REPLACED\n"))
        #expect(
            result.stdout.contains(
                "      DATA LOSS (replaced): may be replaced: the stack moves to a new, empty resource"))
        #expect(result.stdout.contains("UpdateReplacePolicy: Retain -> (Delete)"))
        let memory = try write(
            try committed.replacingOccurrences(of: "MemorySize: 512", with: "MemorySize: 1024"), "memory.yaml")
        #expect(try CommandRunner.orderstack(["diff", old, memory]).status == 0)
        #expect(try CommandRunner.orderstack(["diff", old, memory, "--fail-on", "any"]).status == 1)
        #expect(try CommandRunner.orderstack(["diff", old, memory, "--fail-on", "replacement"]).status == 0)
        let markdown = try CommandRunner.orderstack(["diff", old, new, "--format", "markdown", "--fail-on", "none"])
        #expect(markdown.status == 0)
        #expect(
            markdown.stdout.contains(
                "| ~ | `OrdersTable` | AWS::DynamoDB::Table | **conditional** | ⛔ DATA LOSS (replaced)"))
        let json = try CommandRunner.orderstack(["diff", old, new, "--format", "json", "--fail-on", "none"])
        let stacks = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(stacks.first?["dataLoss"] as? Bool == true)
    }

    @Test func retainedTableWithANewKeyFailsTheDefaultGate() throws {
        let old = try write(try committed, "old.yaml")
        let newKey = try committed.replacingOccurrences(
            of: "AttributeName: orderId\n        KeyType: HASH", with: "AttributeName: id\n        KeyType: HASH")
        #expect(newKey.contains("UpdateReplacePolicy: Retain"), "the fixture keeps the table's Retain policies")
        let result = try CommandRunner.orderstack(["diff", old, try write(newKey, "new.yaml")])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "DATA LOSS (replaced): may be replaced: the stack moves to a new, empty resource; deleting the old one fails (DeletionProtectionEnabled), so it stays in the account with its data, outside the stack"
            ), "\(result.stdout)")
    }

    @Test func withoutFilesTheCommittedOutputIsTheOldSideEvenAfterALocalSynth() throws {
        let project = try CommandRunner.scratchRepository { _, text in
            text.replacingOccurrences(of: "orderId", with: "id")
        }
        defer { try? FileManager.default.removeItem(at: project) }
        let path = project.path
        func git(_ arguments: [String]) throws { try CommandRunner.git(arguments, in: project) }
        #expect(try CommandRunner.orderstack(["synth", "--project", path]).status == 0, "the disk now matches a synth")
        let diff = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod"])
        #expect(diff.status == 1, "\(diff.stdout)\(diff.stderr)")
        #expect(diff.stdout.contains("DATA LOSS (replaced)"))
        try git(["commit", "-q", "-am", "synth"])
        let clean = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod"])
        #expect(clean.stdout == "output/orders-prod.yaml: no changes\n" && clean.status == 0)
        let base = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod", "--base", "HEAD~1"])
        #expect(base.status == 1 && base.stdout.contains("OrdersTable"))
        let unknown = try CommandRunner.orderstack(["diff", "--project", path, "--base", "no-such-branch"])
        #expect(unknown.status == 2)
        #expect(
            unknown.stderr
                == "error: --base 'no-such-branch' is not a commit of this repository (try HEAD, origin/main or a hash)\n"
        )
    }

    @Test func unreadableInputAndUsageExitTwo() throws {
        let bad = try write("Resources: [", "bad.yaml")
        let result = try CommandRunner.orderstack(["diff", bad, bad])
        #expect(result.status == 2)
        #expect(result.stderr.contains("OS0001"))
        #expect(try CommandRunner.orderstack(["diff", bad]).status == 2)
    }

    @Test func anAcknowledgedLossPassesPrintedWithItsReasonAndOnlyForItsClass() throws {
        let project = try CommandRunner.scratchRepository { _, text in
            text.replacingOccurrences(of: "RetentionInDays: 30", with: "RetentionInDays: 90")
        }
        defer { try? FileManager.default.removeItem(at: project) }
        let path = project.path
        let refused = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod"])
        #expect(refused.status == 1)
        #expect(
            refused.stdout.contains("DATA LOSS (retention-lowered): RetentionInDays lowered from 90 days to 30 days"))
        let file = project.appendingPathComponent("blueprints/acknowledged-losses.yaml")
        let reason = "logs older than a month are archived centrally (OPS-42)"
        func acknowledge(_ accessLogClass: String) throws {
            try """
            acknowledged:
              - resource: OrderProcessorLogGroup
                class: retention-lowered
                reason: \(reason)
              - resource: OrderQueryLogGroup
                class: retention-lowered
                stack: orders-prod
                reason: \(reason)
              - resource: OrdersApiAccessLogGroup
                class: \(accessLogClass)
                reason: \(reason)
            """.write(to: file, atomically: true, encoding: .utf8)
        }
        try acknowledge("removed")
        let wrongClass = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod"])
        #expect(wrongClass.status == 1, "an acknowledgement of another class accepts nothing\n\(wrongClass.stdout)")
        #expect(
            wrongClass.stdout.contains(
                "note: the acknowledgement at \(path)/blueprints/acknowledged-losses.yaml:9:5 (OrdersApiAccessLogGroup, removed) matches no loss"
            ), "\(wrongClass.stdout)")
        try acknowledge("retention-lowered")
        let accepted = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod"])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(
            accepted.stdout.contains(
                "acknowledged DATA LOSS (retention-lowered): RetentionInDays lowered from 90 days to 30 days"))
        #expect(
            accepted.stdout.contains(
                "[accepted in the acknowledgement file: \(reason) (\(path)/blueprints/acknowledged-losses.yaml:2:5)]"))
        #expect(accepted.stdout.contains("3 acknowledged losses"), "\(accepted.stdout)")
        let json = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod", "--format", "json"])
        #expect(json.stdout.contains("\"acknowledged\": \"\(reason)"))
        try """
        acknowledged:
          - resource: OrderProcessorLogGroup
            class: purged
            reason: ok
        """.write(to: file, atomically: true, encoding: .utf8)
        let bad = try CommandRunner.orderstack(["diff", "--project", path, "--stage", "prod"])
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains(
                "acknowledged-losses.yaml:3:12: error: OS0104: 'acknowledged[0].class' must be one of removed, replaced, renamed, retention-lowered"
            ), "\(bad.stderr)")
        #expect(bad.stderr.contains("'acknowledged[0].reason' must say why"), "\(bad.stderr)")
    }

    @Test func parametersDecideConditionsAndCreateOnlyValues() throws {
        let old = try write(try committed, "old.yaml")
        let conditional = try committed.replacingOccurrences(
            of: "Resources:\n", with: "Conditions:\n  Keep: !Equals [!Ref AlarmEmail, keep@example.com]\nResources:\n"
        ).replacingOccurrences(
            of: "  OrderQueryLogGroup:\n    Type: AWS::Logs::LogGroup\n",
            with: "  OrderQueryLogGroup:\n    Type: AWS::Logs::LogGroup\n    Condition: Keep\n")
        let new = try write(conditional, "new.yaml")
        let removed = try CommandRunner.orderstack(["diff", old, new])
        #expect(removed.status == 1)
        #expect(removed.stdout.contains("its Condition Keep is false with these parameter values"), "\(removed.stdout)")
        let kept = try CommandRunner.orderstack(["diff", old, new, "--parameter", "AlarmEmail=keep@example.com"])
        #expect(kept.status == 0, "\(kept.stdout)")
        #expect(try CommandRunner.orderstack(["diff", old, new, "--parameter", "AlarmEmail"]).status == 2)
    }
}
