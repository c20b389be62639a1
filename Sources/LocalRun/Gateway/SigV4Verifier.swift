import AWSClients
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

    /// How far X-Amz-Date may be from the gateway's clock: "a request must reach AWS within five minutes of the
    /// time stamp in the request" (IAM User Guide, AWS Signature Version 4 for API requests).
    public static let allowedSkewSeconds: Int64 = 300

    /// Verifies `headers` (as received) for `method` `path`?`query` with `body`, signed for `execute-api` in
    /// `region`, at `nowMs` (milliseconds since 1970). The checks, their order and their messages follow AWS's
    /// signature checking: the header's parts, the date's format, its window, `host` signed, the credential's
    /// elements and scope (every scope problem said at once), the access key, the signature, the session token.
    public static func verify(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], body: [UInt8],
        credentials: Credentials, region: String, nowMs: Int64
    ) -> Outcome {
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        guard let authorization = header("authorization") else { return .refused("Missing Authentication Token") }
        let amzDate = header("x-amz-date")
        if let refusal = incomplete(authorization, hasDate: amzDate != nil) { return .refused(refusal) }
        let fields = parse(String(authorization.dropFirst(17)))
        guard let credential = fields["Credential"], let signedList = fields["SignedHeaders"],
            let signature = fields["Signature"], let amzDate
        else { return .refused("Missing Authentication Token") }
        let signed = signedList.split(separator: ";").map { String($0).lowercased() }
        if let refusal = checkTime(amzDate, signed: signed, nowMs: nowMs) { return .refused(refusal) }
        let elements = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard elements.count == 5 else {
            return .refused(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(credential)'"
            )
        }
        if let refusal = checkScope(Array(elements.dropFirst()), amzDate: amzDate, region: region) {
            return .refused(refusal)
        }
        guard elements[0] == credentials.accessKeyId else {
            return .refused("The security token included in the request is invalid.")
        }
        let scope = elements.dropFirst().joined(separator: "/")
        let canonical = canonicalRequest(
            method: method, path: path, query: query, headers: headers, signed: signed, body: body)
        let toSign = SigV4.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let key = SigV4.signingKey(
            secret: credentials.secretAccessKey, date: String(amzDate.prefix(8)), region: region,
            service: "execute-api")
        guard SigV4.hex(HMACSHA256.authenticate(Array(toSign.utf8), key: key)) == signature else {
            return .refused(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'\(canonical)'\n\nThe String-to-Sign should have been\n'\(toSign)'\n"
            )
        }
        guard header("x-amz-security-token") == credentials.sessionToken else {
            return .refused("The security token included in the request is invalid.")
        }
        return .valid
    }

    /// AWS's message for an `Authorization` header that is not a complete signature (each missing part named),
    /// or `nil` when it is one. The header's value is not echoed as AWS does (`Authorization=...`): a bearer token
    /// would end up in the local access log.
    public static func incomplete(_ authorization: String, hasDate: Bool = true) -> String? {
        let fields = authorization.hasPrefix("AWS4-HMAC-SHA256 ") ? parse(String(authorization.dropFirst(17))) : [:]
        var missing = ["Credential", "Signature", "SignedHeaders"].filter { fields[$0] == nil }.map {
            "Authorization header requires '\($0)' parameter."
        }
        if !hasDate {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        return missing.isEmpty ? nil : (missing + ["Authorization=[redacted]"]).joined(separator: " ")
    }

    /// The date's format, its five-minute window, and `host` among the signed headers, in AWS's words.
    static func checkTime(_ amzDate: String, signed: [String], nowMs: Int64) -> String? {
        guard let seconds = epochSeconds(amzDate) else {
            return
                "Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601"
        }
        let now = nowMs / 1000
        let nowText = AWSCaller.amzDate(now * 1000)
        if seconds < now - allowedSkewSeconds {
            let earliest = AWSCaller.amzDate((now - allowedSkewSeconds) * 1000)
            return "Signature expired: \(amzDate) is now earlier than \(earliest) (\(nowText) - 5 min.)"
        }
        if seconds > now + allowedSkewSeconds {
            let latest = AWSCaller.amzDate((now + allowedSkewSeconds) * 1000)
            return "Signature not yet current: \(amzDate) is still later than \(latest) (\(nowText) + 5 min.)"
        }
        if !signed.contains("host") {
            return "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        }
        return nil
    }

    /// Everything wrong with the credential scope (date, Region, service, terminator), said together as AWS does.
    static func checkScope(_ parts: [String], amzDate: String, region: String) -> String? {
        var problems: [String] = []
        let day = String(amzDate.prefix(8))
        if parts[0] != day {
            problems.append(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(parts[0])' != '\(day)', from '\(amzDate)'."
            )
        }
        if parts[1] != region { problems.append("Credential should be scoped to a valid region, not '\(parts[1])'. ") }
        if parts[2] != "execute-api" {
            problems.append("Credential should be scoped to correct service: 'execute-api'. ")
        }
        if parts[3] != "aws4_request" {
            problems.append("Credential should be scoped with a valid terminator: 'aws4_request', not '\(parts[3])'. ")
        }
        return problems.isEmpty ? nil : problems.joined()
    }

    /// The canonical request (SigV4 for services other than S3: each path segment encoded once more).
    static func canonicalRequest(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], signed: [String],
        body: [UInt8]
    ) -> String {
        let canonicalHeaders = signed.map { name in
            let values = headers.filter { $0.0.lowercased() == name }.map { normalize($0.1) }
            return "\(name):\(values.joined(separator: ","))\n"
        }.joined()
        let canonicalQuery = query.map { (SigV4.encode($0.0), SigV4.encode($0.1)) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let canonicalPath =
            path.isEmpty
            ? "/"
            : path.split(separator: "/", omittingEmptySubsequences: false).map { SigV4.encode(String($0)) }
                .joined(separator: "/")
        return [
            method.uppercased(), canonicalPath, canonicalQuery, canonicalHeaders, signed.joined(separator: ";"),
            SigV4.hex(SHA256.hash(body)),
        ].joined(separator: "\n")
    }

    /// `20261204T101500Z` as seconds since 1970; nil unless it is exactly ISO 8601 basic format in UTC.
    static func epochSeconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        // Days from civil (proleptic Gregorian), as in Howard Hinnant's date algorithms.
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3_600 + minute * 60 + second
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
