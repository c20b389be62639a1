import AWSClients
import AWSSigV4
import JSONDocument
import JSONText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Lambda operations `deploy --hotswap` uses, over the REST JSON protocol.
public struct LambdaClient: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    func call(_ method: String, _ path: String, body: [UInt8] = [], operation: String) async throws -> JSONValue {
        var target = caller.endpoint
        target.path = path
        let response = try await caller.signedREST(
            method, target: target, headers: [("Content-Type", "application/json")], body: body, operation: operation)
        let document = JSONValue.parse(response.body)
        guard (200..<300).contains(response.status) else {
            throw AWSServiceError(
                service: "lambda", operation: operation, status: response.status,
                code: document?["Type"]?.string ?? document?["__type"]?.string ?? "HTTP\(response.status)",
                message: document?["Message"]?.string ?? document?["message"]?.string ?? "")
        }
        return document ?? .null
    }

    /// Points the function at a new zip in S3.
    public func updateCode(function: String, bucket: String, key: String) async throws {
        let body = "{\"S3Bucket\":\(JSONText.quote(bucket)),\"S3Key\":\(JSONText.quote(key))}"
        _ = try await call(
            "PUT", "/2015-03-31/functions/\(SigV4.encode(function))/code", body: Array(body.utf8),
            operation: "UpdateFunctionCode")
    }

    /// The account's concurrency in this Region: its limit and what no function has reserved
    /// (GetAccountSettings, `AccountLimit`).
    public func concurrency() async throws -> (limit: Int, unreserved: Int) {
        let settings = try await call("GET", "/2016-08-19/account-settings/", operation: "GetAccountSettings")
        guard let limit = settings["AccountLimit"]?["ConcurrentExecutions"]?.integer,
            let unreserved = settings["AccountLimit"]?["UnreservedConcurrentExecutions"]?.integer
        else {
            throw AWSServiceError(
                service: "lambda", operation: "GetAccountSettings", status: 200, code: "UnreadableAnswer",
                message: "no AccountLimit.ConcurrentExecutions in the answer")
        }
        return (limit, unreserved)
    }

    /// The function's `LastUpdateStatus` (`Successful`, `InProgress`, `Failed`) and its reason.
    public func updateStatus(function: String) async throws -> (status: String, reason: String?) {
        let configuration = try await call(
            "GET", "/2015-03-31/functions/\(SigV4.encode(function))/configuration",
            operation: "GetFunctionConfiguration")
        return (
            configuration["LastUpdateStatus"]?.string ?? "Successful", configuration["LastUpdateStatusReason"]?.string
        )
    }
}

extension AWSCaller {
    /// Signs and sends a REST request to `target` (method, path, query and body of the caller's choosing); the
    /// query is signed as its own canonical part and appended to the path sent.
    func signedREST(
        _ method: String, target: Endpoint, query: [(String, String)] = [], headers: [(String, String)],
        body: [UInt8], operation: String, timeoutMs: Int64? = nil
    ) async throws -> AWSHTTPResponse {
        var all = [("Host", target.hostHeader)] + headers
        let signable = SignableRequest(
            method: method, path: target.path.removingPercentEncoding ?? target.path, query: query, headers: all,
            body: body)
        all += SigV4.sign(
            signable, credentials: environment.credentials, region: environment.region, service: service,
            amzDate: AWSCaller.amzDate(now()))
        var sent = target
        if !query.isEmpty {
            sent.path += "?" + query.map { SigV4.encode($0.0) + "=" + SigV4.encode($0.1) }.joined(separator: "&")
        }
        let request = AWSHTTPRequest(
            endpoint: sent, method: method, headers: all, body: body, service: service, operation: operation)
        do {
            return try await transport.send(request, timeoutMs: timeoutMs ?? attemptTimeoutMs)
        } catch {
            throw TransientFailure("\(service) \(operation): \(TransientFailure.plainWords(error))")
        }
    }
}
