import CloudFormation

/// EventBridge rules that deliver a bus's events to targets: losing a rule, a target, or the rule's match loses
/// deliveries as removing or narrowing an SNS subscription does. A rule routes only the events that arrive while it
/// exists and is enabled, and matches only what its pattern says ("Amazon EventBridge rules", EventBridge User
/// Guide); events put on the bus meanwhile are not delivered later. Schedules (a `ScheduleExpression`) deliver no
/// one's data and are not judged.
enum EventRules {
    /// The targets of a rule on a bus, as text, or `nil` for a schedule or a rule without targets.
    static func deliveringTargets(_ rule: Resource, _ evaluation: TemplateEvaluation) -> String? {
        guard rule["ScheduleExpression"] == nil, let targets = rule["Targets"]?.items, !targets.isEmpty else {
            return nil
        }
        return targets.map { target in
            target["Arn"].map { ValueText.compact(evaluation.resolve($0)) } ?? "a target"
        }.joined(separator: ", ")
    }

    /// What an update of a rule loses: a target's dead-letter queue removed (a schedule's too: its failed
    /// invocations are dropped, not parked); for a rule on a bus, also it disabled, a target removed, its pattern
    /// changed.
    static func narrowed(before: Value, after: Value) -> [(kind: Finding.Kind, message: String)] {
        var found: [(Finding.Kind, String)] = []
        let afterTargets = after["Targets"]?.items ?? []
        for target in before["Targets"]?.items ?? [] where target["DeadLetterConfig"]?["Arn"] != nil {
            guard let kept = afterTargets.first(where: { $0["Arn"] == target["Arn"] }),
                kept["DeadLetterConfig"]?["Arn"] == nil
            else { continue }
            found.append(
                (
                    .redriveRemoved,
                    "target \(target["Arn"].map(ValueText.compact) ?? "?"): DeadLetterConfig removed: events EventBridge "
                        + "cannot deliver after its retries are dropped instead of parked in the dead-letter queue"
                ))
        }
        guard before["ScheduleExpression"] == nil else { return found }
        if before["State"] != .string("DISABLED"), after["State"] == .string("DISABLED") {
            found.append(
                (.subscriptionRemoved, "State DISABLED: the rule delivers no events to its targets while disabled"))
        }
        let kept = Set((after["Targets"]?.items ?? []).compactMap { $0["Arn"] })
        for target in before["Targets"]?.items ?? [] {
            guard let arn = target["Arn"], !kept.contains(arn) else { continue }
            found.append(
                (
                    .subscriptionRemoved,
                    "target \(ValueText.compact(arn)) removed: it no longer receives the bus's events"
                ))
        }
        if let moved = after["EventBusName"], let old = before["EventBusName"], !Comparison.same(old, moved) {
            found.append(
                (
                    .subscriptionRemoved,
                    "EventBusName changed: the rule moves to another bus in place; its targets no longer receive the "
                        + "events of \(ValueText.compact(old))"
                ))
        }
        for target in afterTargets {
            guard let was = (before["Targets"]?.items ?? []).first(where: { $0["Arn"] == target["Arn"] }) else {
                continue
            }
            for key in ["Input", "InputPath", "InputTransformer"] where !Comparison.same(was[key], target[key]) {
                guard target[key] != nil else { continue }
                found.append(
                    (
                        .filterNarrowed,
                        "target \(target["Arn"].map(ValueText.compact) ?? "?"): \(key) \(was[key] == nil ? "added" : "changed"): "
                            + "it receives \(key == "Input" ? "a fixed text" : "part of the event") instead of what it received"
                    ))
            }
        }
        if let old = before["EventPattern"], let new = after["EventPattern"], !Comparison.same(old, new),
            !widens(old, new)
        {
            found.append(
                (
                    .filterNarrowed,
                    "EventPattern changed: events it matched before and the new pattern does not match no longer reach "
                        + "its targets from this deploy on"
                ))
        }
        return found
    }

    /// Whether the new pattern lets through every event the old one did (the SNS filter policy rule: the same keys
    /// or fewer, each key's values a superset; nested fields compared as the whole value).
    static func widens(_ old: Value, _ new: Value) -> Bool {
        guard case .map(let before) = old, case .map(let after) = new else { return false }
        return FilterPolicies.widens(old: before, new: after)
    }
}
