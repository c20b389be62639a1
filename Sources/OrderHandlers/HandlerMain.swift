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
        guard let api = environment["AWS_LAMBDA_RUNTIME_API"], let connection = HTTPConnection(endpoint: api) else {
            let message = "AWS_LAMBDA_RUNTIME_API is not set to host:port; run this binary as a Lambda bootstrap\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            return 2
        }
        let transport = HTTPRuntimeTransport(connection: connection)
        var logger = Logger(label: "orderstack") { _ in
            JSONLogHandler(level: JSONLogHandler.level(fromLambda: environment["AWS_LAMBDA_LOG_LEVEL"]), now: clock)
        }
        logger[metadataKey: "function"] = .string(environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "local")
        let handler: LambdaRuntimeLoop.Handler
        do {
            handler = try makeHandler(kind, environment: environment, logger: logger)
        } catch {
            logger.critical("configuration error: \(error)")
            LambdaRuntimeLoop.reportInitError(
                transport, type: "Runtime.ConfigurationError", message: String(describing: error))
            return 1
        }
        do {
            try await LambdaRuntimeLoop.run(transport, handler: handler)
            return 0
        } catch {
            logger.critical("stopping: \(error)")
            return 1
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
    @Sendable public static func clock() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
