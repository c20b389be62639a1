import Foundation
import OrdersBlueprint
import StackDSL
import Testing

@testable import OrderStackCLI

/// Commands run in this process with their output captured (`OrderStack.run`): the console is the calling task's
/// and so is the stack registry, so runs side by side do not see each other's.
@Suite struct InProcessTests {
    static let project = ["--project", CommandRunner.packageRoot.path]

    @Test func aCommandRunsInProcessWithItsOutputAndStatus() {
        let cost = OrderStack.run(
            ["cost", "--stage", "prod", "--profile", "baseline"] + Self.project, stacks: [OrdersBlueprint.stack])
        #expect(cost.status == 0, "\(cost.stderr)")
        #expect(cost.stdout.hasPrefix("stage prod, profile baseline (100,000 orders)"))
        #expect(cost.stdout.contains("$9.60"))
        let unknown = OrderStack.run(
            ["cost", "--profile", "cyber-monday"] + Self.project, stacks: [OrdersBlueprint.stack])
        #expect(unknown.status == 2)
        #expect(unknown.stdout.isEmpty && unknown.stderr.contains("cyber-monday"))
        #expect(!unknown.stderr.contains("\u{1B}["), "no colour into a capture")
    }

    @Test func runsSideBySideSeeTheirOwnStacks() async {
        let other = Stack("inventory", description: "another project's stack") {
            Function("Counter", handler: Handler(artifact: "counter")).writes(Table("Counts", partitionKey: "sku"))
        }
        let outputs = await withTaskGroup(of: (String, CommandOutput).self) { group in
            for (name, stacks) in [("orders", [OrdersBlueprint.stack]), ("inventory", [other])] {
                for _ in 0..<4 {
                    group.addTask { (name, OrderStack.run(["graph"] + Self.project, stacks: stacks)) }
                }
            }
            var all: [(String, CommandOutput)] = []
            for await output in group { all.append(output) }
            return all
        }
        #expect(outputs.count == 8)
        for (name, output) in outputs {
            if name == "orders" {
                #expect(output.status == 0, "\(output.stderr)")
                #expect(output.stdout.contains("OrderIntakeQueue") && !output.stdout.contains("Counter"))
            } else {
                // This repository's stage files configure the orders functions: the other registry's stack is
                // judged against them, and only its own functions are named.
                #expect(output.status == 2)
                #expect(output.stderr.contains("its functions are: Counter"), "\(output.stderr)")
            }
        }
    }
}

/// The one default stage, and the stage a deployed stack is compared with.
@Suite struct StageDefaultTests {
    static func project(stages: [String]) throws -> Project {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stages-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("blueprints/stages")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in stages {
            try "name: \(name)\nregion: us-east-1\n".write(
                to: folder.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        return Project(root: root.path)
    }

    @Test func productionIsTheDefaultOnlyWhenItIsTheOnlyStage() throws {
        #expect(try Self.project(stages: ["dev", "prod", "qa"]).defaultStage == "dev")
        #expect(try Self.project(stages: ["prod", "staging"]).defaultStage == "staging")
        #expect(try Self.project(stages: ["production", "test"]).defaultStage == "test")
        #expect(try Self.project(stages: ["prod"]).defaultStage == "prod")
    }

    @Test func aDeployedStackIsComparedWithTheStageItsNameSays() throws {
        let project = try Self.project(stages: ["dev", "prod"])
        let stack = OrdersBlueprint.stack
        let console = Console(sink: ConsoleSink { _, _ in })
        #expect(
            try OrderStack.Diff.deployedStage(
                "orders-prod", stack: stack, named: nil, project: project, console: console) == "prod")
        #expect(
            try OrderStack.Diff.deployedStage(
                "orders-prod", stack: stack, named: "dev", project: project, console: console) == "dev")
        #expect(throws: BadInput.self) {
            try OrderStack.Diff.deployedStage(
                "legacy-orders", stack: stack, named: nil, project: project, console: console)
        }
    }
}
