import CloudFormation
import Costing
import StackGraph
import TemplateYAML
import Testing

/// The prod template rolls its functions out through a `live` alias: every caller invokes the alias, and the
/// estimate must price the same traffic as when they invoked the functions, plus a note on CodeDeploy.
@Suite struct RolloutCostTests {
    static func withoutAliases() throws -> Template {
        let text = try Files.text("output/orders-prod.yaml")
            .replacingOccurrences(of: "!Ref OrderProcessorLiveAlias", with: "!Ref OrderProcessorFunction")
            .replacingOccurrences(
                of: "FunctionName: !Ref OrderQueryLiveAlias", with: "FunctionName: !GetAtt OrderQueryFunction.Arn"
            )
            .replacingOccurrences(of: "${OrderQueryLiveAlias}", with: "${OrderQueryFunction.Arn}")
        #expect(!text.contains("LiveAlias}") && !text.contains("!Ref OrderQueryLiveAlias\n      Action"))
        return try #require(TemplateReader.read(text, path: "orders-prod.yaml").template)
    }

    @Test func theGraphSeesTheFunctionsBehindTheAliases() throws {
        let graph = StackGraph(try Files.prodTemplate())
        #expect(graph.routes.contains { $0.target == .function("OrderQueryFunction") })
        #expect(graph.consumers.map(\.function) == ["OrderProcessorFunction"])
        #expect(graph.streamConsumers.map(\.function) == ["OrderProcessorFunction"])
    }

    @Test func callersOfTheAliasArePricedAsCallersOfTheFunction() throws {
        var options = EstimateOptions()
        options.stage = "prod"
        for profile in ["baseline", "sale-spike"] {
            let through = Estimator.estimate(
                template: try Files.prodTemplate(), profile: try Files.profile(profile), prices: try Files.prices(),
                options: options)
            let direct = Estimator.estimate(
                template: try Self.withoutAliases(), profile: try Files.profile(profile), prices: try Files.prices(),
                options: options)
            #expect(through.lines == direct.lines, "\(profile)")
            #expect(through.lines.contains { $0.item.hasPrefix("requests (OrderProcessorFunction") })
            #expect(
                through.assumptions.contains {
                    $0.hasPrefix("gradual rollout (2 CodeDeploy deployment groups): no charge")
                })
            #expect(!through.assumptions.contains { $0.contains("not priced (no price") && $0.contains("CodeDeploy") })
        }
    }
}
