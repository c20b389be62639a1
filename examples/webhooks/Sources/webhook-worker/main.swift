// The webhook-worker Lambda bootstrap: SQS batches of partner deliveries in, partial batch failures out. A
// delivery whose body is not a JSON object with a `deliveryId` is reported as failed, so SQS retries it and, after
// maxReceiveCount receives, moves it to the dead-letter queue; the rest of the batch is done.
import CGlibcCompat
import JSONDocument
import JSONText
import LambdaRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The `batchItemFailures` response for one SQS event.
func handle(_ event: [UInt8]) -> [UInt8] {
    let records: [JSONValue]
    if case .array(let items)? = JSONValue.parse(event)?["Records"] { records = items } else { records = [] }
    let failed = records.compactMap { record -> String? in
        guard let id = record["messageId"]?.string else { return nil }
        let body = record["body"]?.string.flatMap { JSONValue.parse(Array($0.utf8)) }
        return body?["deliveryId"]?.string == nil ? id : nil
    }
    let items = failed.map { "{\"itemIdentifier\":\(JSONText.quote($0))}" }.joined(separator: ",")
    return Array("{\"batchItemFailures\":[\(items)]}".utf8)
}

_ = orderstack_glibc_compat_active()
guard let api = getenv("AWS_LAMBDA_RUNTIME_API").map({ String(cString: $0) }),
    let connection = HTTPConnection(endpoint: api)
else {
    let message = "AWS_LAMBDA_RUNTIME_API is not set to host:port; run this binary as a Lambda bootstrap\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(2)
}
do {
    try await LambdaRuntimeLoop.run(HTTPRuntimeTransport(connection: connection)) { handle($0.event) }
} catch {
    print("{\"level\":\"FATAL\",\"message\":\(JSONText.quote("stopping: \(error)"))}")
    exit(1)
}
