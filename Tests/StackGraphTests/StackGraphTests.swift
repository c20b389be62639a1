import CloudFormation
import Foundation
import StackGraph
import TemplateYAML
import TestSupport
import Testing

@Suite struct StackGraphTests {
    static let corpusTemplate = "sp__apigw-sqs-lambda-ddb__template.yaml"

    static func corpus(_ name: String) throws -> Template {
        let path = Requirement.shared.appendingPathComponent("corpus-real/\(name)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try #require(TemplateReader.read(text, path: name).template)
    }

    @Test func synthesizedOrdersStackIsReadFromItsWiring() throws {
        let graph = StackGraph(try Files.prodTemplate())
        #expect(graph.routes.map(\.name) == ["POST /orders", "GET /orders/{orderId}"])
        #expect(graph.routes[0].target == .queue("OrderIntakeQueue"))
        #expect(graph.routes[1].target == .function("OrderQueryFunction"))
        let processor = try #require(graph.function("OrderProcessorFunction"))
        #expect(processor.writes == ["OrdersTable"])
        #expect(processor.publishes == ["OrderEventsTopic"])
        #expect(processor.logGroup == "OrderProcessorLogGroup")
        #expect(graph.function("OrderQueryFunction")?.reads == ["OrdersTable"])
        #expect(graph.consumers.map(\.queue) == ["OrderIntakeQueue"])
        #expect(
            graph.subscriptions(of: "OrderEventsTopic").compactMap(\.endpoint).sorted()
                == ["AccountingQueue", "InventoryFulfillmentQueue"])
        #expect(graph.api("OrdersApi")?.rateLimit != nil)
        #expect(graph.unpriced.isEmpty)
    }

    @Test(Requirement.corpus("corpus-real")) func samHttpAPIWithAnOpenAPISQSIntegration() throws {
        let graph = StackGraph(try Self.corpus(Self.corpusTemplate))
        #expect(graph.apis.map(\.kind) == [.http])
        let route = try #require(graph.routes.first)
        #expect(route.name == "POST /submit")
        #expect(route.target == .queue("BufferingQueue"))
        #expect(route.authorizer == "GatewayAuthorizerFunction")
        #expect(graph.consumers.first?.function == "SqsHandlerFunction")
        #expect(graph.function("SqsHandlerFunction")?.writes == ["EventTable"])
        #expect(graph.function("SqsHandlerFunction")?.logGroup == nil)
        #expect(graph.api("HttpApi")?.accessLogGroup == "ApiGatewayAccessLogs")
        #expect(graph.unpriced.map(\.type) == ["AWS::SecretsManager::Secret"])
        #expect(graph.unpriced.map(\.count) == [2])
    }

    @Test func routeChoiceNamesWhatIsMissing() throws {
        var template = try Files.prodTemplate()
        let model = TrafficPath(StackGraph(template), entryRoute: "POST /nowhere")
        #expect(model.problem?.contains("entry_route 'POST /nowhere' is not a route") == true)
        #expect(model.problem?.contains("POST /orders, GET /orders/{orderId}") == true)
        template.resources.removeAll { $0.type == "AWS::ApiGateway::Method" }
        let none = TrafficPath(StackGraph(template))
        #expect(none.problem?.hasPrefix("no API route") == true)
        #expect(TrafficPath(StackGraph(try Files.prodTemplate())).problem == nil)
    }

    @Test func iamWildcardsCountAsTheActionsTheyMatch() throws {
        let text = """
            Resources:
              T: {Type: AWS::DynamoDB::Table, Properties: {}}
              Topic: {Type: AWS::SNS::Topic}
              Role:
                Type: AWS::IAM::Role
                Properties:
                  Policies:
                    - PolicyDocument:
                        Statement:
                          - {Effect: Allow, Action: "dynamodb:*Item", Resource: !GetAtt T.Arn}
                          - {Effect: Deny, Action: "sns:Publish", Resource: !Ref Topic}
              F: {Type: AWS::Lambda::Function, Properties: {Role: !GetAtt Role.Arn}}
            """
        let graph = StackGraph(try #require(TemplateReader.read(text, path: "t.yaml").template))
        #expect(graph.function("F")?.writes == ["T"])
        #expect(graph.function("F")?.publishes == [])
    }
}
