import AWSClients
import AWSSigV4
import JSONDocument
import JSONText

/// The account-level API Gateway settings a first deploy depends on, over the REST JSON protocol: the CloudWatch
/// Logs role without which "CloudWatch Logs role ARN must be set in account settings to enable logging" refuses
/// any stage that writes access or execution logs; and the value of a partner's API key, read only when asked.
public struct APIGatewayClient: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    func call(
        _ method: String, path: String = "/account", query: [(String, String)] = [], body: [UInt8] = [],
        operation: String
    ) async throws -> JSONValue {
        var target = caller.endpoint
        target.path = (target.path.hasSuffix("/") ? String(target.path.dropLast()) : target.path) + path
        let response = try await caller.signedREST(
            method, target: target, query: query, headers: [("Content-Type", "application/json")], body: body,
            operation: operation)
        let document = JSONValue.parse(response.body)
        guard (200..<300).contains(response.status) else {
            throw AWSServiceError(
                service: "apigateway", operation: operation, status: response.status,
                code: response.headers["x-amzn-errortype"]?.split(separator: ":").first.map(String.init)
                    ?? document?["__type"]?.string ?? "HTTP\(response.status)",
                message: document?["message"]?.string ?? document?["Message"]?.string ?? "")
        }
        return document ?? .null
    }

    /// The Region's account setting `cloudwatchRoleArn`, `nil` when none is set (GetAccount).
    public func cloudWatchRoleArn() async throws -> String? {
        let account = try await call("GET", operation: "GetAccount")
        guard let arn = account["cloudwatchRoleArn"]?.string, !arn.isEmpty else { return nil }
        return arn
    }

    /// Sets the Region's `cloudwatchRoleArn` (UpdateAccount).
    public func setCloudWatchRoleArn(_ arn: String) async throws {
        let body =
            #"{"patchOperations":[{"op":"replace","path":"/cloudwatchRoleArn","value":\#(JSONText.quote(arn))}]}"#
        _ = try await call("PATCH", body: Array(body.utf8), operation: "UpdateAccount")
    }

    /// The value of the API key `id` (GetApiKey with `includeValue=true`, `GET /apikeys/{api_Key}`), `nil` when
    /// the answer has none. The caller decides where it goes; it is never logged.
    public func apiKeyValue(id: String) async throws -> String? {
        let key = try await call(
            "GET", path: "/apikeys/" + SigV4.encode(id), query: [("includeValue", "true")], operation: "GetApiKey")
        return key["value"]?.string
    }
}
