import Foundation
import JSONText

/// What SQS refuses at `SendMessage` that moto_server lets through, checked before a message is forwarded and
/// answered as SQS answers: the message body's characters ("If a message contains characters outside the allowed
/// set, Amazon SQS rejects the message and returns an InvalidMessageContents error", SendMessage, Amazon SQS API
/// Reference) and its size in bytes (1 MiB; moto counts characters).
enum SQSRules {
    /// `MessageBody`'s largest size: 1 MiB, 1,048,576 bytes (SendMessage, Amazon SQS API Reference).
    static let maximumMessageBytes = 1_048_576

    /// SQS's error code and message for a form-encoded `SendMessage` request, or `nil` when SQS accepts it.
    static func refusal(formBody: [UInt8]) -> (code: String, message: String)? {
        let fields = form(formBody)
        guard fields["Action"] == [UInt8]("SendMessage".utf8), let body = fields["MessageBody"] else { return nil }
        if body.count > maximumMessageBytes {
            return (
                "InvalidParameterValue",
                "One or more parameters are invalid. Reason: Message must be shorter than \(maximumMessageBytes) bytes."
            )
        }
        guard let text = String(validating: body, as: UTF8.self) else {
            return ("InvalidMessageContents", "Invalid binary character in the message body (not UTF-8). \(allowedSet)")
        }
        if let refused = text.unicodeScalars.first(where: { !allowed($0) }) {
            let code = String(refused.value, radix: 16, uppercase: true)
            return (
                "InvalidMessageContents",
                "Invalid binary character '#x\(code)' was found in the message body, \(allowedSet)"
            )
        }
        return nil
    }

    static let allowedSet =
        "the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"

    /// The characters XML 1.0 allows, which SQS accepts in a message.
    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The error as SQS's Query API writes it in JSON (`Accept: application/json`).
    static func errorJSON(code: String, message: String, requestId: String) -> [UInt8] {
        Array(
            (#"{"Error":{"Type":"Sender","Code":\#(JSONText.quote(code)),"Message":\#(JSONText.quote(message))},"#
                + #""RequestId":\#(JSONText.quote(requestId))}"#).utf8)
    }

    /// `application/x-www-form-urlencoded` fields, values decoded to bytes (`+` is a space).
    static func form(_ body: [UInt8]) -> [String: [UInt8]] {
        var fields: [String: [UInt8]] = [:]
        for pair in body.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(decoding: decode(parts[0]), as: UTF8.self)
            fields[key] = parts.count > 1 ? decode(parts[1]) : []
        }
        return fields
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                result.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                result.append(value)
                index += 2
            } else {
                result.append(byte)
            }
            index += 1
        }
        return result
    }
}
