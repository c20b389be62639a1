import CloudFormation

/// A cheaper variant of the stack and what it costs in exchange.
public struct Suggestion: Sendable, Equatable {
    /// What to change.
    public var change: String
    /// Monthly saving against the estimate as synthesized.
    public var saving: Double
    /// The variant's monthly total.
    public var total: Double
    /// What is given up, in one line.
    public var tradeOff: String
}

/// Re-estimates modified copies of the model and lists the ones that save money.
public enum Suggestions {
    /// The variants that cost less than `base`, largest saving first.
    public static func cheaperVariants(
        template: Template, profile: TrafficProfile, prices: PriceCatalogue, options: EstimateOptions, base: Estimate
    ) -> [Suggestion] {
        cheaperVariants(
            model: StackUsageModel(template, entryRoute: profile.entryRoute, queryRoute: profile.queryRoute),
            profile: profile, prices: prices, options: options, base: base)
    }

    /// The variants of the stack read into `model` that cost less than `base`, largest saving first.
    public static func cheaperVariants(
        model: StackUsageModel, profile: TrafficProfile, prices: PriceCatalogue, options: EstimateOptions,
        base: Estimate
    ) -> [Suggestion] {
        let api = model.entry?.api ?? "Name"
        var variants: [(String, String, (inout EstimateOptions) -> Void)] = [
            (
                "HTTP API instead of the REST API (one line of the blueprint: RestAPI(\"\(api)\") -> HTTPAPI(\"\(api)\"))",
                "no request models or validators at the edge (the consumer validates), no usage plans or API keys, SQS's own answer instead of the 202 body",
                { $0.httpApi = true }
            ),
            (
                "arm64 (Graviton) functions", "the handlers must be built and tested for aarch64",
                { $0.architecture = "arm64" }
            ),
            (
                "infrequent-access log class",
                "no metric filters, subscription filters or Live Tail; Logs Insights queries only",
                { $0.infrequentAccessLogs = true }
            ),
            (
                "7-day log retention", "logs older than a week are gone before a monthly review",
                { $0.maximumRetentionDays = 7 }
            ),
        ]
        if model.processor != nil && model.batchingWindowSeconds < 20 {
            variants.append(
                (
                    "20 s batching window on the intake mapping",
                    "messages wait up to 20 s longer before their function takes them",
                    { $0.batchingWindowSeconds = 20 }
                ))
        }
        if model.readThrottleAlarms > 0 && profile.queriesPerArrival < 1 {
            variants.append(
                (
                    "no read-throttle alarms on the tables",
                    "throttled table reads show only as API 5XX and latency alarms",
                    { $0.dropReadThrottleAlarms = true }
                ))
        }
        if let processor = model.processor, processor.memoryMB >= 256 {
            let memory = (processor.memoryMB / 2).rounded()
            let a = profile.assumptions
            let before = a.processorMs(atMemoryMB: processor.memoryMB)
            let after = a.processorMs(atMemoryMB: memory)
            variants.append(
                (
                    "\(Int(memory)) MB instead of \(Int(processor.memoryMB)) MB for \(processor.logicalId)",
                    "each batch takes about \(Money.quantity(after.rounded())) ms instead of \(Money.quantity(before.rounded())) ms "
                        + "(\(Money.quantity(a.handlerCPUShare * 100)) % of handler time is CPU, which Lambda gives in proportion "
                        + "to memory), so a spike's backlog drains slower; measure before you change it",
                    { $0.processorMemoryMB = memory }
                ))
        }
        return variants.compactMap { change, tradeOff, configure in
            var variant = options
            configure(&variant)
            let estimate = Estimator.estimate(model: model, profile: profile, prices: prices, options: variant)
            let saving = base.total - estimate.total
            guard saving >= 0.005 else { return nil }
            return Suggestion(change: change, saving: saving, total: estimate.total, tradeOff: tradeOff)
        }.sorted { $0.saving > $1.saving }
    }
}
