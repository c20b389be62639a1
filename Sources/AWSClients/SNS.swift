import AWSSigV4

/// The SNS Query protocol (`Action=Publish&Version=2010-03-31`, form-encoded, XML answers) for `Publish`.
public struct SNSClient: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    /// Publishes `message` with string message attributes; returns the `MessageId`.
    public func publish(topicArn: String, message: String, attributes: [String: String]) async throws -> String {
        let body = Self.publishBody(topicArn: topicArn, message: message, attributes: attributes)
        let response = try await caller.send(
            operation: "Publish", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(body.utf8))
        guard response.status == 200 else { throw Self.decodeError(response, operation: "Publish").classified() }
        guard let id = XMLText.first("MessageId", in: response.body) else {
            throw AWSServiceError(
                service: "sns", operation: "Publish", status: 200, code: "InvalidResponse",
                message: "the answer has no MessageId")
        }
        return id
    }

    /// The form body; attributes in name order, numbered from 1 as the Query protocol's maps are.
    public static func publishBody(topicArn: String, message: String, attributes: [String: String]) -> String {
        var fields = [
            ("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topicArn), ("Message", message),
        ]
        for (index, name) in attributes.keys.sorted().enumerated() {
            let prefix = "MessageAttributes.entry.\(index + 1)"
            fields += [
                ("\(prefix).Name", name), ("\(prefix).Value.DataType", "String"),
                ("\(prefix).Value.StringValue", attributes[name]!),
            ]
        }
        return fields.map { "\(SigV4.encode($0.0))=\(SigV4.encode($0.1))" }.joined(separator: "&")
    }

    /// Decodes `<ErrorResponse><Error><Type/><Code/><Message/></Error>...`.
    public static func decodeError(_ response: AWSHTTPResponse, operation: String) -> AWSServiceError {
        AWSServiceError(
            service: "sns", operation: operation, status: response.status,
            code: XMLText.first("Code", in: response.body) ?? "HTTP\(response.status)",
            message: XMLText.first("Message", in: response.body) ?? "")
    }
}

/// Reads the text of simple elements out of the Query protocol's small XML answers (no Foundation XML, which
/// would link libxml2 into the handler).
public enum XMLText {
    /// The decoded text of the first `<name>...</name>` element, or `nil`.
    public static func first(_ name: String, in bytes: [UInt8]) -> String? {
        guard let open = find(Array("<\(name)>".utf8), in: bytes, from: 0),
            let close = find(Array("</\(name)>".utf8), in: bytes, from: open.upperBound)
        else { return nil }
        return decodeEntities(String(decoding: bytes[open.upperBound..<close.lowerBound], as: UTF8.self))
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Range<Int>? {
        guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index..<(index + needle.count) }
        }
        return nil
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
                if let scalar { result.unicodeScalars.append(scalar) } else { result += rest[amp...semicolon] }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
