/// One record of the orders table's change stream: its sequence number and the item as it is after the change
/// (`NEW_IMAGE`), decoded; `nil` when the item is not a stored order.
public struct ChangeRecord: Sendable, Equatable {
    public var sequenceNumber: String
    public var image: StoredOrder?

    public init(sequenceNumber: String, image: StoredOrder?) {
        self.sequenceNumber = sequenceNumber
        self.image = image
    }
}

/// What became of one change record.
public enum AnnouncementOutcome: Sendable, Equatable {
    /// Published and recorded.
    case announced(sequenceNumber: String, orderId: String)
    /// Nothing to announce: not an accepted order, or its event was already recorded as published.
    case skipped(sequenceNumber: String, orderId: String?, reason: String)
    /// The publish or its record still failed after the retries the deadline allowed: the stream retries from
    /// this record.
    case failed(sequenceNumber: String, orderId: String, error: String)
}

/// The outbox's reader: announces each stored, unpublished, accepted order that the table's change stream hands
/// it, then records the publish, so that every stored order is announced whatever failed when it was stored.
///
/// Records are taken in stream order. On the first record that still fails, the rest of the batch is left
/// alone and that record's sequence number is reported: Lambda checkpoints before it and retries from it
/// (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html). Before publishing,
/// the item is read again strongly consistently, so a record redelivered after its publish was recorded is not
/// announced twice; a failure between the publish and its record announces again, with the same `eventId`.
public struct OutboxAnnouncer: Sendable {
    public var store: any OrderStore
    public var publisher: any EventPublisher
    public var now: @Sendable () -> Int64
    public var sleep: @Sendable (Int64) async -> Void
    /// Attempts per AWS call before the record is reported as failed.
    public var attempts = 4
    /// Backoff before attempt n (n ≥ 2): `base × 2^(n−2)` ms.
    public var backoffBaseMs: Int64 = 50
    /// Told what became of each record (the handler logs it).
    public var report: @Sendable (AnnouncementOutcome) -> Void = { _ in }

    public init(
        store: any OrderStore, publisher: any EventPublisher, now: @escaping @Sendable () -> Int64,
        sleep: @escaping @Sendable (Int64) async -> Void
    ) {
        self.store = store
        self.publisher = publisher
        self.now = now
        self.sleep = sleep
    }

    /// Announces the records in order; the response names the first record that failed, if any.
    /// A record not started by `deadlineMs` is reported as the failed one, so the stream resumes from it.
    public func handle(_ records: [ChangeRecord], deadlineMs: Int64) async -> BatchResponse {
        for record in records {
            guard now() < deadlineMs else {
                report(
                    .failed(
                        sequenceNumber: record.sequenceNumber, orderId: record.image?.orderId ?? "",
                        error: "not started: the invocation's time was up"))
                return BatchResponse(failedMessageIds: [record.sequenceNumber])
            }
            if !(await announce(record, deadlineMs: deadlineMs)) {
                return BatchResponse(failedMessageIds: [record.sequenceNumber])
            }
        }
        return BatchResponse(failedMessageIds: [])
    }

    /// Announces one record; `false` means the stream retries from it.
    public func announce(_ record: ChangeRecord, deadlineMs: Int64) async -> Bool {
        let sequence = record.sequenceNumber
        guard let image = record.image, image.status == .accepted, !image.published else {
            report(.skipped(sequenceNumber: sequence, orderId: record.image?.orderId, reason: "nothing to announce"))
            return true
        }
        do {
            // Gone from the table (deleted by hand, by a retention job): the deletion is the later decision, and
            // retrying could never record the publish, so it would hold the shard's every later record until the
            // stream drops it 24 hours on.
            guard let current = try await retrying(deadlineMs, { try await store.current(image.orderId) }) else {
                report(
                    .skipped(
                        sequenceNumber: sequence, orderId: image.orderId,
                        reason: "deleted from the table before it was announced; not announced"))
                return true
            }
            guard !current.published, let order = current.order, let total = current.totalCents else {
                report(.skipped(sequenceNumber: sequence, orderId: image.orderId, reason: "already announced"))
                return true
            }
            let event = OrderAcceptedEvent(
                order: order, totalCents: total, acceptedAt: current.acceptedAt, apiRequestId: current.apiRequestId)
            try await retrying(deadlineMs) { try await publisher.publish(event) }
            try await retrying(deadlineMs) { try await store.markPublished(image.orderId) }
            report(.announced(sequenceNumber: sequence, orderId: image.orderId))
            return true
        } catch {
            report(.failed(sequenceNumber: sequence, orderId: image.orderId, error: String(describing: error)))
            return false
        }
    }

    func retrying<T>(_ deadlineMs: Int64, _ call: () async throws -> T) async throws -> T {
        try await retryingTransient(
            attempts: attempts, backoffBaseMs: backoffBaseMs, now: now, sleep: sleep, deadlineMs: deadlineMs, call)
    }
}
