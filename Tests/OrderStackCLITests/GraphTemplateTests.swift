import Foundation
import Testing

/// `graph --template FILE`: any template's wiring, read by the same graph cost, load and trace read.
@Suite struct GraphTemplateTests {
    @Test func aTemplatesWiringIsDrawnWithEachFunctionsRole() throws {
        let template = CommandRunner.packageRoot.appendingPathComponent("output/orders-prod.yaml").path
        let drawn = try CommandRunner.orderstack(["graph", "--template", template])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        #expect(drawn.stdout.hasPrefix("flowchart LR\n"))
        #expect(
            drawn.stdout.contains(
                #"OrderProcessorFunction["OrderProcessorFunction (Lambda, entry consumer, outbox reader)"]"#))
        #expect(drawn.stdout.contains(#"OrderQueryFunction["OrderQueryFunction (Lambda, query)"]"#))
        #expect(drawn.stdout.contains(#"OrdersApi -->|"POST /orders"| OrderIntakeQueue"#))
        #expect(drawn.stdout.contains(#"OrderEventsTopic -->|"sqs"| AccountingQueue"#))
        let dot = try CommandRunner.orderstack(["graph", "--template", template, "--format", "dot"])
        #expect(dot.stdout.hasPrefix("digraph architecture {"))
        let both = try CommandRunner.orderstack(["graph", "--template", template, "--stage", "dev"])
        #expect(both.status == 2 && both.stderr.contains("--template draws that file"))
        let missing = try CommandRunner.orderstack(["graph", "--template", "/nonexistent/t.yaml"])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/t.yaml: error:"))
    }
}
