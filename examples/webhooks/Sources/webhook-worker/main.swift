// The webhook-worker Lambda bootstrap: SQS batches of partner deliveries in, partial batch failures out. Each
// delivery is stored in the Deliveries table under its `deliveryId`, once: a redelivered or duplicate delivery
// finds the item there. Then it is announced on the DeliveryEvents topic and the item marked `announced`; a
// duplicate whose item is not marked yet (the publish failed after the store) is announced then, so no stored
// delivery is left unannounced, and one already marked is done. A crash between the publish and the mark
// announces that delivery again on its redelivery: subscribers see a delivery at least once and keep its
// `deliveryId`, as SQS consumers must anyway. A delivery
// whose body is not a JSON object with a `deliveryId` is reported as failed (SQS retries it, then moves it to the
// dead-letter queue after maxReceiveCount receives), and so is one the table or the topic could not take now
// (throttling, a timeout): only those are returned, never the whole batch.
import AWSClients
import CGlibcCompat
import JSONDocument
import JSONText
import LambdaRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// One log line as JSON (Lambda's JSON log format).
func log(_ level: String, _ message: String, _ fields: [(String, String)] = []) {
    let extra = fields.map { ",\(JSONText.quote($0.0)):\(JSONText.quote($0.1))" }.joined()
    print("{\"level\":\"\(level)\",\"message\":\(JSONText.quote(message))\(extra)}")
}

/// Where deliveries go: the table and the topic, with their clients.
struct Destinations: Sendable {
    var table: String
    var dynamo: DynamoDBClient
    var topicArn: String
    var sns: SNSClient
}

/// Stores and announces the batch's deliveries; the IDs of the SQS messages to retry.
func handle(_ invocation: Invocation, to destinations: Destinations) async -> [UInt8] {
    let records: [JSONValue]
    if case .array(let items)? = JSONValue.parse(invocation.event)?["Records"] { records = items } else { records = [] }
    var failed: [String] = []
    // Every call ends before the invocation does, with 500 ms left to answer.
    await CallDeadline.$milliseconds.withValue(invocation.deadlineMs - 500) {
        for record in records {
            guard let id = record["messageId"]?.string else { continue }
            if !(await take(record, to: destinations)) { failed.append(id) }
        }
    }
    let items = failed.map { "{\"itemIdentifier\":\(JSONText.quote($0))}" }.joined(separator: ",")
    return Array("{\"batchItemFailures\":[\(items)]}".utf8)
}

/// Stores one delivery if it is not there yet, then announces it; `false` when the message must be retried.
func take(_ record: JSONValue, to destinations: Destinations) async -> Bool {
    let text = record["body"]?.string ?? ""
    guard let body = JSONValue.parse(Array(text.utf8)), let deliveryId = body["deliveryId"]?.string else {
        log(
            "ERROR", "not a delivery: left for the dead-letter queue",
            [("messageId", record["messageId"]?.string ?? "")])
        return false
    }
    let item: DynamoDBItem = [
        "deliveryId": .object(["S": .string(deliveryId)]),
        "partner": .object(["S": .string(body["partner"]?.string ?? "")]),
        "event": .object(["S": .string(body["event"]?.string ?? "")]),
        "body": .object(["S": .string(text)]),
    ]
    let key: DynamoDBItem = ["deliveryId": .object(["S": .string(deliveryId)])]
    do {
        try await destinations.dynamo.putItem(
            table: destinations.table, item: item, condition: "attribute_not_exists(deliveryId)")
        log("INFO", "delivery stored", [("deliveryId", deliveryId)])
    } catch let error as AWSServiceError where error.code == "ConditionalCheckFailedException" {
        do {
            let stored = try await destinations.dynamo.getItem(table: destinations.table, key: key, consistent: true)
            if stored?["announced"] != nil {
                log("INFO", "duplicate delivery: stored and announced already", [("deliveryId", deliveryId)])
                return true
            }
            log("INFO", "duplicate delivery: stored, not announced yet", [("deliveryId", deliveryId)])
        } catch {
            log("ERROR", "duplicate left for redelivery: \(error)", [("deliveryId", deliveryId)])
            return false
        }
    } catch {
        log("ERROR", "delivery left for redelivery: \(error)", [("deliveryId", deliveryId)])
        return false
    }
    return await announce(text, body: body, key: key, deliveryId: deliveryId, to: destinations)
}

/// Publishes a stored delivery and marks its item announced; `false` when the message must be retried.
func announce(
    _ text: String, body: JSONValue, key: DynamoDBItem, deliveryId: String, to destinations: Destinations
) async -> Bool {
    do {
        let messageId = try await destinations.sns.publish(
            topicArn: destinations.topicArn, message: text,
            attributes: ["type": "DeliveryStored", "partner": body["partner"]?.string ?? ""])
        log("INFO", "delivery announced", [("deliveryId", deliveryId), ("messageId", messageId)])
    } catch {
        log("ERROR", "stored, not announced: left for redelivery: \(error)", [("deliveryId", deliveryId)])
        return false
    }
    do {
        try await destinations.dynamo.updateItem(
            table: destinations.table, key: key, update: "SET announced = :now",
            values: [":now": .object(["N": .string(String(LambdaBootstrap.clock()))])])
    } catch {
        // Announced; only the mark is missing: a redelivery would announce it once more, which subscribers allow.
        log("WARN", "announced, not marked: \(error)", [("deliveryId", deliveryId)])
    }
    return true
}

_ = orderstack_glibc_compat_active()
exit(
    await LambdaBootstrap.run(environment: HandlerEnvironment.current(), log: { log("FATAL", $0) }) {
        let aws = try AWSEnvironment(HandlerEnvironment.current())
        let http = HTTPClientTransport()
        func caller(_ service: String) throws -> AWSCaller {
            AWSCaller(
                transport: http, environment: aws, endpoint: try aws.endpoint(for: service), service: service,
                now: LambdaBootstrap.clock)
        }
        let destinations = Destinations(
            table: try aws.required("DELIVERIES_TABLE_NAME"), dynamo: DynamoDBClient(caller: try caller("dynamodb")),
            topicArn: try aws.required("DELIVERY_EVENTS_TOPIC_ARN"), sns: SNSClient(caller: try caller("sns")))
        return { await handle($0, to: destinations) }
    })
