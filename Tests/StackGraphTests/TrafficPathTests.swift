import CloudFormation
import Testing

@testable import StackGraph

/// One rule for the entry and query routes, the key, and each function's role, read from the wiring alone.
@Suite struct TrafficPathTests {
    @Test func theOrdersStackHasItsRolesFromTheWiring() throws {
        let path = TrafficPath(StackGraph(try Files.prodTemplate()))
        #expect(path.entry?.name == "POST /orders")
        #expect(path.queryRoute?.name == "GET /orders/{orderId}")
        #expect(path.intakeQueue == "OrderIntakeQueue")
        #expect(path.roles(of: "OrderProcessorFunction") == [.entryConsumer, .outboxReader])
        #expect(path.roles(of: "OrderQueryFunction") == [.query])
        #expect(path.key() == "orderId", "the query route's parameter")
        #expect(path.key(explicit: "customerId") == "customerId")
        #expect(path.entry?.requestSchema?["required"] != nil, "the request model's schema is read")
    }

    @Test func theWebhooksStackNeedsNoNounToBeRead() throws {
        let path = TrafficPath(StackGraph(try Files.template("examples/webhooks/output/webhooks-prod.yaml")))
        #expect(path.entry?.method == "POST")
        #expect(path.entryConsumer != nil)
        #expect(path.key() == "deliveryId")
        #expect(path.roles.allSatisfy { $0.role != .authorizer })
    }

    static let renamed = """
        Resources:
          Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
          Things: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: x, PathPart: things}}
          One: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !Ref Things, PathPart: '{ref}'}}
          Other: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: x, PathPart: health}}
          Model:
            Type: AWS::ApiGateway::Model
            Properties: {RestApiId: !Ref Api, Schema: {type: object, required: [sku, ref], properties: {ref: {type: string}}}}
          Put:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Things
              HttpMethod: POST
              AuthorizationType: AWS_IAM
              RequestModels: {application/json: !Ref Model}
              Integration: {Type: AWS, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Inbox.QueueName}'}
          Read:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref One
              HttpMethod: GET
              Integration: {Type: AWS_PROXY, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Reader.Arn}/invocations'}
          Health:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Other
              HttpMethod: GET
              Integration: {Type: AWS_PROXY, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Reader.Arn}/invocations'}
          Inbox: {Type: AWS::SQS::Queue}
          Store:
            Type: AWS::DynamoDB::Table
            Properties: {KeySchema: [{AttributeName: sku, KeyType: HASH}]}
          Worker: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}}}
          Reader: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}}}
          Feed:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {EventSourceArn: !GetAtt Inbox.Arn, FunctionName: !Ref Worker}
        """

    @Test func theQueryRouteBelowTheEntryWinsAmongSeveralGets() throws {
        let path = TrafficPath(StackGraph(try Files.read(Self.renamed)))
        #expect(path.entry?.name == "POST /things")
        #expect(path.entry?.authorization == "AWS_IAM")
        #expect(path.queryRoute?.name == "GET /things/{ref}", "the GET below the entry, not GET /health")
        #expect(path.key() == "ref")
        #expect(path.roles(of: "Worker") == [.entryConsumer])
        #expect(path.roles(of: "Reader") == [.query])
    }

    @Test func withoutAQueryRouteTheKeyIsTheModelsPropertyATableIsKeyedBy() throws {
        var template = try Files.read(Self.renamed)
        template.resources.removeAll { $0.logicalId == "Read" }
        let path = TrafficPath(StackGraph(template), queryRoute: nil)
        #expect(path.queryRoute?.name == "GET /health", "the only GET that invokes a function")
        #expect(path.queryParameter == nil)
        #expect(path.key() == "sku", "the required property that is the table's partition key")
        template.resources.removeAll { $0.logicalId == "Store" }
        #expect(TrafficPath(StackGraph(template)).key() == nil, "no table: no key to read back by")
    }

    @Test func aNamedRouteThatIsNotThereIsSaid() throws {
        let path = TrafficPath(StackGraph(try Files.read(Self.renamed)), queryRoute: "GET /nowhere")
        #expect(path.queryRoute == nil)
        #expect(path.problem?.contains("query_route 'GET /nowhere' is not a GET route of the template") == true)
    }

    /// A method on a path below the fixture's API, for the variants below.
    static func method(
        _ id: String, _ verb: String, on resource: String, integration: String = "AWS_PROXY", target: String = "Reader"
    ) -> Resource {
        let uri: Value =
            integration == "AWS_PROXY"
            ? .sub(
                "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${\(target).Arn}/invocations", nil)
            : .sub("arn:aws:apigateway:${AWS::Region}:dynamodb:action/GetItem", nil)
        return Resource(
            id, type: "AWS::ApiGateway::Method",
            properties: Fields([
                ("RestApiId", .ref("Api")), ("ResourceId", .ref(resource)), ("HttpMethod", .string(verb)),
                ("Integration", .object(["Type": .string(integration), "Uri": uri])),
            ]))
    }

    @Test func theQueryRouteOneParameterBelowTheEntryComesFirst() throws {
        var template = try Files.read(Self.renamed)
        template.resources.append(
            Resource(
                "Events", type: "AWS::ApiGateway::Resource",
                properties: Fields([
                    ("RestApiId", .ref("Api")), ("ParentId", .ref("One")), ("PathPart", .string("events")),
                ])))
        template.resources.insert(Self.method("ReadEvents", "GET", on: "Events"), at: 0)
        let path = TrafficPath(StackGraph(template))
        #expect(path.queryRoute?.name == "GET /things/{ref}", "not GET /things/{ref}/events, declared first")
        #expect(path.key() == "ref")
    }

    @Test func aGetThatInvokesNoFunctionStillReadsArrivalsBackButIsNotPricedAsOne() throws {
        var template = try Files.read(Self.renamed)
        template.resources.removeAll { $0.logicalId == "Read" }
        template.resources.append(Self.method("Read", "GET", on: "One", integration: "AWS"))
        let path = TrafficPath(StackGraph(template))
        #expect(path.queryRoute?.name == "GET /things/{ref}")
        #expect(path.query == nil, "no function behind it: no query function is priced")
        #expect(path.key() == "ref")
    }

    @Test func aSchemaWrittenAsJSONTextGivesItsRequiredPropertiesThroughTheCaller() throws {
        var template = try Files.read(Self.renamed)
        template.resources.removeAll { $0.logicalId == "Read" }
        let index = try #require(template.resources.firstIndex { $0.logicalId == "Model" })
        template.resources[index]["Schema"] = .string(#"{"type":"object","required":["sku"]}"#)
        let path = TrafficPath(StackGraph(template))
        #expect(path.key() == nil, "the graph does not parse JSON text")
        #expect(path.key(required: ["sku"]) == "sku")
    }

    @Test func entryTiersPreferAPostAndAcceptAnyIntegrationLast() throws {
        var template = try Files.read(Self.renamed)
        template.resources.removeAll { $0.logicalId == "Put" || $0.logicalId == "Feed" }
        template.resources.append(Self.method("Create", "POST", on: "Things", target: "Worker"))
        template.resources.append(Self.method("Delete", "DELETE", on: "One", target: "Worker"))
        #expect(TrafficPath(StackGraph(template)).entry?.name == "POST /things", "the POST among function routes")
        template.resources.removeAll { $0.logicalId == "Create" || $0.logicalId == "Delete" }
        template.resources.append(Self.method("Create", "POST", on: "Things", integration: "AWS"))
        let other = TrafficPath(StackGraph(template))
        #expect(other.entry?.name == "POST /things", "the only POST, whatever it integrates with")
        #expect(other.entryConsumer == nil && other.intakeQueue == nil)
    }

    @Test func namedRoutesTakeTheMethodInAnyCaseOrThePathAlone() throws {
        let template = try Files.read(Self.renamed)
        #expect(TrafficPath(StackGraph(template), entryRoute: "post /things").entry?.name == "POST /things")
        #expect(TrafficPath(StackGraph(template), entryRoute: "/things").entry?.name == "POST /things")
        #expect(TrafficPath(StackGraph(template), queryRoute: "/health").queryRoute?.name == "GET /health")
        let wrong = TrafficPath(StackGraph(template), queryRoute: "GET /nowhere")
        #expect(
            wrong.problem?.contains("its GET routes: GET /things/{ref}, GET /health") == true, "\(wrong.problem ?? "")")
    }
}
