import Foundation
import JSONDocument
import LambdaRuntime
import Logging
import OrderDomain
import Testing

@testable import OrderHandlers

/// Collects log lines.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    var lines: [String] { lock.withLock { storage } }
    func append(_ line: String) { lock.withLock { storage.append(line) } }

    var logger: Logger {
        Logger(label: "test") { _ in JSONLogHandler(level: .trace, now: { 1_795_000_000_000 }, sink: self.append) }
    }

    /// Each line parsed.
    var objects: [JSONValue] { lines.compactMap { JSONValue.parse(Array($0.utf8)) } }
}

/// An in-memory table.
actor MemoryTable: OrderStore, OrderReader {
    var items: [String: StoredOrder] = [:]
    var failReads = false
    var events: [OrderAcceptedEvent] = []

    func putIfAbsent(_ order: StoredOrder) async throws -> PutOutcome {
        if let existing = items[order.orderId] { return .exists(existing) }
        items[order.orderId] = order
        return .created
    }
    func markPublished(_ orderId: String) async throws { items[orderId]?.published = true }
    func order(_ orderId: String) async throws -> StoredOrder? {
        if failReads { throw TransientError("ProvisionedThroughputExceededException") }
        return items[orderId]
    }
    func current(_ orderId: String) async throws -> StoredOrder? { items[orderId] }
    func setFailReads() { failReads = true }
}

struct Announcer: EventPublisher {
    let table: MemoryTable
    func publish(_ event: OrderAcceptedEvent) async throws {}
}

@Suite struct HandlerTests {
    static func invocation(_ event: String) -> Invocation {
        Invocation(
            requestId: "req-1", deadlineMs: 1_795_000_060_000, invokedFunctionArn: "arn", traceId: nil,
            event: Array(event.utf8))
    }

    static let order =
        #"{"orderId":"order-0001","channel":"web","customerId":"c-1","currency":"EUR","items":[{"sku":"S","quantity":2,"unitPriceCents":250}],"shippingAddress":{"name":"A","line1":"L","city":"C","postalCode":"P","country":"DE"}}"#

    static func sqs(_ records: [(String, String)]) -> String {
        let encoded = records.map { id, body in
            "{\"messageId\":\(quote(id)),\"body\":\(quote(body)),\"eventSource\":\"aws:sqs\"}"
        }
        return "{\"Records\":[\(encoded.joined(separator: ","))]}"
    }

    static func quote(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    @Test func sqsEventsAreReadOrRefusedWithTheRecordNamed() throws {
        let messages = try SQSEvent.messages(Array(Self.sqs([("m1", "a"), ("m2", "b")]).utf8))
        #expect(messages == [QueueMessage(messageId: "m1", body: "a"), QueueMessage(messageId: "m2", body: "b")])
        #expect(throws: EventError("the event is not an SQS batch (no Records array)")) {
            try SQSEvent.messages(Array("[]".utf8))
        }
        #expect(throws: EventError("Records[1] has no messageId")) {
            try SQSEvent.messages(Array(#"{"Records":[{"messageId":"m","body":""},{"body":"x"}]}"#.utf8))
        }
    }

    /// A processor over an in-memory table, logging into collected lines.
    static func processorHandler() -> (ProcessorHandler, MemoryTable, LogLines) {
        let table = MemoryTable()
        let log = LogLines()
        let processor = OrderProcessor(
            store: table, publisher: Announcer(table: table), now: { 1_795_000_000_000 }, sleep: { _ in })
        let announcer = OutboxAnnouncer(
            store: table, publisher: Announcer(table: table), now: { 1_795_000_000_000 }, sleep: { _ in })
        return (ProcessorHandler(processor: processor, announcer: announcer, logger: log.logger), table, log)
    }

    /// The API's request ID travels as a message attribute (issue 28): read from the event, written on the line of
    /// the message it came with, and only there.
    @Test func eachMessagesLineCarriesTheAPIRequestThatBroughtIt() async throws {
        let (handler, _, log) = Self.processorHandler()
        let attributed =
            #"{"messageId":"m1","body":\#(Self.quote(Self.order)),"messageAttributes":{"apiRequestId":{"stringValue":"api-7","stringListValues":[],"binaryListValues":[],"dataType":"String"},"orderId":{"stringValue":"order-0001","dataType":"String"}}}"#
        let event = #"{"Records":[\#(attributed),{"messageId":"m2","body":"not json"}]}"#
        let messages = try SQSEvent.messages(Array(event.utf8))
        #expect(messages.first?.attributes == ["apiRequestId": "api-7", "orderId": "order-0001"])
        #expect(messages.last?.attributes == [:])
        _ = try await handler.handle(Self.invocation(event))
        let lines = log.objects
        #expect(lines.contains { $0["messageId"] == .string("m1") && $0["apiRequestId"] == .string("api-7") })
        #expect(lines.contains { $0["messageId"] == .string("m2") && $0["apiRequestId"] == nil })
        #expect(!lines.contains { $0["message"]?.string == "batch done" && $0["apiRequestId"] != nil })
    }

    @Test func processorAnswersPartialBatchFailuresAndLogsEachMessage() async throws {
        let (handler, table, log) = Self.processorHandler()
        let bad = #"{"orderId":"order-0002","channel":"fax"}"#
        let answer = try await handler.handle(
            Self.invocation(Self.sqs([("m1", Self.order), ("m2", "not json"), ("m3", bad), ("m4", Self.order)])))
        #expect(String(decoding: answer, as: UTF8.self) == #"{"batchItemFailures":[{"itemIdentifier":"m2"}]}"#)
        #expect(await table.items["order-0002"]?.status == .rejected)
        #expect(await table.items["order-0001"]?.published == true)
        let lines = log.objects
        #expect(lines.allSatisfy { $0["requestId"] == .string("req-1") })
        #expect(lines.contains { $0["messageId"] == .string("m2") && $0["level"] == .string("ERROR") })
        #expect(lines.contains { $0["orderId"] == .string("order-0002") && $0["level"] == .string("WARN") })
        #expect(
            lines.contains { $0["messageId"] == .string("m4") && $0["message"]?.string?.contains("duplicate") == true })
        await #expect(throws: EventError.self) { try await handler.handle(Self.invocation("{}")) }
    }

    /// A DynamoDB stream batch as Lambda delivers it (eventSource `aws:dynamodb`, the item as `NewImage`).
    static func stream(_ records: [(String, StoredOrder)]) -> String {
        let encoded = records.map { sequence, stored in
            let image = String(
                decoding: try! JSONEncoder().encode(JSONValue.object(OrderItemCodec.item(stored))), as: UTF8.self)
            return
                "{\"eventSource\":\"aws:dynamodb\",\"eventName\":\"INSERT\",\"dynamodb\":{\"SequenceNumber\":\(quote(sequence)),\"NewImage\":\(image),\"StreamViewType\":\"NEW_IMAGE\"}}"
        }
        return "{\"Records\":[\(encoded.joined(separator: ","))]}"
    }

    @Test func aStreamBatchIsAnnouncedAndRecordedBySequenceNumber() async throws {
        let table = MemoryTable()
        let log = LogLines()
        let order = try OrderValidation.validate(Array(Self.order.utf8)).get()
        let stored = StoredOrder(
            orderId: "order-0001", status: .accepted, order: order, totalCents: 500,
            acceptedAt: "2026-11-18T11:06:40.000Z", rejectionReason: nil, published: false)
        _ = try await table.putIfAbsent(stored)
        let processor = OrderProcessor(
            store: table, publisher: Announcer(table: table), now: { 1_795_000_000_000 }, sleep: { _ in })
        let announcer = OutboxAnnouncer(
            store: table, publisher: Announcer(table: table), now: { 1_795_000_000_000 }, sleep: { _ in })
        let handler = ProcessorHandler(processor: processor, announcer: announcer, logger: log.logger)
        let answer = try await handler.handle(Self.invocation(Self.stream([("4100000000000001", stored)])))
        #expect(String(decoding: answer, as: UTF8.self) == #"{"batchItemFailures":[]}"#)
        #expect(await table.items["order-0001"]?.published == true)
        #expect(
            log.objects.contains {
                $0["sequenceNumber"] == .string("4100000000000001") && $0["orderId"] == .string("order-0001")
            })
        #expect(throws: EventError("Records[0] has no dynamodb.SequenceNumber")) {
            try DynamoDBStreamEvent.records(Array(#"{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{}}]}"#.utf8))
        }
    }

    @Test func queryAnswers200404400And503() async throws {
        let table = MemoryTable()
        let log = LogLines()
        _ = try await table.putIfAbsent(
            StoredOrder(
                orderId: "order-0001", status: .rejected, order: nil, totalCents: nil,
                acceptedAt: "2026-11-18T11:06:40.000Z", rejectionReason: "channel must be web, app or wholesale",
                published: false, receivedBody: "{}"))
        let handler = QueryHandler(reader: table, logger: log.logger)
        func get(_ event: String) async throws -> (Int, JSONValue?) {
            let response = try #require(JSONValue.parse(try await handler.handle(Self.invocation(event))))
            #expect(response["headers"]?["Content-Type"] == .string("application/json"))
            let body = response["body"]?.string.flatMap { JSONValue.parse(Array($0.utf8)) }
            return (response["statusCode"]?.integer ?? 0, body)
        }
        let found = try await get(#"{"pathParameters":{"orderId":"order-0001"}}"#)
        #expect(found.0 == 200)
        #expect(found.1?["status"] == .string("REJECTED"))
        #expect(found.1?["rejectionReason"] == .string("channel must be web, app or wholesale"))
        #expect(found.1?["receivedBody"] == nil && found.1?["published"] == nil)
        let missing = try await get(#"{"pathParameters":{"orderId":"order-0404"}}"#)
        #expect(missing.0 == 404 && missing.1 == .object(["message": .string("order not found")]))
        for event in [#"{"pathParameters":{"orderId":"x"}}"#, #"{"pathParameters":null}"#, "[1,2]", "garbage"] {
            #expect(try await get(event).0 == 400, "\(event)")
        }
        await table.setFailReads()
        #expect(try await get(#"{"pathParameters":{"orderId":"order-0001"}}"#).0 == 503)
    }

    @Test func logLinesAreJSONWithLambdaLevels() {
        let log = LogLines()
        var logger = log.logger
        logger[metadataKey: "requestId"] = "r-1"
        logger.warning(
            "a \"quoted\"\nline", metadata: ["orderId": "o-1", "list": ["x", "y"], "n": .stringConvertible(3)])
        #expect(
            log.lines == [
                #"{"timestamp":"2026-11-18T11:06:40.000Z","level":"WARN","message":"a \"quoted\"\nline","list":["x","y"],"n":"3","orderId":"o-1","requestId":"r-1"}"#
            ])
        #expect(JSONLogHandler.level(fromLambda: "debug") == .debug)
        #expect(JSONLogHandler.level(fromLambda: nil) == .info)
        #expect(JSONLogHandler.name(.critical) == "FATAL")
    }

    @Test(arguments: [
        ("ORDERS_TABLE_NAME", HandlerMain.Kind.query), ("ORDER_EVENTS_TOPIC_ARN", .processor), ("AWS_REGION", .query),
    ])
    func missingConfigurationIsAnInitErrorNamingTheVariable(variable: String, kind: HandlerMain.Kind) {
        var environment = [
            "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s",
            "ORDERS_TABLE_NAME": "orders", "ORDER_EVENTS_TOPIC_ARN": "arn:aws:sns:us-east-1:1:t",
        ]
        environment[variable] = nil
        do {
            _ = try HandlerMain.makeHandler(kind, environment: environment, logger: LogLines().logger)
            Issue.record("no error for a missing \(variable)")
        } catch {
            #expect(error.variable == variable)
        }
    }
}
