import CloudFormation

/// What the estimate needs to know about a synthesized stack, read from the template itself.
///
/// Everything that moves cost comes from the template: the function behind the intake queue and its memory,
/// architecture, batch size and window; the query function; how many subscriber queues the events fan out to;
/// tables and PITR; log groups with their retention and class; alarms, dashboards, KMS keys, tracing.
public struct StackUsageModel: Sendable, Equatable {
    /// A Lambda function as priced.
    public struct FunctionInfo: Sendable, Equatable {
        public var logicalId: String
        public var memoryMB: Double
        public var architecture: String
    }

    /// A log group as priced.
    public struct LogGroupInfo: Sendable, Equatable {
        public var logicalId: String
        public var retentionDays: Double?
        public var infrequentAccess: Bool
        /// What writes to it: `processor`, `query`, `access` or `other`.
        public var role: String
    }

    public var restApis = 0
    public var hasPostRoute = false
    public var hasGetRoute = false
    public var intakeQueue: String?
    public var processor: FunctionInfo?
    public var batchSize = 10.0
    public var batchingWindowSeconds = 0.0
    public var query: FunctionInfo?
    public var eventTopics = 0
    public var subscriberQueues: [String] = []
    public var tables: [String] = []
    public var pitrTables = 0
    public var logGroups: [LogGroupInfo] = []
    public var alarms = 0
    /// Alarms on `ReadThrottleEvents` (candidates to drop where reads are rare).
    public var readThrottleAlarms = 0
    public var dashboards = 0
    public var kmsKeys = 0
    /// Queues encrypted with a KMS key (not SSE-SQS): each makes data-key requests.
    public var kmsQueues = 0
    public var tracedApi = false
    public var systemLogLevelQuiet = false

    /// Reads the model from a template.
    public init(_ template: Template) {
        var resources: [String: Resource] = [:]
        for resource in template.resources { resources[resource.logicalId] = resource }
        func target(_ value: Value?) -> String? {
            switch value {
            case .ref(let name)?: return name
            case .getAtt(let name, _)?: return name
            default: return nil
            }
        }
        func function(_ id: String?) -> FunctionInfo? {
            guard let id, let resource = resources[id], resource.type == "AWS::Lambda::Function" else { return nil }
            return FunctionInfo(
                logicalId: id, memoryMB: Double(resource["MemorySize"]?.intValue ?? 128),
                architecture: resource["Architectures"]?.items?.first?.stringValue ?? "x86_64")
        }
        for resource in template.resources {
            switch resource.type {
            case "AWS::ApiGateway::RestApi": restApis += 1
            case "AWS::ApiGateway::Method":
                let integration = resource["Integration"]
                if resource["HttpMethod"] == .string("POST"), case .sub(let uri, _)? = integration?["Uri"],
                    uri.contains(":sqs:path/")
                {
                    hasPostRoute = true
                    intakeQueue = Value.subVariables(uri).compactMap {
                        $0.split(separator: ".").first.map(String.init)
                    }
                    .first { resources[$0]?.type == "AWS::SQS::Queue" }
                }
                if resource["HttpMethod"] == .string("GET"), integration?["Type"] == .string("AWS_PROXY"),
                    case .sub(let uri, _)? = integration?["Uri"]
                {
                    hasGetRoute = true
                    query = function(
                        Value.subVariables(uri).compactMap { $0.split(separator: ".").first.map(String.init) }.first {
                            resources[$0]?.type == "AWS::Lambda::Function"
                        })
                }
            case "AWS::SNS::Subscription":
                if resource["Protocol"] == .string("sqs"), let queue = target(resource["Endpoint"]) {
                    subscriberQueues.append(queue)
                }
            case "AWS::DynamoDB::Table":
                tables.append(resource.logicalId)
                if resource["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"] == .bool(true) {
                    pitrTables += 1
                }
            case "AWS::CloudWatch::Alarm":
                alarms += max(1, resource["Metrics"]?.items?.count ?? 1)
                if resource["MetricName"] == .string("ReadThrottleEvents") { readThrottleAlarms += 1 }
            case "AWS::CloudWatch::Dashboard": dashboards += 1
            case "AWS::KMS::Key": kmsKeys += 1
            case "AWS::SQS::Queue":
                if let key = resource["KmsMasterKeyId"], resource["SqsManagedSseEnabled"] != .bool(true), key != .null {
                    kmsQueues += 1
                }
            case "AWS::ApiGateway::Stage":
                if resource["TracingEnabled"] == .bool(true) { tracedApi = true }
            default: break
            }
        }
        let topicsWithQueues = Set(
            template.resources.filter { $0.type == "AWS::SNS::Subscription" && $0["Protocol"] == .string("sqs") }
                .compactMap { target($0["TopicArn"]) })
        eventTopics = topicsWithQueues.count
        if let intakeQueue {
            for mapping in template.resources where mapping.type == "AWS::Lambda::EventSourceMapping" {
                guard target(mapping["EventSourceArn"]) == intakeQueue else { continue }
                processor = function(target(mapping["FunctionName"]))
                batchSize = Double(mapping["BatchSize"]?.intValue ?? 10)
                batchingWindowSeconds = Double(mapping["MaximumBatchingWindowInSeconds"]?.intValue ?? 0)
                if let id = processor?.logicalId,
                    let level = resources[id]?["LoggingConfig"]?["SystemLogLevel"]?.stringValue
                {
                    systemLogLevelQuiet = level == "WARN" || level == "ERROR"
                }
            }
        }
        for resource in template.resources where resource.type == "AWS::Logs::LogGroup" {
            var role = "other"
            for function in [processor, query].compactMap({ $0 }) {
                if target(resources[function.logicalId]?["LoggingConfig"]?["LogGroup"]) == resource.logicalId {
                    role = function.logicalId == processor?.logicalId ? "processor" : "query"
                }
            }
            if role == "other",
                template.resources.contains(where: {
                    $0.type == "AWS::ApiGateway::Stage"
                        && target($0["AccessLogSetting"]?["DestinationArn"]) == resource.logicalId
                })
            {
                role = "access"
            }
            logGroups.append(
                LogGroupInfo(
                    logicalId: resource.logicalId,
                    retentionDays: resource["RetentionInDays"]?.intValue.map(Double.init),
                    infrequentAccess: resource["LogGroupClass"] == .string("INFREQUENT_ACCESS"), role: role))
        }
    }
}
