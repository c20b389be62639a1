import CloudFormation
import StackGraph

/// One line of the estimate: quantity × unit price = cost, with the formula behind the quantity.
public struct CostLine: Sendable, Equatable {
    /// The AWS service, e.g. `Amazon SQS`.
    public var service: String
    /// What is billed, e.g. `requests (intake queue)`.
    public var item: String
    /// The billable quantity (after any free allowance).
    public var quantity: Double
    /// The unit, e.g. `requests`.
    public var unit: String
    /// The price key in the catalogue; `nil` for a price given with the type (`ResourcePrice`).
    public var key: PriceCatalogue.Key?
    /// The effective price per unit (tiers applied).
    public var unitPrice: Double
    /// Monthly cost in the catalogue's currency.
    public var cost: Double
    /// How the quantity was derived.
    public var formula: String
}

/// The monthly estimate for one profile.
public struct Estimate: Sendable, Equatable {
    public var profile: String
    public var stage: String
    public var region: String
    public var currency: String
    public var pricingAsOf: String
    public var freeTier: Bool
    public var arrivals: Double
    /// What the profile calls its arrivals, for the reports.
    public var noun = TrafficProfile.Noun()
    public var lines: [CostLine]
    public var assumptions: [String]
    /// The template file priced, when it is not a stage's synthesized stack.
    public var template: String? = nil

    /// `stage prod` or `template FILE`, for report headers.
    public var subject: String { template.map { "template \($0)" } ?? "stage \(stage)" }

    /// The sum of the lines.
    public var total: Double { lines.reduce(0) { $0 + $1.cost } }
}

/// Options of an estimate.
public struct EstimateOptions: Sendable {
    /// Apply the always-free allowances.
    public var freeTier = false
    /// Also apply the first-12-months allowances (API Gateway).
    public var firstYearFreeTier = false
    /// The stage name, for the report.
    public var stage = ""
    /// The template file, when one is priced instead of a stage.
    public var template: String?
    /// Override the processor's architecture (`--suggest` variants).
    public var architecture: String?
    /// Price API requests as an HTTP API (`--suggest` variant).
    public var httpApi = false
    /// Override the batching window (`--suggest` variant).
    public var batchingWindowSeconds: Double?
    /// Price every log group in the infrequent-access class (`--suggest` variant).
    public var infrequentAccessLogs = false
    /// Cap log retention at this many days (`--suggest` variant).
    public var maximumRetentionDays: Double?
    /// Leave out the alarms on table read throttling (`--suggest` variant).
    public var dropReadThrottleAlarms = false
    /// Use the simulator's effective batches, invocations (throttled retries included), receives, traces and
    /// accepted requests instead of the steady-state integration.
    public var simulation: SimulationResult?
    /// Prices the processor at this memory instead of the template's (a `--suggest` variant).
    public var processorMemoryMB: Double?
    /// Prices of resource types the estimate has no model of, given by the constructs that add them.
    public var resourcePrices: [ResourcePrice] = []

    public init() {}
}

/// Monthly usage, integrated minute by minute over the 730-hour month.
public struct MonthlyUsage: Sendable, Equatable {
    /// Arrivals accepted at the entry route.
    public var arrivals = 0.0
    /// Processor invocations (batches).
    public var batches = 0.0
    /// ReceiveMessage calls on the intake queue: one per batch, plus the empty long polls of idle pollers.
    public var receives = 0.0
    /// Downstream consumers' invocations and receives, by mapping logical ID.
    public var consumerBatches: [String: Double] = [:]
    public var consumerReceives: [String: Double] = [:]
    /// Invocations of each outbox's stream mapping, by mapping logical ID.
    public var streamBatches: [String: Double] = [:]
    /// Requests traced by X-Ray (1 per second, then 5 % of the rest).
    public var tracedRequests = 0.0
    /// Five-minute periods (the KMS data-key reuse period) with at least one order: a month without traffic
    /// makes no data-key calls.
    public var activeKeyPeriods = 0.0
}

/// Prices a stack for a traffic profile.
public enum Estimator {
    static let gib = 1_073_741_824.0
    static let chunk = 65_536.0

    /// Batches a mapping takes in a minute at `rate` messages per second: the effective batch is
    /// `min(BatchSize, max(1, rate × max(window, handler time)))`.
    static func batches(rate: Double, batchSize: Double, window: Double, handlerSeconds: Double) -> Double {
        let batch = min(max(1, batchSize), max(1, rate * max(window, handlerSeconds)))
        return rate * 60 / batch
    }

    /// How often Lambda polls each shard of a DynamoDB stream: 4 times a second
    /// (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html), so records arriving within a quarter second
    /// share an invocation.
    static let streamPollSeconds = 0.25

    /// Integrates the profile over the month: arrivals, batches, receives, traces.
    public static func usage(_ profile: TrafficProfile, model: StackUsageModel, window: Double) -> MonthlyUsage {
        var usage = MonthlyUsage()
        let a = profile.assumptions
        let handlerSeconds = a.processorMs(atMemoryMB: model.processor?.memoryMB ?? 128) / 1000
        let requestsPerArrival = 1 + profile.queriesPerArrival
        let downstream = model.consumers.map { flow in
            (
                flow.consumer.mapping, flow.perArrival, flow.consumer.batchSize, flow.consumer.batchingWindowSeconds,
                a.processorMs(atMemoryMB: flow.function.memoryMB) / 1000
            )
        }
        var lastActivePeriod = -1
        for minute in 0..<TrafficProfile.minutesPerMonth {
            let rate = profile.rate(atMinute: minute)
            let arrivals = rate * 60
            usage.arrivals += arrivals
            if arrivals > 0 && minute / 5 != lastActivePeriod {
                lastActivePeriod = minute / 5
                usage.activeKeyPeriods += 1
            }
            for (mapping, share, size, ownWindow, seconds) in downstream {
                let batches = batches(rate: rate * share, batchSize: size, window: ownWindow, handlerSeconds: seconds)
                usage.consumerBatches[mapping, default: 0] += batches
                usage.consumerReceives[mapping, default: 0] += max(a.idleReceivesPerMinute, batches)
            }
            for outbox in model.outboxes {
                usage.streamBatches[outbox.consumer.mapping, default: 0] += batches(
                    rate: rate * outbox.perArrival, batchSize: outbox.consumer.batchSize,
                    window: max(streamPollSeconds, outbox.consumer.batchingWindowSeconds),
                    handlerSeconds: handlerSeconds)
            }
            guard model.processor != nil else { continue }
            let batches = batches(
                rate: rate * model.processorShare, batchSize: model.batchSize, window: window,
                handlerSeconds: handlerSeconds)
            usage.batches += batches
            usage.receives += max(a.idleReceivesPerMinute, batches)
            let apiRate = rate * requestsPerArrival
            usage.tracedRequests += 60 * (min(apiRate, 1) + 0.05 * max(apiRate - 1, 0))
        }
        return usage
    }

    /// The estimate of `template` under `profile`, priced with `prices`.
    public static func estimate(
        template: Template, profile: TrafficProfile, prices: PriceCatalogue,
        options: EstimateOptions = EstimateOptions()
    ) -> Estimate {
        estimate(
            model: StackUsageModel(template, entryRoute: profile.entryRoute, queryRoute: profile.queryRoute),
            profile: profile, prices: prices, options: options)
    }

    /// The estimate of a stack already read into `model` (placed for `profile`), priced with `prices`.
    public static func estimate(
        model: StackUsageModel, profile: TrafficProfile, prices: PriceCatalogue,
        options: EstimateOptions = EstimateOptions()
    ) -> Estimate {
        var model = model
        if let memory = options.processorMemoryMB { model.processor?.memoryMB = memory }
        let window = options.batchingWindowSeconds ?? model.batchingWindowSeconds
        var usage = usage(profile, model: model, window: window)
        var billedRequests: Double?
        if let simulation = options.simulation {
            usage.arrivals = simulation.acceptedArrivals
            usage.batches = simulation.invocations
            usage.receives = simulation.receives
            usage.tracedRequests = simulation.tracedRequests
            for consumer in simulation.downstream {
                usage.consumerBatches[consumer.mapping] = consumer.invocations
                usage.consumerReceives[consumer.mapping] = consumer.receives
            }
            billedRequests = simulation.acceptedRequests
        }
        var collector = LineCollector(
            model: model, profile: profile, usage: usage, options: options, billedRequests: billedRequests)
        collector.collect()
        let raw = collector.raw
        let arrivals = usage.arrivals
        let q = Money.quantity
        // Free allowances and tiers apply per price key across lines, in line order.
        var lines: [CostLine] = []
        var remainingFree: [PriceCatalogue.Key: Double] = [:]
        if options.freeTier {
            remainingFree = prices.alwaysFree
            if options.firstYearFreeTier {
                for (key, amount) in prices.firstYearFree { remainingFree[key, default: 0] += amount }
            }
        }
        var billable: [Double] = []
        var keyTotals: [PriceCatalogue.Key: Double] = [:]
        for entry in raw {
            let free = min(remainingFree[entry.key] ?? 0, entry.quantity)
            remainingFree[entry.key] = (remainingFree[entry.key] ?? 0) - free
            billable.append(entry.quantity - free)
            keyTotals[entry.key, default: 0] += entry.quantity - free
        }
        for (index, entry) in raw.enumerated() {
            let price = prices[entry.key]
            let total = keyTotals[entry.key] ?? 0
            let keyCost = price.cost(total)
            let cost = total > 0 ? keyCost * billable[index] / total : 0
            let unitPrice = total > 0 ? keyCost / total : price.firstPrice
            var formula = entry.formula
            if billable[index] < entry.quantity {
                formula += "; \(q(entry.quantity - billable[index])) free of \(q(entry.quantity))"
            }
            lines.append(
                CostLine(
                    service: entry.service, item: entry.item, quantity: billable[index], unit: entry.unit,
                    key: entry.key,
                    unitPrice: unitPrice, cost: cost, formula: formula))
        }

        lines += Self.givenPriceLines(model.graph, options.resourcePrices)
        let assumptions = collector.assumptions(window: window, prices: prices)
        var estimate = Estimate(
            profile: profile.name, stage: options.stage, region: prices.region, currency: prices.currency,
            pricingAsOf: prices.asOf, freeTier: options.freeTier, arrivals: arrivals, lines: lines,
            assumptions: assumptions,
            template: options.template)
        estimate.noun = profile.noun
        return estimate
    }
}

extension Estimator {
    /// A line per resource type the template has and a `ResourcePrice` prices: its resources × units × price.
    static func givenPriceLines(_ graph: StackGraph, _ prices: [ResourcePrice]) -> [CostLine] {
        graph.unpriced.compactMap { unpriced -> CostLine? in
            guard let price = prices.first(where: { $0.resourceType == unpriced.type }) else { return nil }
            let quantity = Double(unpriced.count) * price.unitsPerResource
            return CostLine(
                service: price.service, item: price.item, quantity: quantity, unit: price.unit, key: nil,
                unitPrice: price.unitPrice, cost: quantity * price.unitPrice,
                formula:
                    "\(Money.count(unpriced.count, "resource")) (\(unpriced.type)) × \(Money.quantity(price.unitsPerResource)) \(price.unit) (\(price.source))"
            )
        }
    }
}
