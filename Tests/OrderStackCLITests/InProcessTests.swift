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
