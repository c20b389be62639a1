import Foundation
import JSONDocument
import JSONText

/// An SQS event source mapping as the local run polls it.
public struct MappingSpec: Sendable {
    public var logicalId: String
    public var queueUrl: String
    public var queueArn: String
    public var function: String
    public var batchSize: Int
    public var windowSeconds: Int
    public var maxConcurrency: Int
    /// `FunctionResponseTypes: [ReportBatchItemFailures]`.
    public var reportsItemFailures: Bool
    public var region: String

    public init(
        logicalId: String, queueUrl: String, queueArn: String, function: String, batchSize: Int, windowSeconds: Int,
        maxConcurrency: Int, reportsItemFailures: Bool, region: String
    ) {
        self.logicalId = logicalId
        self.queueUrl = queueUrl
        self.queueArn = queueArn
        self.function = function
        self.batchSize = batchSize
        self.windowSeconds = windowSeconds
        self.maxConcurrency = maxConcurrency
        self.reportsItemFailures = reportsItemFailures
        self.region = region
    }
}

/// Polls a queue as Lambda's SQS poller does: batches up to the batch size within the batching window, the event
/// exactly as Lambda builds it, successes deleted, reported failures (or the whole batch on a failed invocation)
/// left to the visibility timeout and the redrive policy.
public struct Poller: Sendable {
    public var spec: MappingSpec
    public var sqs: SQSClient
    public var invoke: @Sendable ([UInt8]) async -> InvocationResult
    /// One line per batch that did not fully succeed.
    public var report: @Sendable (String) -> Void

    public init(
        spec: MappingSpec, sqs: SQSClient, invoke: @escaping @Sendable ([UInt8]) async -> InvocationResult,
        report: @escaping @Sendable (String) -> Void
    ) {
        self.spec = spec
        self.sqs = sqs
        self.invoke = invoke
        self.report = report
    }

    /// Runs up to `maxConcurrency` polling loops until cancelled. As Lambda scales its pollers, only some run at
    /// first: a full batch adds one, an empty receive retires one (never fewer than one), so an idle queue is not
    /// long-polled by every loop at once.
    public func run() async {
        let scale = PollerScale(active: min(2, max(1, spec.maxConcurrency)), limit: max(1, spec.maxConcurrency))
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<max(1, spec.maxConcurrency) {
                group.addTask { await self.loop(index, scale: scale) }
            }
        }
    }

    func loop(_ index: Int, scale: PollerScale) async {
        while !Task.isCancelled {
            guard await scale.runs(index) else {
                try? await Task.sleep(nanoseconds: 100_000_000)
                continue
            }
            do {
                let batch = try await collect()
                await scale.observe(batch.count, batchSize: spec.batchSize)
                if batch.isEmpty { continue }
                try await deliver(batch)
            } catch {
                if Task.isCancelled { return }
                report("\(spec.logicalId): polling failed: \(error); retrying")
                try? await Task.sleep(nanoseconds: 500_000_000)
            }
        }
    }

    /// Up to `batchSize` messages, waiting at most the batching window once the first has arrived.
    func collect() async throws -> [ReceivedMessage] {
        var batch = try await sqs.receive(spec.queueUrl, max: spec.batchSize, waitSeconds: 1)
        guard !batch.isEmpty, spec.windowSeconds > 0 else { return batch }
        let until = Date().addingTimeInterval(Double(spec.windowSeconds))
        while batch.count < spec.batchSize, Date() < until, !Task.isCancelled {
            let more = try await sqs.receive(spec.queueUrl, max: spec.batchSize - batch.count, waitSeconds: 0)
            if more.isEmpty {
                try? await Task.sleep(nanoseconds: 50_000_000)
            } else {
                batch += more
            }
        }
        return batch
    }

    /// Invokes the function with the batch and deletes what succeeded.
    func deliver(_ batch: [ReceivedMessage]) async throws {
        let event = Self.event(batch, spec: spec)
        switch await invoke(Array(event.utf8)) {
        case .failed(let type, let message):
            report(
                "\(spec.logicalId): invocation failed (\(type): \(message)); the batch of \(batch.count) returns after the visibility timeout"
            )
        case .response(let body):
            var failed: Set<String> = []
            if spec.reportsItemFailures, let document = JSONValue.parse(body),
                case .array(let items)? = document["batchItemFailures"]
            {
                failed = Set(items.compactMap { $0["itemIdentifier"]?.string })
            }
            let done = batch.filter { !failed.contains($0.messageId) }
            try await sqs.delete(spec.queueUrl, receipts: done.map(\.receiptHandle))
            if !failed.isEmpty {
                report("\(spec.logicalId): \(failed.count) of \(batch.count) reported as failed; left for redelivery")
            }
        }
    }

    /// The SQS event as Lambda sends it.
    static func event(_ batch: [ReceivedMessage], spec: MappingSpec) -> String {
        let records = batch.map { message in
            let attributes = LocalJSON.object(
                message.attributes.sorted { $0.key < $1.key }.map { ($0.key, JSONText.quote($0.value)) })
            let messageAttributes = LocalJSON.object(
                message.messageAttributes.sorted { $0.key < $1.key }.map { name, value in
                    (
                        name,
                        LocalJSON.object([
                            ("stringValue", JSONText.quote(value.1)), ("stringListValues", "[]"),
                            ("binaryListValues", "[]"), ("dataType", JSONText.quote(value.0)),
                        ])
                    )
                })
            return LocalJSON.object([
                ("messageId", JSONText.quote(message.messageId)),
                ("receiptHandle", JSONText.quote(message.receiptHandle)), ("body", JSONText.quote(message.body)),
                ("attributes", attributes), ("messageAttributes", messageAttributes),
                ("md5OfBody", JSONText.quote(message.md5OfBody)), ("eventSource", "\"aws:sqs\""),
                ("eventSourceARN", JSONText.quote(spec.queueArn)), ("awsRegion", JSONText.quote(spec.region)),
            ])
        }
        return "{\"Records\":[" + records.joined(separator: ",") + "]}"
    }
}

/// How many of a mapping's polling loops run now.
actor PollerScale {
    var active: Int
    let limit: Int

    init(active: Int, limit: Int) {
        self.active = active
        self.limit = limit
    }

    func runs(_ index: Int) -> Bool { index < active }

    /// A full batch means a backlog: one more loop; an empty one: one fewer.
    func observe(_ received: Int, batchSize: Int) {
        if received >= min(10, batchSize) {
            active = min(limit, active + 1)
        } else if received == 0 {
            active = max(1, active - 1)
        }
    }
}
