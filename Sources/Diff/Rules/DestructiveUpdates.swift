import CloudFormation

/// Updates CloudFormation applies in place ("Update requires: No interruption") that still lose data or
/// deliveries: a retention period lowered, a redrive policy or partial batch responses removed, a subscription's
/// filter narrowed.
enum DestructiveUpdates {
    /// A retention property: its unit, the value AWS assumes when unset, and what a lower value purges.
    struct Retention {
        var type: String
        var property: String
        /// Seconds per unit of the property's value.
        var unitSeconds: Int
        /// The value in force when the property is unset; `nil`: kept forever.
        var defaultValue: Int?
        var purged: String
        var source: String
    }

    /// Sources: Amazon SQS Developer Guide, "Amazon SQS message retention" (a shorter period applies to messages
    /// already in the queue); CloudWatch Logs PutRetentionPolicy (events older than the period are deleted;
    /// unset: never expire); Kinesis DecreaseStreamRetentionPeriod (older records become inaccessible).
    static let retentions: [Retention] = [
        Retention(
            type: "AWS::SQS::Queue", property: "MessageRetentionPeriod", unitSeconds: 1, defaultValue: 345_600,
            purged: "messages",
            source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html"),
        Retention(
            type: "AWS::Logs::LogGroup", property: "RetentionInDays", unitSeconds: 86_400, defaultValue: nil,
            purged: "log events",
            source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html"),
        Retention(
            type: "AWS::Kinesis::Stream", property: "RetentionPeriodHours", unitSeconds: 3_600, defaultValue: 24,
            purged: "records",
            source:
                "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DecreaseStreamRetentionPeriod.html"),
    ]

    /// Adds the losses of an in-place update of `old` to `new`.
    static func judge(_ change: inout ResourceChange, old: Resource, new: Resource, context: DiffContext) {
        guard old.type == new.type else { return }
        let before = context.before.resolvedProperties(old)
        let after = context.after.resolvedProperties(new)
        // A rule replaced or updated: what its targets stop receiving is lost either way.
        if new.type == "AWS::Events::Rule" {
            for found in EventRules.narrowed(before: before, after: after) { change.add(found.kind, found.message) }
        }
        guard change.replacement == .never else { return }
        for retention in retentions where retention.type == new.type {
            if let message = lowered(retention, before: before, after: after, queue: new.logicalId, context: context) {
                change.add(.retentionLowered, message)
            }
        }
        if let message = redriveRemoved(new, before: before, after: after, context: context) {
            change.add(.redriveRemoved, message)
        }
        if let message = partialBatchRemoved(new, before: before, after: after) {
            change.add(.partialBatchRemoved, message)
        }
        if new.type == "AWS::SNS::Subscription", let message = FilterPolicies.narrowed(before: before, after: after) {
            change.add(.filterNarrowed, message)
        }
        if new.type == "AWS::DynamoDB::Table",
            let message = streamCut(new, before: before, after: after, context: context)
        {
            change.add(.streamCut, message)
        }
        if new.type == "AWS::Lambda::EventSourceMapping", let found = mappingFiltered(new, before, after) {
            change.add(found.kind, found.message)
        }
        if new.type == "AWS::SQS::QueuePolicy", let message = deliveryRefused(old, new, context: context) {
            change.add(.deliveryRefused, message)
        }
    }

    /// A mapping's filter added or changed (removed widens it). Lambda deletes the queue messages a filter does
    /// not match, and skips the stream records it does not match
    /// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html).
    private static func mappingFiltered(_ mapping: Resource, _ before: Value, _ after: Value)
        -> (kind: Finding.Kind, message: String)?
    {
        guard let new = after["FilterCriteria"], !Comparison.same(before["FilterCriteria"], new) else { return nil }
        let what = before["FilterCriteria"] == nil ? "FilterCriteria added" : "FilterCriteria changed"
        if DiffContext.readsStream(mapping) {
            return (
                .filterNarrowed,
                "\(what): stream records it does not match are skipped, never delivered to the function (for an "
                    + "outbox, stored items not announced)"
            )
        }
        return (.filteredAway, "\(what): Lambda deletes the queue's messages that it does not match, unprocessed")
    }

    /// A queue policy that let a topic send to a queue subscribed to it, and no longer does.
    private static func deliveryRefused(_ old: Resource, _ new: Resource, context: DiffContext) -> String? {
        let lost = IAMGrants.of(old).subtracting(IAMGrants.of(new)).filter {
            $0.hasPrefix("Allow ") && $0.contains("sqs:SendMessage") && $0.contains("sns.amazonaws.com")
        }
        guard !lost.isEmpty else { return nil }
        let queues = Set((new["Queues"]?.items ?? []).flatMap { References.resources(in: $0) })
        let subscribed = context.before.createdResources.filter { resource in
            resource.type == "AWS::SNS::Subscription"
                && resource["Endpoint"].map { !References.resources(in: $0).isDisjoint(with: queues) } == true
        }
        guard !subscribed.isEmpty else { return nil }
        let names = subscribed.map(\.logicalId).joined(separator: ", ")
        return
            "the policy no longer lets SNS send (\(lost.count) statement line(s) removed) to a queue that \(names) "
            + "delivers to: SNS's deliveries are refused, retried, then moved to the subscription's dead-letter queue "
            + "or discarded (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html)"
    }

    /// A table's stream turned off, or its view type changed (DynamoDB then ends the stream and starts another,
    /// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html), while a mapping reads it.
    private static func streamCut(_ table: Resource, before: Value, after: Value, context: DiffContext) -> String? {
        let readers = DiffContext.mappings(consuming: table.logicalId, in: context.before).filter(
            DiffContext.readsStream)
        let old = before["StreamSpecification"]?["StreamViewType"]
        let new = after["StreamSpecification"]?["StreamViewType"]
        guard !readers.isEmpty, old != nil, old != new else { return nil }
        let names = readers.map(\.logicalId).joined(separator: ", ")
        let what =
            new == nil
            ? "StreamSpecification removed: the change stream is turned off"
            : "StreamViewType changed: the stream is ended and a new one started"
        return
            "\(what) while \(names) reads it: changes not yet read (for an outbox, stored items not yet announced) "
            + "are never delivered"
    }

    private static func lowered(
        _ retention: Retention, before: Value, after: Value, queue: String, context: DiffContext
    ) -> String? {
        let old = before[retention.property].map { $0.intValue } ?? retention.defaultValue
        let new = after[retention.property].map { $0.intValue } ?? retention.defaultValue
        guard let new, old.map({ new < $0 }) ?? true else { return nil }
        let from = old.map { Self.duration($0 * retention.unitSeconds) } ?? "kept forever"
        let to = Self.duration(new * retention.unitSeconds)
        var message =
            "\(retention.property) lowered from \(from) to \(to): \(retention.purged) older than \(to) are deleted "
            + "when the change applies, and from then on"
        if retention.type == "AWS::SQS::Queue", DiffContext.isDeadLetterQueue(queue, in: context.after) {
            message +=
                "; this is a dead-letter queue: parked failed messages are purged (for a standard queue the age "
                + "counts from the original enqueue, not from the move to the DLQ)"
        }
        return message + " (\(retention.source))"
    }

    /// Redrive removed: messages that keep failing are no longer moved aside, they are received until they expire.
    private static func redriveRemoved(_ resource: Resource, before: Value, after: Value, context: DiffContext)
        -> String?
    {
        guard before["RedrivePolicy"] != nil, after["RedrivePolicy"] == nil else { return nil }
        let target =
            before["RedrivePolicy"]?["deadLetterTargetArn"].map { References.resources(in: $0).sorted() }?.first
            .map { " to \($0)" } ?? ""
        switch resource.type {
        case "AWS::SQS::Queue":
            let retention = after["MessageRetentionPeriod"]?.intValue ?? 345_600
            let consumed = DiffContext.mappings(consuming: resource.logicalId, in: context.after).map(\.logicalId)
            let by = consumed.isEmpty ? "" : " by \(consumed.joined(separator: ", "))"
            return
                "RedrivePolicy removed: messages that keep failing\(by) are no longer moved\(target); they are "
                + "received again and again until the retention period (\(duration(retention))) deletes them"
        case "AWS::SNS::Subscription":
            return
                "RedrivePolicy removed: messages SNS cannot deliver to this endpoint are no longer kept\(target); "
                + "after SNS's delivery retries they are discarded"
        default:
            return nil
        }
    }

    /// Partial batch responses removed from a mapping whose function was wired to return them. Without
    /// `ReportBatchItemFailures` Lambda ignores a `batchItemFailures` answer: an invocation that succeeds deletes its
    /// whole batch, the messages the function reported failed included (Lambda Developer Guide, "Handling errors
    /// for an SQS event source": https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
    /// A stream mapping is left alone: without partial responses Lambda retries the whole batch
    /// (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html); more duplicates, no
    /// loss.
    private static func partialBatchRemoved(_ resource: Resource, before: Value, after: Value) -> String? {
        guard resource.type == "AWS::Lambda::EventSourceMapping", !DiffContext.readsStream(resource) else {
            return nil
        }
        func reports(_ side: Value) -> Bool {
            side["FunctionResponseTypes"]?.items?.contains(.string("ReportBatchItemFailures")) ?? false
        }
        guard reports(before), !reports(after) else { return nil }
        let function = after["FunctionName"].map { References.resources(in: $0).sorted().first ?? "" } ?? ""
        let who = function.isEmpty ? "the function" : function
        return
            "ReportBatchItemFailures removed while \(who) was wired to report failed messages: Lambda now ignores its "
            + "batchItemFailures answer and deletes the whole batch when the invocation succeeds, so the messages it "
            + "reported failed are deleted unprocessed"
    }

    /// `seconds` in the largest whole unit (`14 days`, `4 hours`, `90 seconds`).
    static func duration(_ seconds: Int) -> String {
        for (unit, size) in [("day", 86_400), ("hour", 3_600), ("minute", 60)]
        where seconds >= size && seconds % size == 0 {
            let count = seconds / size
            return "\(count) \(unit)\(count == 1 ? "" : "s")"
        }
        return "\(seconds) second\(seconds == 1 ? "" : "s")"
    }
}

/// SNS subscription filter policies: whether a change can only let more messages through.
enum FilterPolicies {
    /// Why the new filter may drop messages the old one delivered; `nil` when it only widens (or is removed).
    static func narrowed(before: Value, after: Value) -> String? {
        let old = policy(before["FilterPolicy"])
        let new = policy(after["FilterPolicy"])
        let scopeBefore = before["FilterPolicyScope"]?.stringValue ?? "MessageAttributes"
        let scopeAfter = after["FilterPolicyScope"]?.stringValue ?? "MessageAttributes"
        guard let new else { return nil }
        guard let old else {
            return "FilterPolicy added: messages it does not match no longer reach this subscription's endpoint"
        }
        if scopeBefore != scopeAfter {
            return "FilterPolicyScope changed from \(scopeBefore) to \(scopeAfter): the filter reads other fields, and "
                + "messages that matched before may no longer reach the endpoint"
        }
        guard !widens(old: old, new: new) else { return nil }
        return "FilterPolicy narrowed: messages the old filter delivered may no longer reach this subscription's "
            + "endpoint from this deploy on"
    }

    /// The policy as a mapping (a JSON string is parsed as written in the template's own YAML/JSON model).
    private static func policy(_ value: Value?) -> Fields? {
        guard let value else { return nil }
        if case .map(let fields) = value { return fields }
        return Fields([("", value)])
    }

    /// Whether every message `old` lets through passes `new` too: `new` constrains no key `old` leaves free, and
    /// each key's allowed values under `new` include the old ones (plain value lists; anything richer counts as a
    /// possible narrowing).
    static func widens(old: Fields, new: Fields) -> Bool {
        for entry in new {
            guard let previous = old[entry.key] else { return false }
            if Comparison.same(previous, entry.value) { continue }
            guard case .list(let before) = previous, case .list(let after) = entry.value,
                before.allSatisfy(Resolver.isScalar)
            else { return false }
            guard before.allSatisfy({ value in after.contains { covers($0, value) } }) else { return false }
        }
        return true
    }

    /// Whether the new filter item `matcher` lets the old literal `value` through: the same literal, or a
    /// `prefix`, `suffix`, `anything-but` or `exists: true` match that includes it
    /// (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html). Other matchers count as not.
    static func covers(_ matcher: Value, _ value: Value) -> Bool {
        if Resolver.isScalar(matcher) { return Comparison.normalized(matcher) == Comparison.normalized(value) }
        guard case .map(let fields) = matcher, fields.count == 1, let entry = fields.entries.first,
            let text = value.stringValue
        else { return false }
        switch (entry.key, entry.value) {
        case ("prefix", .string(let prefix)): return text.hasPrefix(prefix)
        case ("suffix", .string(let suffix)): return text.hasSuffix(suffix)
        case ("exists", .bool(true)): return true
        case ("anything-but", .list(let excluded)):
            return excluded.allSatisfy(Resolver.isScalar) && !excluded.contains { covers($0, value) }
        case ("anything-but", let single) where Resolver.isScalar(single): return !covers(single, value)
        default: return false
        }
    }
}
