import CloudFormation

/// The stack's wiring as cost, simulate, local, load and trace read it: API routes and what they feed, queues with the mappings
/// and functions that consume them, the tables each function writes and reads, the topics it publishes to and
/// their subscribers; plus the priced resources that hang off that flow (log groups, alarms, dashboards, keys).
///
/// Built from a template, so it is the same for a stack orderstack synthesized and for a hand-written or SAM
/// template (SAM is expanded first). Nothing is found by name: a function's role in the flow comes from what
/// feeds it and what its IAM statements allow.
public struct StackGraph: Sendable, Equatable {
    /// REST (API Gateway v1) or HTTP (v2) API.
    public enum APIKind: String, Sendable, Equatable {
        case rest = "REST"
        case http = "HTTP"
    }

    /// What a route hands its requests to.
    public enum Target: Sendable, Equatable {
        /// An SQS SendMessage integration into this queue (logical ID).
        case queue(String)
        /// A Lambda proxy integration of this function.
        case function(String)
        /// Something not priced as part of the flow (HTTP proxy, mock, another service), described.
        case other(String)
    }

    /// An API route.
    public struct Route: Sendable, Equatable {
        /// The API's logical ID.
        public var api: String
        public var kind: APIKind
        /// Upper-cased method (`ANY` for any).
        public var method: String
        public var path: String
        public var target: Target
        /// A Lambda authorizer in front of the route (function logical ID).
        public var authorizer: String?
        /// The route's authorization type (`NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`, `JWT`).
        public var authorization = "NONE"
        /// The JSON schema of the route's request model (`application/json`, else the first), as written.
        public var requestSchema: Value? = nil

        /// `POST /orders`, as profiles name routes.
        public var name: String { "\(method) \(path)" }
    }

    /// An API with the stage settings that matter for cost and throttling.
    public struct API: Sendable, Equatable {
        public var logicalId: String
        public var kind: APIKind
        /// The stage's (default route's) throttle.
        public var rateLimit: Double?
        public var burstLimit: Double?
        /// X-Ray tracing on the stage.
        public var traced = false
        /// The log group the stage writes access logs to.
        public var accessLogGroup: String?
    }

    /// A Lambda function.
    public struct FunctionNode: Sendable, Equatable {
        public var logicalId: String
        public var memoryMB: Double
        public var architecture: String
        public var reservedConcurrency: Double?
        /// The log group its lines go to, when the template declares it (`LoggingConfig.LogGroup` or the group
        /// named `/aws/lambda/<FunctionName>`); `nil`: the group Lambda creates, retained forever.
        public var logGroup: String?
        /// `SystemLogLevel` WARN or ERROR: no platform START/END/REPORT lines.
        public var quietSystemLogs = false
        /// Tables its statements allow writing (`PutItem`, `UpdateItem`, `BatchWriteItem`, `*`).
        public var writes: [String] = []
        /// Tables its statements allow reading and not writing.
        public var reads: [String] = []
        /// Topics its statements allow publishing to.
        public var publishes: [String] = []
    }

    /// An SQS queue.
    public struct QueueNode: Sendable, Equatable {
        public var logicalId: String
        public var visibilityTimeoutSeconds: Double
        public var maxReceiveCount: Double?
        public var deadLetterQueue: String?
        /// Encrypted with a KMS key (not SSE-SQS): data-key requests are billed.
        public var kmsEncrypted: Bool
    }

    /// An SQS event source mapping.
    public struct Consumer: Sendable, Equatable {
        public var mapping: String
        public var queue: String
        public var function: String
        public var batchSize: Double
        public var batchingWindowSeconds: Double
        public var maximumConcurrency: Double?
    }

    /// A DynamoDB stream event source mapping: a function reading a table's change stream (an outbox).
    public struct StreamConsumer: Sendable, Equatable {
        public var mapping: String
        public var table: String
        public var function: String
        public var batchSize: Double
        public var batchingWindowSeconds: Double
    }

    /// A topic subscription.
    public struct Subscription: Sendable, Equatable {
        public var logicalId: String
        public var topic: String
        /// `sqs`, `lambda`, `email`, ...
        public var `protocol`: String
        /// The subscribed queue or function (logical ID) for `sqs` and `lambda`.
        public var endpoint: String?
        /// The filter policy as written, and its scope (`MessageAttributes` unless `MessageBody`).
        public var filterPolicy: Value? = nil
        public var filterPolicyScope = "MessageAttributes"
        /// Where SNS moves a message it could not deliver (the subscription's redrive policy).
        public var deadLetterQueue: String? = nil
    }

    /// An EventBridge rule with a schedule expression invoking a function.
    public struct Schedule: Sendable, Equatable {
        public var rule: String
        /// `rate(1 hour)`, `cron(0 3 * * ? *)`.
        public var expression: String
        /// The function (logical ID) invoked.
        public var function: String
    }

    /// A DynamoDB table.
    public struct TableNode: Sendable, Equatable {
        public var logicalId: String
        public var pointInTimeRecovery: Bool
        /// The partition (HASH) key's attribute name.
        public var partitionKey: String? = nil
    }

    /// A log group the template declares.
    public struct LogGroupNode: Sendable, Equatable {
        public var logicalId: String
        public var retentionDays: Double?
        public var infrequentAccess: Bool
        /// Encrypted with a KMS key (`KmsKeyId`).
        public var encrypted: Bool
    }

    /// A CloudWatch alarm.
    public struct AlarmNode: Sendable, Equatable {
        public var logicalId: String
        public var namespace: String
        public var metricName: String
        /// The resource its first dimension names, when written as a reference.
        public var subject: String?
        public var threshold: Double?
        public var periodSeconds: Int
        public var evaluationPeriods: Int
        public var datapointsToAlarm: Int
        public var comparison: String
        /// Metrics billed: one, or the count of a metric-math alarm's `Metrics`.
        public var billedMetrics: Int
    }

    public var apis: [API] = []
    public var routes: [Route] = []
    /// Functions in template order.
    public var functions: [FunctionNode] = []
    public var queues: [QueueNode] = []
    public var consumers: [Consumer] = []
    /// Functions reading a table's change stream.
    public var streamConsumers: [StreamConsumer] = []
    public var topics: [String] = []
    /// EventBridge buses (logical IDs): routers like topics, their rules read as subscriptions.
    public var eventBuses: [String] = []
    /// Rules run on a schedule and the functions they invoke.
    public var schedules: [Schedule] = []
    public var subscriptions: [Subscription] = []
    public var tables: [TableNode] = []
    public var logGroups: [LogGroupNode] = []
    public var alarms: [AlarmNode] = []
    public var dashboards = 0
    public var kmsKeys = 0
    /// A resource type that costs money and that the estimate has no price for.
    public struct UnpricedType: Sendable, Equatable {
        public var type: String
        public var count: Int
    }

    /// Resource types that cost money and that the estimate has no price for, with their counts.
    public var unpriced: [UnpricedType] = []

    /// CodeDeploy deployment groups (gradual rollouts of functions): free, but each deployment keeps a version.
    public var rolloutGroups = 0

    /// The function with this logical ID.
    public func function(_ logicalId: String) -> FunctionNode? { functions.first { $0.logicalId == logicalId } }

    /// The queue with this logical ID.
    public func queue(_ logicalId: String) -> QueueNode? { queues.first { $0.logicalId == logicalId } }

    /// The mappings that consume `queue`.
    public func consumers(of queue: String) -> [Consumer] { consumers.filter { $0.queue == queue } }

    /// The subscriptions of `topic`.
    public func subscriptions(of topic: String) -> [Subscription] { subscriptions.filter { $0.topic == topic } }

    /// The API with this logical ID.
    public func api(_ logicalId: String) -> API? { apis.first { $0.logicalId == logicalId } }
}
