import Foundation
import JSONDocument
import JSONText

/// A DynamoDB stream event source mapping as the local run polls it.
public struct StreamMappingSpec: Sendable {
    public var logicalId: String
    public var streamArn: String
    public var function: String
    public var batchSize: Int
    /// `FunctionResponseTypes: [ReportBatchItemFailures]`.
    public var reportsItemFailures: Bool
    /// Retries of a failing batch before it is given up (`-1`: until the records expire, as on AWS).
    public var maximumRetryAttempts: Int
    /// The `FilterCriteria` patterns; a record is delivered when one matches (none: every record).
    public var filters: [JSONValue]
    /// The URL of the `OnFailure` destination queue, if any.
    public var onFailureQueueUrl: String?
    public var region: String
}

/// Polls a DynamoDB stream as Lambda's stream poller does (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html):
/// records in order from the trim horizon, filtered before the function sees them, a batch retried from the first
/// reported failure (or whole, when the invocation fails) until it succeeds or `maximumRetryAttempts` is spent,
/// then described on the failure queue and skipped. Not emulated: splitting a failing batch in two
/// (`BisectBatchOnFunctionError`), record expiry after 24 hours, and more than one shard read at once.
public struct StreamPoller: Sendable {
    public var spec: StreamMappingSpec
    public var streams: DynamoDBAdmin
    public var sqs: SQSClient
    public var invoke: @Sendable ([UInt8]) async -> InvocationResult
    public var report: @Sendable (String) -> Void
    /// Milliseconds between polls of an idle stream.
    public var idleMs: UInt64 = 200
    /// Told when the poller has read to the end of its stream with nothing left to retry.
    public var activity = StreamActivity()

    public init(
        spec: StreamMappingSpec, streams: DynamoDBAdmin, sqs: SQSClient,
        invoke: @escaping @Sendable ([UInt8]) async -> InvocationResult, report: @escaping @Sendable (String) -> Void
    ) {
        self.spec = spec
        self.streams = streams
        self.sqs = sqs
        self.invoke = invoke
        self.report = report
    }

    /// Reads every shard of the stream until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                let shards = try await streams.call(
                    "DescribeStream", LocalJSON.object([("StreamArn", JSONText.quote(spec.streamArn))]))
                guard case .array(let list)? = shards["StreamDescription"]?["Shards"], let first = list.first,
                    let shard = first["ShardId"]?.string
                else {
                    try? await Task.sleep(nanoseconds: idleMs * 1_000_000)
                    continue
                }
                try await read(shard: shard)
            } catch {
                if Task.isCancelled { return }
                report("\(spec.logicalId): reading the stream failed: \(error); retrying")
                try? await Task.sleep(nanoseconds: 500_000_000)
            }
        }
    }

    /// Follows one shard from its trim horizon.
    func read(shard: String) async throws {
        var iterator = try await self.iterator(shard: shard, type: "TRIM_HORIZON", sequence: nil)
        var failures = 0
        while !Task.isCancelled {
            let page = try await streams.call(
                "GetRecords",
                LocalJSON.object([("ShardIterator", JSONText.quote(iterator)), ("Limit", String(spec.batchSize))]))
            guard let next = page["NextShardIterator"]?.string else { return }
            guard case .array(let records)? = page["Records"], !records.isEmpty else {
                iterator = next
                await activity.record(spec.logicalId)
                try? await Task.sleep(nanoseconds: idleMs * 1_000_000)
                continue
            }
            let batch = records.filter(matches)
            guard !batch.isEmpty, let retryFrom = await deliver(batch) else {
                iterator = next
                failures = 0
                continue
            }
            failures += 1
            if spec.maximumRetryAttempts >= 0 && failures > spec.maximumRetryAttempts {
                await giveUp(batch, shard: shard)
                iterator = next
                failures = 0
                continue
            }
            try? await Task.sleep(nanoseconds: UInt64(min(5_000, 100 << min(failures, 6))) * 1_000_000)
            iterator = try await self.iterator(shard: shard, type: "AT_SEQUENCE_NUMBER", sequence: retryFrom)
        }
    }

    func iterator(shard: String, type: String, sequence: String?) async throws -> String {
        var fields = [
            ("StreamArn", JSONText.quote(spec.streamArn)), ("ShardId", JSONText.quote(shard)),
            ("ShardIteratorType", JSONText.quote(type)),
        ]
        if let sequence { fields.append(("SequenceNumber", JSONText.quote(sequence))) }
        let answer = try await streams.call("GetShardIterator", LocalJSON.object(fields))
        guard let iterator = answer["ShardIterator"]?.string else {
            throw ProvisionError(description: "\(spec.logicalId): GetShardIterator returned no iterator")
        }
        return iterator
    }

    /// Invokes the function; `nil` when the batch succeeded, else the sequence number to retry from.
    func deliver(_ batch: [JSONValue]) async -> String? {
        let first = batch.first?["dynamodb"]?["SequenceNumber"]?.string ?? ""
        switch await invoke(Array(Self.event(batch, spec: spec).utf8)) {
        case .failed(let type, let message):
            report("\(spec.logicalId): invocation failed (\(type): \(message)); the batch of \(batch.count) is retried")
            return first
        case .response(let body):
            guard spec.reportsItemFailures, let document = JSONValue.parse(body),
                case .array(let items)? = document["batchItemFailures"], !items.isEmpty
            else { return nil }
            let reported = items.compactMap { $0["itemIdentifier"]?.string }
            let sequences = batch.compactMap { $0["dynamodb"]?["SequenceNumber"]?.string }
            // The lowest reported sequence number of the batch; an unknown or empty identifier fails the batch.
            let retry = sequences.first { reported.contains($0) } ?? first
            report("\(spec.logicalId): the batch of \(batch.count) failed from sequence number \(retry); retrying")
            return retry
        }
    }

    /// Describes a batch given up on to the failure queue, as Lambda's on-failure record does.
    func giveUp(_ batch: [JSONValue], shard: String) async {
        let sequences = batch.compactMap { $0["dynamodb"]?["SequenceNumber"]?.string }
        report("\(spec.logicalId): gave up on \(batch.count) record(s) after \(spec.maximumRetryAttempts) retries")
        guard let url = spec.onFailureQueueUrl else { return }
        let body = LocalJSON.object([
            ("requestContext", LocalJSON.object([("condition", "\"RetryAttemptsExhausted\"")])),
            (
                "DDBStreamBatchInfo",
                LocalJSON.object([
                    ("shardId", JSONText.quote(shard)),
                    ("startSequenceNumber", JSONText.quote(sequences.first ?? "")),
                    ("endSequenceNumber", JSONText.quote(sequences.last ?? "")), ("batchSize", String(batch.count)),
                    ("streamArn", JSONText.quote(spec.streamArn)),
                ])
            ),
        ])
        _ = try? await sqs.send(url, body: body)
    }

    /// Whether a record passes the mapping's filters (a record passes when any filter matches, or none is set).
    func matches(_ record: JSONValue) -> Bool {
        spec.filters.isEmpty || spec.filters.contains { EventPattern.matches($0, record) }
    }

    /// The stream event as Lambda sends it: the records, each with its source ARN.
    static func event(_ batch: [JSONValue], spec: StreamMappingSpec) -> String {
        let records = batch.map { record -> JSONValue in
            guard case .object(var fields) = record else { return record }
            fields["eventSourceARN"] = .string(spec.streamArn)
            return .object(fields)
        }
        let data = (try? JSONEncoder().encode(JSONValue.object(["Records": .array(records)]))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// When each stream poller last found its stream read to the end, with no batch waiting for a retry.
public actor StreamActivity {
    var caughtUpAt: [String: Date] = [:]

    public init() {}

    /// `logicalId` found nothing more to read just now.
    func record(_ logicalId: String) { caughtUpAt[logicalId] = Date() }

    /// Whether each of `logicalIds` has read to the end of its stream after `moment`.
    public func caughtUp(_ logicalIds: [String], since moment: Date) -> Bool {
        logicalIds.allSatisfy { (caughtUpAt[$0] ?? .distantPast) > moment }
    }
}

/// The subset of Lambda's filter patterns the local pollers apply: an object matches field by field, and a list
/// of literals matches a value equal to one of them
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html). A pattern using anything else
/// (prefix, numeric, exists, anything-but) matches everything, so nothing is dropped that AWS would deliver.
public enum EventPattern {
    /// Whether `value` matches `pattern`.
    public static func matches(_ pattern: JSONValue, _ value: JSONValue?) -> Bool {
        switch pattern {
        case .object(let fields):
            return fields.allSatisfy { key, inner in matches(inner, value?[key]) }
        case .array(let options):
            guard options.allSatisfy(isLiteral) else { return true }
            guard let value else { return false }
            return options.contains(value)
        default:
            return true
        }
    }

    static func isLiteral(_ value: JSONValue) -> Bool {
        switch value {
        case .string, .number, .bool, .null: return true
        case .array, .object: return false
        }
    }
}
