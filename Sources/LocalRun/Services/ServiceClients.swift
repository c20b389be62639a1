import AWSClients
import DeployClients
import Foundation
import JSONDocument
import JSONText

/// One message as `ReceiveMessage` returns it.
public struct ReceivedMessage: Sendable, Equatable {
    public var messageId: String
    public var receiptHandle: String
    public var body: String
    public var md5OfBody: String
    public var attributes: [String: String]
    /// Name to (data type, string value).
    public var messageAttributes: [String: (String, String)]

    public static func == (lhs: ReceivedMessage, rhs: ReceivedMessage) -> Bool {
        lhs.messageId == rhs.messageId && lhs.receiptHandle == rhs.receiptHandle
    }
}

/// SQS over the Query protocol: what the local run provisions, polls and counts.
public struct SQSClient: Sendable {
    public var query: QueryClient

    public init(caller: AWSCaller) { query = QueryClient(caller: caller, version: "2012-11-05") }

    /// Creates the queue (or finds it) with `attributes`; its URL.
    public func createQueue(_ name: String, attributes: [(String, String)]) async throws -> String {
        var fields = [("QueueName", name)]
        for (index, attribute) in attributes.enumerated() {
            fields += [("Attribute.\(index + 1).Name", attribute.0), ("Attribute.\(index + 1).Value", attribute.1)]
        }
        let root = try await query.call("CreateQueue", fields)
        return root.first("QueueUrl")?.text ?? ""
    }

    public func setAttributes(_ url: String, _ attributes: [(String, String)]) async throws {
        var fields = [("QueueUrl", url)]
        for (index, attribute) in attributes.enumerated() {
            fields += [("Attribute.\(index + 1).Name", attribute.0), ("Attribute.\(index + 1).Value", attribute.1)]
        }
        _ = try await query.call("SetQueueAttributes", fields)
    }

    /// Up to `max` messages, waiting up to `waitSeconds` for the first.
    public func receive(_ url: String, max count: Int, waitSeconds: Int, visibilityTimeout: Int? = nil) async throws
        -> [ReceivedMessage]
    {
        var fields = [
            ("QueueUrl", url), ("MaxNumberOfMessages", String(min(10, max(1, count)))),
            ("WaitTimeSeconds", String(waitSeconds)), ("AttributeName.1", "All"), ("MessageAttributeName.1", "All"),
        ]
        if let visibilityTimeout { fields.append(("VisibilityTimeout", String(visibilityTimeout))) }
        let root = try await query.call("ReceiveMessage", fields)
        return (root.first("ReceiveMessageResult")?.children ?? []).filter { $0.name == "Message" }.map(Self.message)
    }

    static func message(_ node: XMLNode) -> ReceivedMessage {
        var attributes: [String: String] = [:]
        var messageAttributes: [String: (String, String)] = [:]
        for child in node.children {
            if child.name == "Attribute", let name = child.string("Name") {
                attributes[name] = child.string("Value") ?? ""
            } else if child.name == "MessageAttribute", let name = child.string("Name"),
                let value = child.child("Value")
            {
                messageAttributes[name] = (value.string("DataType") ?? "String", value.string("StringValue") ?? "")
            }
        }
        return ReceivedMessage(
            messageId: node.string("MessageId") ?? "", receiptHandle: node.string("ReceiptHandle") ?? "",
            body: node.string("Body") ?? "", md5OfBody: node.string("MD5OfBody") ?? "", attributes: attributes,
            messageAttributes: messageAttributes)
    }

    /// Deletes the messages with these receipt handles.
    public func delete(_ url: String, receipts: [String]) async throws {
        for start in stride(from: 0, to: receipts.count, by: 10) {
            var fields = [("QueueUrl", url)]
            for (index, receipt) in receipts[start..<min(receipts.count, start + 10)].enumerated() {
                fields += [
                    ("DeleteMessageBatchRequestEntry.\(index + 1).Id", "m\(index)"),
                    ("DeleteMessageBatchRequestEntry.\(index + 1).ReceiptHandle", receipt),
                ]
            }
            _ = try await query.call("DeleteMessageBatch", fields)
        }
    }

    /// Sends a message body; its ID.
    public func send(_ url: String, body: String) async throws -> String {
        let root = try await query.call("SendMessage", [("QueueUrl", url), ("MessageBody", body)])
        return root.first("MessageId")?.text ?? ""
    }

    /// Approximate visible and in-flight counts.
    public func depth(_ url: String) async throws -> (visible: Int, inFlight: Int) {
        let root = try await query.call(
            "GetQueueAttributes",
            [
                ("QueueUrl", url), ("AttributeName.1", "ApproximateNumberOfMessages"),
                ("AttributeName.2", "ApproximateNumberOfMessagesNotVisible"),
            ])
        var values: [String: Int] = [:]
        for attribute in root.first("GetQueueAttributesResult")?.children ?? [] {
            if let name = attribute.string("Name") { values[name] = Int(attribute.string("Value") ?? "") ?? 0 }
        }
        return (values["ApproximateNumberOfMessages"] ?? 0, values["ApproximateNumberOfMessagesNotVisible"] ?? 0)
    }
}

/// SNS over the Query protocol: topics and subscriptions.
public struct SNSAdmin: Sendable {
    public var query: QueryClient

    public init(caller: AWSCaller) { query = QueryClient(caller: caller, version: "2010-03-31") }

    public func createTopic(_ name: String, attributes: [(String, String)]) async throws -> String {
        var fields = [("Name", name)]
        for (index, attribute) in attributes.enumerated() {
            fields += [
                ("Attributes.entry.\(index + 1).key", attribute.0),
                ("Attributes.entry.\(index + 1).value", attribute.1),
            ]
        }
        return try await query.call("CreateTopic", fields).first("TopicArn")?.text ?? ""
    }

    /// Subscribes `endpoint` with `attributes` (FilterPolicy, RawMessageDelivery, ...); the subscription's ARN.
    public func subscribe(topic: String, protocol kind: String, endpoint: String, attributes: [(String, String)])
        async throws -> String
    {
        var fields = [
            ("TopicArn", topic), ("Protocol", kind), ("Endpoint", endpoint), ("ReturnSubscriptionArn", "true"),
        ]
        for (index, attribute) in attributes.enumerated() {
            fields += [
                ("Attributes.entry.\(index + 1).key", attribute.0),
                ("Attributes.entry.\(index + 1).value", attribute.1),
            ]
        }
        return try await query.call("Subscribe", fields).first("SubscriptionArn")?.text ?? ""
    }
}

/// DynamoDB's control and scan calls over JSON 1.0.
public struct DynamoDBAdmin: Sendable {
    public var caller: AWSCaller
    /// `DynamoDB_20120810`, or `DynamoDBStreams_20120810` for the streams API (same endpoint and signing name).
    public var targetPrefix: String

    public init(caller: AWSCaller, targetPrefix: String = "DynamoDB_20120810") {
        self.caller = caller
        self.targetPrefix = targetPrefix
    }

    /// Calls `operation` with a JSON body; the parsed answer.
    public func call(_ operation: String, _ body: String) async throws -> JSONValue {
        let response = try await caller.send(
            operation: operation,
            headers: [
                ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "\(targetPrefix).\(operation)"),
            ], body: Array(body.utf8))
        let document = JSONValue.parse(response.body) ?? .null
        guard response.status == 200 else {
            let type =
                document["__type"]?.string?.split(separator: "#").last.map(String.init) ?? "HTTP\(response.status)"
            throw AWSServiceError(
                service: "dynamodb", operation: operation, status: response.status, code: type,
                message: document["message"]?.string ?? document["Message"]?.string ?? "")
        }
        return document
    }

    /// Every item of `table` (scanned page by page).
    public func scan(_ table: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var start: JSONValue?
        repeat {
            var fields = [("TableName", JSONText.quote(table))]
            if let start { fields.append(("ExclusiveStartKey", LocalJSON.text(start))) }
            let page = try await call("Scan", LocalJSON.object(fields))
            if case .array(let found)? = page["Items"] { items += found }
            start = page["LastEvaluatedKey"]
        } while start != nil
        return items
    }
}
