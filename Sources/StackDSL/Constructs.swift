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

/// A standard SQS queue with its dead-letter queue.
///
/// Expands to the queue (SSE-SQS), its DLQ (14 days retention, redrive-allow limited to this queue), a TLS-only
/// queue policy, and alarms on DLQ depth and on the age of the oldest message.
public struct Queue: Sendable, Hashable {
    /// The construct name; the logical IDs are `<name>Queue` and `<name>DeadLetterQueue`.
    public let name: String
    /// Receives before a message moves to the DLQ (`maxReceiveCount`); `nil` takes the stage's value.
    public let deadLetterAfter: Int?

    /// Creates a queue.
    /// - Parameters:
    ///   - name: the construct name.
    ///   - deadLetterAfter: receives before a message moves to the DLQ; the stage's `queue.maxReceiveCount`
    ///     when omitted.
    public init(_ name: String, deadLetterAfter: Int? = nil) {
        self.name = name
        self.deadLetterAfter = deadLetterAfter
    }
}

/// An SNS topic that announces events to subscribers.
public struct Topic: Sendable, Hashable {
    /// The construct name; the logical ID is `<name>Topic`.
    public let name: String
    /// A display name.
    public let displayName: String?

    /// Creates a topic.
    public init(_ name: String, displayName: String? = nil) {
        self.name = name
        self.displayName = displayName
    }
}

/// A downstream service's own queue subscribed to a topic: queue, DLQ (also the subscription's redrive target),
/// a queue policy that admits only that topic, raw message delivery, and DLQ alarms.
///
/// Subscriber queues are encrypted with the stack's customer-managed KMS key, because SNS cannot deliver to
/// queues encrypted with the AWS-managed `alias/aws/sqs` key.
public struct Subscriber: Sendable, Hashable {
    /// The construct name; the logical IDs start with it.
    public let name: String
    /// The topic subscribed to.
    public let topic: Topic
    /// An optional SNS filter policy on message attributes (`{"type": ["OrderAccepted"]}`).
    public let filter: [String: [String]]

    /// Creates a subscriber.
    public init(_ name: String, to topic: Topic, filter: [String: [String]] = [:]) {
        self.name = name
        self.topic = topic
        self.filter = filter
    }
}

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

/// A request body schema shipped in `blueprints/schemas/<name>.json`.
public struct Schema: Sendable, Hashable {
    /// The file's base name and the API model's name.
    public let name: String

    /// Creates a schema reference to `blueprints/schemas/<name>.json`.
    public init(_ name: String) { self.name = name }
}

/// A route of a REST API.
public struct Route: Sendable, Hashable {
    /// What the route does.
    public enum Integration: Sendable, Hashable {
        /// Validates the JSON body against a schema and sends it to a queue (`sqs:SendMessage`), answering 202.
        case enqueue(Queue, schema: Schema)
        /// Proxies the request to a Lambda function.
        case invoke(Function)
    }

    /// The HTTP method.
    public let method: String
    /// The path, such as `/orders/{orderId}`.
    public let path: String
    /// The integration.
    public let integration: Integration

    /// `POST path`: validates the body with `schema` and enqueues it; the response is 202 with the SQS message ID.
    public static func post(_ path: String, validatedBy schema: Schema, enqueueTo queue: Queue) -> Route {
        Route(method: "POST", path: path, integration: .enqueue(queue, schema: schema))
    }

    /// `GET path` proxied to `function`.
    public static func get(_ path: String, invoke function: Function) -> Route {
        Route(method: "GET", path: path, integration: .invoke(function))
    }
}

/// A REST API (API Gateway v1) with its stage, access logs, throttling, validation and routes.
public struct RestAPI: Sendable, Hashable {
    /// The construct name; the logical ID of the API is `<name>`.
    public let name: String
    /// The routes.
    public let routes: [Route]

    /// Creates an API from a route builder.
    public init(_ name: String, @RouteBuilder routes: () -> [Route]) {
        self.name = name
        self.routes = routes()
    }
}

/// Alarms on every failure path of the stack, an alarm topic with an e-mail subscription, and a dashboard.
public struct Monitoring: Sendable, Hashable {
    /// The construct name; the dashboard is named `<stack>-<name>`.
    public let name: String

    /// Creates the monitoring construct.
    public init(_ name: String = "Operations") { self.name = name }
}

/// Builds the routes of a `RestAPI`.
@resultBuilder
public enum RouteBuilder {
    public static func buildExpression(_ route: Route) -> [Route] { [route] }
    public static func buildBlock(_ parts: [Route]...) -> [Route] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Route]?) -> [Route] { part ?? [] }
    public static func buildEither(first: [Route]) -> [Route] { first }
    public static func buildEither(second: [Route]) -> [Route] { second }
    public static func buildArray(_ parts: [[Route]]) -> [Route] { parts.flatMap { $0 } }
}
