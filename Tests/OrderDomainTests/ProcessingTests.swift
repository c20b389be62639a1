import Foundation
import Testing
import Timestamps

@testable import OrderDomain

/// An in-memory table and topic with scripted failures.
actor World: OrderStore, EventPublisher {
    var items: [String: StoredOrder] = [:]
    var events: [OrderAcceptedEvent] = []
    var putFailures = 0
    var publishFailures = 0
    var markFailures = 0
    var permanentPublishFailure = false

    func fail(puts: Int = 0, publishes: Int = 0, marks: Int = 0) {
        putFailures = puts
        publishFailures = publishes
        markFailures = marks
    }

    func putIfAbsent(_ order: StoredOrder) async throws -> PutOutcome {
        if putFailures > 0 {
            putFailures -= 1
            throw TransientError("ProvisionedThroughputExceededException")
        }
        if let existing = items[order.orderId] { return .exists(existing) }
        items[order.orderId] = order
        return .created
    }

    func markPublished(_ orderId: String) async throws {
        if markFailures > 0 {
            markFailures -= 1
            throw TransientError("500")
        }
        items[orderId]?.published = true
    }

    func current(_ orderId: String) async throws -> StoredOrder? { items[orderId] }

    func delete(_ orderId: String) { items[orderId] = nil }

    func publish(_ event: OrderAcceptedEvent) async throws {
        if publishFailures > 0 {
            publishFailures -= 1
            throw TransientError("Throttling")
        }
        events.append(event)
    }
}

@Suite struct ProcessingTests {
    static func order(_ id: String, quantity: Int = 1) -> String {
        #"{"orderId":"\#(id)","channel":"app","customerId":"c-1","currency":"EUR","items":[{"sku":"S","quantity":\#(quantity),"unitPriceCents":250}],"shippingAddress":{"name":"A","line1":"L","city":"C","postalCode":"P","country":"DE"}}"#
    }

    func processor(_ world: World) -> OrderProcessor {
        var processor = OrderProcessor(store: world, publisher: world, now: { 1_795_000_000_000 }, sleep: { _ in })
        processor.attempts = 3
        return processor
    }

    @Test func mixedBatchStoresAnnouncesRejectsAndReportsMalformed() async {
        let world = World()
        let batch = [
            QueueMessage(messageId: "m1", body: Self.order("order-0001")),
            QueueMessage(messageId: "m2", body: Self.order("order-0001")),  // duplicate delivery
            QueueMessage(
                messageId: "m3", body: Self.order("order-0002").replacingOccurrences(of: "\"EUR\"", with: "\"eur\"")),
            QueueMessage(messageId: "m4", body: "{not json"),
            QueueMessage(messageId: "m5", body: Self.order("order-0003", quantity: 4)),
        ]
        let response = await processor(world).handle(batch, deadlineMs: .max)
        #expect(response.failedMessageIds == ["m4"])
        #expect(response.json == #"{"batchItemFailures":[{"itemIdentifier":"m4"}]}"#)
        let items = await world.items
        let events = await world.events
        #expect(items.count == 3)
        #expect(items["order-0001"]?.status == .accepted && items["order-0001"]?.published == true)
        #expect(items["order-0002"]?.status == .rejected)
        #expect(items["order-0002"]?.rejectionReason?.contains("currency") == true)
        #expect(items["order-0003"]?.totalCents == 1_000)
        #expect(events.map(\.order.orderId) == ["order-0001", "order-0003"], "one event per distinct valid order")
        #expect(
            events.first?.attributes == [
                "type": "OrderAccepted", "channel": "app", "eventId": "OrderAccepted:order-0001",
            ])
        #expect(items["order-0001"]?.acceptedAt == "2026-11-18T11:06:40.000Z")
    }

    @Test func everyMessageOutcomeIsReported() async {
        final class Outcomes: @unchecked Sendable {
            let lock = NSLock()
            var all: [ProcessingOutcome] = []
            func add(_ outcome: ProcessingOutcome) { lock.withLock { all.append(outcome) } }
        }
        let world = World()
        let outcomes = Outcomes()
        var processor = processor(world)
        processor.report = outcomes.add
        await world.fail(publishes: 5)
        let batch = [
            QueueMessage(messageId: "m1", body: Self.order("order-0001")),
            QueueMessage(messageId: "m2", body: "[]"),
            QueueMessage(messageId: "m3", body: #"{"orderId":"order-0002"}"#),
        ]
        _ = await processor.handle(batch, deadlineMs: .max)
        _ = await processor.handle([QueueMessage(messageId: "m4", body: Self.order("order-0001"))], deadlineMs: .max)
        _ = await processor.handle([QueueMessage(messageId: "m5", body: Self.order("order-0001"))], deadlineMs: .max)
        #expect(
            outcomes.all == [
                .failed(messageId: "m1", orderId: "order-0001", error: #"TransientError(reason: "Throttling")"#),
                .malformed(messageId: "m2", reason: "the body is not a JSON object"),
                .rejected(messageId: "m3", orderId: "order-0002", reason: "channel must be web, app or wholesale"),
                .duplicate(messageId: "m4", orderId: "order-0001", announcedNow: true),
                .duplicate(messageId: "m5", orderId: "order-0001", announcedNow: false),
            ])
    }

    @Test func crashBetweenPutAndPublishIsHealedOnRedelivery() async {
        let world = World()
        let message = QueueMessage(messageId: "m1", body: Self.order("order-0009"))
        await world.fail(publishes: 5)  // more than the attempts: the publish never happens this time
        #expect(await processor(world).process(message, deadlineMs: .max) == false)
        #expect(await world.items["order-0009"]?.published == false)
        #expect(await world.events.isEmpty)
        #expect(await processor(world).process(message, deadlineMs: .max) == true)
        #expect(await world.events.count == 1)
        #expect(await world.items["order-0009"]?.published == true)
        #expect(await processor(world).process(message, deadlineMs: .max) == true)
        #expect(await world.events.count == 1, "recorded publish: never a second event")
    }

    @Test func transientFailuresAreRetriedWithinTheDeadline() async {
        let world = World()
        await world.fail(puts: 2, publishes: 1, marks: 1)
        #expect(
            await processor(world).process(
                QueueMessage(messageId: "m", body: Self.order("order-0010")), deadlineMs: .max))
        #expect(await world.events.count == 1)
        let late = World()
        await late.fail(puts: 1)
        // The first backoff (50 ms) would end past the deadline: report the message instead of sleeping.
        #expect(
            await processor(late).process(
                QueueMessage(messageId: "m", body: Self.order("order-0011")), deadlineMs: 1_795_000_000_020) == false)
    }

    @Test func duplicateIdWithOtherContentKeepsTheFirstOrder() async {
        let world = World()
        _ = await processor(world).process(
            QueueMessage(messageId: "a", body: Self.order("order-0020", quantity: 1)), deadlineMs: .max)
        _ = await processor(world).process(
            QueueMessage(messageId: "b", body: Self.order("order-0020", quantity: 9)), deadlineMs: .max)
        #expect(await world.items["order-0020"]?.order?.items.first?.quantity == 1)
        #expect(await world.events.count == 1)
        #expect(await world.events.first?.totalCents == 250)
    }

    @Test func eventBodyHasTheDocumentedFields() throws {
        let order = try OrderValidation.validate(Array(Self.order("order-0030", quantity: 2).utf8)).get()
        let event = OrderAcceptedEvent(order: order, totalCents: 500, acceptedAt: "2026-11-28T00:00:00.000Z")
        #expect(
            event.json
                == #"{"acceptedAt":"2026-11-28T00:00:00.000Z","channel":"app","currency":"EUR","customerId":"c-1","eventId":"OrderAccepted:order-0030","items":[{"quantity":2,"sku":"S","unitPriceCents":250}],"orderId":"order-0030","totalCents":500,"type":"OrderAccepted"}"#
        )
    }

    /// Expected values checked with Python's `datetime.fromtimestamp(ms / 1000, timezone.utc)`.
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"), (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_795_000_000_123, "2026-11-18T11:06:40.123Z"), (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func rfc3339(milliseconds: Int64, text: String) {
        #expect(RFC3339.format(milliseconds) == text)
    }

    @Test func messagesNotStartedBeforeTheDeadlineAreReturnedUntouched() async {
        // Each store takes 400 ms of the clock: with 700 ms left, two messages are processed and the third is
        // reported failed without a call, instead of running past the deadline with the batch.
        let world = World()
        let clock = Clock(1_795_000_000_000)
        var processor = OrderProcessor(store: world, publisher: world, now: { clock.read() }, sleep: { _ in })
        processor.delivery = .outbox
        let outcomes = Outcomes()
        processor.report = { outcome in
            if case .stored = outcome { clock.advance(400) }
            outcomes.processing(outcome)
        }
        let messages = (1...3).map { QueueMessage(messageId: "m\($0)", body: Self.order("order-000\($0)")) }
        let response = await processor.handle(messages, deadlineMs: 1_795_000_000_700)
        #expect(response.failedMessageIds == ["m3"])
        #expect(await world.items.keys.sorted() == ["order-0001", "order-0002"])
        #expect(outcomes.processed.last == .notStarted(messageId: "m3"))
    }
}
