import ArgumentParser
import CloudFormation
import Costing
import StackDSL

extension CostFormat: ExpressibleByArgument {}

extension OrderStack {
    /// `orderstack cost`: the monthly cost of the synthesized stack for a traffic profile.
    public struct Cost: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Estimate the monthly cost of the synthesized stack for a traffic profile, line by line.",
            discussion: """
                Usage comes from the stage's synthesized template (memory, architecture, batch size and window, \
                alarms, log groups and retention, subscribers, encryption, PITR) combined with the profile in \
                blueprints/profiles; unit prices from blueprints/pricing/<region>.yaml. Every line shows \
                quantity × unit price; --explain adds how each quantity was derived.

                With --template FILE, prices a CloudFormation or SAM template instead (one written by hand, or \
                another tool's): the usage follows its wiring from the entry route (the only route that feeds a \
                queue, or the profile's entry_route) to the queue's consumers, the tables and topics they write \
                and publish to, and the subscriber queues and their consumers; resources without a price are listed.

                With --base REF, prices the stage's output/ as committed at REF as well and prints, per profile, \
                the monthly total before and after and the lines that moved by a cent or more.

                Examples:
                  orderstack cost --profile sale-spike
                  orderstack cost --profile all --format markdown      # one column per profile
                  orderstack cost --profile black-friday --explain --suggest
                  orderstack cost --profile all --base origin/main --format markdown   # what a change costs
                  orderstack cost --profile sale-spike --template template.yaml --explain
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @OptionGroup var traffic: TrafficOptions

        @OptionGroup var stageOption: StageOption
        var stage: String? { stageOption.stage }

        @Option(
            name: .long,
            help: "Price this CloudFormation or SAM template instead of a stage (its wiring gives the usage).")
        var template: String?

        @Option(name: .long, help: "Price region (default: the stage's region).")
        var region: String?

        @Option(name: .long, help: "Output format.")
        var format: CostFormat = .table

        @Flag(name: .long, help: "Show each line's formula.")
        var explain = false

        @Flag(name: .long, help: "Apply the always-free allowances (account-wide in reality).")
        var freeTier = false

        @Flag(
            name: .customLong("free-tier-12-month"),
            help: "Also apply the first-12-months API Gateway allowance (new accounts only).")
        var freeTier12Month = false

        @Flag(name: .long, help: "List cheaper variants of the stack with their saving and trade-off.")
        var suggest = false

        @Option(name: .long, help: "Compare with the stage's output/ as committed at this git revision.")
        var base: String?

        @Flag(name: .long, help: "Take batches, invocations, retries, throttles and 429s from `simulate` (slower).")
        var simulated = false

        public init() {}

        public func validate() throws {
            if base != nil && (suggest || explain) {
                throw ValidationError("--base prints what moved; run --explain or --suggest without it")
            }
            if template != nil && (base != nil || stage != nil) {
                throw ValidationError("--template prices that file; --stage and --base apply to the project's stacks")
            }
        }

        public func run() throws {
            let console = Console()
            let project = try options.location
            let priced = try PricedTemplate.load(
                project: project, stacks: stacks, stage: stage, file: template, region: region, console: console)
            let profiles = try traffic.profiles(project, several: true, console: console)
            let prices: PriceCatalogue
            let models = try profiles.map { try priced.place($0, console: console) }
            switch project.loadPrices(priced.region) {
            case .success(let loaded): prices = loaded
            case .failure(let failure): throw failure.report(to: console)
            }
            var estimateOptions = EstimateOptions()
            estimateOptions.freeTier = freeTier || freeTier12Month
            estimateOptions.firstYearFreeTier = freeTier12Month
            estimateOptions.stage = priced.stage?.settings.name ?? ""
            estimateOptions.template = priced.file
            // The registered stacks' constructs price the types they add that the estimate has no model of.
            estimateOptions.resourcePrices = Stacks.all.flatMap(\.resourcePrices)
            /// One estimate per profile, each on the stack read into its model once.
            func estimates(_ models: [StackUsageModel]) -> [Estimate] {
                zip(profiles, models).map { profile, model in
                    var options = estimateOptions
                    if simulated {
                        options.simulation = Simulator.run(
                            profile, SimulationParameters(model: model, profile: profile))
                    }
                    return Estimator.estimate(model: model, profile: profile, prices: prices, options: options)
                }
            }
            func estimates(of template: Template) -> [Estimate] {
                estimates(
                    profiles.map {
                        StackUsageModel(template, entryRoute: $0.entryRoute, queryRoute: $0.queryRoute)
                    })
            }
            let estimates = estimates(models)
            if let base, let item = priced.stage {
                let committed = try CommittedOutput(project: project, revision: base, console: console)
                let before = try committed.template(item.outputPath, console: console).map(estimates(of:)) ?? []
                let comparison = CostComparison(
                    base: base, stage: item.settings.name, before: before, after: estimates)
                console.out(CostReport.comparison(comparison, format: format))
                return
            }
            var suggestions: [String: [Suggestion]] = [:]
            if suggest {
                for ((profile, model), estimate) in zip(zip(profiles, models), estimates) {
                    suggestions[profile.name] = Suggestions.cheaperVariants(
                        model: model, profile: profile, prices: prices, options: estimateOptions, base: estimate)
                }
            }
            switch format {
            case .json: console.out(CostReport.json(estimates, suggestions: suggestions))
            case .markdown: console.out(CostReport.markdown(estimates, suggestions: suggestions))
            case .table:
                if estimates.count == 1 {
                    console.out(
                        CostReport.table(
                            estimates[0], explain: explain, suggestions: suggestions[estimates[0].profile] ?? []))
                } else {
                    console.out(CostReport.columns(estimates))
                    if explain || suggest {
                        for estimate in estimates {
                            console.out(
                                "\n"
                                    + CostReport.table(
                                        estimate, explain: explain, suggestions: suggestions[estimate.profile] ?? []))
                        }
                    }
                }
            }
        }
    }

    /// `orderstack profiles`: the traffic profiles and their monthly totals.
    public struct Profiles: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "List the traffic profiles of blueprints/profiles with their monthly totals.",
            discussion: "Example:\n  orderstack profiles")

        @OptionGroup var options: ProjectOptions

        public init() {}

        public func run() throws {
            let console = Console()
            switch try options.location.loadProfiles("all") {
            case .failure(let failure): throw failure.report(to: console)
            case .success(let profiles):
                let width = profiles.map(\.name.count).max() ?? 0
                for profile in profiles {
                    let spikes =
                        profile.spikes.isEmpty
                        ? ""
                        : ", \(Money.count(profile.spikes.count, "spike")) peaking at \(Money.quantity(profile.spikes.map(\.arrivalsPerSecond).max() ?? 0))/s"
                    console.out(
                        profile.name.padding(width) + "  "
                            + Money.quantity(profile.totalArrivals.rounded()).leftPadding(12)
                            + " \(profile.noun.plural)  \(profile.description)\(spikes)\n")
                }
            }
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    fileprivate func leftPadding(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
