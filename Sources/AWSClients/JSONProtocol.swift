import JSONDocument

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The AWS JSON protocol (1.0: DynamoDB, SQS; 1.1: CloudWatch Logs): a signed POST of a JSON object with
/// `X-Amz-Target: <prefix>.<Operation>`, a JSON answer, and errors as `{"__type": "...#Code", "message": "..."}`.
public struct JSONProtocol: Sendable {
    public var caller: AWSCaller
    /// `DynamoDB_20120810`, `AmazonSQS`, `Logs_20140328`.
    public var targetPrefix: String
    /// `application/x-amz-json-1.0` or `-1.1`.
    public var contentType: String

    public init(caller: AWSCaller, targetPrefix: String, contentType: String = "application/x-amz-json-1.0") {
        self.caller = caller
        self.targetPrefix = targetPrefix
        self.contentType = contentType
    }

    /// Sends one operation; a 200 answer is parsed, an error answer decoded (transient ones as `TransientFailure`).
    public func call(_ operation: String, _ request: [String: JSONValue]) async throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = Array(try encoder.encode(JSONValue.object(request)))
        let response = try await caller.send(
            operation: operation,
            headers: [
                ("Content-Type", contentType), ("X-Amz-Target", "\(targetPrefix).\(operation)"),
            ],
            body: body)
        guard response.status == 200 else {
            throw Self.decodeError(response, service: caller.service, operation: operation).classified()
        }
        guard let answer = JSONValue.parse(response.body) else {
            throw AWSServiceError(
                service: caller.service, operation: operation, status: 200, code: "InvalidResponse",
                message: "the answer is not JSON")
        }
        return answer
    }

    /// Decodes `{"__type": "com.amazonaws.dynamodb.v20120810#Code", "message": "..."}`, falling back to the
    /// `x-amzn-ErrorType` header and the HTTP status.
    public static func decodeError(_ response: AWSHTTPResponse, service: String, operation: String)
        -> AWSServiceError
    {
        let json = JSONValue.parse(response.body)
        var code = json?["__type"]?.string ?? response.headers["x-amzn-errortype"] ?? "HTTP\(response.status)"
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        let message = json?["message"]?.string ?? json?["Message"]?.string ?? ""
        return AWSServiceError(
            service: service, operation: operation, status: response.status, code: code, message: message)
    }
}
