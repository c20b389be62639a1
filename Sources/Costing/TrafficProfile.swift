import YAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A month of traffic: the contents of `blueprints/profiles/<name>.yaml`.
///
/// The month has 730 hours (the convention AWS price calculators and Infracost use). Arrivals outside spikes
/// are spread flat or with a daily cycle; each spike ramps up linearly over `rampMinutes`, holds its plateau, and
/// ramps down over `rampMinutes` again, all within `durationMinutes`.
public struct TrafficProfile: Sendable, Equatable {
    /// A burst of arrivals at a plateau rate.
    public struct Spike: Sendable, Equatable {
        /// A label.
        public var name: String
        /// Hour of the month the spike starts (0 to 729).
        public var startHour: Double
        /// Minutes from the start of the ramp up to the end of the ramp down.
        public var durationMinutes: Double
        /// Minutes of linear ramp at each end.
        public var rampMinutes: Double
        /// Plateau rate.
        public var arrivalsPerSecond: Double

        /// Arrivals the spike adds: the area of its trapezoid.
        public var arrivals: Double { arrivalsPerSecond * 60 * (durationMinutes - rampMinutes) }

        /// The spike's rate at `minute` of the month (arrivals per second).
        public func rate(atMinute minute: Double) -> Double {
            let start = startHour * 60
            let offset = minute - start
            guard offset >= 0, offset < durationMinutes else { return 0 }
            guard rampMinutes > 0 else { return arrivalsPerSecond }
            let fromEnd = durationMinutes - offset
            return arrivalsPerSecond * min(1, offset / rampMinutes, fromEnd / rampMinutes)
        }
    }

    /// How arrivals outside spikes are spread over the day.
    public enum Shape: String, Sendable, Equatable {
        /// The same rate every minute.
        case flat
        /// A daily cycle: weight `1 + 0.6 cos(2π (h − 20) / 24)` for hour of day h, peaking at 20:00 and averaging 1.
        case diurnal
    }

    /// Documented defaults of the modelling assumptions, overridable under `assumptions:`.
    public struct Assumptions: Sendable, Equatable {
        /// Handler time per batch of the entry consumer, in ms, at `processorMeasuredAtMB`.
        public var processorMsPerBatch: Double = 120
        /// The memory setting `processorMsPerBatch` was measured at.
        public var processorMeasuredAtMB: Double = 512
        /// Handler time per `GET /items/{id}`, in ms, at `queryMeasuredAtMB`.
        public var queryMsPerRequest: Double = 25
        /// The memory setting `queryMsPerRequest` was measured at.
        public var queryMeasuredAtMB: Double = 256
        /// The part of handler time spent on the CPU (JSON, SigV4 signing, TLS); the rest waits on DynamoDB and
        /// SNS and does not change with memory.
        public var handlerCPUShare: Double = 0.3
        /// Application log bytes a consumer writes per message.
        public var logBytesPerMessage: Double = 1024
        /// Bytes per API access-log line.
        public var accessLogBytesPerRequest: Double = 450
        /// Items in the table when the month starts.
        public var storedItems: Double = 1_200_000
        /// Empty long polls per minute by the Lambda pollers on each consumed queue (5 pollers × 3 polls of 20 s).
        public var idleReceivesPerMinute: Double = 15
        /// SQS requests per message that the downstream consumers make on each subscriber queue (a receive and a
        /// delete).
        public var subscriberRequestsPerMessage: Double = 2
        /// Bytes an item gains in the table beyond the request body (status, totals, timestamps, bookkeeping,
        /// and DynamoDB's 100-byte item overhead).
        public var itemOverheadBytes: Double = 300
        /// Table writes the consumer makes per message, on each table it writes; `nil`: from the wiring, 2 on a
        /// table with an outbox (a conditional put, then the published flag), else 1 (the put).
        public var tableWritesPerMessage: Double?

        /// The writes per message on a table, with or without an outbox.
        public func writesPerMessage(outbox: Bool) -> Double { tableWritesPerMessage ?? (outbox ? 2 : 1) }
        /// Compressed size of stored logs relative to ingested bytes.
        public var logCompressionRatio: Double = 0.15
        /// Bytes of a `POST /items` response (the 202 body and headers) sent to the internet.
        public var acceptResponseBytes: Double = 400

        /// Memory at which Lambda gives a function one full vCPU; CPU is allocated in proportion to memory.
        public static let fullVCPUMemoryMB = 1769.0

        /// The processor's time per batch at `memoryMB`.
        public func processorMs(atMemoryMB memoryMB: Double) -> Double {
            scaled(processorMsPerBatch, from: processorMeasuredAtMB, to: memoryMB)
        }

        /// The query handler's time per request at `memoryMB`.
        public func queryMs(atMemoryMB memoryMB: Double) -> Double {
            scaled(queryMsPerRequest, from: queryMeasuredAtMB, to: memoryMB)
        }

        /// `ms × (cpu × share(measured) / share(memory) + (1 − cpu))`, share(m) = min(m, 1769) / 1769: the CPU part
        /// runs faster with more memory up to one vCPU (the handlers are single-threaded), the waiting part does not.
        func scaled(_ milliseconds: Double, from measured: Double, to memoryMB: Double) -> Double {
            let full = Self.fullVCPUMemoryMB
            let ratio = min(max(measured, 1), full) / min(max(memoryMB, 1), full)
            return milliseconds * (handlerCPUShare * ratio + (1 - handlerCPUShare))
        }
    }

    /// The profile name (the file's base name).
    public var name: String
    /// What the month looks like.
    public var description: String
    /// Arrivals outside spikes.
    public var arrivalsPerMonth: Double
    /// How those arrivals are spread.
    public var shape: Shape
    /// Bursts on top.
    public var spikes: [Spike]
    /// Request body and stored item size in bytes.
    public var bodyBytes: Double
    /// Query route calls per arrival.
    public var queriesPerArrival: Double
    /// Modelling assumptions.
    public var assumptions: Assumptions
    /// What the reports call one arrival and several (`order`, `orders`); `arrival`, `arrivals` unless the profile
    /// says (`arrival_name`, `arrival_plural`).
    public var noun = Noun()
    /// The route the arrivals are sent to (`POST /items`), where the stack has several that feed a queue or a
    /// function; `nil`: the only one.
    public var entryRoute: String? = nil
    /// The route `queries_per_arrival` calls go to, where the stack has several `GET` routes; `nil`: the only one.
    public var queryRoute: String? = nil

    /// The words for what arrives.
    public struct Noun: Sendable, Equatable {
        public var singular = "arrival"
        public var plural = "arrivals"

        public init(singular: String = "arrival", plural: String? = nil) {
            self.singular = singular
            self.plural = plural ?? singular + "s"
        }
    }

    /// Minutes in the modelled month (730 h).
    public static let minutesPerMonth = 43_800

    /// All arrivals of the month: baseline plus spikes.
    public var totalArrivals: Double { arrivalsPerMonth + spikes.reduce(0) { $0 + $1.arrivals } }

    /// The weight of the baseline at `minute`, averaging exactly 1 over the month.
    func baselineWeight(atMinute minute: Int) -> Double {
        switch shape {
        case .flat: return 1
        case .diurnal: return Self.diurnalWeight(minute) / Self.diurnalMean
        }
    }

    private static func diurnalWeight(_ minute: Int) -> Double {
        let hourOfDay = Double(minute % 1440) / 60
        return 1 + 0.6 * cos(2 * Double.pi * (hourOfDay - 20) / 24)
    }

    /// The mean daily-cycle weight over the 730-hour month (30.4 days, so not exactly 1).
    private static let diurnalMean: Double =
        (0..<minutesPerMonth).reduce(0.0) { $0 + diurnalWeight($1) }
        / Double(minutesPerMonth)

    /// Arrivals per second during `minute` of the month (baseline plus spikes).
    public func rate(atMinute minute: Int) -> Double {
        let baseline = arrivalsPerMonth / Double(Self.minutesPerMonth) / 60 * baselineWeight(atMinute: minute)
        let spikeRate = spikes.reduce(0) { $0 + $1.rate(atMinute: Double(minute) + 0.5) }
        return baseline + spikeRate
    }

    /// Arrivals per second at `second` of the month, spikes and their ramps at second resolution (the baseline
    /// changes by the minute): the rate a load test replays.
    public func rate(atSecond second: Double) -> Double {
        let minute = max(0, min(Double(Self.minutesPerMonth) - 1, second / 60))
        let baseline = arrivalsPerMonth / Double(Self.minutesPerMonth) / 60 * baselineWeight(atMinute: Int(minute))
        return baseline + spikes.reduce(0) { $0 + $1.rate(atMinute: second / 60) }
    }

    /// Reads a profile from YAML; unknown keys, wrong types and impossible values are located errors.
    public static func load(_ text: String, path: String, name: String) -> (
        profile: TrafficProfile?, diagnostics: [Diagnostic]
    ) {
        var reader = ConfigReader(path: path)
        guard let root = reader.root(text) else { return (nil, reader.diagnostics) }
        var top = reader.mapping(root)
        let declaredName = reader.string("name", in: &top, required: true)
        let description = reader.string("description", in: &top, required: true)
        let arrivals = reader.double(
            reader.current("arrivals_per_month", formerly: "orders_per_month", in: &top), in: &top,
            range: 0...1e12, required: true)
        let shape = reader.choice("shape", in: &top, ["flat", "diurnal"]).flatMap(Shape.init(rawValue:)) ?? .flat
        var spikes: [Spike] = []
        reader.sequence("spikes", in: &top) { reader, mapping in
            let spikeName = reader.string("name", in: &mapping, required: true) ?? ""
            let start = reader.double("start_hour", in: &mapping, range: 0...729.99, required: true)
            let duration = reader.double("duration_minutes", in: &mapping, range: 1...43_800, required: true)
            let ramp = reader.double("ramp_minutes", in: &mapping, range: 0...21_900) ?? 0
            let rate = reader.double(
                reader.current("arrivals_per_second", formerly: "orders_per_second", in: &mapping), in: &mapping,
                range: 0...1_000_000, required: true)
            guard let start, let duration, let rate else { return }
            if start * 60 + duration > Double(minutesPerMonth) {
                reader.report(
                    reader.mark(of: "duration_minutes", in: mapping), ConfigReader.ID.invalidValue,
                    "spike '\(spikeName)' ends at minute \(Int(start * 60 + duration)), past the month's end (minute \(minutesPerMonth))"
                )
                return
            }
            if 2 * ramp > duration {
                reader.report(
                    reader.mark(of: "ramp_minutes", in: mapping), ConfigReader.ID.invalidValue,
                    "spike '\(spikeName)' ramps up and down for \(Int(2 * ramp)) minutes, longer than its \(Int(duration))"
                )
                return
            }
            spikes.append(
                Spike(
                    name: spikeName, startHour: start, durationMinutes: duration, rampMinutes: ramp,
                    arrivalsPerSecond: rate))
        }
        let bodyBytes = reader.double(
            reader.current("body_bytes", formerly: "order_bytes", in: &top), in: &top, range: 1...262_144,
            required: true)
        let queries = reader.double(
            reader.current("queries_per_arrival", formerly: "queries_per_order", in: &top), in: &top,
            range: 0...1000, required: true)
        let singular = reader.string("arrival_name", in: &top)
        let plural = reader.string("arrival_plural", in: &top)
        let entryRoute = reader.string("entry_route", in: &top)
        let queryRoute = reader.string("query_route", in: &top)
        var assumptions = Assumptions()
        if var mapping = reader.mapping("assumptions", in: &top) {
            func read(_ key: String, _ range: ClosedRange<Double>, _ keyPath: WritableKeyPath<Assumptions, Double>) {
                if let value = reader.double(key, in: &mapping, range: range) { assumptions[keyPath: keyPath] = value }
            }
            read("processor_ms_per_batch", 1...900_000, \.processorMsPerBatch)
            read("processor_ms_measured_at_mb", 128...10_240, \.processorMeasuredAtMB)
            read("query_ms_per_request", 1...900_000, \.queryMsPerRequest)
            read("query_ms_measured_at_mb", 128...10_240, \.queryMeasuredAtMB)
            read("handler_cpu_share", 0...1, \.handlerCPUShare)
            read(
                reader.current("log_bytes_per_message", formerly: "log_bytes_per_order", in: &mapping), 0...1_000_000,
                \.logBytesPerMessage)
            read("access_log_bytes_per_request", 0...100_000, \.accessLogBytesPerRequest)
            read(reader.current("stored_items", formerly: "stored_orders", in: &mapping), 0...1e12, \.storedItems)
            read("idle_receives_per_minute", 0...1_000, \.idleReceivesPerMinute)
            read("subscriber_requests_per_message", 0...100, \.subscriberRequestsPerMessage)
            read("item_overhead_bytes", 0...400_000, \.itemOverheadBytes)
            read("log_compression_ratio", 0.01...1, \.logCompressionRatio)
            if let value = reader.double("table_writes_per_message", in: &mapping, range: 0...100) {
                assumptions.tableWritesPerMessage = value
            }
            read("accept_response_bytes", 0...1_000_000, \.acceptResponseBytes)
            reader.finish(mapping)
        }
        reader.finish(top)
        reader.noteRenamed()
        if let declaredName, declaredName != name {
            reader.report(
                reader.mark(of: "name", in: top), ConfigReader.ID.invalidValue,
                "'name' is '\(declaredName)' but the file is \(name).yaml; they must match")
        }
        guard !reader.diagnostics.hasErrors, let description, let arrivals, let bodyBytes, let queries else {
            return (nil, reader.diagnostics)
        }
        var profile = TrafficProfile(
            name: name, description: description, arrivalsPerMonth: arrivals, shape: shape, spikes: spikes,
            bodyBytes: bodyBytes, queriesPerArrival: queries, assumptions: assumptions, entryRoute: entryRoute,
            queryRoute: queryRoute)
        if let singular { profile.noun = Noun(singular: singular, plural: plural) }
        return (profile, reader.diagnostics)
    }
}
