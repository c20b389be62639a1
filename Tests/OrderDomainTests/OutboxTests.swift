import Foundation
import Testing

@testable import OrderDomain

/// The outbox: the processor only stores, the change stream's reader announces, and a stored order is announced
/// whatever failed and whenever, with one event ID per order.
@Suite struct OutboxTests {
    func processor(_ world: World) -> OrderProcessor {
        var processor = OrderProcessor(store: world, publisher: world, now: { 1_795_000_000_000 }, sleep: { _ in })
        processor.attempts = 3
        processor.delivery = .outbox
        return processor
    }

    func announcer(_ world: World) -> OutboxAnnouncer {
        var announcer = OutboxAnnouncer(store: world, publisher: world, now: { 1_795_000_000_000 }, sleep: { _ in })
        announcer.attempts = 3
        return announcer
    }

    /// The stream records for what the table holds now (as `NEW_IMAGE` would show each insert).
    func records(_ world: World, _ ids: [String]) async -> [ChangeRecord] {
        var records: [ChangeRecord] = []
        for (index, id) in ids.enumerated() {
            records.append(ChangeRecord(sequenceNumber: String(100 + index), image: await world.items[id]))
        }
        return records
    }

    @Test func theProcessorStoresWithoutPublishingEvenWithSNSDown() async {
        let world = World()
        await world.fail(publishes: 1_000)
        let batch = [
            QueueMessage(messageId: "m1", body: ProcessingTests.order("order-0001")),
            QueueMessage(messageId: "m2", body: ProcessingTests.order("order-0001")),
        ]
        let response = await processor(world).handle(batch, deadlineMs: .max)
        #expect(response.failedMessageIds.isEmpty, "storing needs no SNS: the message is done, never DLQ'd")
        #expect(await world.items["order-0001"]?.published == false)
        #expect(await world.events.isEmpty)
    }

    /// The issue's fault: SNS unavailable for as long as the message could be received. The message succeeded
    /// (the order is stored); the stream keeps the announcement until SNS answers again, then announces each
    /// order once.
    @Test func snsDownUntilLongAfterTheLastReceiveStillAnnouncesEveryStoredOrderOnce() async {
        let world = World()
        let ids = ["order-0001", "order-0002", "order-0003"]
        let batch = ids.enumerated().map { QueueMessage(messageId: "m\($0)", body: ProcessingTests.order($1)) }
        #expect(await processor(world).handle(batch, deadlineMs: .max).failedMessageIds.isEmpty)
        await world.fail(publishes: 9)
        var pending = await records(world, ids)
        var invocations = 0
        while !pending.isEmpty && invocations < 10 {
            invocations += 1
            let response = await announcer(world).handle(pending, deadlineMs: .max)
            guard let failed = response.failedMessageIds.first else { break }
            #expect(response.failedMessageIds.count == 1, "only the first failure: the stream retries from it")
            pending = Array(pending.drop { $0.sequenceNumber != failed })
        }
        #expect(invocations == 4, "three failed invocations (3 attempts each), then one that announces all")
        let events = await world.events
        #expect(events.map(\.order.orderId) == ids)
        #expect(Set(events.map(\.eventId)).count == 3)
        for id in ids { #expect(await world.items[id]?.published == true) }
    }

    /// The API request that brought an order goes with it: the stored item keeps it, the event carries it as an
    /// attribute (issue 28); an order whose message had none is announced without one.
    @Test func theAPIRequestIDTravelsFromTheMessageToTheEvent() async {
        let world = World()
        let batch = [
            QueueMessage(
                messageId: "m1", body: ProcessingTests.order("order-0001"), attributes: ["apiRequestId": "api-1"]),
            QueueMessage(messageId: "m2", body: ProcessingTests.order("order-0002")),
        ]
        _ = await processor(world).handle(batch, deadlineMs: .max)
        #expect(await world.items["order-0001"]?.apiRequestId == "api-1")
        #expect(
            await announcer(world).handle(await records(world, ["order-0001", "order-0002"]), deadlineMs: .max)
                .failedMessageIds.isEmpty)
        let events = await world.events
        #expect(events.map { $0.attributes["apiRequestId"] } == ["api-1", nil])
        #expect(events.first?.attributes["type"] == "OrderAccepted")
    }

    @Test func aRecordRedeliveredAfterItsPublishWasRecordedIsNotAnnouncedAgain() async {
        let world = World()
        _ = await processor(world).handle(
            [QueueMessage(messageId: "m1", body: ProcessingTests.order("order-0001"))], deadlineMs: .max)
        let stale = await records(world, ["order-0001"])
        #expect(await announcer(world).handle(stale, deadlineMs: .max).failedMessageIds.isEmpty)
        #expect(await announcer(world).handle(stale, deadlineMs: .max).failedMessageIds.isEmpty)
        #expect(await world.events.count == 1, "the image says unpublished; the table says published")
    }

    /// A failure between the publish and its record: announced again, with the same event ID (the bounded
    /// duplicate docs/handlers.md describes).
    @Test func aLostRecordOfThePublishAnnouncesAgainWithTheSameEventId() async {
        let world = World()
        _ = await processor(world).handle(
            [QueueMessage(messageId: "m1", body: ProcessingTests.order("order-0001"))], deadlineMs: .max)
        let record = await records(world, ["order-0001"])
        await world.fail(marks: 3)
        #expect(await announcer(world).handle(record, deadlineMs: .max).failedMessageIds == ["100"])
        #expect(await announcer(world).handle(record, deadlineMs: .max).failedMessageIds.isEmpty)
        let events = await world.events
        #expect(events.count == 2)
        #expect(events.map(\.eventId) == ["OrderAccepted:order-0001", "OrderAccepted:order-0001"])
        #expect(events[0].json.contains(#""eventId":"OrderAccepted:order-0001""#))
        #expect(events[0].attributes["eventId"] == "OrderAccepted:order-0001")
    }

    @Test func rejectedPublishedAndUnreadableImagesAreSkipped() async {
        let world = World()
        let body = ProcessingTests.order("order-0002").replacingOccurrences(of: "\"EUR\"", with: "\"eur\"")
        _ = await processor(world).handle([QueueMessage(messageId: "m1", body: body)], deadlineMs: .max)
        var published = await world.items["order-0002"]
        published?.status = .accepted
        published?.published = true
        let records = [
            ChangeRecord(sequenceNumber: "1", image: await world.items["order-0002"]),
            ChangeRecord(sequenceNumber: "2", image: published),
            ChangeRecord(sequenceNumber: "3", image: nil),
        ]
        #expect(await announcer(world).handle(records, deadlineMs: .max).failedMessageIds.isEmpty)
        #expect(await world.events.isEmpty)
    }

    @Test func anOrderDeletedBeforeItsAnnouncementIsSkippedAndDoesNotHoldTheStream() async {
        // The record of order-0001 says stored and unpublished, but the item was deleted since: announcing it could
        // never be recorded, and failing it would stop the shard at that record. It is skipped; order-0002 after
        // it is announced in the same batch.
        let world = World()
        let skipped = Outcomes()
        _ = await processor(world).handle(
            [
                QueueMessage(messageId: "m1", body: ProcessingTests.order("order-0001")),
                QueueMessage(messageId: "m2", body: ProcessingTests.order("order-0002")),
            ], deadlineMs: .max)
        let batch = await records(world, ["order-0001", "order-0002"])
        await world.delete("order-0001")
        var announcer = announcer(world)
        announcer.report = { skipped.add($0) }
        #expect(await announcer.handle(batch, deadlineMs: .max).failedMessageIds.isEmpty)
        #expect(await world.events.map(\.order.orderId) == ["order-0002"])
        #expect(
            skipped.all.contains(
                .skipped(
                    sequenceNumber: "100", orderId: "order-0001",
                    reason: "deleted from the table before it was announced; not announced")))
    }

    @Test func recordsNotStartedBeforeTheDeadlineAreLeftToTheStream() async {
        // Each publish takes 400 ms of the clock; the deadline falls after the second record: the third is not
        // started, and the stream resumes from it.
        let world = World()
        let ids = ["order-0001", "order-0002", "order-0003"]
        _ = await processor(world).handle(
            ids.enumerated().map { QueueMessage(messageId: "m\($0.offset)", body: ProcessingTests.order($0.element)) },
            deadlineMs: .max)
        let clock = Clock(1_795_000_000_000)
        var announcer = OutboxAnnouncer(store: world, publisher: world, now: { clock.read() }, sleep: { _ in })
        announcer.report = { if case .announced = $0 { clock.advance(400) } }
        let response = await announcer.handle(await records(world, ids), deadlineMs: 1_795_000_000_700)
        #expect(response.failedMessageIds == ["102"])
        #expect(await world.events.map(\.order.orderId) == ["order-0001", "order-0002"])
    }

    @Test func theDeadlineStopsRetriesAndLeavesTheRecordToTheStream() async {
        let world = World()
        _ = await processor(world).handle(
            [QueueMessage(messageId: "m1", body: ProcessingTests.order("order-0001"))], deadlineMs: .max)
        let record = await records(world, ["order-0001"])
        await world.fail(publishes: 1)
        let response = await announcer(world).handle(record, deadlineMs: 1_795_000_000_010)
        #expect(response.failedMessageIds == ["100"], "a 50 ms backoff does not fit 10 ms before the deadline")
        #expect(await world.events.isEmpty)
    }
}

/// Outcomes reported by the announcer.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [AnnouncementOutcome] = []

    private var processedOutcomes: [ProcessingOutcome] = []

    func add(_ outcome: AnnouncementOutcome) { lock.withLock { outcomes.append(outcome) } }
    var all: [AnnouncementOutcome] { lock.withLock { outcomes } }
    func processing(_ outcome: ProcessingOutcome) { lock.withLock { processedOutcomes.append(outcome) } }
    var processed: [ProcessingOutcome] { lock.withLock { processedOutcomes } }
}

/// A clock the test moves.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64

    init(_ value: Int64) { self.value = value }
    func read() -> Int64 { lock.withLock { value } }
    func advance(_ milliseconds: Int64) { lock.withLock { value += milliseconds } }
}
