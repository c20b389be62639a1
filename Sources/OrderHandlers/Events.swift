import JSONDocument
import JSONText
import OrderDomain

/// An event the handler cannot read at all (not the shape Lambda sends); the invocation fails as a whole.
public struct EventError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The SQS event Lambda's event source mapping delivers: `{"Records": [{"messageId", "body", ...}]}`.
public enum SQSEvent {
    /// The batch's messages in delivery order.
    public static func messages(_ bytes: [UInt8]) throws(EventError) -> [QueueMessage] {
        guard let event = JSONValue.parse(bytes), case .array(let records)? = event["Records"] else {
            throw EventError("the event is not an SQS batch (no Records array)")
        }
        var messages: [QueueMessage] = []
        for (index, record) in records.enumerated() {
            guard let id = record["messageId"]?.string, !id.isEmpty else {
                throw EventError("Records[\(index)] has no messageId")
            }
            guard let body = record["body"]?.string else { throw EventError("Records[\(index)] has no body") }
            var attributes: [String: String] = [:]
            if case .object(let fields)? = record["messageAttributes"] {
                for (name, value) in fields { if let text = value["stringValue"]?.string { attributes[name] = text } }
            }
            messages.append(QueueMessage(messageId: id, body: body, attributes: attributes))
        }
        return messages
    }
}

/// The DynamoDB stream event Lambda's event source mapping delivers:
/// `{"Records": [{"eventSource": "aws:dynamodb", "eventName", "dynamodb": {"SequenceNumber", "NewImage"}}]}`
/// (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
public enum DynamoDBStreamEvent {
    /// Whether `bytes` is a stream batch (its first record comes from `aws:dynamodb`).
    public static func isStream(_ bytes: [UInt8]) -> Bool {
        guard let event = JSONValue.parse(bytes), case .array(let records)? = event["Records"] else { return false }
        return records.first?["eventSource"]?.string == "aws:dynamodb"
    }

    /// The batch's records in stream order; an image that is not a stored order decodes to `nil`.
    public static func records(_ bytes: [UInt8]) throws(EventError) -> [ChangeRecord] {
        guard let event = JSONValue.parse(bytes), case .array(let records)? = event["Records"] else {
            throw EventError("the event is not a DynamoDB stream batch (no Records array)")
        }
        var changes: [ChangeRecord] = []
        for (index, record) in records.enumerated() {
            guard let sequence = record["dynamodb"]?["SequenceNumber"]?.string, !sequence.isEmpty else {
                throw EventError("Records[\(index)] has no dynamodb.SequenceNumber")
            }
            var image: StoredOrder?
            if case .object(let item)? = record["dynamodb"]?["NewImage"] {
                image = try? OrderItemCodec.storedOrder(item)
            }
            changes.append(ChangeRecord(sequenceNumber: sequence, image: image))
        }
        return changes
    }
}

/// The API Gateway Lambda proxy integration: the parts of the request the query reads, and the response shape.
public enum APIGatewayProxy {
    /// `pathParameters.orderId`, or `nil` when absent.
    public static func orderId(_ bytes: [UInt8]) throws(EventError) -> String? {
        guard let event = JSONValue.parse(bytes), case .object = event else {
            throw EventError("the event is not an API Gateway proxy request")
        }
        return event["pathParameters"]?["orderId"]?.string
    }

    /// `{"statusCode": ..., "headers": {"Content-Type": "application/json"}, "body": "...", "isBase64Encoded": false}`.
    public static func response(status: Int, body: String) -> [UInt8] {
        Array(
            "{\"statusCode\":\(status),\"headers\":{\"Content-Type\":\"application/json\"},\"body\":\(JSONText.quote(body)),\"isBase64Encoded\":false}"
                .utf8)
    }

    /// `{"message": "..."}` with the status.
    public static func message(status: Int, _ text: String) -> [UInt8] {
        response(status: status, body: "{\"message\":\(JSONText.quote(text))}")
    }
}
