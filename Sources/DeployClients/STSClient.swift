import AWSClients
import AWSSigV4

/// The STS operations the credential chain uses.
public struct STSClient: Sendable {
    public var query: QueryClient

    public init(caller: AWSCaller) { query = QueryClient(caller: caller, version: "2011-06-15") }

    /// `AssumeRoleWithWebIdentity`: sent unsigned, as the token is the proof (what CI runners with OIDC use).
    public func assumeRole(webIdentityToken token: String, roleArn: String, sessionName: String) async throws
        -> Credentials
    {
        let caller = query.caller
        let body = QueryClient.body(
            action: "AssumeRoleWithWebIdentity", version: query.version,
            parameters: [("RoleArn", roleArn), ("RoleSessionName", sessionName), ("WebIdentityToken", token)])
        let request = AWSHTTPRequest(
            endpoint: caller.endpoint,
            headers: [
                ("Host", caller.endpoint.hostHeader),
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ], body: body, service: "sts", operation: "AssumeRoleWithWebIdentity")
        let response: AWSHTTPResponse
        do {
            response = try await caller.transport.send(request, timeoutMs: caller.attemptTimeoutMs)
        } catch {
            throw TransientFailure("sts AssumeRoleWithWebIdentity: \(TransientFailure.plainWords(error))")
        }
        let root = try QueryClient.decode(response, service: "sts", operation: "AssumeRoleWithWebIdentity")
        return try Self.credentials(in: root, operation: "AssumeRoleWithWebIdentity")
    }

    /// `AssumeRole`, signed with the caller's credentials.
    public func assumeRole(roleArn: String, sessionName: String) async throws -> Credentials {
        let root = try await query.call("AssumeRole", [("RoleArn", roleArn), ("RoleSessionName", sessionName)])
        return try Self.credentials(in: root, operation: "AssumeRole")
    }

    /// The account the caller's credentials belong to.
    public func account() async throws -> String {
        try await query.call("GetCallerIdentity").first("Account")?.text ?? ""
    }

    static func credentials(in root: XMLNode, operation: String) throws -> Credentials {
        guard let node = root.first("Credentials"), let key = node.string("AccessKeyId"),
            let secret = node.string("SecretAccessKey")
        else {
            throw AWSServiceError(
                service: "sts", operation: operation, status: 200, code: "InvalidResponse",
                message: "the answer has no Credentials")
        }
        return Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: node.string("SessionToken"))
    }
}
