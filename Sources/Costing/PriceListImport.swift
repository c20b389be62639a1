import YAML

/// Reads AWS Price List bulk offer files (`offers/v1.0/aws/<offerCode>/current/<region>/index.json`: `products`
/// plus `terms.OnDemand`) into catalogue prices.
///
/// Each price key is found by the offer code and the product's `usagetype` (with or without the region prefix
/// such as `EUW1-`). Ranges become tiers (`endRange` is the cumulative `up_to`, `Inf` the last tier); a leading
/// `$0` range becomes the key's always-free allowance. Byte-hour storage units are converted to GB-months.
public enum PriceListImport {
    /// Where a catalogue key comes from.
    struct Source {
        var offer: String
        var usageType: String
        var key: PriceCatalogue.Key
    }

    static let sources: [Source] = [
        Source(offer: "AmazonApiGateway", usageType: "ApiGatewayRequest", key: .apiRestRequests),
        Source(offer: "AmazonApiGateway", usageType: "ApiGatewayHttpRequest", key: .apiHttpRequests),
        Source(offer: "AWSQueueService", usageType: "Requests-Tier1", key: .sqsRequests),
        Source(offer: "AWSLambda", usageType: "Request", key: .lambdaRequests),
        Source(offer: "AWSLambda", usageType: "Lambda-GB-Second", key: .lambdaGBSecondsX86),
        Source(offer: "AWSLambda", usageType: "Lambda-GB-Second-ARM", key: .lambdaGBSecondsArm),
        Source(offer: "AmazonDynamoDB", usageType: "WriteRequestUnits", key: .dynamodbWriteUnits),
        Source(offer: "AmazonDynamoDB", usageType: "ReadRequestUnits", key: .dynamodbReadUnits),
        Source(offer: "AmazonDynamoDB", usageType: "TimedStorage-ByteHrs", key: .dynamodbStorage),
        Source(offer: "AmazonDynamoDB", usageType: "TimedPITRStorage-ByteHrs", key: .dynamodbPITR),
        Source(offer: "AmazonSNS", usageType: "Requests-Tier1", key: .snsPublishes),
        Source(offer: "AWSEvents", usageType: "Event-64K-Chunks", key: .eventBridgeEvents),
        Source(offer: "AmazonCloudWatch", usageType: "DataProcessing-Bytes", key: .logsIngestion),
        Source(offer: "AmazonCloudWatch", usageType: "DataProcessingIA-Bytes", key: .logsIngestionInfrequent),
        Source(offer: "AmazonCloudWatch", usageType: "TimedStorage-ByteHrs", key: .logsStorage),
        Source(offer: "AmazonCloudWatch", usageType: "CW:AlarmMonitorUsage", key: .alarms),
        Source(offer: "AmazonCloudWatch", usageType: "DashboardsUsageHour", key: .dashboards),
        Source(offer: "awskms", usageType: "KMS-Keys", key: .kmsKeys),
        Source(offer: "awskms", usageType: "KMS-Requests", key: .kmsRequests),
        Source(offer: "AWSXRay", usageType: "XRay-TracesStored", key: .xrayTraces),
        Source(offer: "AWSDataTransfer", usageType: "DataTransfer-Out-Bytes", key: .dataTransferOut),
    ]

    /// What one offer file gave.
    public struct Extract: Sendable {
        /// The offer code, e.g. `AWSQueueService`.
        public var offer: String
        /// The region of its products.
        public var region: String?
        /// Prices found.
        public var prices: [PriceCatalogue.Key: UnitPrice]
        /// Leading free ranges found.
        public var alwaysFree: [PriceCatalogue.Key: Double]
    }

    /// The offer codes a complete region file needs.
    public static var offers: [String] { Array(Set(sources.map(\.offer))).sorted() }

    /// Reads one offer file.
    /// - Throws: `ImportError` naming the file and what is wrong.
    public static func extract(_ bytes: [UInt8], path: String) throws -> Extract {
        let root: Node
        do {
            guard let document = try Parser.parse(bytes: bytes).first else {
                throw ImportError(path, id: ConfigReader.ID.missingKey, "the file is empty")
            }
            root = document
        } catch let error as YAMLError {
            throw ImportError(path, at: error.mark, id: ConfigReader.ID.syntax, error.problem)
        }
        guard let offer = root["offerCode"]?.scalarText else {
            throw ImportError(
                path, at: root.mark, id: ConfigReader.ID.missingKey,
                "no 'offerCode'; expected an AWS Price List bulk offer file (products and terms.OnDemand)")
        }
        let publication = root["publicationDate"]?.scalarText.map { String($0.prefix(10)) } ?? "unknown"
        let version = root["version"]?.scalarText ?? "?"
        guard let products = root["products"], let onDemand = root["terms"]?["OnDemand"] else {
            throw ImportError(
                path, at: root.mark, id: ConfigReader.ID.missingKey,
                "offer \(offer) has no 'products' or 'terms.OnDemand'")
        }
        var result = Extract(offer: offer, region: nil, prices: [:], alwaysFree: [:])
        guard case .mapping(let productPairs) = products.content else { return result }
        for pair in productPairs {
            guard let sku = pair.key.scalarText, let attributes = pair.value["attributes"],
                let usageType = attributes["usagetype"]?.scalarText
            else { continue }
            let bare =
                usageType.split(separator: "-", maxSplits: 1).count == 2 && isRegionPrefix(usageType)
                ? String(usageType.split(separator: "-", maxSplits: 1)[1]) : usageType
            guard let source = sources.first(where: { $0.offer == offer && $0.usageType == bare }) else { continue }
            if source.key == .sqsRequests, let queueType = attributes["queueType"]?.scalarText, queueType != "Standard"
            {
                continue
            }
            if result.region == nil { result.region = attributes["regionCode"]?.scalarText }
            guard let terms = onDemand[sku], case .mapping(let termPairs) = terms.content,
                let term = termPairs.first?.value,
                case .mapping(let dimensionPairs)? = term["priceDimensions"]?.content
            else { continue }
            var ranges: [(begin: Double, end: Double?, price: Double, unit: String)] = []
            for dimension in dimensionPairs.map(\.value) {
                guard let price = dimension["pricePerUnit"]?["USD"]?.scalarText.flatMap(Double.init) else { continue }
                let begin = dimension["beginRange"]?.scalarText.flatMap(Double.init) ?? 0
                let endText = dimension["endRange"]?.scalarText ?? "Inf"
                ranges.append(
                    (begin, endText == "Inf" ? nil : Double(endText), price, dimension["unit"]?.scalarText ?? ""))
            }
            ranges.sort { $0.begin < $1.begin }
            guard !ranges.isEmpty else { continue }
            // Hourly units (a dashboard-hour, a GB-hour) become monthly ones over the 730-hour month.
            var unit = ranges[0].unit
            let hourly = unit.lowercased().contains("hr") || unit.lowercased().contains("hour")
            let factor = hourly ? 730.0 : 1.0
            switch source.key {
            case .dynamodbStorage, .dynamodbPITR, .logsStorage: unit = "GB-months"
            case .dashboards: unit = "dashboards"
            case .alarms: unit = "alarm metrics"
            default: if hourly { unit = "\(unit)-months" }
            }
            if ranges[0].price == 0, let end = ranges[0].end {
                result.alwaysFree[source.key] = end
                ranges.removeFirst()
            }
            let tiers = ranges.map { UnitPrice.Tier(upTo: $0.end, price: $0.price * factor) }
            result.prices[source.key] = UnitPrice(
                unit: unit.isEmpty ? "units" : unit, tiers: tiers, asOf: publication,
                source: "AWS Price List bulk offer \(offer) version \(version) (usagetype \(usageType))")
        }
        return result
    }

    private static func isRegionPrefix(_ usageType: String) -> Bool {
        let prefix = usageType.prefix { $0 != "-" }
        return prefix.count == 4 && prefix.allSatisfy { $0.isUppercase || $0.isNumber } && prefix.last?.isNumber == true
    }

    /// Merges extracts into `existing` (if any) for `region`.
    /// - Throws: `ImportError` listing the prices still missing and the offer files that carry them.
    /// `path` is the price file being written, named in the error.
    public static func catalogue(
        _ extracts: [Extract], region: String, asOf: String, existing: PriceCatalogue?, path: String
    ) throws -> PriceCatalogue {
        var prices = existing?.prices ?? [:]
        var free = existing?.alwaysFree ?? [:]
        for extract in extracts {
            for (key, price) in extract.prices { prices[key] = price }
            for (key, amount) in extract.alwaysFree { free[key] = amount }
        }
        let missing = PriceCatalogue.Key.allCases.filter { prices[$0] == nil }
        if !missing.isEmpty {
            let offers = Set(sources.filter { missing.contains($0.key) }.map(\.offer)).sorted()
            throw ImportError(
                path, id: ConfigReader.ID.missingKey,
                "no price for \(missing.map(\.rawValue).joined(separator: ", ")); import the offer files of \(offers.joined(separator: ", ")) for \(region) too"
            )
        }
        return PriceCatalogue(
            region: region, currency: "USD", asOf: asOf, prices: prices, alwaysFree: free,
            firstYearFree: existing?.firstYearFree ?? [.apiRestRequests: 1_000_000, .apiHttpRequests: 1_000_000])
    }

    /// The catalogue as a price file, in the key order of `PriceCatalogue.Key`.
    public static func yaml(_ catalogue: PriceCatalogue) throws -> String {
        func number(_ value: Double) -> Node { .scalar(Money.format6(value).trimmingZeros) }
        var prices: [(String, Node)] = []
        for key in PriceCatalogue.Key.allCases {
            guard let price = catalogue.prices[key] else { continue }
            var fields: [(String, Node)] = [("unit", .string(price.unit))]
            if price.tiers.count == 1 && price.tiers[0].upTo == nil {
                fields.append(("price", number(price.tiers[0].price)))
            } else {
                fields.append(
                    (
                        "tiers",
                        .sequence(
                            price.tiers.map { tier in
                                .mapping(
                                    (tier.upTo.map { [("up_to", Node.scalar(String(Int64($0))))] } ?? []) + [
                                        ("price", number(tier.price))
                                    ])
                            })
                    ))
            }
            fields += [("as_of", .string(price.asOf)), ("source", .string(price.source))]
            prices.append((key.rawValue, .mapping(fields)))
        }
        func allowances(_ values: [PriceCatalogue.Key: Double]) -> Node {
            .mapping(PriceCatalogue.Key.allCases.compactMap { key in values[key].map { (key.rawValue, number($0)) } })
        }
        let root = Node.mapping([
            ("region", .string(catalogue.region)), ("currency", .string(catalogue.currency)),
            ("as_of", .string(catalogue.asOf)),
            ("prices", .mapping(prices)),
            (
                "free_tier",
                .mapping([
                    ("always", allowances(catalogue.alwaysFree)),
                    ("first_12_months", allowances(catalogue.firstYearFree)),
                ])
            ),
        ])
        return
            "# Unit prices for \(catalogue.region), written by `orderstack pricing import` from AWS Price List bulk offer files.\n"
            + (try Emitter.render(root))
    }
}

/// Why an import failed: one located diagnostic, printed as `path:line:col: error: ID: message`.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    /// The problem, located in the offer file (or the price file for missing prices).
    public let diagnostic: Diagnostic

    init(_ path: String, at mark: Mark = .start, id: String, _ message: String) {
        diagnostic = Diagnostic(path: path, mark: mark, severity: .error, id: id, message: message)
    }

    /// The diagnostic's line.
    public var description: String { diagnostic.description }
}

extension Node {
    /// The value of `key` if this is a mapping.
    subscript(key: String) -> Node? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.last { $0.key.scalarText == key }?.value
    }
}

extension String {
    fileprivate var trimmingZeros: String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
