import AWSClients
import AWSSigV4
import Hashing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The S3 object operations `deploy` uses, over the REST protocol: path-style addressing on an endpoint override
/// (moto, LocalStack) and for a bucket name with dots, virtual-hosted on AWS otherwise.
public struct S3Client: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    /// Where `bucket`/`key` is addressed.
    func endpoint(bucket: String, key: String) -> Endpoint {
        var endpoint = caller.endpoint
        let encodedKey = key.split(separator: "/", omittingEmptySubsequences: false).map { SigV4.encode(String($0)) }
            .joined(separator: "/")
        // "the SSL wildcard certificate matches only buckets that don't contain dots" (Amazon S3 User Guide,
        // "Virtual hosting of buckets"): a dotted name is addressed path-style, as the AWS SDKs do.
        if endpoint.host.hasSuffix(".amazonaws.com") && !bucket.contains(".") {
            endpoint.host = "\(bucket).\(endpoint.host)"
            endpoint.path = "/\(encodedKey)"
        } else {
            endpoint.path =
                "\(endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path)/\(bucket)/\(encodedKey)"
        }
        return endpoint
    }

    /// The object's URL as CloudFormation's `TemplateURL` takes it.
    public func url(bucket: String, key: String) -> String {
        let target = endpoint(bucket: bucket, key: key)
        let defaultPort =
            (target.scheme == "https" && target.port == 443) || (target.scheme == "http" && target.port == 80)
        return "\(target.scheme)://\(target.host)\(defaultPort ? "" : ":\(target.port)")\(target.path)"
    }

    /// Sends one signed request (the payload hash header S3 requires included).
    func send(
        _ method: String, bucket: String, key: String, headers: [(String, String)] = [], body: [UInt8] = [],
        operation: String
    ) async throws -> AWSHTTPResponse {
        try await caller.signedREST(
            method, target: endpoint(bucket: bucket, key: key),
            headers: [("x-amz-content-sha256", SigV4.hex(SHA256.hash(body)))] + headers, body: body,
            operation: operation, timeoutMs: 60_000)
    }

    /// The object's SHA-256 checksum (base64) when it exists, `""` when it exists without one, `nil` when it
    /// does not.
    public func checksum(bucket: String, key: String) async throws -> String? {
        let response = try await send(
            "HEAD", bucket: bucket, key: key, headers: [("x-amz-checksum-mode", "ENABLED")], operation: "HeadObject")
        switch response.status {
        case 200: return response.headers["x-amz-checksum-sha256"] ?? ""
        case 404: return nil
        default: throw Self.error(response, operation: "HeadObject", bucket: bucket)
        }
    }

    /// Uploads `body` with its SHA-256 checksum, which S3 verifies before it stores the object.
    public func put(bucket: String, key: String, body: [UInt8], contentType: String) async throws {
        let response = try await send(
            "PUT", bucket: bucket, key: key,
            headers: [
                ("Content-Type", contentType), ("x-amz-checksum-sha256", Self.base64(SHA256.hash(body))),
                ("x-amz-sdk-checksum-algorithm", "SHA256"),
            ], body: body, operation: "PutObject")
        guard response.status == 200 else { throw Self.error(response, operation: "PutObject", bucket: bucket) }
    }

    /// The Region the bucket is in, from HeadBucket's `x-amz-bucket-region` header (S3 sends it with a 301 or 403
    /// too, "regardless of the permissions on the bucket"), with the answer's status: a 403 says the Region but
    /// not that this caller may use the bucket. `nil` when the answer does not say.
    public func region(of bucket: String) async throws -> (region: String?, status: Int) {
        let response = try await send("HEAD", bucket: bucket, key: "", operation: "HeadBucket")
        if response.status == 404 { throw Self.error(response, operation: "HeadBucket", bucket: bucket) }
        return (response.headers["x-amz-bucket-region"], response.status)
    }

    /// Base64 of `bytes`, as S3's checksum headers carry them.
    public static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func error(_ response: AWSHTTPResponse, operation: String, bucket: String) -> AWSServiceError {
        let tree = XMLNode.parse(response.body)
        let code = tree?.string("Code") ?? (response.status == 403 ? "AccessDenied" : "HTTP\(response.status)")
        let message = tree?.string("Message") ?? (response.status == 404 ? "no bucket named \(bucket)" : "")
        return AWSServiceError(
            service: "s3", operation: operation, status: response.status, code: code, message: message)
    }
}
