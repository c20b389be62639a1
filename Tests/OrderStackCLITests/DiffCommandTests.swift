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

    @Test func unreadableInputAndUsageExitTwo() throws {
        let bad = try write("Resources: [", "bad.yaml")
        let result = try CommandRunner.orderstack(["diff", bad, bad])
        #expect(result.status == 2)
        #expect(result.stderr.contains("OS0001"))
        #expect(try CommandRunner.orderstack(["diff", bad]).status == 2)
    }
}
