extension GatePair {
    private static let table =
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html"
    private static let queue =
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html"
    private static let streams =
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html"
    private static let batchFailures =
        "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html"
    private static let intakeRetention = "      MessageRetentionPeriod: 345600\n      SqsManagedSseEnabled: true"
    private static let mapping =
        "      MaximumBatchingWindowInSeconds: 1\n      FunctionResponseTypes:\n      - ReportBatchItemFailures\n"

    /// The pairs of each class issue 23 names, written from the resource reference before the gate was changed.
    private static let rollout =
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html"
    static let mine: [GatePair] = [
        GatePair(
            name: "key attribute type S to N", stage: "prod",
            edits: [edit("        AttributeType: S", "        AttributeType: N")], expect: .dataLoss,
            resource: "OrdersTable", says: ["orderId", "deletion"], source: table),
        GatePair(
            name: "e-mail subscription endpoint through a parameter default", stage: "prod",
            edits: [edit("    Default: orders-oncall@example.com", "    Default: oncall@example.com")],
            expect: .replaced, resource: "AlarmEmailSubscription", source: table),
        GatePair(
            name: "KMS key spec on the stack key", stage: "prod",
            edits: [
                edit("      EnableKeyRotation: true\n", "      EnableKeyRotation: true\n      KeySpec: RSA_2048\n")
            ],
            expect: .refused, resource: "StackKey", says: ["regardless"]),
        GatePair(
            name: "KMS key spec written as its default", stage: "prod",
            edits: [
                edit(
                    "      EnableKeyRotation: true\n",
                    "      EnableKeyRotation: true\n      KeySpec: SYMMETRIC_DEFAULT\n")
            ], expect: .pass),
        GatePair(
            name: "LSI on the hash-only orders table", stage: "prod",
            edits: [
                edit(
                    "      DeletionProtectionEnabled: true\n",
                    "      DeletionProtectionEnabled: true\n      LocalSecondaryIndexes:\n      - IndexName: byDate\n        KeySchema:\n        - AttributeName: orderId\n          KeyType: HASH\n        Projection:\n          ProjectionType: KEYS_ONLY\n"
                )
            ], expect: .refused, resource: "OrdersTable", says: ["sort key"]),
        GatePair(
            name: "QueueName from Sub to an equal Join", stage: "prod",
            edits: [
                edit(
                    "      QueueName: !Sub ${AWS::StackName}-OrderIntake\n",
                    "      QueueName: !Join ['', [!Ref 'AWS::StackName', '-OrderIntake']]\n")
            ], expect: .pass),
        GatePair(
            name: "log group under a condition that is false by default", stage: "prod",
            edits: [
                edit(
                    "Resources:\n",
                    "Conditions:\n  KeepLogs: !Equals [!Ref AlarmEmail, nobody@example.com]\nResources:\n"),
                edit(
                    "  OrderProcessorLogGroup:\n    Type: AWS::Logs::LogGroup\n",
                    "  OrderProcessorLogGroup:\n    Type: AWS::Logs::LogGroup\n    Condition: KeepLogs\n"),
            ], expect: .dataLoss, resource: "OrderProcessorLogGroup", says: ["KeepLogs", "false"]),
        GatePair(
            name: "log group under a condition that holds with the deploy's parameter", stage: "prod",
            edits: [
                edit(
                    "Resources:\n",
                    "Conditions:\n  KeepLogs: !Equals [!Ref AlarmEmail, nobody@example.com]\nResources:\n"),
                edit(
                    "  OrderProcessorLogGroup:\n    Type: AWS::Logs::LogGroup\n",
                    "  OrderProcessorLogGroup:\n    Type: AWS::Logs::LogGroup\n    Condition: KeepLogs\n"),
            ], expect: .pass, parameters: ["AlarmEmail": "nobody@example.com"]),
        GatePair(
            name: "orders table renamed, every reference following", stage: "prod",
            edits: [renameAll("OrdersTable", "OrderStore")], expect: .dataLoss, resource: "OrdersTable",
            says: ["OrderStore", "orphaned"]),
        GatePair(
            name: "intake queue renamed keeping its QueueName", stage: "prod",
            edits: [renameAll("OrderIntakeQueue", "IntakeQueue")], expect: .refused, resource: "OrderIntakeQueue",
            says: ["name is taken"]),
        GatePair(
            name: "intake retention lowered", stage: "prod",
            edits: [edit(intakeRetention, "      MessageRetentionPeriod: 3600\n      SqsManagedSseEnabled: true")],
            expect: .dataLoss, resource: "OrderIntakeQueue", says: ["1 hour"], source: queue),
        GatePair(
            name: "intake retention raised", stage: "prod",
            edits: [edit(intakeRetention, "      MessageRetentionPeriod: 1209600\n      SqsManagedSseEnabled: true")],
            expect: .pass),
        GatePair(
            name: "DLQ retention lowered", stage: "prod",
            edits: [
                edit(
                    "OrderIntake-dlq\n      MessageRetentionPeriod: 1209600\n",
                    "OrderIntake-dlq\n      MessageRetentionPeriod: 86400\n")
            ], expect: .dataLoss, resource: "OrderIntakeDeadLetterQueue", says: ["dead-letter", "1 day"]),
        GatePair(
            name: "log group retention lowered", stage: "prod",
            edits: [
                edit(
                    "-OrderProcessor\n      RetentionInDays: 30", "-OrderProcessor\n      RetentionInDays: 7")
            ], expect: .dataLoss, resource: "OrderProcessorLogGroup", says: ["7 days"]),
        GatePair(
            name: "intake redrive removed", stage: "prod",
            edits: [
                edit(
                    "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt OrderIntakeDeadLetterQueue.Arn\n        maxReceiveCount: 5\n",
                    "")
            ], expect: .dataLoss, resource: "OrderIntakeQueue", says: ["OrderIntakeDeadLetterQueue"]),
        GatePair(
            name: "partial batch responses removed", stage: "prod",
            edits: [edit(mapping, "      MaximumBatchingWindowInSeconds: 1\n")],
            expect: .dataLoss, resource: "OrderProcessorOrderIntakeEventSourceMapping",
            says: ["batchItemFailures", "deleted"]),
        GatePair(
            name: "accounting subscription removed", stage: "prod",
            edits: [
                edit(
                    "  AccountingSubscription:\n    Type: AWS::SNS::Subscription\n",
                    "  AccountingSubscriptionGone:\n    Type: AWS::SNS::Topic\n    Condition: Never\n"),
                edit("Resources:\n", "Conditions:\n  Never: !Equals [a, b]\nResources:\n"),
            ], expect: .deliveryLoss, resource: "AccountingSubscription"),
        GatePair(
            name: "accounting filter narrowed", stage: "prod",
            edits: [
                edit(
                    "        deadLetterTargetArn: !GetAtt AccountingDeadLetterQueue.Arn\n      FilterPolicyScope: MessageAttributes\n      FilterPolicy:\n        type:\n        - OrderAccepted\n",
                    "        deadLetterTargetArn: !GetAtt AccountingDeadLetterQueue.Arn\n      FilterPolicyScope: MessageAttributes\n      FilterPolicy:\n        type:\n        - OrderAccepted\n        channel:\n        - web\n"
                )
            ], expect: .deliveryLoss, resource: "AccountingSubscription"),
        GatePair(
            name: "accounting filter widened", stage: "prod",
            edits: [
                edit(
                    "        deadLetterTargetArn: !GetAtt AccountingDeadLetterQueue.Arn\n      FilterPolicyScope: MessageAttributes\n      FilterPolicy:\n        type:\n        - OrderAccepted\n",
                    "        deadLetterTargetArn: !GetAtt AccountingDeadLetterQueue.Arn\n      FilterPolicyScope: MessageAttributes\n      FilterPolicy:\n        type:\n        - OrderAccepted\n        - OrderCancelled\n"
                )
            ], expect: .pass),
        GatePair(
            name: "PITR off", stage: "prod",
            edits: [edit("        PointInTimeRecoveryEnabled: true", "        PointInTimeRecoveryEnabled: false")],
            expect: .warning, resource: "OrdersTable", says: ["point-in-time"]),
        GatePair(
            name: "deletion protection off", stage: "prod",
            edits: [edit("      DeletionProtectionEnabled: true", "      DeletionProtectionEnabled: false")],
            expect: .warning, resource: "OrdersTable", says: ["deletion protection"]),
        GatePair(
            name: "table DeletionPolicy Retain to Delete", stage: "prod",
            edits: [
                edit(
                    "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Metadata:",
                    "    DeletionPolicy: Delete\n    UpdateReplacePolicy: Retain\n    Metadata:")
            ],
            expect: .warning, resource: "OrdersTable", says: ["Retain"]),
        GatePair(
            name: "TTL on the orders table", stage: "prod",
            edits: [
                edit(
                    "      DeletionProtectionEnabled: true\n",
                    "      DeletionProtectionEnabled: true\n      TimeToLiveSpecification:\n        AttributeName: expiresAt\n        Enabled: true\n"
                )
            ], expect: .warning, resource: "OrdersTable", says: ["time to live"]),
        GatePair(
            name: "processor reserved concurrency 0", stage: "prod",
            edits: [edit("      ReservedConcurrentExecutions: 60", "      ReservedConcurrentExecutions: 0")],
            expect: .warning, resource: "OrderProcessorFunction", says: ["throttled"]),
        GatePair(
            name: "mapping disabled", stage: "prod",
            edits: [
                edit(
                    "        MaximumConcurrency: 50\n      Enabled: true\n",
                    "        MaximumConcurrency: 50\n      Enabled: false\n")
            ],
            expect: .warning,
            resource: "OrderProcessorOrderIntakeEventSourceMapping", says: ["disabled"]),
        GatePair(
            name: "stack key removed", stage: "prod",
            edits: [
                edit(
                    "  StackKey:\n    Type: AWS::KMS::Key\n",
                    "  StackKeyGone:\n    Type: AWS::KMS::Key\n    Condition: Never\n"),
                edit("Resources:\n", "Conditions:\n  Never: !Equals [a, b]\nResources:\n"),
            ], expect: .dataLoss, resource: "StackKey", says: ["30 days", "AccountingQueue"]),
        GatePair(
            name: "memory raised", stage: "prod",
            edits: [
                edit(
                    "      MemorySize: 512\n      Timeout: 30\n      ReservedConcurrentExecutions: 60",
                    "      MemorySize: 1024\n      Timeout: 30\n      ReservedConcurrentExecutions: 60")
            ],
            expect: .pass),
        GatePair(
            name: "GSI added", stage: "prod",
            edits: [
                edit(
                    "      - AttributeName: orderId\n        AttributeType: S\n",
                    "      - AttributeName: orderId\n        AttributeType: S\n      - AttributeName: customerId\n        AttributeType: S\n"
                ),
                edit(
                    "      DeletionProtectionEnabled: true\n",
                    "      DeletionProtectionEnabled: true\n      GlobalSecondaryIndexes:\n      - IndexName: byCustomer\n        KeySchema:\n        - AttributeName: customerId\n          KeyType: HASH\n        Projection:\n          ProjectionType: ALL\n"
                ),
            ], expect: .pass),
        GatePair(
            name: "retention number quoted", stage: "prod",
            edits: [edit(intakeRetention, "      MessageRetentionPeriod: '345600'\n      SqsManagedSseEnabled: true")],
            expect: .pass),
        GatePair(
            name: "dev table key attribute type (no deletion protection)", stage: "dev",
            edits: [edit("        AttributeType: S", "        AttributeType: B")], expect: .dataLoss,
            resource: "OrdersTable", says: ["orphaned"]),
        GatePair(
            name: "outbox mapping removed", stage: "prod",
            edits: [
                edit(
                    "  OrderProcessorOrdersOutboxEventSourceMapping:\n    Type: AWS::Lambda::EventSourceMapping\n",
                    "  OrderProcessorOrdersOutboxEventSourceMapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Condition: Never\n"
                ),
                edit("Resources:\n", "Conditions:\n  Never: !Equals [a, b]\nResources:\n"),
            ], expect: .deliveryLoss, resource: "OrderProcessorOrdersOutboxEventSourceMapping",
            says: ["change stream", "never delivered"], source: streams),
        GatePair(
            name: "the outbox table's stream turned off", stage: "prod",
            edits: [edit("      StreamSpecification:\n        StreamViewType: NEW_IMAGE\n", "")],
            expect: .deliveryLoss, resource: "OrdersTable", says: ["turned off"], source: streams),
        GatePair(
            name: "the outbox table's stream view type changed", stage: "prod",
            edits: [edit("        StreamViewType: NEW_IMAGE\n", "        StreamViewType: NEW_AND_OLD_IMAGES\n")],
            expect: .deliveryLoss, resource: "OrdersTable", says: ["new one started"], source: streams),
        GatePair(
            name: "outbox mapping renamed, reading from the trim horizon", stage: "prod",
            edits: [renameAll("OrderProcessorOrdersOutboxEventSourceMapping", "OutboxReader")], expect: .pass),
        GatePair(
            name: "partial batch responses removed from the outbox's stream mapping", stage: "prod",
            edits: [
                edit(
                    "      BisectBatchOnFunctionError: true\n      FunctionResponseTypes:\n      - ReportBatchItemFailures\n",
                    "      BisectBatchOnFunctionError: true\n")
            ], expect: .pass, source: batchFailures),
        GatePair(
            name: "a rollout's alias loses its CodeDeploy update policy", stage: "prod",
            edits: [
                edit(
                    "  OrderProcessorLiveAlias:\n    Type: AWS::Lambda::Alias\n    DependsOn: OrderProcessorFunctionCanaryErrorsAlarm\n    UpdatePolicy:\n      CodeDeployLambdaAliasUpdate:\n        ApplicationName: !Ref RolloutApplication\n        DeploymentGroupName: !Ref OrderProcessorDeploymentGroup\n",
                    "  OrderProcessorLiveAlias:\n    Type: AWS::Lambda::Alias\n    DependsOn: OrderProcessorFunctionCanaryErrorsAlarm\n"
                )
            ], expect: .warning, resource: "OrderProcessorLiveAlias", says: ["gradual rollout removed"],
            source: rollout),
        GatePair(
            name: "a rollout's automatic rollback turned off", stage: "prod",
            edits: [
                edit(
                    "      AutoRollbackConfiguration:\n        Enabled: true\n        Events:\n        - DEPLOYMENT_FAILURE\n        - DEPLOYMENT_STOP_ON_ALARM\n  OrderQueryVersion:",
                    "      AutoRollbackConfiguration:\n        Enabled: false\n        Events:\n        - DEPLOYMENT_FAILURE\n        - DEPLOYMENT_STOP_ON_ALARM\n  OrderQueryVersion:"
                )
            ], expect: .warning, resource: "OrderProcessorDeploymentGroup", says: ["automatic rollback turned off"],
            source: rollout),
        GatePair(
            name: "a canary rollout made linear", stage: "prod",
            edits: [
                edit(
                    "      DeploymentConfigName: CodeDeployDefault.LambdaCanary10Percent5Minutes\n      DeploymentStyle:\n        DeploymentType: BLUE_GREEN\n        DeploymentOption: WITH_TRAFFIC_CONTROL\n      AlarmConfiguration:\n        Enabled: true\n        Alarms:\n        - Name: !Ref OrderProcessorFunctionCanaryErrorsAlarm",
                    "      DeploymentConfigName: CodeDeployDefault.LambdaLinear10PercentEvery1Minute\n      DeploymentStyle:\n        DeploymentType: BLUE_GREEN\n        DeploymentOption: WITH_TRAFFIC_CONTROL\n      AlarmConfiguration:\n        Enabled: true\n        Alarms:\n        - Name: !Ref OrderProcessorFunctionCanaryErrorsAlarm"
                )
            ], expect: .pass, source: rollout),
        GatePair(
            name: "new code publishes a new retained version", stage: "prod",
            edits: [
                edit(
                    "Description: !Sub code ${OrderQueryCodeKey}, configuration ",
                    "Description: !Sub code ${OrderQueryCodeKey}, config ")
            ],
            expect: .pass, source: rollout),
        GatePair(
            name: "a function's rollout removed with its deployment group", stage: "prod",
            edits: [
                edit(
                    "  OrderQueryDeploymentGroup:\n    Type: AWS::CodeDeploy::DeploymentGroup\n",
                    "  OrderQueryDeploymentGroup:\n    Type: AWS::CodeDeploy::DeploymentGroup\n    Condition: Never\n"),
                edit("Resources:\n", "Conditions:\n  Never: !Equals [a, b]\nResources:\n"),
                edit(
                    "        DeploymentGroupName: !Ref OrderQueryDeploymentGroup\n",
                    "        DeploymentGroupName: !If [Never, !Ref OrderQueryDeploymentGroup, !Ref AWS::NoValue]\n"),
            ], expect: .warning, resource: "OrderQueryDeploymentGroup", says: ["all traffic at once"], source: rollout),
    ]
}
