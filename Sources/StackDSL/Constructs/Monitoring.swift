import CloudFormation

/// Alarms on every failure path of the stack, an alarm topic with an e-mail subscription, and a dashboard.
public struct Monitoring: Sendable, Hashable {
    /// The construct name; the dashboard is named `<stack>-<name>`.
    public let name: String

    /// Creates the monitoring construct.
    public init(_ name: String = "Operations") { self.name = name }
}

extension Monitoring: Construct {
    public static let kind = "monitoring"
    public static let phase = ConstructPhase.monitoring
    public static let maximumCount: Int? = 1
    public static let nameIsLogicalIdPrefix = false

    public func expand(in context: inout ExpansionContext) { context.expand(self) }
}

extension ExpansionContext {
    /// The alarm topic (stack key, CloudWatch allowed to publish), its e-mail subscription, one alarm per
    /// failure path contributed by the other constructs, and the dashboard.
    mutating func expand(_ monitoring: Monitoring) {
        keyForAlarms = true
        let topicId = "AlarmTopic"
        add(
            Resource(
                topicId, type: "AWS::SNS::Topic",
                properties: Fields([
                    ("DisplayName", .sub("${AWS::StackName} alarms", nil)),
                    ("KmsMasterKeyId", .getAtt(Self.keyId, "Arn")),
                ])))
        add(
            Resource(
                "\(topicId)Policy", type: "AWS::SNS::TopicPolicy",
                properties: Fields([
                    ("Topics", .list([.ref(topicId)])),
                    (
                        "PolicyDocument",
                        policyDocument([
                            .allow(
                                ["sns:Publish"], on: [.ref(topicId)],
                                principal: .object(["Service": .string("cloudwatch.amazonaws.com")]),
                                condition: .object([
                                    "StringEquals": .object(["aws:SourceAccount": .ref("AWS::AccountId")])
                                ]),
                                sid: "AlarmsPublish"),
                            .denyInsecureTransport(service: "sns", on: [.ref(topicId)]),
                        ])
                    ),
                ])))
        add(
            Resource(
                "AlarmEmailSubscription", type: "AWS::SNS::Subscription",
                properties: Fields([
                    ("TopicArn", .ref(topicId)), ("Protocol", .string("email")), ("Endpoint", .ref("AlarmEmail")),
                ])))
        graph.node(topicId, "Alarms (\(alarms.count), e-mail)", .alarms)
        for alarm in alarms {
            var properties = Fields([
                ("AlarmDescription", .string(alarm.description)),
                ("Namespace", .string(alarm.namespace)),
                ("MetricName", .string(alarm.metric)),
                ("Dimensions", .list(alarm.dimensions.map { .object(["Name": .string($0.0), "Value": $0.1]) })),
            ])
            if alarm.statistic.hasPrefix("p") {
                properties["ExtendedStatistic"] = .string(alarm.statistic)
            } else {
                properties["Statistic"] = .string(alarm.statistic)
            }
            properties["Period"] = .int(alarm.periodSeconds)
            properties["EvaluationPeriods"] = .int(alarm.evaluationPeriods)
            properties["DatapointsToAlarm"] = .int(alarm.evaluationPeriods)
            properties["Threshold"] = .int(alarm.threshold)
            properties["ComparisonOperator"] = .string(alarm.comparison)
            properties["TreatMissingData"] = .string("notBreaching")
            properties["AlarmActions"] = .list([.ref(topicId)])
            properties["OKActions"] = .list([.ref(topicId)])
            add(Resource(alarm.logicalId, type: "AWS::CloudWatch::Alarm", properties: properties))
        }
        add(
            Resource(
                "\(monitoring.name)Dashboard", type: "AWS::CloudWatch::Dashboard",
                properties: Fields([
                    ("DashboardName", Names.stackScoped(monitoring.name)),
                    ("DashboardBody", .sub(dashboardBody(), nil)),
                ])))
        expandQueries(for: monitoring)
        output("AlarmTopicArn", .ref(topicId), "ARN of the alarm topic")
    }

    /// The dashboard JSON, with `${...}` references resolved by `Fn::Sub`; two widgets per row.
    private func dashboardBody() -> String {
        var entries: [String] = []
        for (index, widget) in widgets.enumerated() {
            let metrics = widget.metrics.map { row in
                let own = row.count > 1 ? widget.statistics[row[1]].map { ",{\"stat\":\"\($0)\"}" } : nil
                return "[" + row.map { "\"\($0)\"" }.joined(separator: ",") + (own ?? "") + "]"
            }.joined(separator: ",")
            entries.append(
                "{\"type\":\"metric\",\"x\":\((index % 2) * 12),\"y\":\((index / 2) * 6),\"width\":12,\"height\":6,"
                    + "\"properties\":{\"title\":\"\(widget.title)\",\"region\":\"${AWS::Region}\",\"stat\":\"\(widget.statistic)\","
                    + "\"period\":60,\"view\":\"timeSeries\",\"metrics\":[\(metrics)]}}")
        }
        return "{\"widgets\":[" + entries.joined(separator: ",") + "]}"
    }
}
