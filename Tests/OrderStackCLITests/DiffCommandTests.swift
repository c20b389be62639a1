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
        #expect(result.stdout.contains("~ OrdersTable (AWS::DynamoDB::Table) REPLACED DATA LOSS"))
        #expect(result.stdout.contains("UpdateReplacePolicy: Retain -> (Delete)"))
        let memory = try write(
            try committed.replacingOccurrences(of: "MemorySize: 512", with: "MemorySize: 1024"), "memory.yaml")
        #expect(try CommandRunner.orderstack(["diff", old, memory]).status == 0)
        #expect(try CommandRunner.orderstack(["diff", old, memory, "--fail-on", "any"]).status == 1)
        #expect(try CommandRunner.orderstack(["diff", old, memory, "--fail-on", "replacement"]).status == 0)
        let markdown = try CommandRunner.orderstack(["diff", old, new, "--format", "markdown", "--fail-on", "none"])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.contains("| ~ | `OrdersTable` | AWS::DynamoDB::Table | **always** | ⚠️"))
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
                "~ OrdersTable (AWS::DynamoDB::Table) REPLACED DATA LOSS: replaced: the stack moves to a new, empty resource; the old one and its data stay outside the stack (UpdateReplacePolicy: Retain), orphaned"
            ))
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
        #expect(diff.stdout.contains("~ OrdersTable (AWS::DynamoDB::Table) REPLACED DATA LOSS"))
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
}
