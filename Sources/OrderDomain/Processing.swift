import JSONText
import Timestamps

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An order as stored in the table: the order (absent for malformed rejects), its status and bookkeeping.
public struct StoredOrder: Sendable, Equatable {
    /// `ACCEPTED` or `REJECTED`.
    public enum Status: String, Sendable { case accepted = "ACCEPTED", rejected = "REJECTED" }

    public var orderId: String
    public var status: Status
    public var order: Order?
    public var totalCents: Int?
    /// RFC 3339 UTC time the processor first stored it.
    public var acceptedAt: String
    public var rejectionReason: String?
    /// Whether `OrderAccepted` was published and that was recorded: the guard against a second event.
    public var published: Bool
    /// The message body of a rejected order, kept as received so nothing the client sent is lost.
    public var receivedBody: String?
    /// The API request that brought the order (its message's `apiRequestId`), carried on to its event.
    public var apiRequestId: String?

    public init(
        orderId: String, status: Status, order: Order?, totalCents: Int?, acceptedAt: String,
        rejectionReason: String?, published: Bool, receivedBody: String? = nil, apiRequestId: String? = nil
    ) {
        self.orderId = orderId
        self.status = status
        self.order = order
        self.totalCents = totalCents
        self.acceptedAt = acceptedAt
        self.rejectionReason = rejectionReason
        self.published = published
        self.receivedBody = receivedBody
        self.apiRequestId = apiRequestId
    }
}

/// The `OrderAccepted` event published for each accepted order, with the SNS message attributes for filters.
public struct OrderAcceptedEvent: Sendable, Equatable {
    public var order: Order
    public var totalCents: Int
    public var acceptedAt: String
    /// The API request that brought the order, when known: an attribute, so a subscriber can log it.
    public var apiRequestId: String?

    public init(order: Order, totalCents: Int, acceptedAt: String, apiRequestId: String? = nil) {
        self.order = order
        self.totalCents = totalCents
        self.acceptedAt = acceptedAt
        self.apiRequestId = apiRequestId
    }

    /// The same on every announcement of the same order (`OrderAccepted:<orderId>`): a consumer deduplicates on it.
    public var eventId: String { "OrderAccepted:\(order.orderId)" }

    /// The event body.
    public var json: String {
        struct Body: Encodable {
            var type = "OrderAccepted"
            var eventId, orderId, customerId, channel, currency: String
            var totalCents: Int
            var items: [Order.LineItem]
            var acceptedAt: String
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = Body(
            eventId: eventId, orderId: order.orderId, customerId: order.customerId, channel: order.channel,
            currency: order.currency, totalCents: totalCents, items: order.items, acceptedAt: acceptedAt)
        return String(decoding: (try? encoder.encode(body)) ?? Data(), as: UTF8.self)
    }

    /// `type`, `channel`, `eventId` and, when known, `apiRequestId`, for subscription filter policies and for
    /// consumers reading attributes.
    public var attributes: [String: String] {
        var attributes = ["type": "OrderAccepted", "channel": order.channel, "eventId": eventId]
        if let apiRequestId { attributes["apiRequestId"] = apiRequestId }
        return attributes
    }
}

/// What the table can answer to a conditional put.
public enum PutOutcome: Sendable, Equatable {
    case created
    /// An item with that orderId exists; this is it.
    case exists(StoredOrder)
}

/// A failure worth retrying (throttling, 5xx, timeouts, network); anything else is permanent for this message.
public struct TransientError: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// The orders table as the processor uses it.
public protocol OrderStore: Sendable {
    /// Stores `order` unless an item with its orderId exists (`attribute_not_exists(orderId)`).
    func putIfAbsent(_ order: StoredOrder) async throws -> PutOutcome
    /// Records that the order's event was published.
    func markPublished(_ orderId: String) async throws
    /// The stored order with that orderId, read strongly consistently, or `nil`.
    func current(_ orderId: String) async throws -> StoredOrder?
}

/// The orders table as the query handler reads it.
public protocol OrderReader: Sendable {
    /// The stored order with that orderId, or `nil` (an eventually consistent read).
    func order(_ orderId: String) async throws -> StoredOrder?
}

/// The events topic as the processor uses it.
public protocol EventPublisher: Sendable {
    func publish(_ event: OrderAcceptedEvent) async throws
}

/// One SQS record of the batch.
public struct QueueMessage: Sendable, Equatable {
    public var messageId: String
    public var body: String
    /// The message's string attributes (`apiRequestId`, the key), as the API integration sent them.
    public var attributes: [String: String]
    public init(messageId: String, body: String, attributes: [String: String] = [:]) {
        self.messageId = messageId
        self.body = body
        self.attributes = attributes
    }
}

/// The partial batch response: the IDs Lambda must return to the queue.
public struct BatchResponse: Sendable, Equatable {
    public var failedMessageIds: [String]

    /// `{"batchItemFailures":[{"itemIdentifier":"..."}]}`.
    public var json: String {
        let items = failedMessageIds.map { "{\"itemIdentifier\":\(JSONText.quote($0))}" }
        return "{\"batchItemFailures\":[\(items.joined(separator: ","))]}"
    }
}

/// What became of one message.
public enum ProcessingOutcome: Sendable, Equatable {
    /// Not JSON or no valid orderId: reported in `batchItemFailures`, so it reaches the DLQ.
    case malformed(messageId: String, reason: String)
    /// Stored as `REJECTED`; not retried.
    case rejected(messageId: String, orderId: String, reason: String)
    /// Stored, announced and the announcement recorded.
    case accepted(messageId: String, orderId: String)
    /// Stored; the table's change stream announces it (the outbox).
    case stored(messageId: String, orderId: String)
    /// The orderId was stored before; `announcedNow` when its pending event was published by this delivery.
    case duplicate(messageId: String, orderId: String, announcedNow: Bool)
    /// A call still failed after the retries the deadline allowed: the message goes back to the queue.
    case failed(messageId: String, orderId: String, error: String)
    /// Not started: the invocation's time was up. It goes back to the queue untouched (not left to time out
    /// with the rest of the batch).
    case notStarted(messageId: String)

    /// The message the outcome is about.
    public var messageId: String {
        switch self {
        case .malformed(let id, _), .rejected(let id, _, _), .accepted(let id, _), .stored(let id, _),
            .duplicate(let id, _, _), .failed(let id, _, _), .notStarted(let id):
            return id
        }
    }
}

/// How a stored order is announced.
public enum Delivery: String, Sendable {
    /// The processor publishes after the put and records it. A stored order whose publish fails on the message's
    /// last receive is announced only if the message is redriven from the DLQ.
    case direct
    /// The processor only stores; the table's change stream hands each new unpublished order to the
    /// ``OutboxAnnouncer``, which retries until it is published (the transactional outbox).
    case outbox
}

/// Processes SQS batches of orders: idempotent store, then (``Delivery/direct``) publish and record the publish.
///
/// Invariant: a stored accepted order is announced at least once, and once its publish is recorded never again.
/// A redelivered message whose order exists but is not marked published is published now (the first content is
/// kept when a duplicate orderId brings different content); a failure between the publish and its record can
/// publish twice, with the same `eventId`, on which consumers deduplicate.
public struct OrderProcessor: Sendable {
    public var store: any OrderStore
    public var publisher: any EventPublisher
    /// Milliseconds since 1970 (injected for tests).
    public var now: @Sendable () -> Int64
    /// Sleeps for the given milliseconds (injected for tests).
    public var sleep: @Sendable (Int64) async -> Void
    /// Who announces stored orders.
    public var delivery = Delivery.direct
    /// Attempts per AWS call before the message is reported as failed.
    public var attempts = 4
    /// Backoff before attempt n (n ≥ 2): `base × 2^(n−2)` ms.
    public var backoffBaseMs: Int64 = 50
    /// Told what became of each message (the handler logs it).
    public var report: @Sendable (ProcessingOutcome) -> Void = { _ in }

    public init(
        store: any OrderStore, publisher: any EventPublisher, now: @escaping @Sendable () -> Int64,
        sleep: @escaping @Sendable (Int64) async -> Void
    ) {
        self.store = store
        self.publisher = publisher
        self.now = now
        self.sleep = sleep
    }

    /// Processes every message independently and returns the ones to retry.
    /// Processes the batch's messages in order; those not started by `deadlineMs` are reported failed untouched.
    public func handle(_ messages: [QueueMessage], deadlineMs: Int64) async -> BatchResponse {
        var failed: [String] = []
        for message in messages {
            guard now() < deadlineMs else {
                report(.notStarted(messageId: message.messageId))
                failed.append(message.messageId)
                continue
            }
            if !(await process(message, deadlineMs: deadlineMs)) { failed.append(message.messageId) }
        }
        return BatchResponse(failedMessageIds: failed)
    }

    /// Processes one message; `false` means it goes back to the queue.
    public func process(_ message: QueueMessage, deadlineMs: Int64) async -> Bool {
        let id = message.messageId
        switch OrderValidation.validate(Array(message.body.utf8)) {
        case .failure(.malformed(let reason)):
            report(.malformed(messageId: id, reason: reason))
            return false
        case .failure(.invalid(let orderId, let reason)):
            let rejected = StoredOrder(
                orderId: orderId, status: .rejected, order: nil, totalCents: nil, acceptedAt: RFC3339.format(now()),
                rejectionReason: reason, published: false, receivedBody: message.body,
                apiRequestId: message.attributes["apiRequestId"])
            do {
                _ = try await retrying(deadlineMs) { try await store.putIfAbsent(rejected) }
                report(.rejected(messageId: id, orderId: orderId, reason: reason))
                return true
            } catch {
                report(.failed(messageId: id, orderId: orderId, error: String(describing: error)))
                return false
            }
        case .success(let order):
            let fresh = StoredOrder(
                orderId: order.orderId, status: .accepted, order: order, totalCents: order.totalCents,
                acceptedAt: RFC3339.format(now()), rejectionReason: nil, published: false,
                apiRequestId: message.attributes["apiRequestId"])
            do {
                let stored: StoredOrder
                var duplicate = false
                switch try await retrying(deadlineMs, { try await store.putIfAbsent(fresh) }) {
                case .created: stored = fresh
                case .exists(let existing):
                    stored = existing
                    duplicate = true
                }
                if delivery == .outbox {
                    report(
                        duplicate
                            ? .duplicate(messageId: id, orderId: order.orderId, announcedNow: false)
                            : .stored(messageId: id, orderId: order.orderId))
                    return true
                }
                guard stored.status == .accepted, !stored.published, let first = stored.order,
                    let total = stored.totalCents
                else {
                    report(.duplicate(messageId: id, orderId: order.orderId, announcedNow: false))
                    return true
                }
                let event = OrderAcceptedEvent(
                    order: first, totalCents: total, acceptedAt: stored.acceptedAt, apiRequestId: stored.apiRequestId)
                try await retrying(deadlineMs) { try await publisher.publish(event) }
                try await retrying(deadlineMs) { try await store.markPublished(stored.orderId) }
                report(
                    duplicate
                        ? .duplicate(messageId: id, orderId: order.orderId, announcedNow: true)
                        : .accepted(messageId: id, orderId: order.orderId))
                return true
            } catch {
                report(.failed(messageId: id, orderId: order.orderId, error: String(describing: error)))
                return false
            }
        }
    }

    /// Runs `call`, retrying transient errors with exponential backoff while the deadline allows.
    func retrying<T>(_ deadlineMs: Int64, _ call: () async throws -> T) async throws -> T {
        try await retryingTransient(
            attempts: attempts, backoffBaseMs: backoffBaseMs, now: now, sleep: sleep, deadlineMs: deadlineMs, call)
    }
}

/// Runs `call`, retrying ``TransientError``s up to `attempts` times with exponential backoff (`base × 2^(n−2)` ms
/// before attempt n) while `now()` plus the wait stays before `deadlineMs`.
func retryingTransient<T>(
    attempts: Int, backoffBaseMs: Int64, now: @Sendable () -> Int64, sleep: @Sendable (Int64) async -> Void,
    deadlineMs: Int64, _ call: () async throws -> T
) async throws -> T {
    var attempt = 1
    while true {
        do {
            return try await call()
        } catch let error as TransientError {
            let wait = backoffBaseMs << Int64(attempt - 1)
            guard attempt < attempts, now() + wait < deadlineMs else { throw error }
            await sleep(wait)
            attempt += 1
        }
    }
}
