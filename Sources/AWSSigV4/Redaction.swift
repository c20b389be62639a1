/// The one redaction every output goes through: messages, log lines and every report format.
///
/// AWS echoes parts of a request back in some errors: `SignatureDoesNotMatch` carries the canonical request it
/// expected, headers included, so an `x-amz-security-token` line holds the caller's session token
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html). The scan is linear and
/// needs no pattern engine; it redacts:
/// - the value after a credential-bearing field name followed by `:` or `=` (canonical request lines, query
///   strings, `Authorization` headers, JSON and profile-file shapes);
/// - the user information of a URL (`https://user:secret@host` becomes `https://[redacted]@host`);
/// - access key IDs (`AKIA…`, `ASIA…`): the four-letter prefix stays, saying which kind it was;
/// - every value in `secrets` (what the environment and the credential chain hold) wherever it appears.
public enum Redaction {
    /// What stands in place of a secret.
    public static let mark = "[redacted]"

    /// Field names whose value is a credential, lowercased; matched case-insensitively where a name ends and `:`,
    /// `=` or `": "` follows.
    static let fields: [[UInt8]] = [
        "x-amz-security-token", "aws_session_token", "aws_secret_access_key", "secretaccesskey", "sessiontoken",
        "secret_access_key", "session_token", "x-amz-signature", "signature", "x-api-key", "apikey", "api_key",
        "password",
    ].map { Array($0.utf8) }

    /// The first bytes of ``fields``, lowercased: a byte not among them starts no field.
    static let firstBytes = Set(fields.compactMap(\.first))

    /// `text` with every credential replaced by ``mark``. Secrets shorter than 8 characters are ignored (they
    /// would redact ordinary words).
    public static func redact(_ text: String, secrets: [String] = []) -> String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 8 else { return text }
        for secret in secrets where secret.utf8.count >= 8 { bytes = replacing(Array(secret.utf8), in: bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if let end = fieldValue(bytes, at: index, out: &out) {
                index = end
            } else if let end = userInfo(bytes, at: index, out: &out) {
                index = end
            } else if let end = accessKeyId(bytes, at: index, out: &out) {
                index = end
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The credential values this process's environment holds, for ``redact(_:secrets:)``.
    public static func secrets(in environment: [String: String]) -> [String] {
        ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY_ID"]
            .compactMap { environment[$0] }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x2D
    }

    /// The end of a value's run: up to a blank, a quote, `&`, `,`, `;`, `<` or a line break.
    static func valueEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, !" \t\r\n\"'&,;<>)".utf8.contains(bytes[end]) { end += 1 }
        return end
    }

    /// At a field name (not inside a longer word) followed by `:`, `=` or `": "` (blanks allowed around them): copies the name and separator,
    /// then the mark, and returns where the value ends.
    static func fieldValue(_ bytes: [UInt8], at index: Int, out: inout [UInt8]) -> Int? {
        guard firstBytes.contains(bytes[index] | 0x20), index == 0 || !isWordByte(bytes[index - 1]) else {
            return nil
        }
        for field in fields where index + field.count < bytes.count {
            guard zip(field, bytes[index..<index + field.count]).allSatisfy({ $0 == $1 | 0x20 || $0 == $1 }) else {
                continue
            }
            var cursor = index + field.count
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") { cursor += 1 }
            while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") || bytes[cursor] == UInt8(ascii: "=")
            else { continue }
            cursor += 1
            while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == UInt8(ascii: "\"") { cursor += 1 }
            let end = valueEnd(bytes, from: cursor)
            guard end > cursor else { continue }
            out += bytes[index..<cursor]
            out += mark.utf8
            return end
        }
        return nil
    }

    /// At `://`: when `user[:password]@` follows before the host ends, writes `://[redacted]@`.
    static func userInfo(_ bytes: [UInt8], at index: Int, out: inout [UInt8]) -> Int? {
        guard index + 3 < bytes.count, bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/"),
            bytes[index + 2] == UInt8(ascii: "/")
        else { return nil }
        var cursor = index + 3
        while cursor < bytes.count, !" \t\r\n\"'/?#<>@".utf8.contains(bytes[cursor]) { cursor += 1 }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "@"), cursor > index + 3 else { return nil }
        out += "://".utf8
        out += mark.utf8
        return cursor
    }

    /// At `AKIA` or `ASIA` and 16 upper-case letters or digits, not inside a longer word: keeps the prefix.
    static func accessKeyId(_ bytes: [UInt8], at index: Int, out: inout [UInt8]) -> Int? {
        // The prefix compared byte by byte first: this runs at every byte of everything printed.
        guard index + 20 <= bytes.count, bytes[index] == UInt8(ascii: "A"), bytes[index + 2] == UInt8(ascii: "I"),
            bytes[index + 3] == UInt8(ascii: "A"),
            bytes[index + 1] == UInt8(ascii: "K") || bytes[index + 1] == UInt8(ascii: "S"),
            index == 0 || !isWordByte(bytes[index - 1])
        else { return nil }
        let prefix = bytes[index..<index + 4]
        let body = bytes[index + 4..<index + 20]
        guard body.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }),
            index + 20 == bytes.count || !isWordByte(bytes[index + 20])
        else { return nil }
        out += prefix
        out += mark.utf8
        return index + 20
    }

    /// `haystack` with each occurrence of `needle` replaced by the mark.
    static func replacing(_ needle: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        guard let first = needle.first, haystack.count >= needle.count else { return haystack }
        var out: [UInt8] = []
        out.reserveCapacity(haystack.count)
        var index = 0
        while index < haystack.count {
            if haystack[index] == first, index + needle.count <= haystack.count,
                haystack[index..<index + needle.count].elementsEqual(needle)
            {
                out += mark.utf8
                index += needle.count
            } else {
                out.append(haystack[index])
                index += 1
            }
        }
        return out
    }
}
