import YAML

/// One unit price, flat or tiered by monthly quantity, with where it comes from.
public struct UnitPrice: Sendable, Equatable {
    /// A tier: the price applies to quantity up to `upTo` (cumulative), or beyond the previous tier when `nil`.
    public struct Tier: Sendable, Equatable {
        /// Upper bound of the tier (cumulative monthly quantity), or `nil` for the last tier.
        public var upTo: Double?
        /// Price per unit in the tier.
        public var price: Double
    }

    /// The unit priced, e.g. `requests` or `GB-seconds`.
    public var unit: String
    /// The tiers in order (one tier for a flat price).
    public var tiers: [Tier]
    /// The date the price was read.
    public var asOf: String
    /// Where it was read.
    public var source: String

    /// The price of the first unit.
    public var firstPrice: Double { tiers.first?.price ?? 0 }

    /// The cost of `quantity` units in one month, walking the tiers.
    public func cost(_ quantity: Double) -> Double {
        var remaining = quantity
        var floor = 0.0
        var total = 0.0
        for tier in tiers where remaining > 0 {
            let size = tier.upTo.map { $0 - floor } ?? remaining
            let used = min(remaining, size)
            total += used * tier.price
            remaining -= used
            floor = tier.upTo ?? floor
        }
        return total
    }

    /// `$0.0000035` or `tiered from $0.0000035` for reports.
    public var summary: String {
        tiers.count == 1 ? Money.unit(firstPrice) : "tiered from \(Money.unit(firstPrice))"
    }
}

/// The unit prices of one region: the contents of `blueprints/pricing/<region>.yaml`.
public struct PriceCatalogue: Sendable, Equatable {
    /// Every price the estimate uses, with its meaning.
    public enum Key: String, Sendable, CaseIterable {
        case apiRestRequests = "api_rest_requests"
        case apiHttpRequests = "api_http_requests"
        case sqsRequests = "sqs_requests"
        case lambdaRequests = "lambda_requests"
        case lambdaGBSecondsX86 = "lambda_gb_seconds_x86_64"
        case lambdaGBSecondsArm = "lambda_gb_seconds_arm64"
        case dynamodbWriteUnits = "dynamodb_write_request_units"
        case dynamodbReadUnits = "dynamodb_read_request_units"
        case dynamodbStorage = "dynamodb_storage_gb_month"
        case dynamodbPITR = "dynamodb_pitr_gb_month"
        case snsPublishes = "sns_publish_requests"
        case eventBridgeEvents = "eventbridge_custom_events"
        case logsIngestion = "logs_ingestion_gb"
        case logsIngestionInfrequent = "logs_ingestion_gb_infrequent_access"
        case logsStorage = "logs_storage_gb_month"
        case alarms = "cloudwatch_alarm_metric_month"
        case dashboards = "cloudwatch_dashboard_month"
        case kmsKeys = "kms_key_month"
        case kmsRequests = "kms_requests"
        case xrayTraces = "xray_traces_recorded"
        case dataTransferOut = "data_transfer_out_gb"
    }

    /// The region, e.g. `us-east-1`.
    public var region: String
    /// `USD`.
    public var currency: String
    /// When the file as a whole was last refreshed.
    public var asOf: String
    /// The prices.
    public var prices: [Key: UnitPrice]
    /// Always-free monthly allowances per price key.
    public var alwaysFree: [Key: Double]
    /// Allowances for the first 12 months of a new account (API Gateway), applied only on request.
    public var firstYearFree: [Key: Double]

    /// The price for `key` (every key is required when loading).
    public subscript(key: Key) -> UnitPrice { prices[key]! }

    /// Reads a price file; unknown keys, missing prices, and prices without a source are located errors.
    public static func load(_ text: String, path: String) -> (catalogue: PriceCatalogue?, diagnostics: [Diagnostic]) {
        var reader = ConfigReader(path: path)
        guard let root = reader.root(text) else { return (nil, reader.diagnostics) }
        var top = reader.mapping(root)
        let region = reader.string("region", in: &top, required: true)
        let currency = reader.string("currency", in: &top, required: true)
        let asOf = reader.string("as_of", in: &top, required: true)
        var prices: [Key: UnitPrice] = [:]
        if var mapping = reader.mapping("prices", in: &top, required: true) {
            for key in Key.allCases {
                guard var entry = reader.mapping(key.rawValue, in: &mapping, required: true) else { continue }
                let unit = reader.string("unit", in: &entry, required: true)
                let entryAsOf = reader.string("as_of", in: &entry, required: true)
                let source = reader.string("source", in: &entry, required: true)
                var tiers: [UnitPrice.Tier] = []
                if let flat = reader.double("price", in: &entry, range: 0...1_000_000) {
                    tiers.append(UnitPrice.Tier(upTo: nil, price: flat))
                }
                reader.sequence("tiers", in: &entry) { reader, tier in
                    let upTo = reader.double("up_to", in: &tier, range: 1...1e18)
                    if let price = reader.double("price", in: &tier, range: 0...1_000_000, required: true) {
                        tiers.append(UnitPrice.Tier(upTo: upTo, price: price))
                    }
                }
                if tiers.isEmpty {
                    reader.report(
                        entry.node.mark, ConfigReader.ID.missingKey, "'prices.\(key.rawValue)' needs 'price' or 'tiers'"
                    )
                } else if tiers.dropLast().contains(where: { $0.upTo == nil })
                    || zip(tiers, tiers.dropFirst()).contains(where: {
                        ($0.0.upTo ?? .infinity) >= ($0.1.upTo ?? .infinity)
                    })
                {
                    reader.report(
                        entry.node.mark, ConfigReader.ID.invalidValue,
                        "'prices.\(key.rawValue)' tiers must rise, and only the last may omit 'up_to'")
                }
                reader.finish(entry)
                if let unit, let entryAsOf, let source, !tiers.isEmpty {
                    prices[key] = UnitPrice(unit: unit, tiers: tiers, asOf: entryAsOf, source: source)
                }
            }
            reader.finish(mapping)
        }
        var always: [Key: Double] = [:]
        var firstYear: [Key: Double] = [:]
        if var mapping = reader.mapping("free_tier", in: &top) {
            for (section, target) in [("always", 0), ("first_12_months", 1)] {
                guard var allowances = reader.mapping(section, in: &mapping) else { continue }
                for key in Key.allCases {
                    if let amount = reader.double(key.rawValue, in: &allowances, range: 0...1e15) {
                        if target == 0 { always[key] = amount } else { firstYear[key] = amount }
                    }
                }
                reader.finish(allowances)
            }
            reader.finish(mapping)
        }
        reader.finish(top)
        guard !reader.diagnostics.hasErrors, let region, let currency, let asOf else {
            return (nil, reader.diagnostics)
        }
        return (
            PriceCatalogue(
                region: region, currency: currency, asOf: asOf, prices: prices, alwaysFree: always,
                firstYearFree: firstYear),
            reader.diagnostics
        )
    }
}

/// Money formatting shared by the reports.
public enum Money {
    /// `$1,234.56`.
    public static func dollars(_ amount: Double) -> String {
        let cents = Int((amount * 100).rounded())
        let whole = cents / 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        let fraction = cents % 100
        return "$" + digits + grouped + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// A unit price with enough significant digits: `$0.0000035`, `$0.10`.
    public static func unit(_ price: Double) -> String {
        if price >= 0.01 { return dollars(price) }
        var text = String(format6(price))
        while text.hasSuffix("0") { text.removeLast() }
        return "$" + text
    }

    /// `value` with up to 10 decimals, without exponent notation.
    static func format6(_ value: Double) -> String {
        let scaled = Int64((value * 1e10).rounded())
        let whole = scaled / 10_000_000_000
        var fraction = String(scaled % 10_000_000_000)
        fraction = String(repeating: "0", count: 10 - fraction.count) + fraction
        return "\(whole).\(fraction)"
    }

    /// `1 key`, `2 keys`, `1,200 arrivals`: a count with its noun in English number (`plural` when not `+s`).
    public static func count(_ value: Double, _ singular: String, _ plural: String? = nil) -> String {
        "\(quantity(value)) \(value == 1 ? singular : plural ?? singular + "s")"
    }

    /// A count of whole things with its noun.
    public static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        count(Double(value), singular, plural)
    }

    /// A quantity with thousands separators and up to 2 decimals: `2,260,000`, `13.27`.
    public static func quantity(_ value: Double) -> String {
        let value = abs(value - value.rounded()) < 1e-6 * max(1, abs(value)) ? value.rounded() : value
        if value == value.rounded() && abs(value) < 1e15 {
            let text = dollars(value).dropFirst()
            return String(text.dropLast(3))
        }
        return String(dollars(value).dropFirst())
    }
}
