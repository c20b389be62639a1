import CloudFormation

/// A Lambda handler: an executable product of the project's package, and the zip `orderstack package` builds.
///
/// Name yours in the blueprint: `extension Handler { static let intake = Handler(artifact: "intake") }`.
public struct Handler: Sendable, Hashable {
    /// The executable product name, also the zip's base name (`order-processor`).
    public let artifact: String

    /// Creates a handler reference to the executable `artifact`.
    public init(artifact: String) { self.artifact = artifact }
}

/// A Lambda function on `provided.al2023` and its wiring.
///
/// Each wiring method returns a new function value; the expansion derives the event source mapping, the role's
/// statements and the environment from the edges. Nothing is granted by hand.
public struct Function: Sendable, Hashable {
    /// An SQS queue this function consumes.
    public struct Consumption: Sendable, Hashable {
        /// The queue.
        public let queue: Queue
        /// Records per batch; `nil` takes the stage's value.
        public let batchSize: Int?
        /// Cap on concurrent batches from this queue; `nil` takes the stage's value.
        public let maxConcurrency: Int?
        /// The subscriber whose queue this is, for a downstream consumer inside the stack; its queue is
        /// encrypted with the stack key, so the role may decrypt with it.
        public var subscriber: Subscriber?
    }

    /// The construct name; the function's physical name is `<stack>-<name>`.
    public let name: String
    /// The handler binary.
    public let handler: Handler
    /// Memory in MB; `nil` takes the stage's value for this function.
    public let memoryMB: Int?
    /// Queues consumed.
    public private(set) var consumes: [Consumption] = []
    /// Tables written (put, update, get).
    public private(set) var writes: [Table] = []
    /// Tables read (get by key).
    public private(set) var reads: [Table] = []
    /// Topics published to.
    public private(set) var publishes: [Topic] = []
    /// The table whose change stream this function reads to publish (the transactional outbox), if any.
    public private(set) var outbox: Table?
    /// Other constructs it uses (`FunctionResource`s): their statements, environment and edges are its own.
    public private(set) var uses: [AnyConstruct] = []

    /// Creates a function.
    public init(_ name: String, handler: Handler, memoryMB: Int? = nil) {
        self.name = name
        self.handler = handler
        self.memoryMB = memoryMB
    }

    /// Consumes `queue` through an SQS event source mapping with partial batch responses.
    /// Grants `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `sqs:GetQueueAttributes` on that queue.
    public func consumes(_ queue: Queue, batchSize: Int? = nil, maxConcurrency: Int? = nil) -> Function {
        var copy = self
        copy.consumes.append(Consumption(queue: queue, batchSize: batchSize, maxConcurrency: maxConcurrency))
        return copy
    }

    /// Consumes a subscriber's queue in this stack (a downstream consumer of a topic) through an SQS event source
    /// mapping with partial batch responses. Grants what `consumes(_ queue:)` grants, and `kms:Decrypt` with the
    /// stack key that encrypts subscriber queues.
    public func consumes(_ subscriber: Subscriber, batchSize: Int? = nil, maxConcurrency: Int? = nil) -> Function {
        var copy = self
        var consumption = Consumption(
            queue: Queue(subscriber.name), batchSize: batchSize, maxConcurrency: maxConcurrency)
        consumption.subscriber = subscriber
        copy.consumes.append(consumption)
        return copy
    }

    /// Writes `table`: grants `dynamodb:PutItem`, `dynamodb:UpdateItem`, `dynamodb:GetItem` on it and sets
    /// `<NAME>_TABLE_NAME` in the environment.
    public func writes(_ table: Table) -> Function {
        var copy = self
        copy.writes.append(table)
        return copy
    }

    /// Reads `table` by key: grants `dynamodb:GetItem` on it and sets `<NAME>_TABLE_NAME`.
    public func reads(_ table: Table) -> Function {
        var copy = self
        copy.reads.append(table)
        return copy
    }

    /// Publishes to `topic`: grants `sns:Publish` on it and sets `<NAME>_TOPIC_ARN`.
    public func publishes(_ topic: Topic) -> Function {
        var copy = self
        copy.publishes.append(topic)
        return copy
    }

    /// Uses `resource`, a construct of any kind that says what a function using it needs (`FunctionResource`):
    /// its statements join the role, its variables the environment.
    public func uses(_ resource: some FunctionResource) -> Function {
        var copy = self
        copy.uses.append(AnyConstruct(resource))
        return copy
    }

    /// The resources it uses, as what they grant.
    var resources: [any FunctionResource] { uses.compactMap { $0.base as? any FunctionResource } }

    /// Publishes to `topic` what it stores in `table`, through the table's change stream: a transactional outbox.
    ///
    /// The function only stores (an item enters the outbox with `published: false`); the table's stream
    /// (`NEW_IMAGE`) invokes the same function with each new unpublished item, filtered on `published` false,
    /// which publishes and sets `published: true`. The stream retries a failing record until it is published or
    /// 24 hours old (the stream's retention), splitting batches on error, and reports records it gave up on to a
    /// failure queue with an alarm. Sets `<NAME>_TOPIC_ARN` and `<NAME>_DELIVERY=outbox`, grants `sns:Publish`, the
    /// stream reads and `sqs:SendMessage` to the failure queue.
    public func publishes(_ topic: Topic, from table: Table) -> Function {
        var copy = publishes(topic)
        copy.outbox = table
        return copy
    }
}

extension Function: Construct {
    public static let kind = "function"
    public static let phase = ConstructPhase.functions

    public var reaches: [any Construct] {
        consumes.map { consumption in consumption.subscriber.map { $0 as any Construct } ?? consumption.queue }
            + (writes + reads).map { $0 as any Construct } + publishes.map { $0 as any Construct }
            + uses.map(\.base)
    }

    public func expand(in context: inout ExpansionContext) { context.expand(self) }
}

extension ExpansionContext {
    /// A function: log group, role derived from the wiring, the function, and one event source mapping per
    /// consumed queue.
    mutating func expand(_ function: Function) {
        let functionId = "\(function.name)Function"
        let roleId = "\(function.name)Role"
        let logGroupId = "\(function.name)LogGroup"
        let settings = settings(for: function)
        add(logGroup(logGroupId, name: .sub("/aws/lambda/${AWS::StackName}-\(function.name)", nil)))
        let (statements, environment, nagRules) = permissions(of: function, logGroupId: logGroupId)
        addRole(roleId, of: function, statements: statements, nagRules: nagRules)
        addFunction(function, settings: settings, roleId: roleId, logGroupId: logGroupId, environment: environment)
        graph.node(functionId, "\(function.name) (Lambda)", .function)
        addMappings(of: function, functionId: functionId)
        addMonitoring(of: function, functionId: functionId)
    }

    /// The statements the function's wiring needs (its log group, queues consumed, tables written and read, topics
    /// published to, its outbox, X-Ray), the environment naming those resources, and cdk-nag's reasons.
    func permissions(of function: Function, logGroupId: String)
        -> (statements: [Statement], environment: Fields, nag: [(String, String, [String])])
    {
        var statements: [Statement] = [
            .allow(
                ["logs:CreateLogStream", "logs:PutLogEvents"], on: [.getAtt(logGroupId, "Arn")], sid: "WriteOwnLogs")
        ]
        var environment = Fields()
        for consumption in function.consumes {
            statements.append(
                .allow(
                    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    on: [.getAtt("\(consumption.queue.name)Queue", "Arn")], sid: "Consume\(consumption.queue.name)"))
            // A topic's subscriber queues use the stack key; a rule's use SQS-managed encryption.
            if consumption.subscriber?.topic != nil {
                statements.append(
                    .allow(
                        ["kms:Decrypt"], on: [.getAtt(Self.keyId, "Arn")], sid: "Decrypt\(consumption.queue.name)"))
            }
        }
        for table in function.writes {
            statements.append(
                .allow(
                    ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"],
                    on: [.getAtt("\(table.name)Table", "Arn")],
                    sid: "Write\(table.name)"))
        }
        for table in function.reads where !function.writes.contains(table) {
            statements.append(
                .allow(["dynamodb:GetItem"], on: [.getAtt("\(table.name)Table", "Arn")], sid: "Read\(table.name)"))
        }
        for table in function.writes + function.reads
        where environment["\(Names.upperSnake(table.name))_TABLE_NAME"] == nil {
            environment["\(Names.upperSnake(table.name))_TABLE_NAME"] = .ref("\(table.name)Table")
        }
        for topic in function.publishes {
            statements.append(.allow(["sns:Publish"], on: [.ref("\(topic.name)Topic")], sid: "Publish\(topic.name)"))
            environment["\(Names.upperSnake(topic.name))_TOPIC_ARN"] = .ref("\(topic.name)Topic")
            if function.outbox != nil { environment["\(Names.upperSnake(topic.name))_DELIVERY"] = .string("outbox") }
        }
        if let table = function.outbox { statements += outboxStatements(function, table: table) }
        for resource in function.resources {
            statements += resource.statements
            for variable in resource.environment { environment[variable.name] = variable.value }
        }
        var nagRules: [(String, String, [String])] = []
        if stage.tracing {
            statements.append(
                .allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], on: [.string("*")], sid: "WriteTraces"))
            nagRules.append(
                (
                    "AwsSolutions-IAM5",
                    "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions; '*' is the only valid resource.",
                    ["Resource::*"]
                ))
        }
        return (statements, environment, nagRules)
    }

    /// The function's role: one inline policy of the statements its wiring derived.
    mutating func addRole(
        _ roleId: String, of function: Function, statements: [Statement], nagRules: [(String, String, [String])]
    ) {
        add(
            Resource(
                roleId, type: "AWS::IAM::Role",
                properties: Fields([
                    (
                        "Description",
                        .sub("${AWS::StackName} \(function.name): permissions derived from its wiring", nil)
                    ),
                    ("AssumeRolePolicyDocument", trustPolicy(service: "lambda.amazonaws.com")),
                    (
                        "Policies",
                        .list([
                            .object([
                                "PolicyName": .string("\(function.name)Wiring"),
                                "PolicyDocument": policyDocument(statements),
                            ])
                        ])
                    ),
                ]),
                metadata: Self.suppressions(cdkNag: nagRules)))

    }

    /// The function itself, with its logging, tracing and the reasons checkov's findings do not apply.
    mutating func addFunction(
        _ function: Function, settings: StageSettings.FunctionSettings, roleId: String, logGroupId: String,
        environment: Fields
    ) {
        let functionId = "\(function.name)Function"
        var properties = Fields([
            ("FunctionName", Names.stackScoped(function.name)),
            ("Description", .string("\(function.name) (\(function.handler.artifact)), Swift on provided.al2023")),
            ("Runtime", .string("provided.al2023")),
            ("Handler", .string("bootstrap")),
            ("Architectures", .strings([stage.architecture])),
            ("MemorySize", .int(settings.memoryMB)),
            ("Timeout", .int(settings.timeoutSeconds)),
        ])
        if let reserved = settings.reservedConcurrency {
            properties["ReservedConcurrentExecutions"] = .int(reserved)
        }
        properties["Role"] = .getAtt(roleId, "Arn")
        properties["Code"] = .object(["S3Bucket": .ref("ArtifactBucket"), "S3Key": .ref("\(function.name)CodeKey")])
        if !environment.isEmpty { properties["Environment"] = .object(["Variables": .map(environment)]) }
        // System logs at INFO: the platform's START, END and REPORT records are INFO-level events (Lambda developer
        // guide, log-level filtering), and REPORT's duration, billed time and memory are what cost and latency
        // analysis reads.
        properties["LoggingConfig"] = .object([
            "LogFormat": .string("JSON"), "ApplicationLogLevel": .string("INFO"), "SystemLogLevel": .string("INFO"),
            "LogGroup": .ref(logGroupId),
        ])
        properties["TracingConfig"] = .object(["Mode": .string(stage.tracing ? "Active" : "PassThrough")])
        var checkov: [(String, String)] = [
            (
                "CKV_AWS_116",
                model.constructs.contains { ($0.base as? Schedule)?.function.name == function.name }
                    ? "Invoked asynchronously by a schedule; failed runs go to the schedule's dead-letter queue through an EventInvokeConfig on-failure destination."
                    : function.consumes.isEmpty
                        ? "Invoked synchronously by API Gateway; a function DLQ applies only to asynchronous invocations."
                        : "Invoked by an SQS event source mapping; failed messages go to the source queue's DLQ, a function DLQ applies only to asynchronous invocations."
            ),
            (
                "CKV_AWS_117",
                "Calls only AWS public endpoints (DynamoDB, SNS); a VPC would add NAT cost and cold-start latency without reducing exposure."
            ),
            (
                "CKV_AWS_173",
                "The environment holds only resource names and ARNs, no secrets; Lambda encrypts it at rest with its service key."
            ),
        ]
        if settings.reservedConcurrency == nil {
            checkov.append(("CKV_AWS_115", "The stage leaves reserved concurrency unset for this function."))
        }
        if !stage.tracing {
            checkov.append(("CKV_AWS_50", "X-Ray is off in this stage (tracing: false); production stages trace."))
        }
        add(
            Resource(
                functionId, type: "AWS::Lambda::Function", properties: properties,
                metadata: Self.suppressions(checkov: checkov)))

    }

    /// One event source mapping per consumed queue (through the `live` alias with a rollout), its outbox, and the
    /// graph's edges.
    mutating func addMappings(of function: Function, functionId: String) {
        for consumption in function.consumes {
            let queueId = "\(consumption.queue.name)Queue"
            let consumer = stage.consumer(function: function.name, queue: consumption.queue.name)
            let batchSize = consumption.batchSize ?? consumer.batchSize
            add(
                Resource(
                    "\(function.name)\(consumption.queue.name)EventSourceMapping",
                    type: "AWS::Lambda::EventSourceMapping",
                    properties: Fields([
                        ("EventSourceArn", .getAtt(queueId, "Arn")),
                        ("FunctionName", invocationTarget(function)),
                        ("BatchSize", .int(batchSize)),
                        ("MaximumBatchingWindowInSeconds", .int(consumer.batchingWindowSeconds)),
                        ("FunctionResponseTypes", .strings(["ReportBatchItemFailures"])),
                        (
                            "ScalingConfig",
                            .object([
                                "MaximumConcurrency": .int(consumption.maxConcurrency ?? consumer.maxConcurrency)
                            ])
                        ),
                        ("Enabled", .bool(true)),
                    ])))
            graph.edge(queueId, functionId, "batches of \(batchSize), partial failures")
        }
        if let table = function.outbox { expandOutbox(function, table: table, functionId: functionId) }
        for table in function.writes { graph.edge(functionId, "\(table.name)Table", "writes") }
        for table in function.reads where !function.writes.contains(table) {
            graph.edge(functionId, "\(table.name)Table", "get by key")
        }
        for topic in function.publishes { graph.edge(functionId, "\(topic.name)Topic", "publish") }
        for resource in function.resources { graph.edge(functionId, resource.nodeId, resource.edgeLabel) }

    }

    /// The function's errors, throttles (and canary) alarms and its dashboard widget.
    mutating func addMonitoring(of function: Function, functionId: String) {
        alarms.append(
            AlarmSpec(
                logicalId: "\(functionId)ErrorsAlarm", description: "\(function.name): invocations failed",
                namespace: "AWS/Lambda", metric: "Errors", dimensions: [("FunctionName", .ref(functionId))],
                statistic: "Sum", threshold: stage.alarms.functionErrorsPerMinute))
        alarms.append(
            AlarmSpec(
                logicalId: "\(functionId)ThrottlesAlarm", description: "\(function.name): invocations throttled",
                namespace: "AWS/Lambda", metric: "Throttles", dimensions: [("FunctionName", .ref(functionId))],
                statistic: "Sum", threshold: 1))
        if stage.rollout != nil { alarms.append(canaryAlarm(function)) }
        widgets.append(
            WidgetSpec(
                title: "\(function.name): invocations, errors, throttles",
                metrics: [
                    ["AWS/Lambda", "Invocations", "FunctionName", "${\(functionId)}"],
                    ["AWS/Lambda", "Errors", "FunctionName", "${\(functionId)}"],
                    ["AWS/Lambda", "Throttles", "FunctionName", "${\(functionId)}"],
                    ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", "${\(functionId)}"],
                ],
                // "ConcurrentExecutions ... Useful statistic: Max" (Lambda developer guide, function metrics).
                statistics: ["ConcurrentExecutions": "Maximum"]))
    }

    /// The stage settings of a function: its `functions.<Name>` entry over the stage's defaults, and the memory the
    /// blueprint gives it, if any.
    func settings(for function: Function) -> StageSettings.FunctionSettings {
        var settings = stage.function(function.name)
        if let memory = function.memoryMB { settings.memoryMB = memory }
        return settings
    }
}
