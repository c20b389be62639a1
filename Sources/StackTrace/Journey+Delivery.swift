import JSONDocument
import StackLogs

extension Journey {
    /// An event sent to a topic, then one step per subscription of that topic: delivered to its queue when the
    /// event's attributes pass its filter policy (SNS delivers a message to every subscription whose filter
    /// policy matches its attributes, https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html), or
    /// filtered out, naming the attribute that did not match.
    static func sent(_ event: LogEvent, _ json: JSONValue, wiring: TraceWiring, topics: [String: String]) -> [Hop] {
        let arn = json["topicArn"]?.string ?? ""
        let distinct = Set(wiring.subscribers.map(\.topic))
        let topic = topics[arn] ?? (distinct.count == 1 ? distinct.first : nil)
        var attributes: [String: String] = [:]
        if case .object(let fields)? = json["attributes"] {
            for (name, value) in fields { attributes[name] = value.string }
        }
        var hops = [
            Hop(
                time: event.time, kind: "sent", source: event.source,
                detail: "event sent to \(topic ?? arn) (SNS message \(json["snsMessageId"]?.string ?? "?"))")
        ]
        for subscriber in wiring.subscribers where subscriber.topic == topic {
            hops.append(delivery(subscriber, attributes: attributes, time: event.time))
        }
        return hops
    }

    static func delivery(_ subscriber: TraceWiring.Subscriber, attributes: [String: String], time: Int64) -> Hop {
        let dlq = subscriber.deadLetterQueue.map { "; a delivery SNS cannot make goes to \($0)" } ?? ""
        guard let filter = subscriber.filter else {
            return Hop(time: time, kind: "delivered", source: subscriber.queue, detail: "no filter policy\(dlq)")
        }
        guard subscriber.filterEvaluable else {
            return Hop(
                time: time, kind: "delivered?", source: subscriber.queue,
                detail: "its filter policy has forms trace does not evaluate\(dlq)")
        }
        for name in filter.keys.sorted() where !(attributes[name].map { filter[name]!.contains($0) } ?? false) {
            let actual = attributes[name].map { "is \($0)" } ?? "is absent"
            return Hop(
                time: time, kind: "filtered", source: subscriber.queue,
                detail: "not for this subscriber: its filter wants \(name) in \(filter[name]!), the event's \(actual)")
        }
        let matched = filter.keys.sorted().map { "\($0)=\(attributes[$0]!)" }.joined(separator: ", ")
        return Hop(time: time, kind: "delivered", source: subscriber.queue, detail: "filter matched (\(matched))\(dlq)")
    }

    /// A message whose last receive failed and that was received `maxReceiveCount` times: SQS moved it to the
    /// queue's dead-letter queue ("when the ReceiveCount for a message exceeds the maxReceiveCount for a queue,
    /// Amazon SQS moves the message to a dead-letter queue",
    /// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
    static func parked(_ last: [(message: String, hop: Hop)], receives: [String: Int], wiring: TraceWiring) -> [Hop] {
        last.compactMap { message, hop in
            guard retried.contains(hop.kind),
                let queue = wiring.consumed.first(where: { $0.consumerLog == hop.source }),
                let dlq = queue.deadLetterQueue, let max = queue.maxReceiveCount, receives[message, default: 0] >= max
            else { return nil }
            return Hop(
                time: nil, kind: "parked", source: dlq,
                detail: "moved from \(queue.queue) after \(receives[message]!) receives (maxReceiveCount \(max)); "
                    + "last: \(hop.detail)")
        }
    }

    /// One sentence on where the key is now, and whether it stopped short of its subscribers.
    static func verdict(_ hops: [Hop], wiring: TraceWiring) -> (String, Bool) {
        let kinds = Set(hops.map(\.kind))
        let parked = hops.last(where: { $0.kind == "parked" })
        if kinds.contains("sent") {
            let to = hops.filter { $0.kind.hasPrefix("delivered") }.map(\.source)
            let announced = "announced: delivered to \(to.isEmpty ? "no subscriber" : to.joined(separator: ", "))"
            // Another message with the same key (a second request) may still be parked: said, and not a success.
            guard let parked else { return (announced, false) }
            return (announced + "; but a message with this key is parked in \(parked.source)", true)
        }
        if let parked { return ("parked in \(parked.source): it needs a fix and a redrive", true) }
        if kinds.contains("rejected") { return ("stored as rejected: not announced, by design", true) }
        if kinds.contains("stored") || kinds.contains("duplicate") {
            return ("stored, not announced yet: the outbox (or a redelivery) announces it", true)
        }
        if let last = hops.last(where: { retried.contains($0.kind) }) {
            return ("waiting for SQS to deliver it again after: \(last.detail)", true)
        }
        if kinds.contains("accepted") {
            let queue = wiring.consumed.first.map { " in \($0.queue)" } ?? ""
            return ("accepted by the API, not received by a consumer yet: waiting\(queue)", true)
        }
        if kinds.contains("refused") { return ("refused by the API: never queued", true) }
        return ("no log line names it", true)
    }
}
