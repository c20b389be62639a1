import Hashing

/// AWS credentials as Lambda provides them (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).
public struct Credentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// A request to sign: method, path, query, headers (the `host` header included) and body.
public struct SignableRequest: Sendable, Equatable {
    public var method: String
    /// The path as sent, unencoded (`/` for the JSON and Query protocols).
    public var path: String
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(
        method: String, path: String = "/", query: [(String, String)] = [], headers: [(String, String)],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: SignableRequest, rhs: SignableRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body
            && lhs.query.map { [$0.0, $0.1] } == rhs.query.map { [$0.0, $0.1] }
            && lhs.headers.map { [$0.0, $0.1] } == rhs.headers.map { [$0.0, $0.1] }
    }
}

/// Signature Version 4 (`AWS4-HMAC-SHA256`), as the AWS general reference specifies it.
///
/// Time is injected: callers pass the `X-Amz-Date` value (`yyyyMMdd'T'HHmmss'Z'`), so signing is pure and the
/// official test vectors and botocore goldens reproduce exactly. Like botocore for non-S3 services, no
/// `x-amz-content-sha256` header is added; the payload hash is still part of the canonical request.
public enum SigV4 {
    /// Headers never signed (they can change in transit or are added by the HTTP layer).
    static let unsigned: Set<String> = ["authorization", "user-agent", "expect", "x-amzn-trace-id", "content-length"]

    /// The headers to add to `request`: `X-Amz-Date`, `X-Amz-Security-Token` (with a session token) and
    /// `Authorization`.
    public static func sign(
        _ request: SignableRequest, credentials: Credentials, region: String, service: String, amzDate: String
    ) -> [(String, String)] {
        var request = request
        var added = [("X-Amz-Date", amzDate)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        request.headers += added
        let scopeDate = String(amzDate.prefix(8))
        let scope = "\(scopeDate)/\(region)/\(service)/aws4_request"
        let (canonical, signedHeaders) = canonicalRequest(request)
        let toSign = stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let key = signingKey(secret: credentials.secretAccessKey, date: scopeDate, region: region, service: service)
        let signature = hex(
            HMACSHA256.authenticate(Array(toSign.utf8), key: key))
        added.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
            ))
        return added
    }

    /// The canonical request and its signed-header list.
    public static func canonicalRequest(_ request: SignableRequest) -> (text: String, signedHeaders: String) {
        var headers: [String: [String]] = [:]
        for (name, value) in request.headers where !unsigned.contains(name.lowercased()) {
            headers[name.lowercased(), default: []].append(normalize(value))
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let query = request.query.map { (encode($0.0), encode($0.1)) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let path =
            request.path.isEmpty
            ? "/"
            : request.path.split(separator: "/", omittingEmptySubsequences: false)
                .map { encode(String($0)) }.joined(separator: "/")
        let payload = hex(SHA256.hash(request.body))
        return (
            [request.method.uppercased(), path, query, canonicalHeaders, signed, payload].joined(separator: "\n"),
            signed
        )
    }

    /// `AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256 of the canonical request>`.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(hex(SHA256.hash(Array(canonicalRequest.utf8))))"
    }

    /// The HMAC chain `"AWS4" + secret` → date → region → service → `aws4_request`.
    public static func signingKey(secret: String, date: String, region: String, service: String) -> [UInt8] {
        var key = Array(("AWS4" + secret).utf8)
        for part in [date, region, service, "aws4_request"] {
            key = HMACSHA256.authenticate(Array(part.utf8), key: key)
        }
        return key
    }

    /// RFC 3986 encoding: unreserved characters as they are, everything else `%XX`.
    public static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                result +=
                    "%" + String(UnicodeScalar(digits[Int(byte >> 4)])) + String(UnicodeScalar(digits[Int(byte & 15)]))
            }
        }
        return result
    }

    /// Trims and collapses runs of spaces, as the canonical header form requires.
    static func normalize(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String { hexString(bytes) }
}
