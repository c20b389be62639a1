import AWSClients
import AWSSigV4
import AsyncHTTPClient
import CloudFormation
import DeployClients
import Foundation
import JSONDocument
import JSONText
import NIOCore
import NIOPosix
import StackGraph

/// How a local run is set up.
public struct LocalConfiguration: Sendable {
    public var stackName: String
    public var region: String
    /// The local AWS endpoint (moto_server or LocalStack).
    public var endpoint: String
    /// The gateway's port (0: a free one).
    public var port: Int
    /// Function logical ID to its bootstrap executable.
    public var executables: [String: String]
    public var logsDirectory: String
    /// IAM authorization on `AWS_IAM` methods (off with `--no-auth`).
    public var authorization = true
    /// Every queue's visibility timeout, instead of the template's.
    public var visibilityTimeout: Int?
    /// Prints each log line as it is written (`--tail`).
    public var tail: (@Sendable (String) -> Void)?
    public var credentials = LocalConfiguration.defaultCredentials
    /// What moto_server accepts and the local gateway checks signatures against.
    public static let defaultCredentials = Credentials(accessKeyId: "testing", secretAccessKey: "testing")
    public var parameters: [String: String] = [:]
    /// Environments per function when the template reserves no concurrency.
    public var defaultConcurrency = 10

    public init(
        stackName: String, region: String, endpoint: String, port: Int, executables: [String: String],
        logsDirectory: String
    ) {
        self.stackName = stackName
        self.region = region
        self.endpoint = endpoint
        self.port = port
        self.executables = executables
        self.logsDirectory = logsDirectory
    }
}

/// The stack running on this machine: provisioned services, the gateway, the function hosts and the pollers.
public final class LocalSession: Sendable {
    public let names: LocalNames
    public let report: ProvisionReport
    public let api: RestAPI?
    public let gatewayPort: Int?
    public let hosts: [String: FunctionHost]
    public let mappings: [MappingSpec]
    public let sqs: SQSClient
    public let dynamodb: DynamoDBAdmin
    public let counters: RequestCounters
    /// (logical ID, URL) of queues subscribed to a topic.
    let subscribed: [(String, String)]
    /// (logical ID, URL) of dead-letter queues.
    let deadLetters: [(String, String)]
    /// (logical ID, name) of tables.
    public let tables: [(String, String)]
    let server: HTTPServer?
    let pollers: Task<Void, Never>
    let group: MultiThreadedEventLoopGroup
    /// The DynamoDB stream mappings (the outboxes) and how far their pollers have read.
    public let streamMappings: [StreamMappingSpec]
    let streamActivity: StreamActivity

    init(
        names: LocalNames, report: ProvisionReport, api: RestAPI?, server: HTTPServer?, hosts: [String: FunctionHost],
        mappings: [MappingSpec], sqs: SQSClient, dynamodb: DynamoDBAdmin, counters: RequestCounters,
        wiring: Wiring, pollers: Task<Void, Never>, group: MultiThreadedEventLoopGroup,
        streamMappings: [StreamMappingSpec] = [], streamActivity: StreamActivity = StreamActivity()
    ) {
        self.streamMappings = streamMappings
        self.streamActivity = streamActivity
        self.names = names
        self.report = report
        self.api = api
        self.server = server
        self.gatewayPort = server?.port
        self.hosts = hosts
        self.mappings = mappings
        self.sqs = sqs
        self.dynamodb = dynamodb
        self.counters = counters
        self.subscribed = wiring.subscribed
        self.deadLetters = wiring.deadLetters
        self.tables = wiring.tables
        self.pollers = pollers
        self.group = group
    }

    /// Provisions `template` and starts everything it runs.
    public static func start(
        _ template: Template, configuration: LocalConfiguration, processes: ProcessRegistry,
        say: @escaping @Sendable (String) -> Void
    ) async throws -> LocalSession {
        let callers = Callers(configuration: configuration)
        let sqs = SQSClient(caller: try callers.caller("sqs"))
        let dynamodb = DynamoDBAdmin(caller: try callers.caller("dynamodb"))
        var parameters = configuration.parameters
        for parameter in template.parameters where parameters[parameter.name] == nil {
            parameters[parameter.name] =
                parameter.defaultValue.flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? "local"
        }
        let provisioner = Provisioner(
            sqs: sqs, sns: SNSAdmin(caller: try callers.caller("sns")), dynamodb: dynamodb,
            events: EventsAdmin(caller: try callers.caller("events")),
            visibilityTimeout: configuration.visibilityTimeout)
        let (names, report) = try await provisioner.provision(
            template,
            names: LocalNames(stackName: configuration.stackName, region: configuration.region, parameters: parameters))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var hosts: [String: FunctionHost] = [:]
        for spec in try functions(template, names: names, configuration: configuration) {
            let log = LogSink(
                path: "\(configuration.logsDirectory)/\(Self.fileName(spec.1)).log", source: spec.0.logicalId,
                tail: configuration.tail)
            hosts[spec.0.name] = FunctionHost(spec: spec.0, group: group, log: log, processes: processes)
        }
        let mappings = Self.mappings(template, names: names)
        let counters = RequestCounters()
        var api = RestAPI.all(in: template, names: names).first
        api?.generateKeyValues()
        var server: HTTPServer?
        if let api {
            server = try await gateway(
                api, configuration: configuration, callers: callers, hosts: hosts, counters: counters, group: group)
        }
        let pollerList = mappings.compactMap { mapping -> Poller? in
            guard let host = hosts[mapping.function] else { return nil }
            return Poller(spec: mapping, sqs: sqs, invoke: { await host.invoke($0) }, report: say)
        }
        let streamMappings = Self.streamMappings(template, names: names)
        let activity = StreamActivity()
        let streams = DynamoDBAdmin(caller: dynamodb.caller, targetPrefix: "DynamoDBStreams_20120810")
        let streamPollers = streamMappings.compactMap { mapping -> StreamPoller? in
            guard let host = hosts[mapping.function] else { return nil }
            var poller = StreamPoller(
                spec: mapping, streams: streams, sqs: sqs, invoke: { await host.invoke($0) }, report: say)
            poller.activity = activity
            return poller
        }
        let pollers = Task {
            await withTaskGroup(of: Void.self) { group in
                for poller in pollerList { group.addTask { await poller.run() } }
                for poller in streamPollers { group.addTask { await poller.run() } }
            }
        }
        return LocalSession(
            names: names, report: report, api: api, server: server, hosts: hosts, mappings: mappings, sqs: sqs,
            dynamodb: dynamodb, counters: counters, wiring: Wiring(template, names: names), pollers: pollers,
            group: group, streamMappings: streamMappings, streamActivity: activity)
    }

    /// Stops the pollers, the gateway and every function environment.
    public func stop() async {
        pollers.cancel()
        await server?.close()
        for host in hosts.values { await host.stop() }
        _ = await pollers.value
        try? await group.shutdownGracefully()
    }

    /// The functions the template declares, with their bootstraps and resolved environments, and their log
    /// group names.
    static func functions(_ template: Template, names: LocalNames, configuration: LocalConfiguration) throws
        -> [(FunctionSpec, String)]
    {
        try template.resources.filter { $0.type == "AWS::Lambda::Function" }.map { resource in
            guard let executable = configuration.executables[resource.logicalId] else {
                throw ProvisionError(
                    description: "\(resource.logicalId): no handler executable of this project runs it locally")
            }
            let identity = names.resources[resource.logicalId]
            let name = identity?.ref ?? resource.logicalId
            var environment: [String: String] = [:]
            for entry in resource.properties["Environment"]?["Variables"]?.fields ?? Fields() {
                environment[entry.key] = names.string(entry.value) ?? ""
            }
            environment.merge(
                [
                    "AWS_ENDPOINT_URL": configuration.endpoint, "AWS_REGION": configuration.region,
                    "AWS_DEFAULT_REGION": configuration.region,
                    "AWS_ACCESS_KEY_ID": configuration.credentials.accessKeyId,
                    "AWS_SECRET_ACCESS_KEY": configuration.credentials.secretAccessKey,
                    "AWS_LAMBDA_LOG_LEVEL": names.string(resource.properties["LoggingConfig"]?["ApplicationLogLevel"])
                        ?? "INFO",
                    "AWS_LAMBDA_LOG_FORMAT": names.string(resource.properties["LoggingConfig"]?["LogFormat"]) ?? "Text",
                ], uniquingKeysWith: { _, local in local })
            let reserved = names.string(resource.properties["ReservedConcurrentExecutions"]).flatMap(Int.init)
            let spec = FunctionSpec(
                logicalId: resource.logicalId, name: name, arn: identity?.attributes["Arn"] ?? name,
                executable: executable, environment: environment,
                timeoutSeconds: names.string(resource.properties["Timeout"]).flatMap(Int.init) ?? 3,
                memoryMB: names.string(resource.properties["MemorySize"]).flatMap(Int.init) ?? 128,
                maxEnvironments: reserved ?? configuration.defaultConcurrency)
            let group = names.string(resource.properties["LoggingConfig"]?["LogGroup"]) ?? "/aws/lambda/\(name)"
            return (spec, group)
        }
    }

    /// The SQS event source mappings, resolved.
    static func mappings(_ template: Template, names: LocalNames) -> [MappingSpec] {
        template.resources.filter { $0.type == "AWS::Lambda::EventSourceMapping" }.compactMap { resource in
            let properties = resource.properties
            guard names.string(properties["Enabled"]) != "false",
                case .getAtt(let queueId, _)? = properties["EventSourceArn"],
                let queue = names.resources[queueId], let url = queue.attributes["QueueUrl"],
                let function = names.string(properties["FunctionName"])
            else { return nil }
            let types = names.resolve(properties["FunctionResponseTypes"] ?? .list([]))?.items ?? []
            return MappingSpec(
                logicalId: resource.logicalId, queueUrl: url, queueArn: queue.attributes["Arn"] ?? "",
                function: function.split(separator: ":").last.map(String.init) ?? function,
                batchSize: names.string(properties["BatchSize"]).flatMap(Int.init) ?? 10,
                windowSeconds: names.string(properties["MaximumBatchingWindowInSeconds"]).flatMap(Int.init) ?? 0,
                maxConcurrency: names.string(properties["ScalingConfig"]?["MaximumConcurrency"]).flatMap(Int.init) ?? 2,
                reportsItemFailures: types.contains(.string("ReportBatchItemFailures")), region: names.region)
        }
    }

    /// The DynamoDB stream event source mappings (a table's `StreamArn` as the source), resolved.
    static func streamMappings(_ template: Template, names: LocalNames) -> [StreamMappingSpec] {
        template.resources.filter { $0.type == "AWS::Lambda::EventSourceMapping" }.compactMap { resource in
            let properties = resource.properties
            guard names.string(properties["Enabled"]) != "false",
                case .getAtt(let tableId, "StreamArn")? = properties["EventSourceArn"],
                let stream = names.resources[tableId]?.attributes["StreamArn"],
                let function = names.string(properties["FunctionName"])
            else { return nil }
            let types = names.resolve(properties["FunctionResponseTypes"] ?? .list([]))?.items ?? []
            let filters = (properties["FilterCriteria"]?["Filters"]?.items ?? []).compactMap { filter in
                names.string(filter["Pattern"]).flatMap { JSONValue.parse(Array($0.utf8)) }
            }
            var failureQueue: String?
            if case .getAtt(let queueId, _)? = properties["DestinationConfig"]?["OnFailure"]?["Destination"] {
                failureQueue = names.resources[queueId]?.attributes["QueueUrl"]
            }
            return StreamMappingSpec(
                logicalId: resource.logicalId, streamArn: stream,
                function: function.split(separator: ":").last.map(String.init) ?? function,
                batchSize: names.string(properties["BatchSize"]).flatMap(Int.init) ?? 100,
                reportsItemFailures: types.contains(.string("ReportBatchItemFailures")),
                maximumRetryAttempts: names.string(properties["MaximumRetryAttempts"]).flatMap(Int.init) ?? -1,
                filters: filters, onFailureQueueUrl: failureQueue, region: names.region)
        }
    }

    /// `/aws/lambda/x` as a file name: `aws_lambda_x`.
    public static func fileName(_ logGroup: String) -> String {
        String(logGroup.drop { $0 == "/" }).replacingOccurrences(of: "/", with: "_")
    }

    static func gateway(
        _ api: RestAPI, configuration: LocalConfiguration, callers: Callers, hosts: [String: FunctionHost],
        counters: RequestCounters, group: EventLoopGroup
    ) async throws -> HTTPServer {
        let accessLog = LogSink(
            path: "\(configuration.logsDirectory)/\(fileName(api.accessLogGroup ?? "api-access")).log", source: "api",
            tail: configuration.tail)
        let backends = GatewayBackends(
            callService: { service, path, headers, body in
                await callers.call(service, path: path, headers: headers, body: body)
            },
            invoke: { function, event in
                guard let host = hosts[function] else {
                    return .failed(type: "ResourceNotFoundException", message: "no local function \(function)")
                }
                return await host.invoke(event)
            }, now: { Int64(Date().timeIntervalSince1970 * 1000) })
        let keys = Dictionary(api.plans.compactMap { plan in plan.value.map { ($0, plan) } }) { first, _ in first }
        let gateway = Gateway(
            api: api, backends: backends, credentials: configuration.authorization ? configuration.credentials : nil,
            region: configuration.region, keys: keys, accessLog: { accessLog.write($0 + "\n") })
        return try await HTTPServer(
            port: configuration.port, group: group, maximumBody: Gateway.maximumPayload, tooLarge: Gateway.tooLarge
        ) { request in
            let answer = await gateway.handle(
                GatewayRequest(
                    method: request.method, path: request.path, query: request.query, headers: request.headers,
                    body: request.body, sourceIp: request.peer))
            counters.count(answer.status)
            return HTTPServerResponse(
                status: answer.status, headers: answer.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                body: answer.body)
        }
    }
}

/// The queues and tables the status line and the smoke test look at, from the stack's wiring graph: the queues
/// topics deliver to, the dead-letter queues, the tables.
struct Wiring: Sendable {
    var subscribed: [(String, String)] = []
    var deadLetters: [(String, String)] = []
    var tables: [(String, String)] = []

    init(_ template: Template, names: LocalNames) {
        let graph = StackGraph(template)
        func queue(_ id: String?) -> (String, String)? {
            guard let id, let url = names.resources[id]?.attributes["QueueUrl"] else { return nil }
            return (id, url)
        }
        subscribed = graph.subscriptions.filter { $0.protocol == "sqs" }.compactMap { queue($0.endpoint) }
        for found in graph.queues.compactMap({ queue($0.deadLetterQueue) })
        where !deadLetters.contains(where: { $0.0 == found.0 }) {
            deadLetters.append(found)
        }
        tables = graph.tables.compactMap { table -> (String, String)? in
            guard let name = names.resources[table.logicalId]?.ref else { return nil }
            return (table.logicalId, name)
        }
    }
}

/// Requests answered by the gateway, by status.
public final class RequestCounters: @unchecked Sendable {
    let lock = NSLock()
    var byStatus: [Int: Int] = [:]

    public func count(_ status: Int) { lock.withLock { byStatus[status, default: 0] += 1 } }
    public var snapshot: [Int: Int] { lock.withLock { byStatus } }
}

/// Signed callers for the local endpoint.
struct Callers: Sendable {
    var configuration: LocalConfiguration

    /// One client for every call to the local services, with room for every poller's long poll beside the
    /// gateway's requests (the shared client allows 8 connections per host, which the pollers alone fill).
    static let transport = HTTPClientTransport(
        client: HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512))))

    func caller(_ service: String, path: String? = nil) throws -> AWSCaller {
        guard var endpoint = Endpoint(url: configuration.endpoint) else {
            throw ProvisionError(description: "--endpoint \(configuration.endpoint) is not an http(s) URL")
        }
        if let path { endpoint.path = path }
        var caller = AWSCaller(
            transport: Callers.transport,
            environment: AWSEnvironment(
                region: configuration.region, credentials: configuration.credentials, environment: [:]),
            endpoint: endpoint, service: service, now: { Int64(Date().timeIntervalSince1970 * 1000) })
        caller.attemptTimeoutMs = 30_000
        return caller
    }

    /// A service integration's request; XML answers turned into the JSON API Gateway asks for with
    /// `Accept: application/json`.
    func call(_ service: String, path: String, headers: [(String, String)], body: [UInt8]) async -> (Int, [UInt8]) {
        if service == "sqs", let refusal = SQSRules.refusal(formBody: body) {
            return (400, SQSRules.errorJSON(code: refusal.code, message: refusal.message, requestId: UUID().uuidString))
        }
        do {
            let response = try await caller(service, path: path).send(
                operation: "Integration", headers: headers, body: body)
            if let tree = XMLNode.parse(response.body) {
                // Query API errors in JSON are `{"Error": {...}, "RequestId": ...}`, without the XML's root element.
                let json =
                    tree.name == "ErrorResponse"
                    ? XMLJSON.text(tree) : LocalJSON.object([(tree.name, XMLJSON.text(tree))])
                return (response.status, Array(json.utf8))
            }
            return (response.status, response.body)
        } catch {
            return (0, Array("\(error)".utf8))
        }
    }
}

/// An XML answer as JSON: leaves as strings, repeated children as arrays.
enum XMLJSON {
    static func text(_ node: XMLNode) -> String {
        guard !node.children.isEmpty else { return LocalJSON.text(Value.string(node.text)) }
        var names: [String] = []
        var groups: [String: [XMLNode]] = [:]
        for child in node.children {
            if groups[child.name] == nil { names.append(child.name) }
            groups[child.name, default: []].append(child)
        }
        return LocalJSON.object(
            names.map { name in
                let items = groups[name]!
                return (name, items.count == 1 ? text(items[0]) : "[" + items.map(text).joined(separator: ",") + "]")
            })
    }
}

extension LocalSession {
    /// Queues subscribed to a topic and consumed by no function of the stack: the downstream services' queues.
    public var subscriberQueues: [(String, String)] {
        let consumed = Set(mappings.map(\.queueUrl))
        return subscribed.filter { !consumed.contains($0.1) }
    }

    /// Receives and deletes every message of `url` until a 1-second long poll finds none.
    public func drain(_ url: String) async throws -> [ReceivedMessage] {
        var all: [ReceivedMessage] = []
        while true {
            let batch = try await take(url)
            if batch.isEmpty { return all }
            all += batch
        }
    }

    /// Up to ten messages of `url`, deleted: a short poll, and a 1-second long poll only when it finds none
    /// (moto_server holds a long poll for its whole wait whenever it has fewer than ten to give). The delete is
    /// tried three times, as a message that comes back would be seen twice.
    public func take(_ url: String) async throws -> [ReceivedMessage] {
        var batch = try await sqs.receive(url, max: 10, waitSeconds: 0)
        if batch.isEmpty { batch = try await sqs.receive(url, max: 10, waitSeconds: 1) }
        guard !batch.isEmpty else { return [] }
        for attempt in 1...3 {
            do {
                try await sqs.delete(url, receipts: batch.map(\.receiptHandle))
                break
            } catch {
                if attempt == 3 { throw error }
                try? await Task.sleep(nanoseconds: 100_000_000)
            }
        }
        return batch
    }

    /// Waits until every mapped queue is empty, nothing is in flight, and every stream poller has read to the end
    /// of its stream after that (what the queue's consumers stored has been handed to the outbox's reader).
    public func waitUntilIdle(seconds: Double) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var busy = false
            for mapping in mappings {
                let depth = try await sqs.depth(mapping.queueUrl)
                busy = busy || depth.visible + depth.inFlight > 0
            }
            if !busy {
                let drained = Date()
                while Date() < deadline {
                    if await streamActivity.caughtUp(streamMappings.map(\.logicalId), since: drained) { return }
                    try await Task.sleep(nanoseconds: 100_000_000)
                }
                return
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// One line for the status display.
    public func statusLine() async -> String {
        let requests = counters.snapshot.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
        var parts = ["requests " + (requests.isEmpty ? "0" : requests.joined(separator: " "))]
        for mapping in mappings {
            if let depth = try? await sqs.depth(mapping.queueUrl) {
                parts.append("queue \(depth.visible) in flight \(depth.inFlight)")
            }
        }
        for (name, table) in tables {
            if let count = try? await dynamodb.call(
                "Scan", "{\"TableName\":\(JSONText.quote(table)),\"Select\":\"COUNT\"}")["Count"]?.integer
            {
                parts.append("\(name) \(count)")
            }
        }
        for (name, url) in deadLetters {
            if let depth = try? await sqs.depth(url) { parts.append("\(name) \(depth.visible + depth.inFlight)") }
        }
        for (name, url) in subscriberQueues {
            if let depth = try? await sqs.depth(url) { parts.append("\(name) \(depth.visible)") }
        }
        return parts.joined(separator: " | ")
    }
}
