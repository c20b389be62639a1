import AWSSigV4
import Foundation
import JSONDocument
import OrderDomain
import OrderHandlers
import Testing

@testable import AWSClients

/// A transport that records requests and answers from a script (or throws, like a dropped connection).
final class ScriptedTransport: AWSTransport, @unchecked Sendable {
    enum Answer {
        case respond(Int, String, [String: String] = [:])
        case fail
    }

    private let lock = NSLock()
    private var script: [Answer]
    private(set) var requests: [AWSHTTPRequest] = []
    /// The timeout each request was sent with.
    private(set) var timeouts: [Int64] = []

    init(_ script: [Answer]) { self.script = script }

    func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
        struct Dropped: Error {}
        let answer: Answer = lock.withLock {
            requests.append(request)
            timeouts.append(timeoutMs)
            return script.isEmpty ? .respond(500, "{}") : script.removeFirst()
        }
        switch answer {
        case .respond(let status, let body, let headers):
            return AWSHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
        case .fail: throw Dropped()
        }
    }

    func body(_ index: Int) -> JSONValue? { JSONValue.parse(requests[index].body) }
    func header(_ index: Int, _ name: String) -> String? {
        requests[index].headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

@Suite struct ClientTests {
    static let environment = try! AWSEnvironment([
        "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_SESSION_TOKEN": "session",
    ])

    static func caller(_ transport: ScriptedTransport, service: String) -> AWSCaller {
        AWSCaller(
            transport: transport, environment: environment,
            endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: 5000), service: service,
            now: { 1_795_000_000_000 })
    }

    static func store(_ transport: ScriptedTransport) -> DynamoDBOrderStore {
        DynamoDBOrderStore(client: DynamoDBClient(caller: caller(transport, service: "dynamodb")), table: "orders")
    }

    static let order = Order(
        orderId: "order-0001", channel: "web", customerId: "c-1", currency: "EUR",
        items: [Order.LineItem(sku: "FLOOR-5L", quantity: 2, unitPriceCents: 1299)],
        shippingAddress: Order.Address(
            name: "Ada", line1: "Main St 1", line2: nil, city: "Berlin", postalCode: "10115", country: "DE"),
        couponCode: "SPRING25")

    static let accepted = StoredOrder(
        orderId: "order-0001", status: .accepted, order: order, totalCents: 2598,
        acceptedAt: "2026-11-18T11:06:40.000Z", rejectionReason: nil, published: false)

    @Test func conditionalPutIsSignedJSON10() async throws {
        let transport = ScriptedTransport([.respond(200, "{}")])
        #expect(try await Self.store(transport).putIfAbsent(Self.accepted) == .created)
        #expect(transport.header(0, "X-Amz-Target") == "DynamoDB_20120810.PutItem")
        #expect(transport.header(0, "Content-Type") == "application/x-amz-json-1.0")
        #expect(transport.header(0, "Host") == "127.0.0.1:5000")
        #expect(transport.header(0, "X-Amz-Security-Token") == "session")
        #expect(transport.header(0, "X-Amz-Date") == "20261118T110640Z")
        let authorization = try #require(transport.header(0, "Authorization"))
        #expect(
            authorization.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261118/us-east-1/dynamodb/aws4_request, SignedHeaders="))
        #expect(authorization.contains("x-amz-target"))
        let body = try #require(transport.body(0))
        #expect(body["TableName"] == .string("orders"))
        #expect(body["ConditionExpression"] == .string("attribute_not_exists(orderId)"))
        #expect(body["Item"]?["totalCents"] == .object(["N": .string("2598")]))
        #expect(body["Item"]?["items"]?["L"] != nil)
    }

    @Test func signatureMatchesTheSignerOnTheSameRequest() async throws {
        let transport = ScriptedTransport([.respond(200, "{}")])
        try await Self.store(transport).markPublished("order-0001")
        let request = transport.requests[0]
        let unsigned = request.headers.filter {
            !["x-amz-date", "x-amz-security-token", "authorization"].contains($0.0.lowercased())
        }
        let expected = SigV4.sign(
            SignableRequest(method: "POST", path: "/", headers: unsigned, body: request.body),
            credentials: Self.environment.credentials, region: "us-east-1", service: "dynamodb",
            amzDate: "20261118T110640Z")
        #expect(transport.header(0, "Authorization") == expected.last?.1)
        let body = try #require(transport.body(0))
        #expect(body["UpdateExpression"] == .string("SET published = :published, publishedAt = :at"))
        #expect(body["ConditionExpression"] == .string("attribute_exists(orderId)"))
    }

    @Test func failedConditionReadsTheFirstOrderBack() async throws {
        var first = Self.accepted
        first.published = true
        let item = String(
            decoding: try JSONEncoder().encode(JSONValue.object(["Item": .object(OrderItemCodec.item(first))])),
            as: UTF8.self)
        let transport = ScriptedTransport([
            .respond(
                400,
                #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#
            ), .respond(200, item),
        ])
        var duplicate = Self.accepted
        duplicate.totalCents = 1
        #expect(try await Self.store(transport).putIfAbsent(duplicate) == .exists(first))
        #expect(transport.header(1, "X-Amz-Target") == "DynamoDB_20120810.GetItem")
        #expect(transport.body(1)?["ConsistentRead"] == .bool(true))
    }

    @Test func errorsAreClassified() async throws {
        let throttled = ScriptedTransport([
            .respond(
                400,
                #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#
            )
        ])
        await #expect(throws: TransientError.self) { try await Self.store(throttled).putIfAbsent(Self.accepted) }
        let dropped = ScriptedTransport([.fail])
        await #expect(throws: TransientError.self) { try await Self.store(dropped).putIfAbsent(Self.accepted) }
        let serverError = ScriptedTransport([.respond(503, "")])
        await #expect(throws: TransientError.self) { try await Self.store(serverError).order("order-0001") }
        let invalid = ScriptedTransport([
            .respond(400, #"{"__type":"com.amazon.coral.validate#ValidationException","message":"bad key"}"#)
        ])
        await #expect(
            throws: AWSServiceError(
                service: "dynamodb", operation: "PutItem", status: 400, code: "ValidationException", message: "bad key")
        ) { try await Self.store(invalid).putIfAbsent(Self.accepted) }
        let headerOnly = DynamoDBClient.decodeError(
            AWSHTTPResponse(
                status: 400, headers: ["x-amzn-errortype": "ResourceNotFoundException:http://internal"], body: []),
            operation: "GetItem")
        #expect(headerOnly.code == "ResourceNotFoundException")
        #expect(!headerOnly.isTransient)
    }

    @Test func getItemAnswersNilWhenAbsent() async throws {
        let transport = ScriptedTransport([.respond(200, "{}")])
        #expect(try await Self.store(transport).order("order-0404") == nil)
        #expect(transport.body(0)?["ConsistentRead"] == .bool(false), "the query reads eventually consistent")
    }

    @Test func itemCodecRoundTripsAndNamesCorruptFields() throws {
        let rejected = StoredOrder(
            orderId: "order-0002", status: .rejected, order: nil, totalCents: nil,
            acceptedAt: "2026-11-18T11:06:40.000Z",
            rejectionReason: "currency must be three capital letters (ISO 4217)", published: false,
            receivedBody: #"{"orderId":"order-0002","currency":"euro"}"#, apiRequestId: "api-2")
        var carried = Self.accepted
        carried.apiRequestId = "api-1"
        #expect(OrderItemCodec.item(carried)["apiRequestId"] == AttributeValue.s("api-1"))
        #expect(OrderItemCodec.item(Self.accepted)["apiRequestId"] == nil)
        for stored in [Self.accepted, rejected, carried] {
            #expect(try OrderItemCodec.storedOrder(OrderItemCodec.item(stored)) == stored)
        }
        var withLine2 = Self.accepted
        withLine2.order?.shippingAddress.line2 = "Floor 2"
        #expect(try OrderItemCodec.storedOrder(OrderItemCodec.item(withLine2)) == withLine2)
        var broken = OrderItemCodec.item(Self.accepted)
        broken["items"] = AttributeValue.list([AttributeValue.map(["sku": AttributeValue.s("X")])])
        #expect(throws: CorruptItemError(orderId: "order-0001", field: "items[0]")) {
            try OrderItemCodec.storedOrder(broken)
        }
        broken["status"] = AttributeValue.s("LOST")
        #expect(throws: CorruptItemError(orderId: "order-0001", field: "status")) {
            try OrderItemCodec.storedOrder(broken)
        }
    }

    @Test func snsPublishIsAQueryRequestWithAttributes() async throws {
        let transport = ScriptedTransport([
            .respond(
                200,
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult></PublishResponse>"
            )
        ])
        let client = SNSClient(caller: Self.caller(transport, service: "sns"))
        let id = try await client.publish(
            topicArn: "arn:aws:sns:us-east-1:123456789012:events", message: #"{"a":"b c&d"}"#,
            attributes: ["type": "OrderAccepted", "channel": "web"])
        #expect(id == "94f20ce6-13c5-43a0-9a9e-ca52d816e90b")
        #expect(
            String(decoding: transport.requests[0].body, as: UTF8.self)
                == "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aevents"
                + "&Message=%7B%22a%22%3A%22b%20c%26d%22%7D"
                + "&MessageAttributes.entry.1.Name=channel&MessageAttributes.entry.1.Value.DataType=String"
                + "&MessageAttributes.entry.1.Value.StringValue=web"
                + "&MessageAttributes.entry.2.Name=type&MessageAttributes.entry.2.Value.DataType=String"
                + "&MessageAttributes.entry.2.Value.StringValue=OrderAccepted")
        #expect(transport.header(0, "Authorization")?.contains("/us-east-1/sns/aws4_request") == true)
    }

    @Test func snsErrorsAreDecodedAndClassified() async throws {
        let throttled = ScriptedTransport([
            .respond(
                400,
                "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>"
            )
        ])
        let client = SNSClient(caller: Self.caller(throttled, service: "sns"))
        // The client's own failure type; the handlers' adapters turn it into the domain's TransientError.
        await #expect(throws: TransientFailure.self) {
            try await client.publish(topicArn: "arn", message: "m", attributes: [:])
        }
        let notFound = SNSClient.decodeError(
            AWSHTTPResponse(
                status: 404,
                body: Array(
                    "<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic &amp; &#x41;&lt;b&gt; does not exist</Message></Error></ErrorResponse>"
                        .utf8)), operation: "Publish")
        #expect(notFound.code == "NotFound")
        #expect(notFound.message == "Topic & A<b> does not exist")
        #expect(!notFound.isTransient)
        #expect(XMLText.first("MessageId", in: Array("<a>".utf8)) == nil)
        #expect(XMLText.decodeEntities("a &unknown; b &#65;") == "a &unknown; b A")
    }

    @Test func sqsSendMessageIsSignedJSON10WithAttributes() async throws {
        let transport = ScriptedTransport([
            .respond(200, #"{"MD5OfMessageBody":"51b0a325","MessageId":"5fea7756-0ea4-451a-a703-a558b933e274"}"#)
        ])
        let client = SQSClient(caller: Self.caller(transport, service: "sqs"))
        let id = try await client.sendMessage(
            queueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/audit.fifo", body: #"{"a":"b"}"#,
            attributes: ["type": "DeliveryStored"], options: .init(groupId: "acme", deduplicationId: "dlv-1"))
        #expect(id == "5fea7756-0ea4-451a-a703-a558b933e274")
        #expect(transport.header(0, "X-Amz-Target") == "AmazonSQS.SendMessage")
        #expect(transport.header(0, "Content-Type") == "application/x-amz-json-1.0")
        #expect(transport.header(0, "Authorization")?.contains("/us-east-1/sqs/aws4_request") == true)
        let body = try #require(transport.body(0))
        #expect(body["QueueUrl"]?.string == "https://sqs.us-east-1.amazonaws.com/123456789012/audit.fifo")
        #expect(body["MessageBody"]?.string == #"{"a":"b"}"#)
        #expect(body["MessageAttributes"]?["type"]?["DataType"]?.string == "String")
        #expect(body["MessageAttributes"]?["type"]?["StringValue"]?.string == "DeliveryStored")
        #expect(body["MessageGroupId"]?.string == "acme" && body["MessageDeduplicationId"]?.string == "dlv-1")
        #expect(body["DelaySeconds"] == nil)
        let plain = SQSClient.sendMessageRequest(
            queueURL: "q", body: "b", attributes: [:], options: .init(delaySeconds: 30))
        #expect(plain["MessageAttributes"] == nil && plain["DelaySeconds"] == .number(30))
    }

    @Test func sqsErrorsAreDecodedAndClassified() async throws {
        // AWS's JSON answers name the error in __type; throttling is worth a retry, a missing queue is not.
        let missing = ScriptedTransport([
            .respond(
                400,
                #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#,
                ["x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender"])
        ])
        let client = SQSClient(caller: Self.caller(missing, service: "sqs"))
        do {
            _ = try await client.sendMessage(queueURL: "q", body: "b")
            Issue.record("a missing queue must throw")
        } catch let error as AWSServiceError {
            #expect(error.code == "QueueDoesNotExist" && error.service == "sqs" && !error.isTransient)
            #expect(error.message == "The specified queue does not exist.")
        }
        let throttled = ScriptedTransport([
            .respond(400, #"{"__type":"com.amazonaws.sqs#RequestThrottled","message":"Rate exceeded"}"#)
        ])
        await #expect(throws: TransientFailure.self) {
            _ = try await SQSClient(caller: Self.caller(throttled, service: "sqs")).sendMessage(
                queueURL: "q", body: "b")
        }
        let noId = ScriptedTransport([.respond(200, "{}")])
        await #expect(throws: AWSServiceError.self) {
            _ = try await SQSClient(caller: Self.caller(noId, service: "sqs")).sendMessage(queueURL: "q", body: "b")
        }
    }
}
