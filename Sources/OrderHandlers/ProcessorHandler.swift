import AWSClients
import LambdaRuntime
import Logging
import OrderDomain

/// `order-processor`: an SQS batch of orders, or a batch of the orders table's change stream (the outbox), in;
/// `{"batchItemFailures": [...]}` out; every message's and record's fate logged with its ID and the order ID.
public struct ProcessorHandler: Sendable {
    public var processor: OrderProcessor
    /// The outbox's reader, for stream batches.
    public var announcer: OutboxAnnouncer
    public var logger: Logger

    public init(processor: OrderProcessor, announcer: OutboxAnnouncer, logger: Logger) {
        self.processor = processor
        self.announcer = announcer
        self.logger = logger
    }

    /// Handles one invocation.
    public func handle(_ invocation: Invocation) async throws -> [UInt8] {
        var logger = logger
        logger[metadataKey: "requestId"] = .string(invocation.requestId)
        if DynamoDBStreamEvent.isStream(invocation.event) { return try await announce(invocation, logger: logger) }
        let messages = try SQSEvent.messages(invocation.event)
        var processor = processor
        // Each outcome's line carries the message's string attributes: the API request that brought it
        // (`apiRequestId`) and its key, so a message whose body cannot be read is still found by its key.
        let attributes = Dictionary(
            messages.map { ($0.messageId, $0.attributes) }, uniquingKeysWith: { first, _ in first })
        processor.report = { [logger] outcome in
            var logger = logger
            for (name, value) in attributes[outcome.messageId] ?? [:] { logger[metadataKey: name] = .string(value) }
            Self.log(outcome, to: logger)
        }
        let deadline = invocation.deadlineMs - safetyMarginMs
        let response = await CallDeadline.$milliseconds.withValue(deadline) {
            await processor.handle(messages, deadlineMs: deadline)
        }
        logger.info(
            "batch done",
            metadata: [
                "messages": .stringConvertible(messages.count),
                "batchItemFailures": .stringConvertible(response.failedMessageIds.count),
            ])
        return Array(response.json.utf8)
    }

    /// Announces a stream batch's unpublished orders.
    func announce(_ invocation: Invocation, logger: Logger) async throws -> [UInt8] {
        let records = try DynamoDBStreamEvent.records(invocation.event)
        var announcer = announcer
        announcer.report = { [logger] outcome in Self.log(outcome, to: logger) }
        let deadline = invocation.deadlineMs - safetyMarginMs
        let response = await CallDeadline.$milliseconds.withValue(deadline) {
            await announcer.handle(records, deadlineMs: deadline)
        }
        logger.info(
            "stream batch done",
            metadata: [
                "records": .stringConvertible(records.count),
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
                "malformed message left for the DLQ: \(reason)",
                metadata: ["messageId": .string(messageId), "outcome": "malformed"])
        case .rejected(let messageId, let orderId, let reason):
            logger.warning(
                "order rejected: \(reason)",
                metadata: ["messageId": .string(messageId), "orderId": .string(orderId), "outcome": "rejected"])
        case .accepted(let messageId, let orderId):
            logger.info(
                "order accepted and announced",
                metadata: ["messageId": .string(messageId), "orderId": .string(orderId), "outcome": "published"])
        case .stored(let messageId, let orderId):
            logger.info(
                "order accepted and stored; the outbox announces it",
                metadata: ["messageId": .string(messageId), "orderId": .string(orderId), "outcome": "stored"])
        case .duplicate(let messageId, let orderId, let announcedNow):
            logger.info(
                announcedNow ? "duplicate delivery: pending event published" : "duplicate delivery: nothing to do",
                metadata: [
                    "messageId": .string(messageId), "orderId": .string(orderId),
                    "outcome": announcedNow ? "republished" : "duplicate",
                ])
        case .failed(let messageId, let orderId, let error):
            logger.error(
                "order left for redelivery: \(error)",
                metadata: ["messageId": .string(messageId), "orderId": .string(orderId), "outcome": "failed"])
        case .notStarted(let messageId):
            logger.warning(
                "message not started: the invocation's time was up; left for redelivery",
                metadata: ["messageId": .string(messageId), "outcome": "not-started"])
        }
    }

    static func log(_ outcome: AnnouncementOutcome, to logger: Logger) {
        switch outcome {
        case .announced(let sequence, let orderId):
            logger.info(
                "order announced from the outbox",
                metadata: ["sequenceNumber": .string(sequence), "orderId": .string(orderId), "outcome": "published"])
        case .skipped(let sequence, let orderId, let reason):
            logger.debug(
                "stream record skipped: \(reason)",
                metadata: [
                    "sequenceNumber": .string(sequence), "orderId": .string(orderId ?? ""), "outcome": "skipped",
                ])
        case .failed(let sequence, let orderId, let error):
            logger.error(
                "announcement left for the stream to retry: \(error)",
                metadata: [
                    "sequenceNumber": .string(sequence), "orderId": .string(orderId), "outcome": "announce-failed",
                ])
        }
    }
}
