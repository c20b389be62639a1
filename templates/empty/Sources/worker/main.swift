// The {{name}}-worker Lambda bootstrap: SQS batches of items in, partial batch failures out. Each item is stored
// in the Items table under its `id`, once: a redelivered or duplicate item finds the first one there and is done.
// A message whose body is not a JSON object with an `id` is reported as failed (SQS retries it, then moves it to
// the dead-letter queue after maxReceiveCount receives), and so is one the table could not take now (throttling,
// a timeout): only those are returned, never the whole batch.
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

/// Stores the batch's items; the IDs of the SQS messages to retry.
func handle(_ invocation: Invocation, table: String, dynamo: DynamoDBClient) async -> [UInt8] {
    let records: [JSONValue]
    if case .array(let items)? = JSONValue.parse(invocation.event)?["Records"] { records = items } else { records = [] }
    var failed: [String] = []
    // Every call ends before the invocation does, with 500 ms left to answer.
    await CallDeadline.$milliseconds.withValue(invocation.deadlineMs - 500) {
        for record in records {
            guard let messageId = record["messageId"]?.string else { continue }
            if !(await store(record, table: table, dynamo: dynamo)) { failed.append(messageId) }
        }
    }
    let items = failed.map { "{\"itemIdentifier\":\(JSONText.quote($0))}" }.joined(separator: ",")
    return Array("{\"batchItemFailures\":[\(items)]}".utf8)
}

/// Stores one item unless it is there already; `false` when the message must be retried.
func store(_ record: JSONValue, table: String, dynamo: DynamoDBClient) async -> Bool {
    let text = record["body"]?.string ?? ""
    guard let body = JSONValue.parse(Array(text.utf8)), let id = body["id"]?.string else {
        log("ERROR", "not an item: left for the dead-letter queue", [("messageId", record["messageId"]?.string ?? "")])
        return false
    }
    let item: DynamoDBItem = ["id": .object(["S": .string(id)]), "body": .object(["S": .string(text)])]
    do {
        try await dynamo.putItem(table: table, item: item, condition: "attribute_not_exists(id)")
        log("INFO", "item stored", [("id", id)])
    } catch let error as AWSServiceError where error.code == "ConditionalCheckFailedException" {
        log("INFO", "duplicate item: stored already", [("id", id)])
    } catch {
        log("ERROR", "item left for redelivery: \(error)", [("id", id)])
        return false
    }
    return true
}

_ = orderstack_glibc_compat_active()
exit(
    await LambdaBootstrap.run(environment: HandlerEnvironment.current(), log: { log("FATAL", $0) }) {
        let aws = try AWSEnvironment(HandlerEnvironment.current())
        let caller = AWSCaller(
            transport: HTTPClientTransport(), environment: aws, endpoint: try aws.endpoint(for: "dynamodb"),
            service: "dynamodb", now: LambdaBootstrap.clock)
        let table = try aws.required("ITEMS_TABLE_NAME")
        let dynamo = DynamoDBClient(caller: caller)
        return { await handle($0, table: table, dynamo: dynamo) }
    })
