import CloudFormation
import TemplateYAML
import Testing

@testable import LocalRun

/// Methods that require an API key: the key's usage plan admits, throttles and counts, as API Gateway's
/// INVALID_API_KEY (403), THROTTLED and QUOTA_EXCEEDED (429) gateway responses say.
@Suite struct APIKeyTests {
    static let template = """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties: {Name: shop}
          Things:
            Type: AWS::ApiGateway::Resource
            Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: things}
          Keyed:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Things
              HttpMethod: GET
              AuthorizationType: NONE
              ApiKeyRequired: true
              Integration: {Type: AWS_PROXY, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'}
          Open:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Things
              HttpMethod: DELETE
              AuthorizationType: NONE
              Integration: {Type: AWS_PROXY, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'}
          Stage:
            Type: AWS::ApiGateway::Stage
            Properties: {RestApiId: !Ref Api, StageName: dev}
          SmallPlan:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref Api, Stage: !Ref Stage}]
              Throttle: {RateLimit: 1, BurstLimit: 2}
              Quota: {Limit: 3, Period: MONTH}
          BigPlan:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref Api, Stage: !Ref Stage}]
          OtherApiPlan:
            Type: AWS::ApiGateway::UsagePlan
            Properties:
              ApiStages: [{ApiId: !Ref Elsewhere, Stage: prod}]
          SmallKey:
            Type: AWS::ApiGateway::ApiKey
            Properties: {Enabled: true}
          BigKey:
            Type: AWS::ApiGateway::ApiKey
            Properties: {Enabled: true, Value: big-key-value-from-the-template-0123}
          SmallLink:
            Type: AWS::ApiGateway::UsagePlanKey
            Properties: {KeyId: !Ref SmallKey, KeyType: API_KEY, UsagePlanId: !Ref SmallPlan}
          BigLink:
            Type: AWS::ApiGateway::UsagePlanKey
            Properties: {KeyId: !Ref BigKey, KeyType: API_KEY, UsagePlanId: !Ref BigPlan}
          ElsewhereLink:
            Type: AWS::ApiGateway::UsagePlanKey
            Properties: {KeyId: !Ref SmallKey, KeyType: API_KEY, UsagePlanId: !Ref OtherApiPlan}
        """

    static func api() throws -> RestAPI {
        let parsed = try #require(TemplateReader.read(template, path: "t.yaml").template)
        var names = LocalNames(stackName: "s", region: "us-east-1", parameters: [:])
        names.resources["Fn"] = LocalIdentity(
            ref: "s-Fn", attributes: ["Arn": "arn:aws:lambda:us-east-1:1:function:s-Fn"])
        var api = try #require(RestAPI.all(in: parsed, names: names).first)
        api.generateKeyValues()
        return api
    }

    static func gateway(_ calls: Calls) throws -> (Gateway, small: String, big: String) {
        let api = try api()
        let backends = GatewayBackends(
            callService: { _, _, _, _ in (500, []) },
            invoke: { _, event in
                calls.events.append(event)
                return .response(Array(#"{"statusCode":200,"body":"ok"}"#.utf8))
            }, now: { calls.clock })
        let keys = Dictionary(uniqueKeysWithValues: api.plans.map { ($0.value!, $0) })
        let gateway = Gateway(
            api: api, backends: backends, credentials: nil, region: "us-east-1", keys: keys, accessLog: { _ in })
        return (gateway, api.keyValues["SmallKey"]!, api.keyValues["BigKey"]!)
    }

    static func get(_ gateway: Gateway, key: String?) async -> (Int, String) {
        let answer = await gateway.handle(
            GatewayRequest(method: "GET", path: "/dev/things", headers: key.map { [("x-api-key", $0)] } ?? []))
        return (answer.status, String(decoding: answer.body, as: UTF8.self))
    }

    @Test func thePlansOfTheAPIAreReadWithTheirLimitsAndKeys() throws {
        let api = try Self.api()
        let small = try #require(api.plans.first { $0.keyId == "SmallKey" })
        #expect(api.plans.count == 2, "the plan of another API does not admit keys here")
        #expect(small.rateLimit == 1 && small.burstLimit == 2 && small.quota == 3 && small.period == "MONTH")
        #expect(api.keyValues["BigKey"] == "big-key-value-from-the-template-0123")
        let generated = try #require(api.keyValues["SmallKey"])
        #expect(generated.count == 40 && generated.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(try Self.api().keyValues["SmallKey"] != generated, "each run generates its own key")
        #expect(api.routes.first { $0.method == "GET" }?.apiKeyRequired == true)
        #expect(api.routes.first { $0.method == "DELETE" }?.apiKeyRequired == false)
    }

    @Test func aMissingOrUnknownKeyIsForbiddenAndReachesNothing() async throws {
        let calls = Calls()
        let (gateway, small, _) = try Self.gateway(calls)
        #expect(await Self.get(gateway, key: nil) == (403, #"{"message":"Forbidden"}"#))
        #expect(await Self.get(gateway, key: "guessed").0 == 403)
        #expect(await Self.get(gateway, key: small.uppercased()).0 == 403, "keys are compared exactly")
        #expect(calls.events.isEmpty)
        let open = await gateway.handle(GatewayRequest(method: "DELETE", path: "/dev/things"))
        #expect(open.status == 200, "a method without ApiKeyRequired needs no key")
    }

    @Test func thePlanThrottlesItsKeyAlone() async throws {
        let calls = Calls()
        let (gateway, small, big) = try Self.gateway(calls)
        #expect(await Self.get(gateway, key: small).0 == 200)
        #expect(await Self.get(gateway, key: small).0 == 200)
        #expect(await Self.get(gateway, key: small) == (429, #"{"message":"Too Many Requests"}"#))
        #expect(await Self.get(gateway, key: big).0 == 200, "another key's plan is its own")
        calls.clock += 1_000
        #expect(await Self.get(gateway, key: small).0 == 200, "one token back after a second at 1/s")
    }

    @Test func theQuotaCountsAdmittedRequestsUntilTheMonthEnds() async throws {
        let calls = Calls()
        calls.clock = 1_796_083_200_000  // 2026-12-01T00:00:00Z
        let (gateway, small, big) = try Self.gateway(calls)
        var statuses: [Int] = []
        for _ in 0..<5 {
            statuses.append(await Self.get(gateway, key: small).0)
            calls.clock += 10_000
        }
        #expect(statuses == [200, 200, 200, 429, 429])
        #expect(await Self.get(gateway, key: small).1 == #"{"message":"Limit Exceeded"}"#)
        #expect(await Self.get(gateway, key: big).0 == 200)
        calls.clock = 1_798_761_600_000  // 2027-01-01T00:00:00Z
        #expect(await Self.get(gateway, key: small).0 == 200, "a new month, a new quota")
    }

    @Test func aThrottledRequestDoesNotUseTheQuota() async throws {
        let calls = Calls()
        let (gateway, small, _) = try Self.gateway(calls)
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(await Self.get(gateway, key: small).0) }
        #expect(statuses == [200, 200, 429, 429])
        calls.clock += 1_000
        #expect(await Self.get(gateway, key: small).0 == 200, "the third admitted request: within the quota of 3")
        calls.clock += 1_000
        #expect(await Self.get(gateway, key: small).1 == #"{"message":"Limit Exceeded"}"#)
    }
}
