import CloudFormation
import Foundation
import TemplateYAML
import Testing

@testable import LocalRun

/// An HTTP API served locally as `HTTPAPI` synthesizes it: the `$default` stage without a path prefix, the body
/// sent to SQS as the message whatever its content type, no schema check, a Lambda proxy with payload 1.0, the
/// route throttle, and a JWT authorizer listed as not run.
@Suite struct HTTPAPIGatewayTests {
    static let template = """
        Resources:
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: s-Api, ProtocolType: HTTP}
          Stage:
            Type: AWS::ApiGatewayV2::Stage
            Properties:
              ApiId: !Ref Api
              StageName: $default
              AutoDeploy: true
              DefaultRouteSettings: {ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2}
          Queue:
            Type: AWS::SQS::Queue
          Fn:
            Type: AWS::Lambda::Function
          Send:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: AWS_PROXY
              IntegrationSubtype: SQS-SendMessage
              PayloadFormatVersion: '1.0'
              RequestParameters:
                QueueUrl: !Ref Queue
                MessageBody: $request.body
          Proxy:
            Type: AWS::ApiGatewayV2::Integration
            Properties:
              ApiId: !Ref Api
              IntegrationType: AWS_PROXY
              IntegrationUri: !Sub ${Fn.Arn}
              PayloadFormatVersion: '1.0'
          PostThings:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: POST /things
              Target: !Sub 'integrations/${Send}'
              AuthorizationType: JWT
          GetThing:
            Type: AWS::ApiGatewayV2::Route
            Properties:
              ApiId: !Ref Api
              RouteKey: GET /things/{id}
              Target: !Sub 'integrations/${Proxy}'
        """

    static func gateway(_ calls: Calls) throws -> Gateway {
        let parsed = try #require(TemplateReader.read(template, path: "t.yaml").template)
        var names = LocalNames(stackName: "s", region: "us-east-1", parameters: [:])
        names.resources["Queue"] = LocalIdentity(
            ref: "http://127.0.0.1:5000/123456789012/s-Queue", attributes: ["QueueName": "s-Queue"])
        names.resources["Fn"] = LocalIdentity(
            ref: "s-Fn", attributes: ["Arn": "arn:aws:lambda:us-east-1:1:function:s-Fn"])
        let api = try #require(RestAPI.all(in: parsed, names: names).first)
        #expect(api.stage.isEmpty && api.name == "s-Api")
        #expect(api.unsupported == ["POST /things: the JWT authorizer (tokens are not checked locally)"])
        let backends = GatewayBackends(
            callService: { service, path, _, body in
                calls.service.append((service, path, body))
                return (200, Array(#"{"SendMessageResponse":{"SendMessageResult":{"MessageId":"m-1"}}}"#.utf8))
            },
            invoke: { _, event in
                calls.events.append(event)
                return .response(Array(#"{"statusCode":200,"body":"{\"id\":\"t-1\"}"}"#.utf8))
            }, now: { calls.clock })
        return Gateway(api: api, backends: backends, credentials: nil, region: "us-east-1", accessLog: { _ in })
    }

    @Test func aPostIsSentToTheQueueWithoutAStagePrefixOrASchemaCheck() async throws {
        let calls = Calls()
        let gateway = try Self.gateway(calls)
        let answer = await gateway.handle(
            GatewayRequest(
                method: "POST", path: "/things", headers: [("Content-Type", "text/plain")], body: Array("a b".utf8)))
        #expect(answer.status == 200)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("m-1"))
        #expect(calls.service.first?.0 == "sqs" && calls.service.first?.1 == "/123456789012/s-Queue")
        #expect(
            calls.service.first.map { String(decoding: $0.2, as: UTF8.self) } == "Action=SendMessage&MessageBody=a+b")
    }

    @Test func aGetIsProxiedWithPayloadOneAndTheRouteIsThrottled() async throws {
        let calls = Calls()
        let gateway = try Self.gateway(calls)
        let answer = await gateway.handle(GatewayRequest(method: "GET", path: "/things/t-1"))
        #expect(answer.status == 200)
        let event = try #require(calls.events.first.map { String(decoding: $0, as: UTF8.self) })
        #expect(event.contains(#""pathParameters":{"id":"t-1"}"#))
        // Burst 2 at 1 request/s with the clock standing still: the third is throttled.
        _ = await gateway.handle(GatewayRequest(method: "GET", path: "/things/t-1"))
        let third = await gateway.handle(GatewayRequest(method: "GET", path: "/things/t-1"))
        #expect(third.status == 429)
        let staged = await gateway.handle(GatewayRequest(method: "POST", path: "/dev/things"))
        #expect(staged.status == 404, "no stage prefix on a $default stage; an HTTP API answers 404 Not Found")
        #expect(String(decoding: staged.body, as: UTF8.self).contains("Not Found"))
    }
}
