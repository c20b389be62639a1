import AWSSigV4
import Hashing

/// Checks a request's Signature Version 4 as API Gateway does for `AWS_IAM` methods, against the local
/// credentials. Pure: the request and credentials are passed in.
public enum SigV4Verifier {
    /// The verdict, with API Gateway's 403 message when the request is refused.
    public enum Outcome: Sendable, Equatable {
        case valid
        case refused(String)
    }

    /// Verifies `headers` (as received) for `method` `path`?`query` with `body`.
    public static func verify(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8],
        credentials: Credentials
    ) -> Outcome {
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        guard let authorization = header("authorization"), authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            return .refused("Missing Authentication Token")
        }
        let fields = parse(String(authorization.dropFirst(17)))
        guard let credential = fields["Credential"], let signedList = fields["SignedHeaders"],
            let signature = fields["Signature"], let amzDate = header("x-amz-date")
        else {
            return .refused("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.")
        }
        let scopeParts = credential.split(separator: "/", maxSplits: 1).map(String.init)
        guard scopeParts.count == 2, scopeParts[0] == credentials.accessKeyId else {
            return .refused("The security token included in the request is invalid.")
        }
        let scope = scopeParts[1]
        let parts = scope.split(separator: "/").map(String.init)
        guard parts.count == 4 else { return .refused("Credential should be scoped to a valid region.") }
        let signed = signedList.split(separator: ";").map { String($0).lowercased() }
        let canonicalHeaders = signed.map { name in
            let values = headers.filter { $0.0.lowercased() == name }.map { normalize($0.1) }
            return "\(name):\(values.joined(separator: ","))\n"
        }.joined()
        let canonicalQuery = query.map { (SigV4.encode($0.0), SigV4.encode($0.1)) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        // The path as sent, each segment encoded once more (SigV4 for services other than S3).
        let canonicalPath =
            path.isEmpty
            ? "/"
            : path.split(separator: "/", omittingEmptySubsequences: false).map { SigV4.encode(String($0)) }
                .joined(separator: "/")
        let canonical = [
            method.uppercased(), canonicalPath, canonicalQuery, canonicalHeaders, signed.joined(separator: ";"),
            SigV4.hex(SHA256.hash(body)),
        ].joined(separator: "\n")
        let toSign = SigV4.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let key = SigV4.signingKey(
            secret: credentials.secretAccessKey, date: parts[0], region: parts[1], service: parts[2])
        guard SigV4.hex(HMACSHA256.authenticate(Array(toSign.utf8), key: key)) == signature else {
            return .refused(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
            )
        }
        return .valid
    }

    /// `Credential=..., SignedHeaders=..., Signature=...` as a dictionary.
    static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: ",") {
            let trimmed = part.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            result[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        return result
    }

    static func normalize(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
