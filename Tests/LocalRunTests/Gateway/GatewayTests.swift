import CloudFormation
import JSONDocument
import JSONSchema
import TemplateYAML
import Testing

@testable import LocalRun

final class Calls: @unchecked Sendable {
    var service: [(String, String, [UInt8])] = []
    var events: [[UInt8]] = []
    var clock: Int64 = 1_796_000_000_000
}

@Suite struct GatewayTests {
    static let template = """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: shop}
          Validator:
            Type: AWS::ApiGateway::RequestValidator
            Properties: {RestApiId: !Ref Api, ValidateRequestBody: true, ValidateRequestParameters: true}
          Model:
            Type: AWS::ApiGateway::Model
            Properties:
              RestApiId: !Ref Api
              ContentType: application/json
              Schema: {type: object, required: [id], properties: {id: {type: string}}}
          BadBody:
            Type: AWS::ApiGateway::GatewayResponse
            Properties:
              RestApiId: !Ref Api
              ResponseType: BAD_REQUEST_BODY
              StatusCode: "400"
              ResponseTemplates: {application/json: '{"message":"$context.error.validationErrorString"}'}
          Things:
            Type: AWS::ApiGateway::Resource
            Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: things}
          Thing:
            Type: AWS::ApiGateway::Resource
            Properties: {RestApiId: !Ref Api, ParentId: !Ref Things, PathPart: '{thingId}'}
          Post:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Things
              HttpMethod: POST
              AuthorizationType: NONE
              RequestValidatorId: !Ref Validator
              RequestModels: {application/json: !Ref Model}
              Integration:
                Type: AWS
                Uri: !Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Queue.QueueName}
                PassthroughBehavior: NEVER
                RequestParameters: {integration.request.header.Content-Type: "'application/x-www-form-urlencoded'"}
                RequestTemplates: {application/json: Action=SendMessage&MessageBody=$util.urlEncode($input.body)}
                IntegrationResponses:
                  - StatusCode: "202"
                    SelectionPattern: 2\\d{2}
                    ResponseTemplates: {application/json: '{"id":"$input.path(''$.R.MessageId'')"}'}
                  - StatusCode: "500"
                    SelectionPattern: 4\\d{2}
                    ResponseTemplates:
                      application/json: |
                        #set($code = "$input.path('$.Error.Code')")
                        #if($code == 'InvalidMessageContents')
                        #set($context.responseOverride.status = 400)
                        {"refused":"$code"}
                        #else
                        {"retry":true}
                        #end
                  - StatusCode: "500"
                    SelectionPattern: 5\\d{2}
          Get:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Thing
              HttpMethod: GET
              AuthorizationType: NONE
              RequestValidatorId: !Ref Validator
              RequestParameters: {method.request.path.thingId: true}
              Integration:
                Type: AWS_PROXY
                Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
          Stage:
            Type: AWS::ApiGateway::Stage
            Properties:
              RestApiId: !Ref Api
              StageName: dev
              AccessLogSetting: {Format: '$context.httpMethod $context.resourcePath $context.status'}
              MethodSettings: [{ResourcePath: /*, HttpMethod: '*', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 3}]
        """

    static func gateway(
        _ calls: Calls, lines: Calls, status: Int = 200, answer: String = #"{"R":{"MessageId":"m-1"}}"#,
        function: InvocationResult? = nil, adjust: (inout RestAPI) -> Void = { _ in }
    ) throws -> Gateway {
        let parsed = try #require(TemplateReader.read(template, path: "t.yaml").template)
        var names = LocalNames(stackName: "s", region: "us-east-1", parameters: [:])
        names.resources["Queue"] = LocalIdentity(ref: "u", attributes: ["QueueName": "s-Queue"])
        names.resources["Fn"] = LocalIdentity(
            ref: "s-Fn", attributes: ["Arn": "arn:aws:lambda:us-east-1:1:function:s-Fn"])
        var api = try #require(RestAPI.all(in: parsed, names: names).first)
        adjust(&api)
        let backends = GatewayBackends(
            callService: { service, path, headers, body in
                calls.service.append((service, path, body))
                return (status, Array(answer.utf8))
            },
            invoke: { _, event in
                calls.events.append(event)
                return function
                    ?? .response(Array(#"{"statusCode":200,"headers":{"X-A":"1"},"body":"{\"ok\":true}"}"#.utf8))
            }, now: { calls.clock })
        return Gateway(
            api: api, backends: backends, credentials: nil, region: "us-east-1",
            accessLog: { lines.events.append(Array($0.utf8)) })
    }

    @Test func aValidPostIsSentToTheQueueAndAnsweredWithTheIntegrationResponse() async throws {
        let calls = Calls()
        let log = Calls()
        let gateway = try Self.gateway(calls, lines: log)
        let answer = await gateway.handle(
            GatewayRequest(method: "POST", path: "/dev/things", body: Array(#"{"id":"a b"}"#.utf8)))
        #expect(answer.status == 202)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"id":"m-1"}"#)
        #expect(calls.service.first?.1 == "/123456789012/s-Queue")
        #expect(
            calls.service.first.map { String(decoding: $0.2, as: UTF8.self) }
                == "Action=SendMessage&MessageBody=%7B%22id%22%3A%22a+b%22%7D")
        #expect(log.events.map { String(decoding: $0, as: UTF8.self) } == ["POST /things 202"])
    }

    @Test func anInvalidBodyGetsTheGatewayResponseAndIsNotSent() async throws {
        let calls = Calls()
        let answer = await try Self.gateway(calls, lines: Calls()).handle(
            GatewayRequest(method: "POST", path: "/dev/things", body: Array(#"{"id":1}"#.utf8)))
        #expect(answer.status == 400)
        #expect(
            String(decoding: answer.body, as: UTF8.self)
                == #"{"message":"[instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])]"}"#
        )
        #expect(calls.service.isEmpty)
        let notJSON = await try Self.gateway(calls, lines: Calls()).handle(
            GatewayRequest(method: "POST", path: "/things", body: Array("nope".utf8)))
        #expect(notJSON.status == 400)
    }

    @Test func aFailedServiceCallSelectsTheErrorResponse() async throws {
        let answer = await try Self.gateway(Calls(), lines: Calls(), status: 503).handle(
            GatewayRequest(method: "POST", path: "/dev/things", body: Array(#"{"id":"x"}"#.utf8)))
        #expect(answer.status == 500)
    }

    @Test func theResponseTemplateOverridesTheStatusForAPermanentRefusal() async throws {
        let body = Array(#"{"id":"x"}"#.utf8)
        let refused = await try Self.gateway(
            Calls(), lines: Calls(), status: 400,
            answer: #"{"Error":{"Type":"Sender","Code":"InvalidMessageContents","Message":"m"},"RequestId":"r"}"#
        ).handle(GatewayRequest(method: "POST", path: "/dev/things", body: body))
        #expect(refused.status == 400)
        #expect(String(decoding: refused.body, as: UTF8.self) == "{\"refused\":\"InvalidMessageContents\"}\n")
        let throttled = await try Self.gateway(
            Calls(), lines: Calls(), status: 400,
            answer: #"{"Error":{"Type":"Sender","Code":"KMS.ThrottlingException","Message":"m"},"RequestId":"r"}"#
        ).handle(GatewayRequest(method: "POST", path: "/dev/things", body: body))
        #expect(throttled.status == 500)
        #expect(String(decoding: throttled.body, as: UTF8.self) == "{\"retry\":true}\n")
    }

    @Test func aContentTypeWithoutATemplateIsRefusedUnderPassthroughNever() async throws {
        let calls = Calls()
        let answer = await try Self.gateway(calls, lines: Calls()).handle(
            GatewayRequest(
                method: "POST", path: "/dev/things", headers: [("Content-Type", "text/plain")],
                body: Array(#"{"id":"x"}"#.utf8)))
        #expect(answer.status == 415)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"message":"Unsupported Media Type"}"#)
        #expect(calls.service.isEmpty)
        let charset = await try Self.gateway(calls, lines: Calls()).handle(
            GatewayRequest(
                method: "POST", path: "/dev/things", headers: [("Content-Type", "Application/JSON; charset=utf-8")],
                body: Array(#"{"id":"x"}"#.utf8)))
        #expect(charset.status == 202)
    }

    @Test func eachMethodHasItsOwnThrottleBucket() async throws {
        // Burst 3 at 1/s: three POSTs empty POST's bucket; a GET in the same second still passes.
        let calls = Calls()
        let gateway = try Self.gateway(calls, lines: Calls())
        var statuses: [Int] = []
        for _ in 0..<4 {
            statuses.append(
                await gateway.handle(
                    GatewayRequest(method: "POST", path: "/dev/things", body: Array(#"{"id":"x"}"#.utf8))
                ).status)
        }
        #expect(statuses == [202, 202, 202, 429])
        #expect(await gateway.handle(GatewayRequest(method: "GET", path: "/dev/things/t-1")).status == 200)
    }

    @Test func gatewayResponsesAreSubstitutedAndDefault4xxCoversEvery4xx() async throws {
        let gateway = try Self.gateway(Calls(), lines: Calls()) { api in
            api.gatewayResponses["DEFAULT_4XX"] = RestAPI.GatewayResponse(
                status: nil,
                templates: [
                    "application/json": MappingTemplate(
                        #"{"error":$context.error.messageString,"type":"$context.error.responseType","none":"$context.nothing"}"#
                    )
                ])
        }
        let unknown = await gateway.handle(GatewayRequest(method: "GET", path: "/dev/nowhere"))
        #expect(unknown.status == 403)
        #expect(
            String(decoding: unknown.body, as: UTF8.self)
                == #"{"error":"Missing Authentication Token","type":"MISSING_AUTHENTICATION_TOKEN","none":""}"#)
    }

    @Test func anAnswerNoIntegrationResponseMatchesIsA500() async throws {
        let answer = await try Self.gateway(Calls(), lines: Calls(), status: 302).handle(
            GatewayRequest(method: "POST", path: "/dev/things", body: Array(#"{"id":"x"}"#.utf8)))
        #expect(answer.status == 500)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"message":"Internal server error"}"#)
    }

    @Test func bodiesAreReadAsStrictJSON() async throws {
        let calls = Calls()
        let gateway = try Self.gateway(calls, lines: Calls())
        for text in [#"{"id":"x",}"#, #"{"id":"x"} x"#, #"{'id':"x"}"#, "{\"id\":\"a\u{01}\"}", #"{"id":"x"/*c*/}"#] {
            calls.clock += 1_000
            let answer = await gateway.handle(
                GatewayRequest(method: "POST", path: "/dev/things", body: Array(text.utf8)))
            #expect(answer.status == 400, "\(text) was accepted")
        }
        #expect(calls.service.isEmpty)
    }

    @Test func theProxyEventCarriesThePathParameterAndTheAnswerIsMapped() async throws {
        let calls = Calls()
        let answer = await try Self.gateway(calls, lines: Calls()).handle(
            GatewayRequest(method: "GET", path: "/dev/things/t-1", headers: [("Accept", "application/json")]))
        #expect(answer.status == 200 && answer.headers["X-A"] == "1")
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"ok":true}"#)
        let event = try #require(calls.events.first.flatMap(JSONValue.parse))
        #expect(event["pathParameters"]?["thingId"]?.string == "t-1")
        #expect(event["resource"]?.string == "/things/{thingId}")
        #expect(event["requestContext"]?["stage"]?.string == "dev")
        #expect(event["headers"]?["Accept"]?.string == "application/json")
        let failed = await try Self.gateway(Calls(), lines: Calls(), function: .failed(type: "T", message: "m")).handle(
            GatewayRequest(method: "GET", path: "/dev/things/t-1"))
        #expect(failed.status == 502)
    }

    @Test func unknownPathsAre403AndTheBurstIsThrottled() async throws {
        let calls = Calls()
        let gateway = try Self.gateway(calls, lines: Calls())
        #expect(await gateway.handle(GatewayRequest(method: "GET", path: "/dev/other")).status == 403)
        #expect(await gateway.handle(GatewayRequest(method: "DELETE", path: "/dev/things")).status == 403)
        var statuses: [Int] = []
        for _ in 0..<5 {
            statuses.append(await gateway.handle(GatewayRequest(method: "GET", path: "/dev/things/x")).status)
        }
        #expect(statuses == [200, 200, 200, 429, 429])
        calls.clock += 1_000
        #expect(await gateway.handle(GatewayRequest(method: "GET", path: "/dev/things/x")).status == 200)
    }
}
