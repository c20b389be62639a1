import CloudFormation
import OrdersBlueprint
import Testing

@testable import StackDSL

/// Helpers shared by the expansion tests.
enum Fixture {
    static let schema = Value.object(["type": .string("object"), "required": .strings(["orderId"])])

    static func stage(_ configure: (inout StageSettings) -> Void = { _ in }) -> StageSettings {
        var stage = StageSettings(name: "test", region: "us-east-1")
        stage.functionDefaults.reservedConcurrency = 20
        stage.alarms.email = "ops@example.org"
        configure(&stage)
        return stage
    }

    static func synthesize(_ stack: Stack = OrdersBlueprint.stack, stage: StageSettings = stage()) throws -> Template {
        try Synthesizer.synthesize(stack, stage: stage, schemas: ["order": schema]).template
    }

    /// The statements of a role's only inline policy.
    static func statements(of role: Resource) -> [Value] {
        role["Policies"]?.items?.first?["PolicyDocument"]?["Statement"]?.items ?? []
    }

    static func statement(_ sid: String, in role: Resource) -> Value? {
        statements(of: role).first { $0["Sid"] == .string(sid) }
    }
}

@Suite struct SynthesizerTests {
    @Test func processorRoleHasExactlyTheWiredPermissions() throws {
        let template = try Fixture.synthesize()
        let role = try #require(template.resource("OrderProcessorRole"))
        let statements = Fixture.statements(of: role)
        #expect(
            statements.map { $0["Sid"] }
                == [
                    "WriteOwnLogs", "ConsumeOrderIntake", "WriteOrders", "PublishOrderEvents", "ReadOutboxOrders",
                    "ReportOutboxFailures", "WriteTraces",
                ].map { .string($0) })
        #expect(
            Fixture.statement("ReadOutboxOrders", in: role)?["Resource"] == .getAtt("OrdersTable", "StreamArn"),
            "the stream reads are granted on the outbox table's stream only")
        #expect(
            Fixture.statement("ReportOutboxFailures", in: role)?["Action"] == .string("sqs:SendMessage"))
        #expect(
            Fixture.statement("WriteOwnLogs", in: role)?["Action"]
                == .strings(["logs:CreateLogStream", "logs:PutLogEvents"]))
        #expect(Fixture.statement("WriteOwnLogs", in: role)?["Resource"] == .getAtt("OrderProcessorLogGroup", "Arn"))
        #expect(
            Fixture.statement("ConsumeOrderIntake", in: role)?["Action"]
                == .strings(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]))
        #expect(Fixture.statement("ConsumeOrderIntake", in: role)?["Resource"] == .getAtt("OrderIntakeQueue", "Arn"))
        #expect(
            Fixture.statement("WriteOrders", in: role)?["Action"]
                == .strings(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"]))
        #expect(Fixture.statement("WriteOrders", in: role)?["Resource"] == .getAtt("OrdersTable", "Arn"))
        #expect(Fixture.statement("PublishOrderEvents", in: role)?["Action"] == .string("sns:Publish"))
        #expect(Fixture.statement("PublishOrderEvents", in: role)?["Resource"] == .ref("OrderEventsTopic"))
        #expect(
            role["AssumeRolePolicyDocument"]?["Statement"]?.items?.first?["Principal"]
                == .object(["Service": .string("lambda.amazonaws.com")]))
    }

    @Test func queryRoleOnlyReadsTheTable() throws {
        let template = try Fixture.synthesize()
        let role = try #require(template.resource("OrderQueryRole"))
        #expect(
            Fixture.statements(of: role).map { $0["Sid"] }
                == ["WriteOwnLogs", "ReadOrders", "WriteTraces"].map { .string($0) })
        #expect(Fixture.statement("ReadOrders", in: role)?["Action"] == .string("dynamodb:GetItem"))
        let environment = template.resource("OrderQueryFunction")?["Environment"]?["Variables"]
        #expect(environment == .object(["ORDERS_TABLE_NAME": .ref("OrdersTable")]))
    }

    @Test func withoutTracingNoWildcardResourceIsGranted() throws {
        let template = try Fixture.synthesize(stage: Fixture.stage { $0.tracing = false })
        for role in template.resources where role.type == "AWS::IAM::Role" {
            for statement in Fixture.statements(of: role) {
                #expect(statement["Resource"] != .string("*"), "\(role.logicalId) grants '*'")
            }
        }
        #expect(
            template.resource("OrderProcessorFunction")?["TracingConfig"] == .object(["Mode": .string("PassThrough")]))
    }

    @Test func eventSourceMappingReportsPartialFailuresWithTheStageLimits() throws {
        let template = try Fixture.synthesize(
            stage: Fixture.stage {
                $0.consumers["OrderProcessor/OrderIntake"] = .init(
                    batchSize: 25, batchingWindowSeconds: 2, maxConcurrency: 7)
            })
        let mapping = try #require(template.resource("OrderProcessorOrderIntakeEventSourceMapping"))
        #expect(mapping["EventSourceArn"] == .getAtt("OrderIntakeQueue", "Arn"))
        #expect(mapping["FunctionName"] == .ref("OrderProcessorFunction"))
        #expect(mapping["BatchSize"] == .int(25))
        #expect(mapping["MaximumBatchingWindowInSeconds"] == .int(2))
        #expect(mapping["FunctionResponseTypes"] == .strings(["ReportBatchItemFailures"]))
        #expect(mapping["ScalingConfig"] == .object(["MaximumConcurrency": .int(7)]))
    }

    @Test func twoConsumersOfOneStackGetTheirOwnSettings() throws {
        let intake = Queue("Intake")
        let refunds = Queue("Refunds")
        let table = Table("Ledger", partitionKey: "id")
        let stack = Stack("two", description: "two consumers") {
            Function("Orders", handler: Handler(artifact: "orders")).consumes(intake).writes(table)
            Function("Refunder", handler: Handler(artifact: "refunder")).consumes(refunds).writes(table)
        }
        let template = try Fixture.synthesize(
            stack,
            stage: Fixture.stage {
                $0.functions = [
                    "Orders": .init(memoryMB: 512, timeoutSeconds: 30),
                    "Refunder": .init(memoryMB: 1024, timeoutSeconds: 60, reservedConcurrency: 3),
                ]
                $0.consumers = ["Refunder/Refunds": .init(batchSize: 2, maxConcurrency: 2)]
            })
        #expect(template.resource("OrdersFunction")?["MemorySize"] == .int(512))
        #expect(template.resource("RefunderFunction")?["MemorySize"] == .int(1024))
        #expect(template.resource("RefunderFunction")?["ReservedConcurrentExecutions"] == .int(3))
        #expect(template.resource("OrdersIntakeEventSourceMapping")?["BatchSize"] == .int(10))
        #expect(template.resource("RefunderRefundsEventSourceMapping")?["BatchSize"] == .int(2))
        #expect(template.resource("RefundsQueue")?["VisibilityTimeout"] == .int(6 * 60 + 1))
        #expect(template.resource("IntakeQueue")?["VisibilityTimeout"] == .int(6 * 30 + 1))
    }

    /// A monitored stack's stage must say where its alarms go: no placeholder address receives them.
    @Test func aMonitoredStackNeedsTheAlarmsAddress() throws {
        var stage = Fixture.stage()
        stage.path = "blueprints/stages/test.yaml"
        stage.alarms.email = nil
        let error = #expect(throws: SynthesisError.self) { try Fixture.synthesize(stage: stage) }
        #expect(
            error?.diagnostics.map(\.description) == [
                "blueprints/stages/test.yaml:1:1: error: OS0105: missing 'alarms.email': the stack's Monitoring sends its alarms to this address (it confirms the SNS subscription once); orderstack has no default to send them to"
            ])
        let unmonitored = Stack("quiet", description: "no alarms") { Queue("Jobs") }
        let template = try Synthesizer.synthesize(unmonitored, stage: stage, schemas: [:]).template
        #expect(template.parameters.allSatisfy { $0.name != "AlarmEmail" })
        stage.alarms.email = "team@example.org"
        let parameter = try Fixture.synthesize(stage: stage).parameters.first { $0.name == "AlarmEmail" }
        #expect(parameter?.defaultValue == .string("team@example.org"))
    }

    @Test func settingsForConstructsTheStackDoesNotHaveAreLocatedErrors() throws {
        var stage = Fixture.stage()
        stage.path = "blueprints/stages/test.yaml"
        stage.functions["OrderProcesor"] = .init(memoryMB: 1024)
        let error = #expect(throws: SynthesisError.self) { try Fixture.synthesize(stage: stage) }
        if let error {
            #expect(error.diagnostics.map(\.id) == ["OS0102"])
            #expect(error.diagnostics.first?.message.contains("its functions are: OrderProcessor, OrderQuery") == true)
        }
    }

    @Test func rawResourcesAndOverridesAreEscapeHatches() throws {
        let intake = Queue("Intake")
        let stack = Stack("hatch", description: "escape hatches") {
            Function("Worker", handler: Handler(artifact: "worker")).consumes(intake)
            RawResource(
                "IntakeUrlParameter", type: "AWS::SSM::Parameter",
                properties: [("Type", .string("String")), ("Value", .ref("IntakeQueue"))])
            Override("IntakeQueue", set: "Properties.MessageRetentionPeriod", to: .int(86_400))
            Override("IntakeQueue", add: "Properties.DelaySeconds", .int(5))
            Override("WorkerFunction", remove: "Properties.TracingConfig")
            Override("IntakeUrlParameter", add: "Properties.Description", .string("the intake queue's URL"))
            Override("IntakeQueue", set: "DeletionPolicy", to: .string("Retain"))
        }
        let template = try Fixture.synthesize(stack)
        let parameter = try #require(template.resource("IntakeUrlParameter"))
        #expect(parameter.type == "AWS::SSM::Parameter" && parameter["Value"] == .ref("IntakeQueue"))
        #expect(parameter["Description"] == .string("the intake queue's URL"), "overrides apply to raw resources too")
        let queue = try #require(template.resource("IntakeQueue"))
        #expect(queue["MessageRetentionPeriod"] == .int(86_400))
        #expect(queue["DelaySeconds"] == .int(5))
        #expect(queue.deletionPolicy == .string("Retain"))
        #expect(template.resource("WorkerFunction")?["TracingConfig"] == nil)
    }

    @Test(arguments: [
        (
            Override("IntakeQueu", set: "Properties.MessageRetentionPeriod", to: .int(1)),
            "Override of 'IntakeQueu': the template has no such resource; did you mean"
        ),
        (
            Override("IntakeQueue", set: "Properties.DelaySeconds", to: .int(1)),
            "Override of IntakeQueue at 'Properties.DelaySeconds': 'DelaySeconds' does not exist (use add: to add it)"
        ),
        (
            Override("IntakeQueue", add: "Properties.MessageRetentionPeriod", .int(1)),
            "'MessageRetentionPeriod' exists already (use set: to replace it)"
        ),
        (
            Override("IntakeQueue", set: "Properties.RedrivePolicy.nope.deeper", to: .int(1)),
            "Override of IntakeQueue at 'Properties.RedrivePolicy.nope.deeper': 'nope' does not exist"
        ),
        (
            Override("IntakeQueue", set: "Propertys.X", to: .int(1)),
            "a path starts with Properties, Metadata, DeletionPolicy or UpdateReplacePolicy"
        ),
    ])
    func badOverridesAreErrorsNamingThePath(override: Override, message: String) {
        let intake = Queue("Intake")
        let stack = Stack("hatch", description: "escape hatches") {
            Function("Worker", handler: Handler(artifact: "worker")).consumes(intake)
            override
        }
        let error = #expect(throws: SynthesisError.self) { try Fixture.synthesize(stack) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func intakeQueueVisibilityCoversSixTimeoutsAndTheWindow() throws {
        let template = try Fixture.synthesize(
            stage: Fixture.stage {
                $0.functions["OrderProcessor"] = .init(timeoutSeconds: 40, reservedConcurrency: 20)
                $0.consumers["OrderProcessor/OrderIntake"] = .init(batchingWindowSeconds: 5)
            })
        let queue = try #require(template.resource("OrderIntakeQueue"))
        #expect(queue["VisibilityTimeout"] == .int(245))
        #expect(
            queue["RedrivePolicy"]
                == .object([
                    "deadLetterTargetArn": .getAtt("OrderIntakeDeadLetterQueue", "Arn"), "maxReceiveCount": .int(5),
                ]))
        #expect(template.resource("OrderIntakeDeadLetterQueue")?["MessageRetentionPeriod"] == .int(1_209_600))
    }

    @Test func tableIsRetainedAndRecoverable() throws {
        let table = try #require(try Fixture.synthesize().resource("OrdersTable"))
        #expect(table.deletionPolicy == .string("Retain"))
        #expect(table.updateReplacePolicy == .string("Retain"))
        #expect(table["BillingMode"] == .string("PAY_PER_REQUEST"))
        #expect(table["PointInTimeRecoverySpecification"] == .object(["PointInTimeRecoveryEnabled": .bool(true)]))
        #expect(table["DeletionProtectionEnabled"] == .bool(true))
    }

    @Test func subscriberQueuesUseTheStackKeyAndAdmitOnlyTheirTopic() throws {
        let template = try Fixture.synthesize()
        for name in ["InventoryFulfillment", "Accounting"] {
            let queue = try #require(template.resource("\(name)Queue"))
            #expect(queue["KmsMasterKeyId"] == .getAtt("StackKey", "Arn"))
            let policy = try #require(template.resource("\(name)QueuePolicy"))
            let statement = policy["PolicyDocument"]?["Statement"]?.items?.first
            #expect(statement?["Principal"] == .object(["Service": .string("sns.amazonaws.com")]))
            #expect(
                statement?["Condition"] == .object(["ArnEquals": .object(["aws:SourceArn": .ref("OrderEventsTopic")])]))
            let subscription = try #require(template.resource("\(name)Subscription"))
            #expect(subscription["RawMessageDelivery"] == .bool(true))
            #expect(subscription["Endpoint"] == .getAtt("\(name)Queue", "Arn"))
            #expect(
                subscription["RedrivePolicy"]
                    == .object(["deadLetterTargetArn": .getAtt("\(name)DeadLetterQueue", "Arn")]))
            #expect(subscription.dependsOn == ["\(name)QueuePolicy"])
        }
        let keyPolicy = template.resource("StackKey")?["KeyPolicy"]?["Statement"]?.items ?? []
        let sns = keyPolicy.first { $0["Sid"] == .string("TopicsDeliverToEncryptedQueues") }
        #expect(
            sns?["Condition"] == .object(["ArnEquals": .object(["aws:SourceArn": .list([.ref("OrderEventsTopic")])])]))
    }

    @Test func postRouteValidatesAndSendsThroughARoleLimitedToTheQueue() throws {
        let template = try Fixture.synthesize()
        let method = try #require(template.resource("OrdersApiPostOrdersMethod"))
        #expect(method["RequestModels"] == .object(["application/json": .ref("OrdersApiOrderModel")]))
        #expect(method["RequestValidatorId"] == .ref("OrdersApiRequestValidator"))
        #expect(method["AuthorizationType"] == .string("AWS_IAM"))
        let integration = try #require(method["Integration"])
        #expect(integration["Type"] == .string("AWS"))
        #expect(integration["Credentials"] == .getAtt("OrdersApiOrderIntakeSendRole", "Arn"))
        #expect(
            integration["Uri"]
                == .sub(
                    "arn:${AWS::Partition}:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${OrderIntakeQueue.QueueName}",
                    nil))
        #expect(integration["IntegrationResponses"]?.items?.first?["StatusCode"] == .string("202"))
        let role = try #require(template.resource("OrdersApiOrderIntakeSendRole"))
        #expect(
            Fixture.statements(of: role) == [
                .object([
                    "Sid": .string("Enqueue"), "Effect": .string("Allow"), "Action": .string("sqs:SendMessage"),
                    "Resource": .getAtt("OrderIntakeQueue", "Arn"),
                ])
            ])
        #expect(template.resource("OrdersApiOrderModel")?["Schema"] == Fixture.schema)
    }

    @Test func getRouteProxiesToTheQueryFunctionWithAScopedPermission() throws {
        let template = try Fixture.synthesize()
        let method = try #require(template.resource("OrdersApiGetOrdersOrderIdMethod"))
        #expect(method["Integration"]?["Type"] == .string("AWS_PROXY"))
        #expect(method["RequestParameters"] == .object(["method.request.path.orderId": .bool(true)]))
        #expect(method["ResourceId"] == .ref("OrdersApiResourceOrdersOrderId"))
        let permission = try #require(template.resource("OrderQueryOrdersApiInvokePermission"))
        #expect(
            permission["SourceArn"]
                == .sub(
                    "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${OrdersApi}/*/GET/orders/*",
                    nil))
        #expect(permission["Principal"] == .string("apigateway.amazonaws.com"))
    }

    @Test func deploymentIdChangesWhenAMethodChanges() throws {
        let iam = try Fixture.synthesize().resources.first { $0.type == "AWS::ApiGateway::Deployment" }
        let key = try Fixture.synthesize(stage: Fixture.stage { $0.api.authorization = "api-key" }).resources.first {
            $0.type == "AWS::ApiGateway::Deployment"
        }
        let again = try Fixture.synthesize().resources.first { $0.type == "AWS::ApiGateway::Deployment" }
        #expect(iam?.logicalId != key?.logicalId)
        #expect(iam?.logicalId == again?.logicalId)
        #expect(iam?.dependsOn.contains("OrdersApiPostOrdersMethod") == true)
    }

    @Test func accountLoggingRoleIsOptIn() throws {
        #expect(try Fixture.synthesize().resource("ApiGatewayAccount") == nil)
        let template = try Fixture.synthesize(stage: Fixture.stage { $0.api.createAccountLoggingRole = true })
        #expect(template.resource("ApiGatewayAccount") != nil)
        #expect(template.resource("OrdersApiStage")?.dependsOn == ["ApiGatewayAccount"])
    }

    /// The POST integration sends the API's request ID and the body's key with each message (issue 28), the key
    /// only when the body has one (SQS refuses an empty attribute value).
    @Test func theIntegrationSendsTheRequestIDAndTheKeyAsMessageAttributes() throws {
        let template = try Fixture.synthesize()
        let post = try #require(
            template.resources.first { $0.type == "AWS::ApiGateway::Method" && $0["HttpMethod"] == .string("POST") })
        let request = try #require(post["Integration"]?["RequestTemplates"]?["application/json"]?.stringValue)
        #expect(request.hasPrefix("Action=SendMessage&MessageBody=$util.urlEncode($input.body)"))
        #expect(
            request.contains(
                "&MessageAttribute.1.Name=apiRequestId&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=$util.urlEncode($context.requestId)"
            ))
        #expect(
            request.contains(
                "#set($key = \"$!input.path('$.orderId')\")#if($key != \"\")&MessageAttribute.2.Name=orderId"))
        #expect(ExpansionContext.sendMessageTemplate(key: nil).contains("MessageAttribute.2") == false)
    }

    /// Saved Logs Insights queries (issue 28): over every log group of the stack, and on fields the stack writes:
    /// the access log's JSON keys, the handlers' `level`/`message`/`messageId`, the table's key in the title.
    @Test func savedQueriesReadWhatTheStackWrites() throws {
        let template = try Fixture.synthesize()
        let queries = template.resources.filter { $0.type == "AWS::Logs::QueryDefinition" }
        #expect(
            queries.map(\.logicalId) == [
                "OperationsJourneyQuery", "OperationsErrorsQuery", "OperationsSlowestQuery", "OperationsThrottledQuery",
            ])
        let groups = Set(template.resources.filter { $0.type == "AWS::Logs::LogGroup" }.map(\.logicalId))
        let journey = try #require(queries.first)
        let named = journey["LogGroupNames"]?.items?.compactMap { value -> String? in
            if case .ref(let target) = value { return target }
            return nil
        }
        #expect(Set(named ?? []) == groups)
        #expect(journey["Name"] == .sub("${AWS::StackName}/journey of one orderId (replace KEY-VALUE)", nil))
        let throttled = try #require(queries.last)
        #expect(throttled["LogGroupNames"]?.items == [.ref("OrdersApiAccessLogGroup")])
        let accessFormat = try #require(
            template.resources.first { $0.type == "AWS::ApiGateway::Stage" }?["AccessLogSetting"]?["Format"]?
                .stringValue)
        for field in ["status", "caller", "ip", "resourcePath", "apiRequestId"] {
            #expect(accessFormat.contains("\"\(field)\":"), "the access log writes \(field)")
            #expect(
                queries.contains { ($0["QueryString"]?.stringValue ?? "").contains(field) }, "a query reads \(field)")
        }
        let unmonitored = Stack("quiet", description: "no alarms") { Queue("Jobs") }
        let plain = try Synthesizer.synthesize(unmonitored, stage: Fixture.stage(), schemas: [:]).template
        #expect(!plain.resources.contains { $0.type == "AWS::Logs::QueryDefinition" })
    }

    @Test func everyFailurePathHasAnAlarm() throws {
        let template = try Fixture.synthesize()
        let alarms = template.resources.filter { $0.type == "AWS::CloudWatch::Alarm" }
        let watched = Set(alarms.map { "\($0["Namespace"]?.stringValue ?? "") \($0["MetricName"]?.stringValue ?? "")" })
        #expect(
            watched == [
                "AWS/ApiGateway 5XXError", "AWS/ApiGateway 4XXError", "AWS/ApiGateway Latency",
                "AWS/SQS ApproximateAgeOfOldestMessage", "AWS/SQS ApproximateNumberOfMessagesVisible",
                "AWS/Lambda Errors", "AWS/Lambda Throttles", "AWS/DynamoDB WriteThrottleEvents",
                "AWS/DynamoDB ReadThrottleEvents", "AWS/SNS NumberOfNotificationsFailed", "AWS/Lambda IteratorAge",
            ])
        let dlqAlarms = alarms.filter { $0["MetricName"] == .string("ApproximateNumberOfMessagesVisible") }
        #expect(
            Set(dlqAlarms.compactMap { $0["Dimensions"]?.items?.first?["Value"] }) == [
                .getAtt("OrderIntakeDeadLetterQueue", "QueueName"),
                .getAtt("InventoryFulfillmentDeadLetterQueue", "QueueName"),
                .getAtt("AccountingDeadLetterQueue", "QueueName"),
                .getAtt("OrderProcessorOutboxFailureQueue", "QueueName"),
            ])
        let iteratorAge = alarms.filter { $0["MetricName"] == .string("IteratorAge") }
        #expect(
            iteratorAge.map { $0["Dimensions"]?.items?.first?["Value"] } == [.ref("OrderProcessorFunction")],
            "IteratorAge only where a stream feeds the function (the outbox)")
        #expect(alarms.allSatisfy { $0["AlarmActions"] == .list([.ref("AlarmTopic")]) })
        #expect(
            alarms.count == 16,
            "3 API + 2 intake + 2 subscriber DLQs + 2x2 functions + 2 table + 1 topic + outbox failures and age")
    }

    @Test func outputsAreExportedWithTheStackNamePrefix() throws {
        let template = try Fixture.synthesize()
        #expect(
            template.outputs.map(\.name) == [
                "OrdersTableName", "OrderIntakeQueueUrl", "OrderIntakeDeadLetterQueueUrl", "OrderEventsTopicArn",
                "InventoryFulfillmentQueueUrl", "InventoryFulfillmentQueueArn",
                "InventoryFulfillmentDeadLetterQueueUrl",
                "AccountingQueueUrl", "AccountingQueueArn", "AccountingDeadLetterQueueUrl", "OrdersApiUrl",
                "AlarmTopicArn", "StackKeyArn",
            ])
        // What a downstream team needs to read its queue (docs/consumers.md): the queue's ARN and the key's.
        let outputs = Dictionary(template.outputs.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(outputs["AccountingQueueArn"] == .getAtt("AccountingQueue", "Arn"))
        #expect(outputs["StackKeyArn"] == .getAtt("StackKey", "Arn"))
        #expect(template.outputs.allSatisfy { $0.exportName == .sub("${AWS::StackName}-\($0.name)", nil) })
    }

    @Test func functionCodeComesFromParameters() throws {
        let template = try Fixture.synthesize()
        #expect(
            template.parameters.map(\.name) == [
                "ArtifactBucket", "OrderProcessorCodeKey", "OrderQueryCodeKey", "AlarmEmail",
            ])
        #expect(
            template.resource("OrderProcessorFunction")?["Code"]
                == .object(["S3Bucket": .ref("ArtifactBucket"), "S3Key": .ref("OrderProcessorCodeKey")]))
        #expect(template.parameter("OrderQueryCodeKey")?.defaultValue == .string("order-query.zip"))
    }

    @Test func twoDifferentConstructsWithOneNameAreRejected() {
        let stack = Stack("s", description: "d") {
            Queue("Work")
            Queue("Work", deadLetterAfter: 9)
        }
        #expect(throws: SynthesisError("two different queues are named 'Work'; give each construct its own name")) {
            try Fixture.synthesize(stack)
        }
    }

    @Test func missingSchemaIsReported() {
        let stack = Stack("s", description: "d") {
            RestAPI("Api") { Route.post("/x", validatedBy: Schema("nope"), enqueueTo: Queue("Q")) }
        }
        #expect(throws: SynthesisError.self) { try Fixture.synthesize(stack) }
    }

    @Test func reachableConstructsAreIncludedOnce() throws {
        let table = Table("T", partitionKey: "id")
        let stack = Stack("s", description: "d") {
            Function("A", handler: .orderQuery).reads(table)
            Function("B", handler: .orderQuery).reads(table)
        }
        let template = try Fixture.synthesize(stack)
        #expect(template.resources.filter { $0.type == "AWS::DynamoDB::Table" }.map(\.logicalId) == ["TTable"])
    }

    @Test func aFunctionConsumesASubscribersQueueInsideTheStack() throws {
        let stack = Stack("ledger", description: "a downstream consumer in the stack") {
            let events = Topic("Events")
            let feed = Subscriber("LedgerFeed", to: events)
            Function("Producer", handler: Handler(artifact: "producer")).publishes(events)
            Function("LedgerWriter", handler: Handler(artifact: "ledger")).consumes(feed, batchSize: 5)
        }
        let template = try Fixture.synthesize(stack)
        // The subscriber is expanded (subscription, encrypted queue), not a plain queue of the same name.
        #expect(template.resource("LedgerFeedSubscription")?.type == "AWS::SNS::Subscription")
        #expect(template.resource("LedgerFeedQueue")?["KmsMasterKeyId"] == .getAtt("StackKey", "Arn"))
        let mapping = try #require(template.resource("LedgerWriterLedgerFeedEventSourceMapping"))
        #expect(mapping["EventSourceArn"] == .getAtt("LedgerFeedQueue", "Arn"))
        #expect(mapping["BatchSize"] == .int(5))
        // The subscriber queue's visibility timeout follows its consumer (6 x timeout + window, at least 180 s).
        let timeout = try #require(template.resource("LedgerWriterFunction")?["Timeout"]?.intValue)
        let window = mapping["MaximumBatchingWindowInSeconds"]?.intValue ?? 0
        #expect(template.resource("LedgerFeedQueue")?["VisibilityTimeout"] == .int(max(180, 6 * timeout + window)))
        let role = try #require(template.resource("LedgerWriterRole"))
        let decrypt = try #require(Fixture.statement("DecryptLedgerFeed", in: role))
        #expect(decrypt["Action"] == .string("kms:Decrypt") || decrypt["Action"] == .strings(["kms:Decrypt"]))
        #expect(decrypt["Resource"] == .getAtt("StackKey", "Arn"))
    }
}
