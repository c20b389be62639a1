import LambdaRuntime
import Logging
import OrderDomain

/// `order-processor`: an SQS batch in, `{"batchItemFailures": [...]}` out; every message's fate logged with its
/// message ID and order ID.
public struct ProcessorHandler: Sendable {
    public var processor: OrderProcessor
    public var logger: Logger

    public init(processor: OrderProcessor, logger: Logger) {
        self.processor = processor
        self.logger = logger
    }

    /// Handles one invocation.
    public func handle(_ invocation: Invocation) async throws -> [UInt8] {
        var logger = logger
        logger[metadataKey: "requestId"] = .string(invocation.requestId)
        let messages = try SQSEvent.messages(invocation.event)
        var processor = processor
        processor.report = { [logger] outcome in Self.log(outcome, to: logger) }
        let response = await processor.handle(messages, deadlineMs: invocation.deadlineMs - safetyMarginMs)
        logger.info(
            "batch done",
            metadata: [
                "messages": .stringConvertible(messages.count),
                "batchItemFailures": .stringConvertible(response.failedMessageIds.count),
            ])
        return Array(response.json.utf8)
    }

    /// Time kept back from the deadline to answer the Runtime API before Lambda cuts the invocation off.
    public var safetyMarginMs: Int64 = 500

    static func log(_ outcome: ProcessingOutcome, to logger: Logger) {
        switch outcome {
        case .malformed(let messageId, let reason):
            logger.error(
                "malformed message left for the DLQ: \(reason)", metadata: ["messageId": .string(messageId)])
        case .rejected(let messageId, let orderId, let reason):
            logger.warning(
                "order rejected: \(reason)", metadata: ["messageId": .string(messageId), "orderId": .string(orderId)])
        case .accepted(let messageId, let orderId):
            logger.info(
                "order accepted and announced",
                metadata: ["messageId": .string(messageId), "orderId": .string(orderId)])
        case .duplicate(let messageId, let orderId, let announcedNow):
            logger.info(
                announcedNow ? "duplicate delivery: pending event published" : "duplicate delivery: nothing to do",
                metadata: ["messageId": .string(messageId), "orderId": .string(orderId)])
        case .failed(let messageId, let orderId, let error):
            logger.error(
                "order left for redelivery: \(error)",
                metadata: ["messageId": .string(messageId), "orderId": .string(orderId)])
        }
    }
}
