import CloudFormation
import JSONDocument
import StackLogs
import StackTrace
import TemplateYAML
import Testing

/// A stack of the shape `trace` follows: an API logging to `ApiLogs`, a queue read by `Worker` (logging to
/// `WorkerLogs`) with a DLQ after 3 receives, a topic with three subscriptions (one filtered on `type`, one with
/// a prefix filter, one without a filter).
let wiringTemplate = """
    Resources:
      ApiLogs: {Type: AWS::Logs::LogGroup}
      WorkerLogs: {Type: AWS::Logs::LogGroup}
      Api: {Type: AWS::ApiGateway::RestApi}
      Stage:
        Type: AWS::ApiGateway::Stage
        Properties: {RestApiId: !Ref Api, AccessLogSetting: {DestinationArn: !GetAtt ApiLogs.Arn}}
      Intake:
        Type: AWS::SQS::Queue
        Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt IntakeDLQ.Arn, maxReceiveCount: 3}}
      IntakeDLQ: {Type: AWS::SQS::Queue}
      Worker:
        Type: AWS::Lambda::Function
        Properties: {LoggingConfig: {LogGroup: !Ref WorkerLogs}}
      Mapping:
        Type: AWS::Lambda::EventSourceMapping
        Properties: {EventSourceArn: !GetAtt Intake.Arn, FunctionName: !Ref Worker}
      Events: {Type: AWS::SNS::Topic}
      Audit: {Type: AWS::SQS::Queue}
      AuditDLQ: {Type: AWS::SQS::Queue}
      Billing: {Type: AWS::SQS::Queue}
      Search: {Type: AWS::SQS::Queue}
      AuditSubscription:
        Type: AWS::SNS::Subscription
        Properties:
          TopicArn: !Ref Events
          Protocol: sqs
          Endpoint: !GetAtt Audit.Arn
          RedrivePolicy: {deadLetterTargetArn: !GetAtt AuditDLQ.Arn}
          FilterPolicy: {type: [Accepted]}
      BillingSubscription:
        Type: AWS::SNS::Subscription
        Properties: {TopicArn: !Ref Events, Protocol: sqs, Endpoint: !GetAtt Billing.Arn, FilterPolicy: {type: [Refunded]}}
      SearchSubscription:
        Type: AWS::SNS::Subscription
        Properties:
          TopicArn: !Ref Events
          Protocol: sqs
          Endpoint: !GetAtt Search.Arn
          FilterPolicy: {channel: [{prefix: web}]}
      Items:
        Type: AWS::DynamoDB::Table
        Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}]}
    """

func wiring() throws -> TraceWiring {
    let template = try #require(TemplateReader.read(wiringTemplate, path: "wiring.yaml").template)
    return TraceWiring(template)
}

func access(_ time: Int64, request: String, status: String = "202") -> LogEvent {
    LogEvent(
        time: time, source: "ApiLogs",
        text: #"{"requestId":"\#(request)","requestTime":"04/Dec/2026:12:00:00 +0000","httpMethod":"POST","#
            + #""resourcePath":"/items","status":"\#(status)","errorMessage":"-"}"#)
}

func worker(_ time: Int64, outcome: String, message: String, key: String = "k-1", request: String = "r-1")
    -> LogEvent
{
    LogEvent(
        time: time, source: "WorkerLogs",
        text: #"{"timestamp":"x","message":"\#(outcome) it","messageId":"\#(message)","outcome":"\#(outcome)","#
            + #""id":"\#(key)","apiRequestId":"\#(request)"}"#)
}

func sent(_ time: Int64, key: String = "k-1", type: String = "Accepted") -> LogEvent {
    LogEvent(
        time: time, source: "WorkerLogs",
        text: #"{"message":"event sent","outcome":"sent","id":"\#(key)","snsMessageId":"sns-1","#
            + #""topicArn":"arn:aws:sns:eu-west-1:1:events","attributes":{"type":"\#(type)"}}"#)
}

@Suite struct TraceWiringTests {
    @Test func readsRolesFromTheTemplate() throws {
        let wiring = try wiring()
        #expect(wiring.accessLog == "ApiLogs")
        #expect(wiring.consumed.map(\.queue) == ["Intake"])
        #expect(wiring.consumed.first?.deadLetterQueue == "IntakeDLQ")
        #expect(wiring.consumed.first?.maxReceiveCount == 3)
        #expect(wiring.consumed.first?.consumerLog == "WorkerLogs")
        #expect(wiring.subscribers.map(\.queue) == ["Audit", "Billing", "Search"])
        #expect(wiring.subscribers.map(\.filterEvaluable) == [true, true, false])
        #expect(wiring.subscribers.first?.deadLetterQueue == "AuditDLQ")
        #expect(wiring.table?.logicalId == "Items" && wiring.table?.key == "id")
    }
}

@Suite struct JourneyTests {
    @Test func aDeliveredKeyGoesFromTheRequestToItsSubscribers() throws {
        let events = [
            access(1_000, request: "r-1"), access(1_001, request: "r-other"),
            worker(1_400, outcome: "published", message: "m-1"), sent(1_450),
            worker(1_500, outcome: "published", message: "m-9", key: "k-2", request: "r-other"),
        ]
        let journey = Journey(
            key: "k-1", events: Journey.select(events, key: "k-1", accessLog: "ApiLogs"), wiring: try wiring())
        #expect(journey.hops.map(\.kind) == ["accepted", "published", "sent", "delivered", "filtered", "delivered?"])
        #expect(journey.hops[0].detail == "POST /items answered 202 (request r-1)")
        #expect(journey.hops[1].detail.contains("(message m-1, receive 1)"))
        #expect(journey.hops[4].detail.contains("wants type in [\"Refunded\"], the event's is Accepted"))
        #expect(journey.hops[3].detail.contains("AuditDLQ"))
        #expect(!journey.stopped)
        #expect(journey.verdict == "announced: delivered to Audit, Search")
        #expect(journey.text.contains("+0.400 s"))
    }

    @Test func aPoisonMessageIsShownParkedAfterMaxReceiveCount() throws {
        let events = (0..<3).map { worker(Int64(1_000 + $0 * 30_000), outcome: "malformed", message: "m-p") }
        let journey = Journey(key: "k-1", events: events, wiring: try wiring())
        #expect(journey.hops.map(\.kind) == ["malformed", "malformed", "malformed", "parked"])
        #expect(journey.hops.last?.source == "IntakeDLQ")
        #expect(journey.hops.last?.detail.hasPrefix("moved from Intake after 3 receives (maxReceiveCount 3)") == true)
        #expect(journey.stopped)
        #expect(journey.verdict.hasPrefix("parked in IntakeDLQ"))
    }

    @Test func anAnnouncedKeyWithAParkedDuplicateIsNotASuccess() throws {
        let events =
            [worker(1_000, outcome: "published", message: "m-1"), sent(1_010)]
            + (0..<3).map { worker(Int64(2_000 + $0 * 30_000), outcome: "failed", message: "m-2", request: "r-2") }
        let journey = Journey(key: "k-1", events: events, wiring: try wiring())
        #expect(journey.stopped)
        #expect(
            journey.verdict
                == "announced: delivered to Audit, Search; but a message with this key is parked in IntakeDLQ")
    }

    @Test func failuresOfAConsumerWithoutAKnownQueueAreNotBlamedOnAnother() throws {
        let events = (0..<3).map { index in
            LogEvent(
                time: Int64(index), source: "OtherLogs",
                text: #"{"message":"x","messageId":"m","outcome":"failed","id":"k-1"}"#)
        }
        let journey = Journey(key: "k-1", events: events, wiring: try wiring())
        #expect(!journey.hops.contains { $0.kind == "parked" })
    }

    @Test func fewerFailuresThanMaxReceiveCountWaitForRedelivery() throws {
        let events = [
            worker(1_000, outcome: "failed", message: "m-1"), worker(31_000, outcome: "failed", message: "m-1"),
        ]
        let journey = Journey(key: "k-1", events: events, wiring: try wiring())
        #expect(!journey.hops.contains { $0.kind == "parked" })
        #expect(journey.verdict.hasPrefix("waiting for SQS to deliver it again"))
        #expect(journey.text.contains("+30 s"))
    }

    @Test func aRedeliveryThatSucceedsIsNotParked() throws {
        let events = [
            worker(1_000, outcome: "failed", message: "m-1"), worker(2_000, outcome: "failed", message: "m-1"),
            worker(3_000, outcome: "published", message: "m-1"), sent(3_010),
        ]
        let journey = Journey(key: "k-1", events: events, wiring: try wiring())
        #expect(!journey.hops.contains { $0.kind == "parked" })
        #expect(!journey.stopped)
    }

    @Test func aStoredKeyNotYetSentHasStopped() throws {
        let journey = Journey(
            key: "k-1", events: [worker(1_000, outcome: "stored", message: "m-1")], wiring: try wiring())
        #expect(journey.stopped)
        #expect(journey.verdict.hasPrefix("stored, not announced yet"))
    }

    @Test func refusedAndUnseenKeysSaySo() throws {
        let refused = Journey(
            key: "k-1",
            events: [access(1_000, request: "r-1", status: "400"), worker(0, outcome: "x", message: "m", key: "z")]
                .filter { $0.source == "ApiLogs" }, wiring: try wiring())
        // A refused request names no key (the body never reached a consumer): the access line alone is not read.
        #expect(refused.verdict == "no log line names it")
        let accepted = Journey(
            key: "k-1",
            events: [
                access(1_000, request: "r-1"),
                LogEvent(time: 900, source: "WorkerLogs", text: #"{"id":"k-1","apiRequestId":"r-1"}"#),
            ], wiring: try wiring())
        #expect(accepted.verdict == "accepted by the API, not received by a consumer yet: waiting in Intake")
        #expect(accepted.stopped)
    }

    @Test func selectKeepsOnlyTheKeysLinesAndItsRequests() throws {
        let events = [
            access(1_000, request: "r-1"), access(1_001, request: "r-2"),
            worker(1_200, outcome: "published", message: "m"),
            worker(1_300, outcome: "published", message: "n", key: "k-10", request: "r-2"),
        ]
        let selected = Journey.select(events, key: "k-1", accessLog: "ApiLogs")
        #expect(selected.map(\.time) == [1_000, 1_200])
        #expect(Journey.jsonQuoted(#"a"b\c"#) == #""a\"b\\c""#)
    }

    @Test func theJSONFormIsOneObject() throws {
        let journey = Journey(
            key: "k-1", events: [worker(1_000, outcome: "stored", message: "m-1")], wiring: try wiring())
        let json = journey.json
        #expect(json.hasPrefix(#"{"key":"k-1","verdict":"stored, not announced yet"#))
        #expect(json.contains(#""stopped":true"#))
        #expect(json.contains(#""kind":"stored""#))
    }

    @Test func anItemNoteListsScalarAttributesButTheKey() {
        let note = Journey.note(
            item: [
                "id": .object(["S": .string("k-1")]), "status": .object(["S": .string("ACCEPTED")]),
                "published": .object(["BOOL": .bool(true)]), "total": .object(["N": .string("1250")]),
                "lines": .object(["L": .array([])]),
            ], table: "Items", key: "id")
        #expect(note == "in Items now: published=true, status=ACCEPTED, total=1250")
    }
}

@Suite struct TraceWiringOfTheOrdersStackTests {
    /// The prod stage rolls out through aliases: the mapping names the alias, the wiring still finds the
    /// function's log group behind it.
    @Test func theProdStagesMappingIsReadThroughItsAlias() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let text = try String(contentsOfFile: "\(root)/output/orders-prod.yaml", encoding: .utf8)
        let wiring = TraceWiring(try #require(TemplateReader.read(text, path: "orders-prod.yaml").template))
        #expect(text.contains("FunctionName: !Ref OrderProcessorLiveAlias"))
        #expect(wiring.consumed.map(\.consumerLog) == ["OrderProcessorLogGroup"])
        #expect(wiring.accessLog == "OrdersApiAccessLogGroup")
        #expect(wiring.subscribers.map(\.queue) == ["InventoryFulfillmentQueue", "AccountingQueue"])
        #expect(wiring.table?.key == "orderId")
    }
}
