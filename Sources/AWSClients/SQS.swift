import JSONDocument

/// SQS over the AWS JSON 1.0 protocol (`X-Amz-Target: AmazonSQS.SendMessage`, as the SQS Developer Guide's
/// "Making query API requests using AWS JSON protocol" describes), for `SendMessage`.
public struct SQSClient: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    /// What FIFO queues need and standard queues may take; every field optional.
    public struct Options: Sendable, Equatable {
        /// FIFO queues: messages of one group are delivered in order.
        public var groupId: String?
        /// FIFO queues without content-based deduplication: the same ID within 5 minutes is accepted once.
        public var deduplicationId: String?
        /// Standard queues: 0 to 900 seconds before the message becomes visible.
        public var delaySeconds: Int?

        public init(groupId: String? = nil, deduplicationId: String? = nil, delaySeconds: Int? = nil) {
            self.groupId = groupId
            self.deduplicationId = deduplicationId
            self.delaySeconds = delaySeconds
        }
    }

    /// Sends `body` to the queue at `queueURL` with string message attributes; returns the `MessageId`.
    public func sendMessage(
        queueURL: String, body: String, attributes: [String: String] = [:], options: Options = Options()
    ) async throws -> String {
        let answer = try await JSONProtocol(caller: caller, targetPrefix: "AmazonSQS").call(
            "SendMessage",
            Self.sendMessageRequest(queueURL: queueURL, body: body, attributes: attributes, options: options))
        guard let id = answer["MessageId"]?.string else {
            throw AWSServiceError(
                service: caller.service, operation: "SendMessage", status: 200, code: "InvalidResponse",
                message: "the answer has no MessageId")
        }
        return id
    }

    /// The request object: `QueueUrl`, `MessageBody`, `MessageAttributes` as `{DataType: String, StringValue}`.
    public static func sendMessageRequest(
        queueURL: String, body: String, attributes: [String: String], options: Options
    ) -> [String: JSONValue] {
        var request: [String: JSONValue] = ["QueueUrl": .string(queueURL), "MessageBody": .string(body)]
        if !attributes.isEmpty {
            request["MessageAttributes"] = .object(
                attributes.mapValues { .object(["DataType": .string("String"), "StringValue": .string($0)]) })
        }
        if let group = options.groupId { request["MessageGroupId"] = .string(group) }
        if let id = options.deduplicationId { request["MessageDeduplicationId"] = .string(id) }
        if let delay = options.delaySeconds { request["DelaySeconds"] = .number(Double(delay)) }
        return request
    }

    /// Decodes `{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "..."}`.
    public static func decodeError(_ response: AWSHTTPResponse, operation: String) -> AWSServiceError {
        JSONProtocol.decodeError(response, service: "sqs", operation: operation)
    }
}
