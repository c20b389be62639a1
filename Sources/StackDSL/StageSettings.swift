import YAML

/// What differs between deployments of one stack: the contents of `blueprints/stages/<name>.yaml`.
///
/// Every key but `name` and `region` has a default, listed beside it; `StageSettings.load` rejects unknown keys,
/// wrong types and values outside what AWS accepts, with the file, line and column.
public struct StageSettings: Sendable, Hashable {
    /// Settings of one Lambda function.
    public struct FunctionSettings: Sendable, Hashable {
        /// Memory in MB (128 to 10240).
        public var memoryMB: Int
        /// Timeout in seconds (1 to 900).
        public var timeoutSeconds: Int
        /// Reserved concurrency (0 to 10000; `nil` leaves the function in the unreserved pool).
        public var reservedConcurrency: Int?
    }

    /// Settings of the SQS event source mapping of the processor.
    public struct ConsumerSettings: Sendable, Hashable {
        /// Records per batch (1 to 10000; above 10 needs a batching window).
        public var batchSize: Int = 10
        /// Batching window in seconds (0 to 300).
        public var batchingWindowSeconds: Int = 1
        /// Maximum concurrent batches (2 to 1000).
        public var maxConcurrency: Int = 10
    }

    /// Settings of the API stage.
    public struct APISettings: Sendable, Hashable {
        /// Steady-state requests per second for the stage and methods.
        public var rateLimit: Int = 100
        /// Burst size of the token bucket.
        public var burstLimit: Int = 200
        /// Method authorization: `iam` (SigV4 callers), `api-key` (usage plan key), or `none`.
        public var authorization: String = "iam"
        /// Create the account-wide API Gateway CloudWatch role (`AWS::ApiGateway::Account`); off by default because
        /// it overwrites the region's setting for every API of the account.
        public var createAccountLoggingRole: Bool = false
    }

    /// Alarm thresholds and where they go.
    public struct AlarmSettings: Sendable, Hashable {
        /// Default e-mail address of the alarm topic's subscription (a template parameter).
        public var email: String = "ops@example.com"
        /// API 5XX responses per minute that raise the alarm.
        public var api5xxPerMinute: Int = 1
        /// API 4XX responses (429 throttles included) per minute that raise the alarm.
        public var api4xxPerMinute: Int = 50
        /// p99 latency in milliseconds.
        public var apiLatencyP99Ms: Int = 2000
        /// Age of the oldest intake message in seconds.
        public var queueAgeSeconds: Int = 300
        /// Function errors per minute.
        public var functionErrorsPerMinute: Int = 1
    }

    /// The stage name (`dev`, `prod`), also the API stage name and part of the output file name.
    public var name: String
    /// The AWS region the stage deploys to.
    public var region: String
    /// `x86_64` or `arm64`.
    public var architecture: String = "x86_64"
    /// X-Ray tracing on the API and the functions.
    public var tracing: Bool = true
    /// The order processor.
    public var processor = FunctionSettings(memoryMB: 512, timeoutSeconds: 30, reservedConcurrency: nil)
    /// The order query function.
    public var query = FunctionSettings(memoryMB: 256, timeoutSeconds: 5, reservedConcurrency: nil)
    /// The processor's event source mapping.
    public var consumer = ConsumerSettings()
    /// Receives before an intake message moves to its DLQ (5 to 1000).
    public var maxReceiveCount: Int = 5
    /// Intake queue message retention in days (1 to 13: the DLQ keeps 14, and must outlast its source).
    public var queueRetentionDays: Int = 4
    /// Log retention in days (a CloudWatch Logs retention value).
    public var logRetentionDays: Int = 30
    /// DynamoDB deletion protection.
    public var deletionProtection: Bool = true
    /// The API stage.
    public var api = APISettings()
    /// Alarms.
    public var alarms = AlarmSettings()

    /// Creates settings with defaults for everything but the name and region.
    public init(name: String, region: String) {
        self.name = name
        self.region = region
    }

    /// The retention values CloudWatch Logs accepts.
    public static let logRetentionValues = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]

    /// Reads stage settings from YAML text.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: the file name used in diagnostics.
    /// - Returns: the settings when the file has no errors, and every diagnostic found.
    public static func load(_ text: String, path: String) -> (settings: StageSettings?, diagnostics: [Diagnostic]) {
        var reader = ConfigReader(path: path)
        guard let root = reader.root(text) else { return (nil, reader.diagnostics) }
        var top = reader.mapping(root)
        let name = reader.string("name", in: &top, required: true)
        let region = reader.string("region", in: &top, required: true)
        var settings = StageSettings(name: name ?? "", region: region ?? "")
        if let name, !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) || name.isEmpty {
            reader.report(
                root.mark, ConfigReader.ID.invalidValue, "'name' must be letters, digits, '-' or '_', found '\(name)'")
        }
        if let region, !isRegion(region) {
            reader.report(
                root.mark, ConfigReader.ID.invalidValue, "'region' must look like us-east-1, found '\(region)'")
        }
        if let value = reader.choice("architecture", in: &top, ["x86_64", "arm64"]) { settings.architecture = value }
        if let value = reader.bool("tracing", in: &top) { settings.tracing = value }
        if var mapping = reader.mapping("processor", in: &top) {
            readFunction(&settings.processor, &mapping, &reader)
        }
        if var mapping = reader.mapping("query", in: &top) {
            readFunction(&settings.query, &mapping, &reader)
        }
        if var mapping = reader.mapping("consumer", in: &top) {
            if let value = reader.int("batchSize", in: &mapping, range: 1...10_000) {
                settings.consumer.batchSize = value
            }
            if let value = reader.int("batchingWindowSeconds", in: &mapping, range: 0...300) {
                settings.consumer.batchingWindowSeconds = value
            }
            if let value = reader.int("maxConcurrency", in: &mapping, range: 2...1000) {
                settings.consumer.maxConcurrency = value
            }
            reader.finish(mapping)
            if settings.consumer.batchSize > 10 && settings.consumer.batchingWindowSeconds < 1 {
                reader.report(
                    mapping.node.mark, ConfigReader.ID.invalidValue,
                    "'consumer.batchSize' above 10 needs 'consumer.batchingWindowSeconds' of at least 1")
            }
        }
        if var mapping = reader.mapping("queue", in: &top) {
            if let value = reader.int("maxReceiveCount", in: &mapping, range: 5...1000) {
                settings.maxReceiveCount = value
            }
            if let value = reader.int("retentionDays", in: &mapping, range: 1...13) {
                settings.queueRetentionDays = value
            }
            reader.finish(mapping)
        }
        if var mapping = reader.mapping("logs", in: &top) {
            if let value = reader.int("retentionDays", in: &mapping, range: 1...3653) {
                if logRetentionValues.contains(value) {
                    settings.logRetentionDays = value
                } else {
                    reader.report(
                        mapping.node.mark, ConfigReader.ID.invalidValue,
                        "'logs.retentionDays' must be one of \(logRetentionValues.map(String.init).joined(separator: ", ")), found \(value)"
                    )
                }
            }
            reader.finish(mapping)
        }
        if var mapping = reader.mapping("table", in: &top) {
            if let value = reader.bool("deletionProtection", in: &mapping) { settings.deletionProtection = value }
            reader.finish(mapping)
        }
        if var mapping = reader.mapping("api", in: &top) {
            if let value = reader.int("rateLimit", in: &mapping, range: 1...10_000) { settings.api.rateLimit = value }
            if let value = reader.int("burstLimit", in: &mapping, range: 1...5_000) { settings.api.burstLimit = value }
            if let value = reader.choice("authorization", in: &mapping, ["iam", "api-key", "none"]) {
                settings.api.authorization = value
            }
            if let value = reader.bool("createAccountLoggingRole", in: &mapping) {
                settings.api.createAccountLoggingRole = value
            }
            reader.finish(mapping)
        }
        if var mapping = reader.mapping("alarms", in: &top) {
            if let value = reader.string("email", in: &mapping) {
                if isEmail(value) {
                    settings.alarms.email = value
                } else {
                    reader.report(
                        mapping.node.mark, ConfigReader.ID.invalidValue,
                        "'alarms.email' must be an e-mail address, found '\(value)'")
                }
            }
            if let value = reader.int("api5xxPerMinute", in: &mapping, range: 1...1_000_000) {
                settings.alarms.api5xxPerMinute = value
            }
            if let value = reader.int("api4xxPerMinute", in: &mapping, range: 1...1_000_000) {
                settings.alarms.api4xxPerMinute = value
            }
            if let value = reader.int("apiLatencyP99Ms", in: &mapping, range: 1...29_000) {
                settings.alarms.apiLatencyP99Ms = value
            }
            if let value = reader.int("queueAgeSeconds", in: &mapping, range: 60...1_209_600) {
                settings.alarms.queueAgeSeconds = value
            }
            if let value = reader.int("functionErrorsPerMinute", in: &mapping, range: 1...1_000_000) {
                settings.alarms.functionErrorsPerMinute = value
            }
            reader.finish(mapping)
        }
        reader.finish(top)
        checkConsistency(settings, root: root, reader: &reader)
        return (reader.diagnostics.hasErrors ? nil : settings, reader.diagnostics)
    }

    private static func readFunction(
        _ function: inout FunctionSettings, _ mapping: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        if let value = reader.int("memoryMB", in: &mapping, range: 128...10_240) { function.memoryMB = value }
        if let value = reader.int("timeoutSeconds", in: &mapping, range: 1...900) { function.timeoutSeconds = value }
        if let value = reader.int("reservedConcurrency", in: &mapping, range: 0...10_000) {
            function.reservedConcurrency = value
        }
        reader.finish(mapping)
    }

    private static func checkConsistency(_ settings: StageSettings, root: Node, reader: inout ConfigReader) {
        if let reserved = settings.processor.reservedConcurrency, reserved < settings.consumer.maxConcurrency {
            reader.report(
                root.mark, ConfigReader.ID.invalidValue,
                "'consumer.maxConcurrency' (\(settings.consumer.maxConcurrency)) exceeds 'processor.reservedConcurrency' (\(reserved)): the function would be throttled and messages would reach the DLQ"
            )
        }
        if settings.api.burstLimit < settings.api.rateLimit {
            reader.report(root.mark, ConfigReader.ID.invalidValue, "'api.burstLimit' must be at least 'api.rateLimit'")
        }
    }

    private static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } }
            && parts.last!.allSatisfy(\.isNumber)
    }

    private static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
