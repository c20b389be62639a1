import AWSClients
import LambdaRuntime
import Logging
import OrderDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the two executables share: configuration from the environment, the AWS clients, logging and the runtime
/// loop. Missing configuration is reported to `/runtime/init/error` (Lambda then fails the invocation with that
/// message) instead of a crash loop.
public enum HandlerMain {
    /// The two handlers.
    public enum Kind: Sendable {
        case processor, query
    }

    /// Runs the handler until the Runtime API goes away; returns the process exit code: 1 when it went away (the
    /// failure is logged, and Lambda replaces the environment visibly), 2 without a Runtime API to talk to.
    public static func run(_ kind: Kind, environment: [String: String]) async -> Int32 {
        var logger = Logger(label: "orderstack") { _ in
            JSONLogHandler(level: JSONLogHandler.level(fromLambda: environment["AWS_LAMBDA_LOG_LEVEL"]), now: clock)
        }
        logger[metadataKey: "function"] = .string(environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "local")
        return await LambdaBootstrap.run(environment: environment, log: { [logger] in logger.critical("\($0)") }) {
            try makeHandler(kind, environment: environment, logger: logger)
        }
    }

    /// The handler for `kind`, with its clients built from `environment`.
    public static func makeHandler(
        _ kind: Kind, environment: [String: String], logger: Logger, transport: any AWSTransport = HTTPClientTransport()
    ) throws(ConfigurationError) -> LambdaRuntimeLoop.Handler {
        let aws = try AWSEnvironment(environment)
        let table = try aws.required("ORDERS_TABLE_NAME")
        let dynamo = DynamoDBClient(
            caller: AWSCaller(
                transport: transport, environment: aws, endpoint: try aws.endpoint(for: "dynamodb"),
                service: "dynamodb", now: clock))
        let store = DynamoDBOrderStore(client: dynamo, table: table)
        switch kind {
        case .processor:
            let topic = try aws.required("ORDER_EVENTS_TOPIC_ARN")
            let sns = SNSClient(
                caller: AWSCaller(
                    transport: transport, environment: aws, endpoint: try aws.endpoint(for: "sns"), service: "sns",
                    now: clock))
            let publisher = SNSEventPublisher(client: sns, topicArn: topic, logger: logger)
            let sleep: @Sendable (Int64) async -> Void = { milliseconds in
                try? await Task.sleep(nanoseconds: UInt64(max(0, milliseconds)) * 1_000_000)
            }
            var processor = OrderProcessor(store: store, publisher: publisher, now: clock, sleep: sleep)
            let delivery = environment["ORDER_EVENTS_DELIVERY"] ?? "direct"
            guard let mode = Delivery(rawValue: delivery) else {
                throw ConfigurationError(
                    variable: "ORDER_EVENTS_DELIVERY", problem: "'\(delivery)' is neither direct nor outbox")
            }
            processor.delivery = mode
            let announcer = OutboxAnnouncer(store: store, publisher: publisher, now: clock, sleep: sleep)
            let handler = ProcessorHandler(processor: processor, announcer: announcer, logger: logger)
            return { try await handler.handle($0) }
        case .query:
            let handler = QueryHandler(reader: store, logger: logger)
            return { try await handler.handle($0) }
        }
    }

    /// Wall-clock milliseconds since 1970.
    @Sendable public static func clock() -> Int64 { LambdaBootstrap.clock() }
}
