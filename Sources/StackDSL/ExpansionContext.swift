import CloudFormation

/// An alarm contributed by a construct's expansion; `Monitoring` turns each into an `AWS::CloudWatch::Alarm`.
struct AlarmSpec {
    var logicalId: String
    var description: String
    var namespace: String
    var metric: String
    var dimensions: [(String, Value)]
    var statistic: String
    var threshold: Int
    var periodSeconds = 60
    var evaluationPeriods = 1
    var comparison = "GreaterThanOrEqualToThreshold"
}

/// A dashboard widget contributed by a construct's expansion.
struct WidgetSpec {
    var title: String
    /// Metric rows as `[namespace, metric, dimension name, dimension value (a `${...}` Sub expression)]`.
    var metrics: [[String]]
    var statistic = "Sum"
    /// Metrics drawn with another statistic than the widget's, by metric name (a gauge such as
    /// `ConcurrentExecutions` is read as its Maximum, not summed).
    var statistics: [String: String] = [:]
}

/// State shared by the expansions of one stack: the template being built, alarms and widgets waiting for
/// `Monitoring`, the KMS key's service grants, and the graph. A construct adds to it in `expand(in:)` through its
/// public methods.
public struct ExpansionContext {
    let stack: Stack
    /// The stage being synthesized.
    public let stage: StageSettings
    let schemas: [String: Value]
    let model: ResolvedStack
    var template: Template
    /// The architecture graph: a construct adds its node and its edges.
    public var graph = ArchitectureGraph()
    var alarms: [AlarmSpec] = []
    var widgets: [WidgetSpec] = []
    /// Topics whose subscriber queues use the stack key (SNS needs `kms:GenerateDataKey*` and `kms:Decrypt`).
    var keyTopics: [Value] = []
    var keyForAlarms = false
    var keyForLogs = false
    var outputs: [Output] = []

    /// The logical ID of the stack's customer-managed key.
    static let keyId = "StackKey"

    init(stack: Stack, stage: StageSettings, schemas: [String: Value], model: ResolvedStack) {
        self.stack = stack
        self.stage = stage
        self.schemas = schemas
        self.model = model
        template = Template(description: "\(stack.description) (stage \(stage.name), synthesized by orderstack)")
    }

    /// Adds a resource to the template.
    public mutating func add(_ resource: Resource) { template.resources.append(resource) }

    /// A setting of `construct` in the stage file (`constructs.<Name>.<key>`), as written.
    public func setting(_ key: String, of construct: some Construct) -> Value? {
        stage.constructs[construct.name]?.settings[key]
    }

    /// An error about a construct's setting, located in the stage file.
    public func settingError(_ key: String, of construct: some Construct, _ message: String) -> SynthesisError {
        let mark = stage.constructs[construct.name]?.marks[key] ?? .start
        return SynthesisError([
            Diagnostic(
                path: stage.path, mark: mark, severity: .error, id: DiagnosticID.invalidValue,
                message: "'constructs.\(construct.name).\(key)' \(message)")
        ])
    }

    /// A resource added so far.
    public func resource(_ logicalId: String) -> Resource? { template.resource(logicalId) }

    /// An alarm on a metric, turned into an `AWS::CloudWatch::Alarm` (and a dashboard line) by `Monitoring`.
    public mutating func alarm(
        _ logicalId: String, description: String, namespace: String, metric: String, dimensions: [(String, Value)],
        statistic: String, threshold: Int, evaluationPeriods: Int = 1
    ) {
        alarms.append(
            AlarmSpec(
                logicalId: logicalId, description: description, namespace: namespace, metric: metric,
                dimensions: dimensions, statistic: statistic, threshold: threshold,
                evaluationPeriods: evaluationPeriods))
    }

    /// The stack key's ARN, marking it as used by log groups.
    mutating func logKeyArn() -> Value {
        keyForLogs = true
        return .getAtt(Self.keyId, "Arn")
    }

    /// A log group with the stage's retention, encrypted with the stack key.
    public mutating func logGroup(_ logicalId: String, name: Value) -> Resource {
        Resource(
            logicalId, type: "AWS::Logs::LogGroup",
            properties: Fields([
                ("LogGroupName", name), ("RetentionInDays", .int(stage.logRetentionDays)), ("KmsKeyId", logKeyArn()),
            ]))
    }

    /// `Metadata` suppressing checkov and cdk-nag findings, each with its reason.
    public static func suppressions(
        checkov: [(String, String)] = [], cdkNag: [(String, String, [String])] = [], orderstack: [(String, String)] = []
    ) -> Value? {
        var fields = Fields()
        if !orderstack.isEmpty {
            fields["orderstack"] = .object([
                "ignore": .list(orderstack.map { .object(["id": .string($0.0), "reason": .string($0.1)]) })
            ])
        }
        if !checkov.isEmpty {
            fields["checkov"] = .object([
                "skip": .list(checkov.map { .object(["id": .string($0.0), "comment": .string($0.1)]) })
            ])
        }
        if !cdkNag.isEmpty {
            fields["cdk_nag"] = .object([
                "rules_to_suppress": .list(
                    cdkNag.map { rule in
                        var entry = Fields([("id", .string(rule.0)), ("reason", .string(rule.1))])
                        if !rule.2.isEmpty { entry["applies_to"] = .strings(rule.2) }
                        return .map(entry)
                    })
            ])
        }
        return fields.isEmpty ? nil : .map(fields)
    }

    /// Adds the parameters, the KMS key (first), and the outputs once every construct is expanded.
    mutating func finish() {
        var parameters = [
            Parameter(
                "ArtifactBucket", description: "S3 bucket holding the Lambda zips written by `orderstack package`",
                constraints: Fields([
                    ("AllowedPattern", .string("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")),
                    ("ConstraintDescription", .string("an S3 bucket name")),
                ]))
        ]
        for function in model.functions {
            parameters.append(
                Parameter(
                    "\(function.name)CodeKey", description: "S3 key of the \(function.handler.artifact) zip",
                    defaultValue: .string("\(function.handler.artifact).zip")))
        }
        if !model.monitoring.isEmpty {
            parameters.append(
                Parameter(
                    "AlarmEmail", description: "E-mail address that receives alarm notifications",
                    defaultValue: stage.alarms.email.map { .string($0) },
                    constraints: Fields([
                        ("AllowedPattern", .string("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")),
                        ("ConstraintDescription", .string("an e-mail address")),
                    ])))
        }
        template.parameters = parameters
        if keyForLogs || keyForAlarms || !keyTopics.isEmpty {
            template.resources.insert(contentsOf: stackKey(), at: 0)
            // A subscriber queue's consumer needs kms:Decrypt on this key (docs/consumers.md).
            output(
                "StackKeyArn", .getAtt(Self.keyId, "Arn"),
                "ARN of the stack's KMS key: consumers of its subscriber queues need kms:Decrypt on it")
        }
        template.outputs = outputs
    }

    private func stackKey() -> [Resource] {
        var statements: [Statement] = [
            .allow(
                ["kms:*"], on: [.string("*")],
                principal: .object(["AWS": .sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root", nil)]),
                sid: "AccountAdministersKeyThroughIAM")
        ]
        if !keyTopics.isEmpty {
            statements.append(
                .allow(
                    ["kms:Decrypt", "kms:GenerateDataKey*"], on: [.string("*")],
                    principal: .object(["Service": .string("sns.amazonaws.com")]),
                    condition: .object(["ArnEquals": .object(["aws:SourceArn": .list(keyTopics)])]),
                    sid: "TopicsDeliverToEncryptedQueues"))
        }
        if keyForAlarms {
            statements.append(
                .allow(
                    ["kms:Decrypt", "kms:GenerateDataKey*"], on: [.string("*")],
                    principal: .object(["Service": .string("cloudwatch.amazonaws.com")]),
                    condition: .object(["StringEquals": .object(["aws:SourceAccount": .ref("AWS::AccountId")])]),
                    sid: "AlarmsPublishToEncryptedTopic"))
        }
        if keyForLogs {
            statements.append(
                .allow(
                    ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    on: [.string("*")],
                    principal: .object(["Service": .sub("logs.${AWS::Region}.amazonaws.com", nil)]),
                    condition: .object([
                        "ArnLike": .object([
                            "kms:EncryptionContext:aws:logs:arn": .sub(
                                "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*", nil)
                        ])
                    ]),
                    sid: "LogGroupsEncrypt"))
        }
        let key = Resource(
            Self.keyId, type: "AWS::KMS::Key",
            properties: Fields([
                ("Description", .sub("${AWS::StackName}: subscriber queues, alarm topic and log groups", nil)),
                ("EnableKeyRotation", .bool(true)),
                ("PendingWindowInDays", .int(30)),
                ("KeyPolicy", policyDocument(statements)),
            ]))
        let alias = Resource(
            "StackKeyAlias", type: "AWS::KMS::Alias",
            properties: Fields([("AliasName", .sub("alias/${AWS::StackName}", nil)), ("TargetKeyId", .ref(Self.keyId))])
        )
        return [key, alias]
    }

    /// A stack output, exported as `<stack>-<name>`.
    public mutating func output(_ name: String, _ value: Value, _ description: String) {
        outputs.append(Output(name, value: value, description: description, exportName: Names.stackScoped(name)))
    }
}
