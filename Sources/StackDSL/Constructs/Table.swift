import CloudFormation

/// A DynamoDB table, billed on demand, keyed by one string partition key.
///
/// Expands to an `AWS::DynamoDB::Table` with encryption, point-in-time recovery, deletion protection from the
/// stage, and `DeletionPolicy`/`UpdateReplacePolicy: Retain`, plus alarms on read and write throttling.
public struct Table: Sendable, Hashable {
    /// The construct name; the logical ID is `<name>Table`.
    public let name: String
    /// The partition key attribute (type `S`).
    public let partitionKey: String

    /// Creates a table.
    public init(_ name: String, partitionKey: String) {
        self.name = name
        self.partitionKey = partitionKey
    }
}

extension Table: Construct {
    public static let kind = "table"
    public static let phase = ConstructPhase.tables

    public func expand(in context: inout ExpansionContext) { context.expand(self) }
}

extension ExpansionContext {
    /// The table: on demand, encrypted, point-in-time recovery, deletion protection, retained on delete and replace.
    mutating func expand(_ table: Table) {
        let logicalId = "\(table.name)Table"
        add(
            Resource(
                logicalId, type: "AWS::DynamoDB::Table",
                properties: Fields(
                    [
                        ("BillingMode", .string("PAY_PER_REQUEST")),
                        (
                            "AttributeDefinitions",
                            .list([
                                .object(["AttributeName": .string(table.partitionKey), "AttributeType": .string("S")])
                            ])
                        ),
                        (
                            "KeySchema",
                            .list([.object(["AttributeName": .string(table.partitionKey), "KeyType": .string("HASH")])])
                        ),
                        ("PointInTimeRecoverySpecification", .object(["PointInTimeRecoveryEnabled": .bool(true)])),
                        ("SSESpecification", .object(["SSEEnabled": .bool(true)])),
                        ("DeletionProtectionEnabled", .bool(stage.deletionProtection)),
                    ]
                        + (isOutbox(table)
                            ? [("StreamSpecification", .object(["StreamViewType": .string("NEW_IMAGE")]))] : [])),
                deletionPolicy: .string("Retain"), updateReplacePolicy: .string("Retain"),
                metadata: Self.suppressions(
                    checkov: [
                        (
                            "CKV_AWS_119",
                            "Encrypted at rest with the AWS-managed DynamoDB key (SSEEnabled). A customer-managed key would need a key policy naming every reader and writer role and adds KMS cost to every request; no compliance rule here asks for it."
                        )
                    ],
                    orderstack: stage.deletionProtection
                        ? []
                        : [
                            (
                                Rules.tableWithoutDeletionProtection.id,
                                "Stage \(stage.name) sets table.deletionProtection: false so the stack can be torn down; the table is still retained on delete and replace."
                            )
                        ])))
        graph.node(logicalId, "\(table.name) (DynamoDB table)", .table)
        alarms.append(
            AlarmSpec(
                logicalId: "\(logicalId)WriteThrottleAlarm",
                description: "\(table.name) table: write requests throttled",
                namespace: "AWS/DynamoDB", metric: "WriteThrottleEvents", dimensions: [("TableName", .ref(logicalId))],
                statistic: "Sum", threshold: 1))
        alarms.append(
            AlarmSpec(
                logicalId: "\(logicalId)ReadThrottleAlarm", description: "\(table.name) table: read requests throttled",
                namespace: "AWS/DynamoDB", metric: "ReadThrottleEvents", dimensions: [("TableName", .ref(logicalId))],
                statistic: "Sum", threshold: 1))
        widgets.append(
            WidgetSpec(
                title: "\(table.name) table: capacity and throttles",
                metrics: [
                    ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", "${\(logicalId)}"],
                    ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", "${\(logicalId)}"],
                    ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", "${\(logicalId)}"],
                ]))
        output("\(table.name)TableName", .ref(logicalId), "Name of the \(table.name) DynamoDB table")
    }
}
