import CloudFormation
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

    /// Settings of one SQS event source mapping.
    public struct ConsumerSettings: Sendable, Hashable {
        /// Records per batch (1 to 10000; above 10 needs a batching window).
        public var batchSize: Int = 10
        /// Batching window in seconds (0 to 300).
        public var batchingWindowSeconds: Int = 1
        /// Maximum concurrent batches (2 to 1000).
        public var maxConcurrency: Int = 10

        /// Creates settings; every value has a default.
        public init(batchSize: Int = 10, batchingWindowSeconds: Int = 1, maxConcurrency: Int = 10) {
            self.batchSize = batchSize
            self.batchingWindowSeconds = batchingWindowSeconds
            self.maxConcurrency = maxConcurrency
        }
    }

    /// A construct's entry under `constructs:` (a kind orderstack does not ship reads its own settings): each key's
    /// scalar as written (a number, `true`/`false`, else a string).
    public struct ConstructEntry: Sendable, Hashable {
        public var settings: [String: Value] = [:]
        /// Where each key is written, for the construct's own errors.
        public var marks: [String: Mark] = [:]
        /// Where the entry's name is written.
        public var mark: Mark = .start

        public init() {}
    }

    /// A function's entry under `functions:`: each key optional, over `functions.defaults`.
    public struct FunctionEntry: Sendable, Hashable {
        public var memoryMB: Int?
        public var timeoutSeconds: Int?
        public var reservedConcurrency: Int?
        /// Where the entry's name is written, for errors found at synthesis.
        public var mark: Mark = .start

        /// Creates an entry.
        public init(memoryMB: Int? = nil, timeoutSeconds: Int? = nil, reservedConcurrency: Int? = nil) {
            self.memoryMB = memoryMB
            self.timeoutSeconds = timeoutSeconds
            self.reservedConcurrency = reservedConcurrency
        }
    }

    /// A mapping's entry under `consumers:` (`<Function>/<Queue>`): each key optional, over `consumers.defaults`.
    public struct ConsumerEntry: Sendable, Hashable {
        public var batchSize: Int?
        public var batchingWindowSeconds: Int?
        public var maxConcurrency: Int?
        /// Where the entry's name is written.
        public var mark: Mark = .start

        /// Creates an entry.
        public init(batchSize: Int? = nil, batchingWindowSeconds: Int? = nil, maxConcurrency: Int? = nil) {
            self.batchSize = batchSize
            self.batchingWindowSeconds = batchingWindowSeconds
            self.maxConcurrency = maxConcurrency
        }
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
        /// Per-method CloudWatch metrics (`MethodSettings.MetricsEnabled`): billed as custom metrics, so off
        /// unless a stage asks (the API-level metrics are always there).
        public var detailedMetrics: Bool = false
        /// `api.partners`: callers with their own API key and usage plan, in file order. With any partner, every
        /// method requires an API key.
        public var partners: [Partner] = []
    }

    /// A caller of the API with its own API key and usage plan (`api.partners.<name>`): its requests are
    /// throttled to `rateLimit` and `burstLimit` and counted against `quotaPerMonth`.
    public struct Partner: Sendable, Hashable {
        /// The partner's name: letters, digits, `-` and `_`; part of the key's and the plan's names.
        public var name: String
        /// Steady-state requests per second of the partner's plan.
        public var rateLimit: Int?
        /// Burst of the partner's plan (twice the rate when not given).
        public var burstLimit: Int?
        /// Requests per month, `nil` for no quota.
        public var quotaPerMonth: Int?
        /// A traffic profile to size rate, burst and quota from (`sizedFrom`); `nil` once sized.
        public var sizedFrom: String?
        /// The partner's share of the profile's requests (`share`, 0 to 1).
        public var share = 1.0
        /// Where the partner's name is written.
        public var mark: Mark = .start

        /// Creates a partner with explicit limits.
        public init(name: String, rateLimit: Int? = nil, burstLimit: Int? = nil, quotaPerMonth: Int? = nil) {
            self.name = name
            self.rateLimit = rateLimit
            self.burstLimit = burstLimit
            self.quotaPerMonth = quotaPerMonth
        }

        /// The partner's part of logical IDs and output names: `wholesale-acme` -> `WholesaleAcme`
        /// (`<Api>Partner<Name>Key`, the output `<Api>Partner<Name>KeyId`).
        public var logicalName: String { Names.pascal(name) }

        /// The plan's burst: as written, or twice the rate.
        public var effectiveBurst: Int? { burstLimit ?? rateLimit.map { $0 * 2 } }
    }

    /// Alarm thresholds and where they go.
    public struct AlarmSettings: Sendable, Hashable {
        /// Default e-mail address of the alarm topic's subscription (a template parameter). Required when the
        /// stack has a `Monitoring` construct: no alarm goes to a placeholder.
        public var email: String?
        /// Where `alarms:` is in the file, for the message when `email` is missing.
        public var mark: Mark?
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
    /// A production stage: `deploy --hotswap` is refused (every change goes through a reviewed change set).
    public var production = false
    /// How traffic moves to each function's new version (`nil`: every change is live at once, no versions).
    public var rollout: Rollout?
    /// The file the settings were read from, for errors found at synthesis (names of constructs).
    public var path = ""
    /// `functions.defaults`: what every function gets unless its entry says otherwise.
    public var functionDefaults = FunctionSettings(memoryMB: 512, timeoutSeconds: 30, reservedConcurrency: nil)
    /// `functions.<Name>`: settings per function construct.
    public var functions: [String: FunctionEntry] = [:]
    /// `consumers.defaults`: what every event source mapping gets unless its entry says otherwise.
    public var consumerDefaults = ConsumerSettings()
    /// `consumers.<Function>/<Queue>`: settings per mapping.
    public var consumers: [String: ConsumerEntry] = [:]
    /// Settings of other constructs, by construct name (`constructs.<Name>`).
    public var constructs: [String: ConstructEntry] = [:]
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

    /// The settings of the function construct `name`: its entry over the stage-wide defaults.
    public func function(_ name: String) -> FunctionSettings {
        var settings = functionDefaults
        guard let entry = functions[name] else { return settings }
        if let value = entry.memoryMB { settings.memoryMB = value }
        if let value = entry.timeoutSeconds { settings.timeoutSeconds = value }
        if let value = entry.reservedConcurrency { settings.reservedConcurrency = value }
        return settings
    }

    /// The settings of the mapping from `queue` to `function`: its entry over the stage-wide defaults.
    public func consumer(function: String, queue: String) -> ConsumerSettings {
        var settings = consumerDefaults
        guard let entry = consumers[Self.mappingName(function: function, queue: queue)] else { return settings }
        if let value = entry.batchSize { settings.batchSize = value }
        if let value = entry.batchingWindowSeconds { settings.batchingWindowSeconds = value }
        if let value = entry.maxConcurrency { settings.maxConcurrency = value }
        return settings
    }

    /// `OrderProcessor/OrderIntake`: how `consumers:` names the mapping from a queue to a function.
    public static func mappingName(function: String, queue: String) -> String { "\(function)/\(queue)" }

    /// Entries that name no construct of the stack, located, each listing what exists; mappings whose maximum
    /// concurrency exceeds their function's reserved concurrency; and a monitored stack without `alarms.email`.
    public func problems(
        functions names: [String], mappings: [(function: String, queue: String)], monitored: Bool = false,
        constructs: [String: [String]] = [:]
    ) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func report(_ mark: Mark, _ id: String, _ message: String) {
            found.append(Diagnostic(path: path, mark: mark, severity: .error, id: id, message: message))
        }
        if monitored && alarms.email == nil {
            report(
                alarms.mark ?? .start, ConfigReader.ID.missingKey,
                "missing 'alarms.email': the stack's Monitoring sends its alarms to this address (it confirms the SNS subscription once); orderstack has no default to send them to"
            )
        }
        for (name, entry) in functions.sorted(by: { $0.value.mark < $1.value.mark }) where !names.contains(name) {
            report(
                entry.mark, ConfigReader.ID.unknownKey,
                "'functions.\(name)' names no function of the stack; its functions are: \(names.sorted().joined(separator: ", "))"
            )
        }
        for (name, entry) in self.constructs.sorted(by: { $0.value.mark < $1.value.mark }) {
            guard let keys = constructs[name] else {
                report(
                    entry.mark, ConfigReader.ID.unknownKey,
                    "'constructs.\(name)' names no construct of the stack; its constructs are: \(constructs.keys.sorted().joined(separator: ", "))"
                )
                continue
            }
            for (key, mark) in entry.marks.sorted(by: { $0.value < $1.value }) where !keys.contains(key) {
                let expected =
                    keys.isEmpty
                    ? "\(name) reads no settings here (functions and their mappings are set under functions and consumers)"
                    : "expected one of: \(keys.sorted().joined(separator: ", "))"
                report(
                    mark, ConfigReader.ID.unknownKey,
                    "unknown key 'constructs.\(name).\(key)'\(Spelling.suggestion(for: key, in: keys.sorted())); \(expected)"
                )
            }
        }
        let mappingNames = mappings.map { Self.mappingName(function: $0.function, queue: $0.queue) }
        for (name, entry) in consumers.sorted(by: { $0.value.mark < $1.value.mark }) where !mappingNames.contains(name)
        {
            let known =
                mappingNames.isEmpty
                ? "(none: no function consumes a queue)" : mappingNames.sorted().joined(separator: ", ")
            report(
                entry.mark, ConfigReader.ID.unknownKey,
                "'consumers.\(name)' names no queue-to-function mapping of the stack; its mappings are: \(known)")
        }
        for mapping in mappings {
            let consumer = consumer(function: mapping.function, queue: mapping.queue)
            guard let reserved = function(mapping.function).reservedConcurrency, reserved < consumer.maxConcurrency
            else { continue }
            let name = Self.mappingName(function: mapping.function, queue: mapping.queue)
            report(
                consumers[name]?.mark ?? functions[mapping.function]?.mark ?? .start, ConfigReader.ID.invalidValue,
                "the maximum concurrency of '\(name)' (\(consumer.maxConcurrency)) exceeds the reserved concurrency of '\(mapping.function)' (\(reserved)): the function would be throttled and messages would reach the DLQ"
            )
        }
        return found
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
        readTopLevel(&settings, &top, &reader)
        settings.path = path
        if var mapping = reader.mapping("functions", in: &top) {
            readFunctions(&settings, &mapping, &reader)
        }
        if var mapping = reader.mapping("consumers", in: &top) {
            readConsumers(&settings, &mapping, &reader)
        }
        if var mapping = reader.mapping("constructs", in: &top) { readConstructs(&settings, &mapping, &reader) }
        for (old, new) in [
            ("processor", "functions.<Function>"), ("query", "functions.<Function>"),
            ("consumer", "consumers.<Function>/<Queue>"),
        ] {
            guard let mapping = reader.mapping(old, in: &top) else { continue }
            reader.report(
                mapping.node.mark, ConfigReader.ID.unknownKey,
                "'\(old)' is no longer a section: settings are per construct, under \(new)"
            )
        }
        if var mapping = reader.mapping("queue", in: &top) { readQueue(&settings, &mapping, &reader) }
        if var mapping = reader.mapping("logs", in: &top) { readLogs(&settings, &mapping, &reader) }
        if var mapping = reader.mapping("table", in: &top) {
            if let value = reader.bool("deletionProtection", in: &mapping) { settings.deletionProtection = value }
            reader.finish(mapping)
        }
        if var mapping = reader.mapping("api", in: &top) { readAPI(&settings, &mapping, &reader) }
        if var mapping = reader.mapping("alarms", in: &top) { readAlarms(&settings, &mapping, &reader) }
        reader.finish(top, retired: ["processor", "query", "consumer"])
        checkConsistency(settings, root: root, reader: &reader)
        return (reader.diagnostics.hasErrors ? nil : settings, reader.diagnostics)
    }

    /// The top-level scalars: `architecture`, `tracing`, `production`, `rollout`.
    private static func readTopLevel(
        _ settings: inout StageSettings, _ top: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        if let value = reader.choice("architecture", in: &top, ["x86_64", "arm64"]) { settings.architecture = value }
        if let value = reader.bool("tracing", in: &top) { settings.tracing = value }
        if let value = reader.bool("production", in: &top) { settings.production = value }
        if let value = reader.string("rollout", in: &top) {
            if let rollout = Rollout(value) {
                settings.rollout = rollout
            } else {
                reader.report(
                    reader.mark(of: "rollout", in: top), ConfigReader.ID.invalidValue,
                    "'rollout' must be \(Rollout.forms), found '\(value)'")
            }
        }
    }

    /// `queue:` — `maxReceiveCount`, `retentionDays`.
    private static func readQueue(
        _ settings: inout StageSettings, _ mapping: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        if let value = reader.int("maxReceiveCount", in: &mapping, range: 5...1000) {
            settings.maxReceiveCount = value
        }
        if let value = reader.int("retentionDays", in: &mapping, range: 1...13) {
            settings.queueRetentionDays = value
        }
        reader.finish(mapping)
    }

    /// `logs:` — `retentionDays`, one of the values CloudWatch Logs offers.
    private static func readLogs(
        _ settings: inout StageSettings, _ mapping: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
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

    /// `api:` — the stage's throttle, authorization, metrics, logging role and partners.
    private static func readAPI(
        _ settings: inout StageSettings, _ mapping: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        if let value = reader.int("rateLimit", in: &mapping, range: 1...10_000) { settings.api.rateLimit = value }
        if let value = reader.int("burstLimit", in: &mapping, range: 1...5_000) { settings.api.burstLimit = value }
        checkBurst(settings.api, in: mapping, reader: &reader)
        if let value = reader.choice("authorization", in: &mapping, ["iam", "api-key", "none"]) {
            settings.api.authorization = value
        }
        if let value = reader.bool("detailedMetrics", in: &mapping) { settings.api.detailedMetrics = value }
        if let value = reader.bool("createAccountLoggingRole", in: &mapping) {
            settings.api.createAccountLoggingRole = value
        }
        if var partners = reader.mapping("partners", in: &mapping) {
            settings.api.partners = readPartners(&partners, &reader)
        }
        reader.finish(mapping)
    }

    /// `alarms:` — the e-mail address and each alarm's threshold.
    private static func readAlarms(
        _ settings: inout StageSettings, _ mapping: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        settings.alarms.mark = mapping.node.mark
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

    /// `functions:` — `defaults` and one entry per function construct, each `memoryMB`, `timeoutSeconds`,
    /// `reservedConcurrency`. Names are checked against the stack at synthesis.
    private static func readFunctions(
        _ settings: inout StageSettings, _ functions: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        for (name, mark) in keys(of: functions) {
            guard var mapping = reader.mapping(name, in: &functions) else { continue }
            var entry = FunctionEntry()
            entry.mark = mark
            entry.memoryMB = reader.int("memoryMB", in: &mapping, range: 128...10_240)
            entry.timeoutSeconds = reader.int("timeoutSeconds", in: &mapping, range: 1...900)
            entry.reservedConcurrency = reader.int("reservedConcurrency", in: &mapping, range: 0...10_000)
            reader.finish(mapping)
            if name == "defaults" {
                if let value = entry.memoryMB { settings.functionDefaults.memoryMB = value }
                if let value = entry.timeoutSeconds { settings.functionDefaults.timeoutSeconds = value }
                if let value = entry.reservedConcurrency { settings.functionDefaults.reservedConcurrency = value }
            } else {
                settings.functions[name] = entry
            }
        }
        reader.finish(functions)
    }

    /// `consumers:` — `defaults` and one entry per mapping (`<Function>/<Queue>`), each `batchSize`,
    /// `batchingWindowSeconds`, `maxConcurrency`.
    private static func readConsumers(
        _ settings: inout StageSettings, _ consumers: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        for (name, mark) in keys(of: consumers) {
            guard var mapping = reader.mapping(name, in: &consumers) else { continue }
            var entry = ConsumerEntry()
            entry.mark = mark
            entry.batchSize = reader.int("batchSize", in: &mapping, range: 1...10_000)
            entry.batchingWindowSeconds = reader.int("batchingWindowSeconds", in: &mapping, range: 0...300)
            entry.maxConcurrency = reader.int("maxConcurrency", in: &mapping, range: 2...1000)
            reader.finish(mapping)
            if name == "defaults" {
                if let value = entry.batchSize { settings.consumerDefaults.batchSize = value }
                if let value = entry.batchingWindowSeconds { settings.consumerDefaults.batchingWindowSeconds = value }
                if let value = entry.maxConcurrency { settings.consumerDefaults.maxConcurrency = value }
            } else {
                settings.consumers[name] = entry
            }
            let batchSize = entry.batchSize ?? settings.consumerDefaults.batchSize
            let window = entry.batchingWindowSeconds ?? settings.consumerDefaults.batchingWindowSeconds
            if batchSize > 10 && window < 1 {
                reader.report(
                    mark, ConfigReader.ID.invalidValue,
                    "'consumers.\(name).batchSize' above 10 needs a 'batchingWindowSeconds' of at least 1")
            }
        }
        reader.finish(consumers)
    }

    /// `api.partners:` — one entry per partner: `rateLimit`, `burstLimit`, `quotaPerMonth`, or `sizedFrom` (a
    /// profile's name) and `share` (0 to 1) to size them from a traffic profile.
    private static func readPartners(_ partners: inout ConfigReader.Mapping, _ reader: inout ConfigReader)
        -> [Partner]
    {
        var found: [Partner] = []
        for (name, mark) in keys(of: partners) {
            guard var mapping = reader.mapping(name, in: &partners) else { continue }
            if !isPartnerName(name) {
                reader.report(
                    mark, ConfigReader.ID.invalidValue,
                    "partner name '\(name)' must be 1 to 64 ASCII letters, digits, '-' or '_'")
            }
            var partner = Partner(name: name)
            partner.mark = mark
            partner.rateLimit = reader.int("rateLimit", in: &mapping, range: 1...10_000)
            partner.burstLimit = reader.int("burstLimit", in: &mapping, range: 1...5_000)
            partner.quotaPerMonth = reader.int("quotaPerMonth", in: &mapping, range: 1...2_000_000_000)
            if let profile = reader.string("sizedFrom", in: &mapping) {
                partner.sizedFrom = profile
                partner.share = reader.double("share", in: &mapping, range: 0.0001...1) ?? 1
            } else if reader.double("share", in: &mapping, range: 0...1) != nil {
                reader.report(mark, ConfigReader.ID.invalidValue, "'api.partners.\(name).share' needs 'sizedFrom'")
            }
            reader.finish(mapping)
            if partner.sizedFrom != nil, partner.rateLimit != nil || partner.quotaPerMonth != nil {
                reader.report(
                    mark, ConfigReader.ID.invalidValue,
                    "'api.partners.\(name)' gives both 'sizedFrom' and explicit limits; keep one")
            } else if partner.sizedFrom == nil, partner.rateLimit == nil {
                reader.report(
                    mark, ConfigReader.ID.missingKey,
                    "'api.partners.\(name)' needs 'rateLimit' (or 'sizedFrom' with a profile's name)")
            }
            found.append(partner)
        }
        reader.finish(partners)
        return found
    }

    /// `constructs:` — one entry per construct of a kind that reads its own settings, each key a scalar.
    private static func readConstructs(
        _ settings: inout StageSettings, _ constructs: inout ConfigReader.Mapping, _ reader: inout ConfigReader
    ) {
        for (name, mark) in keys(of: constructs) {
            guard var mapping = reader.mapping(name, in: &constructs) else { continue }
            var entry = ConstructEntry()
            entry.mark = mark
            for (key, keyMark) in keys(of: mapping) {
                guard let text = reader.string(key, in: &mapping) else { continue }
                entry.marks[key] = keyMark
                let decimal = text.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/) != nil
                entry.settings[key] =
                    text == "true" || text == "false" ? .bool(text == "true") : decimal ? .number(text) : .string(text)
            }
            reader.finish(mapping)
            settings.constructs[name] = entry
        }
        reader.finish(constructs)
    }

    /// The keys of a mapping with their marks, in file order (duplicates once; `finish` reports them).
    private static func keys(of mapping: ConfigReader.Mapping) -> [(String, Mark)] {
        guard case .mapping(let pairs) = mapping.node.content else { return [] }
        var seen: Set<String> = []
        return pairs.compactMap { pair in
            guard let key = pair.key.scalarText, seen.insert(key).inserted else { return nil }
            return (key, pair.key.mark)
        }
    }

    /// The stage's burst against its rate, at the key that is set (a default said to be one: a misspelt key
    /// leaves its default in place, and the message must not blame the value that is written).
    private static func checkBurst(_ api: APISettings, in mapping: ConfigReader.Mapping, reader: inout ConfigReader) {
        guard api.burstLimit < api.rateLimit else { return }
        let written = Dictionary(keys(of: mapping), uniquingKeysWith: { first, _ in first })
        let describe = { (key: String, value: Int) in
            "'api.\(key)' (\(value)\(written[key] == nil ? ", the default: the file sets none" : ""))"
        }
        reader.report(
            written["burstLimit"] ?? written["rateLimit"] ?? mapping.node.mark, ConfigReader.ID.invalidValue,
            "\(describe("burstLimit", api.burstLimit)) must be at least \(describe("rateLimit", api.rateLimit))")
    }

    private static func checkConsistency(_ settings: StageSettings, root: Node, reader: inout ConfigReader) {
        for partner in settings.api.partners {
            for problem in settings.api.problems(with: partner) {
                reader.report(partner.mark, ConfigReader.ID.invalidValue, problem)
            }
        }
    }

    private static func isPartnerName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
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

extension StageSettings.APISettings {
    /// What is wrong with a partner's limits against the stage's: a plan above the stage throttle would never
    /// apply (the stage's method throttle admits fewer requests first), and a burst below the rate cannot refill.
    /// Empty while the partner is still to be sized from a profile.
    public func problems(with partner: StageSettings.Partner) -> [String] {
        guard let rate = partner.rateLimit, let burst = partner.effectiveBurst else { return [] }
        var problems: [String] = []
        let name = "api.partners.\(partner.name)"
        if rate > rateLimit {
            problems.append(
                "'\(name)' allows \(rate) requests/s, more than the stage's 'api.rateLimit' (\(rateLimit)), which throttles first: the plan's rate would never apply"
            )
        }
        if burst > burstLimit {
            problems.append(
                "'\(name)' has a burst of \(burst), more than the stage's 'api.burstLimit' (\(burstLimit)), which applies first"
            )
        }
        if burst < rate { problems.append("'\(name).burstLimit' must be at least its 'rateLimit'") }
        return problems
    }
}
