import CloudFormation

/// A function run on a schedule: an EventBridge rule with a `rate(...)` or `cron(...)` expression invoking it,
/// and the permission for that rule alone to invoke it. EventBridge invokes a function asynchronously: an event
/// it cannot hand to Lambda (after 2 attempts) goes to the schedule's dead-letter queue, and so does a run whose
/// handler fails after Lambda's own 2 retries or whose event ages out throttled (an `EventInvokeConfig` on-failure
/// destination: "Capturing records of Lambda asynchronous invocations", Lambda Developer Guide); the queue has an
/// alarm. A stage may set its own expression or turn it off
/// (`constructs.<Name>.expression`, `constructs.<Name>.enabled`).
///
/// Expressions as EventBridge reads them ("Creating an Amazon EventBridge rule that runs on a schedule"): `rate(1
/// hour)`, `rate(5 minutes)` (singular unit for 1, plural otherwise), or `cron(minutes hours day-of-month month
/// day-of-week year)`, six fields in UTC.
public struct Schedule: Sendable, Hashable {
    /// The construct name; the logical IDs start with it.
    public let name: String
    /// `rate(...)` or `cron(...)`.
    public let expression: String
    /// The function run.
    public let function: Function

    /// Runs `function` on `expression`.
    public init(_ name: String, _ expression: String, run function: Function) {
        self.name = name
        self.expression = expression
        self.function = function
    }

    /// Why `expression` is not one EventBridge accepts, or `nil`.
    public static func problem(with expression: String) -> String? {
        if expression.hasPrefix("rate("), expression.hasSuffix(")") {
            let parts = expression.dropFirst(5).dropLast().split(separator: " ")
            guard parts.count == 2, let amount = Int(parts[0]), amount >= 1 else {
                return "'\(expression)' is not rate(<whole number ≥ 1> <unit>)"
            }
            let unit = String(parts[1])
            let singular = ["minute", "hour", "day"]
            let expected = amount == 1 ? singular : singular.map { $0 + "s" }
            return expected.contains(unit)
                ? nil : "'\(expression)': the unit for \(amount) is one of \(expected.joined(separator: ", "))"
        }
        if expression.hasPrefix("cron("), expression.hasSuffix(")") {
            let fields = expression.dropFirst(5).dropLast().split(separator: " ").map(String.init)
            guard fields.count == 6 else {
                return
                    "'\(expression)' has \(fields.count) fields; cron(...) takes 6 (minutes hours day-of-month month day-of-week year)"
            }
            // One of day-of-month and day-of-week is `?`, never both (Amazon EventBridge, "Cron expressions").
            guard (fields[2] == "?") != (fields[4] == "?") else {
                return "'\(expression)': exactly one of day-of-month and day-of-week must be '?'"
            }
            for (index, name, range) in [
                (0, "minutes", 0...59), (1, "hours", 0...23), (2, "day-of-month", 1...31),
                (3, "month", 1...12), (4, "day-of-week", 1...7),
            ] {
                let numbers = fields[index].split(whereSeparator: { ",-/".contains($0) }).compactMap { Int($0) }
                if let bad = numbers.first(where: { !range.contains($0) && !(fields[index].contains("/") && index < 2) }
                ) {
                    return "'\(expression)': \(name) \(bad) is outside \(range.lowerBound)-\(range.upperBound)"
                        + (index == 4 ? " (1 is Sunday; SUN-SAT also work)" : "")
                }
            }
            return nil
        }
        return "'\(expression)' is neither rate(...) nor cron(...)"
    }
}

extension Schedule: Construct {
    public static let kind = "schedule"
    public static let settingKeys = ["expression", "enabled"]

    public var reaches: [any Construct] { [function] }

    public func expand(in context: inout ExpansionContext) throws(SynthesisError) {
        var expression = self.expression
        if let setting = context.setting("expression", of: self) {
            guard case .string(let text) = setting else {
                throw context.settingError("expression", of: self, "must be rate(...) or cron(...)")
            }
            expression = text
        }
        if let problem = Self.problem(with: expression) {
            throw SynthesisError("schedule \(name): \(problem)")
        }
        var enabled = true
        if let setting = context.setting("enabled", of: self) {
            guard case .bool(let flag) = setting else {
                throw context.settingError("enabled", of: self, "must be true or false")
            }
            enabled = flag
        }
        context.expandSchedule(self, expression: expression, enabled: enabled)
    }
}

extension ExpansionContext {
    /// The rule, its dead-letter queue (admitting only this rule), the invoke permission, the alarm and the graph.
    mutating func expandSchedule(_ schedule: Schedule, expression: String, enabled: Bool) {
        let ruleId = "\(schedule.name)ScheduleRule"
        let dlqId = "\(schedule.name)ScheduleDeadLetterQueue"
        let functionId = "\(schedule.function.name)Function"
        add(
            Resource(
                dlqId, type: "AWS::SQS::Queue",
                properties: Fields([
                    ("QueueName", Names.stackScoped("\(schedule.name)-schedule-dlq")),
                    ("MessageRetentionPeriod", .int(Self.dlqRetentionSeconds)), ("SqsManagedSseEnabled", .bool(true)),
                ])))
        add(
            Resource(
                "\(dlqId)Policy", type: "AWS::SQS::QueuePolicy",
                properties: Fields([
                    ("Queues", .list([.ref(dlqId)])),
                    (
                        "PolicyDocument",
                        policyDocument([
                            .allow(
                                ["sqs:SendMessage"], on: [.getAtt(dlqId, "Arn")],
                                principal: .object(["Service": .string("events.amazonaws.com")]),
                                condition: .object(["ArnEquals": .object(["aws:SourceArn": .getAtt(ruleId, "Arn")])]),
                                sid: "ScheduleParksFailures"),
                            .denyInsecureTransport(service: "sqs", on: [.getAtt(dlqId, "Arn")]),
                        ])
                    ),
                ])))
        let target: Value = stage.rollout == nil ? .getAtt(functionId, "Arn") : invocationTarget(schedule.function)
        add(
            Resource(
                ruleId, type: "AWS::Events::Rule",
                properties: Fields([
                    ("Description", .string("\(schedule.name): runs \(schedule.function.name) on \(expression)")),
                    ("ScheduleExpression", .string(expression)), ("State", .string(enabled ? "ENABLED" : "DISABLED")),
                    (
                        "Targets",
                        .list([
                            .object([
                                "Id": .string(schedule.function.name), "Arn": target,
                                "DeadLetterConfig": .object(["Arn": .getAtt(dlqId, "Arn")]),
                                "RetryPolicy": .object(["MaximumRetryAttempts": .int(2)]),
                            ])
                        ])
                    ),
                ])))
        addFailureDestination(schedule, dlqId: dlqId)
        add(
            Resource(
                "\(schedule.name)SchedulePermission", type: "AWS::Lambda::Permission",
                properties: Fields([
                    ("FunctionName", target), ("Action", .string("lambda:InvokeFunction")),
                    ("Principal", .string("events.amazonaws.com")), ("SourceArn", .getAtt(ruleId, "Arn")),
                ])))
        graph.node(ruleId, "\(schedule.name) (schedule: \(expression))", .other)
        graph.node(dlqId, "\(schedule.name) schedule DLQ", .deadLetterQueue)
        graph.edge(ruleId, functionId, "invokes")
        graph.edge(ruleId, dlqId, "after 2 retries")
        alarms.append(dlqAlarm("\(schedule.name) schedule", dlqId))
    }
}

extension ExpansionContext {
    /// The function's asynchronous invocations (EventBridge's) report a failed run to the schedule's DLQ: an
    /// `EventInvokeConfig` for what the rule invokes (`$LATEST`, or the `live` alias with a rollout) and a policy
    /// on the function's role to send there.
    mutating func addFailureDestination(_ schedule: Schedule, dlqId: String) {
        let functionId = "\(schedule.function.name)Function"
        add(
            Resource(
                "\(schedule.name)ScheduleInvokeConfig", type: "AWS::Lambda::EventInvokeConfig",
                properties: Fields([
                    ("FunctionName", .ref(functionId)),
                    ("Qualifier", .string(stage.rollout == nil ? "$LATEST" : Self.aliasName)),
                    ("MaximumRetryAttempts", .int(2)),
                    (
                        "DestinationConfig",
                        .object(["OnFailure": .object(["Destination": .getAtt(dlqId, "Arn")])])
                    ),
                ]),
                dependsOn: stage.rollout == nil ? [] : [Self.aliasId(schedule.function)]))
        add(
            Resource(
                "\(schedule.name)ScheduleFailurePolicy", type: "AWS::IAM::Policy",
                properties: Fields([
                    ("PolicyName", .string("\(schedule.name)ScheduleFailures")),
                    ("Roles", .list([.ref("\(schedule.function.name)Role")])),
                    (
                        "PolicyDocument",
                        policyDocument([
                            .allow(["sqs:SendMessage"], on: [.getAtt(dlqId, "Arn")], sid: "ReportFailedRuns")
                        ])
                    ),
                ])))
    }
}
