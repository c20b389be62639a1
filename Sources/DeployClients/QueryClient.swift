import AWSClients
import AWSSigV4

/// The AWS Query protocol (CloudFormation, STS): form-encoded `Action` and parameters, XML answers, errors as
/// `<ErrorResponse><Error><Code>`.
public struct QueryClient: Sendable {
    public var caller: AWSCaller
    /// The API version (`2010-05-15` for CloudFormation, `2011-06-15` for STS).
    public var version: String

    public init(caller: AWSCaller, version: String) {
        self.caller = caller
        self.version = version
    }

    /// The form body of `action` with `parameters`.
    public static func body(action: String, version: String, parameters: [(String, String)]) -> [UInt8] {
        let fields = [("Action", action), ("Version", version)] + parameters
        return Array(fields.map { "\(SigV4.encode($0.0))=\(SigV4.encode($0.1))" }.joined(separator: "&").utf8)
    }

    /// Calls `action`, signed; the answer's root element.
    /// - Throws: `AWSServiceError` for an error answer or an answer that is not XML; `TransientFailure` when the
    ///   exchange did not complete.
    public func call(_ action: String, _ parameters: [(String, String)] = []) async throws -> XMLNode {
        let response = try await caller.send(
            operation: action, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Self.body(action: action, version: version, parameters: parameters))
        return try Self.decode(response, service: caller.service, operation: action)
    }

    /// The root of a 200 answer, or the error it carries.
    public static func decode(_ response: AWSHTTPResponse, service: String, operation: String) throws -> XMLNode {
        let tree = XMLNode.parse(response.body)
        guard response.status == 200 else {
            let error = tree?.first("Error")
            throw AWSServiceError(
                service: service, operation: operation, status: response.status,
                code: error?.string("Code") ?? "HTTP\(response.status)",
                message: error?.string("Message") ?? String(decoding: response.body.prefix(200), as: UTF8.self))
        }
        guard let tree else {
            throw AWSServiceError(
                service: service, operation: operation, status: 200, code: "InvalidResponse",
                message: "the answer is not XML")
        }
        return tree
    }
}
