import AWSClients
import AWSSigV4
import ArgumentParser
import AsyncHTTPClient
import CloudFormation
import Costing
import Foundation
import JSONDocument
import LoadRun
import StackGraph

#if canImport(Glibc)
    import Glibc
#endif

extension OrderStack {
    /// `orderstack load`: a traffic profile replayed against a running API, every accepted request verified.
    public struct Load: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        public static let configuration = CommandConfiguration(
            abstract: "Replay a traffic profile against the API, check every accepted request, compare with simulate.",
            discussion: """
                Plays hours --window of the profile's month --speedup times faster with every rate times --scale, \
                as an open model: Poisson arrivals from a seeded generator (--seed), sent when due whatever the \
                answers, so a slow API shows queueing. Bodies are made from the entry route's (a POST) request model \
                with keys unique to the run; --invalid-share of them break the model (400 expected), \
                --duplicate-share repeat an earlier key (a client retry), and the profile's queries_per_arrival \
                GET earlier keys. AWS_IAM routes are SigV4-signed.

                --target local (the default) runs the stage as `orderstack local` does (moto_server, the gateway, \
                the real handler binaries), reads every accepted key back from the table and drains the \
                subscriber queues: keys lost, never announced or announced more than once are \
                listed, and the exit status is 1. --target URL sends to a running API (its stage path \
                included) and reads keys back through the GET route; a target off this machine needs \
                --confirm-endpoint HOST. Ctrl-C stops sending and still verifies what was sent; a second Ctrl-C \
                stops at once.

                The report: per second offered, 2xx, 4xx, 429, 5xx; latency percentiles from each request's due \
                time; the intake queue's peak and drain time; and simulate's prediction for the same compressed \
                profile on the stage's limits, with the figures that differ by more than 20 %.

                Examples:
                  orderstack load --profile sale-spike --scale 0.05
                  orderstack load --profile sale-spike --scale 0.05 --speedup 120 --svg load.svg
                  orderstack load --profile baseline --target http://127.0.0.1:3000/dev --duration 30
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @OptionGroup var traffic: TrafficOptions

        @Option(name: .long, help: "local (run the stage here) or the API's URL with its stage path.")
        var target: String = "local"

        @OptionGroup var stageOption: StageOption

        @Option(name: .long, help: "Every rate of the profile times this.")
        var scale: Double = 1

        @Option(name: .long, help: "Seconds of the month played per second of the run.")
        var speedup: Double = 60

        @Option(
            name: .long,
            help:
                "Hours of the month to play, START..END (default: the largest spike with 5 minutes either side, or the busiest hour)."
        )
        var window: String?

        @Option(name: .long, help: "Stop sending after this long (90, 90s, 2m).")
        var duration: String?

        @Option(name: .customLong("max-rate"), help: "Refuse a run whose peak exceeds this many requests per second.")
        var maxRate: Double = 200

        @Option(name: .long, help: "The arrival and request generator's seed (the same seed, the same run).")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Connections to the API at most.")
        var connections: Int = 64

        @Option(name: .customLong("invalid-share"), help: "Share of requests that break the request model.")
        var invalidShare: Double = 0.01

        @Option(name: .customLong("duplicate-share"), help: "Share of requests sent again with an earlier key.")
        var duplicateShare: Double = 0.01

        @Option(
            name: .long,
            help:
                "The body property that is the key (default: the GET route's parameter, else the table's partition key among the model's required properties)."
        )
        var key: String?

        @Option(name: .long, help: "A valid request body to send instead of bodies made from the request model.")
        var sample: String?

        @Option(name: .long, help: "Seconds to wait at most for the stack to finish after sending.")
        var settle: Double = 300

        @Flag(name: .customLong("no-verify"), help: "Send and report only; look for no key afterwards.")
        var noVerify = false

        @Option(name: .customLong("confirm-endpoint"), help: "The target's host, repeated: required off loopback.")
        var confirmEndpoint: String?

        @Option(name: .long, help: "Output format.")
        var format: Format = .text

        @Option(name: .long, help: "Write an SVG chart of the run beside the prediction.")
        var svg: String?

        @Option(name: .long, help: "With --target local: a running moto_server to use instead of starting one.")
        var endpoint: String?

        @Option(name: .long, help: "With --target local: the API's port on 127.0.0.1 (0: a free one).")
        var port: Int = 0

        @Flag(name: .long, help: "With --target local: run the handlers built in release.")
        var release = false

        @Option(
            name: .customLong("visibility-timeout"),
            help: "With --target local: every queue's visibility timeout in seconds (faster retries after a crash).")
        var visibilityTimeout: Int?

        public init() {}

        public func validate() throws {
            if scale <= 0 || !scale.isFinite { throw ValidationError("--scale must be a positive number") }
            if speedup < 1 || speedup > 3600 { throw ValidationError("--speedup must be between 1 and 3600") }
            if let window, Simulate.hours(window) == nil {
                throw ValidationError("--window takes hours of the month as START..END, e.g. 299.5..302.5 (0 to 730)")
            }
            if let duration, Self.seconds(duration) == nil {
                throw ValidationError("--duration takes seconds (90), or 90s, 2m, 1h")
            }
            for (name, share) in [("--invalid-share", invalidShare), ("--duplicate-share", duplicateShare)]
            where !(0...0.5).contains(share) {
                throw ValidationError("\(name) must be between 0 and 0.5")
            }
            if connections < 1 || connections > 4096 { throw ValidationError("--connections must be 1 to 4096") }
            if maxRate <= 0 { throw ValidationError("--max-rate must be positive") }
            if target != "local" && TargetAddress(url: target) == nil {
                throw ValidationError(
                    "--target takes local or an http(s) URL with the stage path, e.g. http://127.0.0.1:3000/dev")
            }
        }

        static func seconds(_ text: String) -> Double? {
            let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
            for (suffix, factor) in units where text.hasSuffix(suffix) {
                if let value = Double(text.dropLast(suffix.count)), value > 0 { return value * factor }
            }
            return Double(text).flatMap { $0 > 0 ? $0 : nil }
        }

        public func run() throws {
            let console = Console()
            if let svg { try FileSystem.checkWritable(svg) }
            let project = try options.location
            let loaded = try traffic.single(project, console: console)
            let item = try SynthesisRun.synthesize(
                project: project, stack: try stacks.single(console: console), stage: stageOption.resolve(project),
                console: console)
            let template = item.synthesis.template
            let shape = LoadShape(
                profile: loaded, window: window.flatMap(Simulate.hours), scale: scale, speedup: speedup,
                durationCap: duration.flatMap(Self.seconds))
            try checkShape(shape, console: console)
            let path = TrafficPath(
                StackGraph(template), entryRoute: loaded.entryRoute, queryRoute: loaded.queryRoute)
            let (routes, entry) = try Self.routes(path, key: key, stage: item.settings.name, console: console)
            let mix = try makeMix(entry: entry, routes: routes, shape: shape, project: project, console: console)
            let stop = StopFlag()
            let client = Self.client(connections: connections)
            defer { try? client.syncShutdown() }
            var launch: LocalLaunch?
            var result: LoadResult
            do {
                let plan: LoadPlan
                (plan, launch) = try prepare(
                    item: item, project: project, path: path, routes: routes, shape: shape, mix: mix, stop: stop,
                    client: client, console: console)
                installSignals(stop: stop, launch: launch, console: console)
                result = try blocking { try await LoadRunner.run(plan) }
            } catch {
                launch?.stop()
                if error is BadInput || error is ExitCode { throw error }
                if let failure = error as? TransientFailure {
                    let whom = target == "local" ? "the local services (moto_server)" : target
                    console.err("error: lost contact with \(whom) while verifying the run: \(Sender.describe(failure))")
                } else {
                    console.err("error: \(AWSSession.explain(error, what: "verifying the run"))")
                }
                throw ExitCode(1)
            }
            launch?.stop()
            // Stopped early (Ctrl-C): what was sent is compared with the prediction for the same seconds.
            var sentShape = shape
            if result.stoppedEarly {
                sentShape.durationCap = result.sentSeconds
                result.expectedRequests = sentShape.expectedRequests
            }
            result.prediction = Self.prediction(
                template: template, shape: sentShape, invalidShare: mix.shares.invalid, settle: settle)
            switch format {
            case .text: console.out(LoadReport.text(result))
            case .json: console.out(LoadReport.json(result))
            }
            if let svg {
                try FileSystem.write(LoadChart.svg(result), to: svg)
                if format == .text { console.out("wrote \(svg)\n") }
            }
            if result.failed { throw ExitCode(1) }
        }

        /// Refuses an empty run and one above `--max-rate`.
        func checkShape(_ shape: LoadShape, console: Console) throws {
            let peak = shape.peakRequestRate
            if peak > maxRate {
                let fit = maxRate / peak * scale
                console.err(
                    "error: profile \(shape.profile.name) peaks at \(LoadReport.number(peak)) requests/s at --scale \(LoadReport.number(scale)), above --max-rate \(LoadReport.number(maxRate)); use --scale \(LoadReport.number((fit * 100).rounded(.down) / 100)) or raise --max-rate"
                )
                throw BadInput()
            }
            if shape.expectedRequests < 1 {
                console.err(
                    "error: profile \(shape.profile.name) sends no request in hours \(LoadReport.number(shape.window.lowerBound))..\(LoadReport.number(shape.window.upperBound)) at --scale \(LoadReport.number(scale)); raise --scale or choose another --window"
                )
                throw BadInput()
            }
        }

        /// The entry route (a POST: the traffic path's one rule), the query route below it, and the key (the
        /// path's rule: `--key`, else the query route's parameter, else the request model's required property
        /// that a table of the stack has as its partition key).
        static func routes(_ path: TrafficPath, key: String?, stage file: String, console: Console) throws
            -> (LoadRoutes, StackGraph.Route)
        {
            guard let entry = path.entry, entry.method == "POST" else {
                let found = path.graph.routes.filter { $0.method == "POST" }.map(\.name).joined(separator: ", ")
                let why = path.entry.map { "the entry route is \($0.name)" } ?? path.problem ?? "no entry route"
                console.err(
                    "error: stage \(file): load sends to the entry route, a POST (\(why); POST routes: \(found.isEmpty ? "none" : found)); name it with entry_route in the profile"
                )
                throw BadInput()
            }
            if let problem = path.problem {
                console.err("error: stage \(file): \(problem)")
                throw BadInput()
            }
            let schema = entry.requestSchema.flatMap(RequestSchema.document)
            let required = schema.flatMap { document -> [String]? in
                guard case .array(let items)? = document["required"] else { return nil }
                return items.compactMap(\.string)
            }
            guard let found = path.key(explicit: key, required: required) else {
                console.err(
                    "error: stage \(file): cannot tell which property of POST \(entry.path)'s body is the key (no GET route below it, and no required property is a table's partition key); name it with --key"
                )
                throw BadInput()
            }
            let get = path.queryParameter == nil ? nil : path.queryRoute
            if let get, let parameter = path.queryParameter, parameter != found {
                console.err("error: --key \(found) is not the parameter of GET \(get.path) (\(parameter))")
                throw BadInput()
            }
            return (LoadRoutes(post: entry.path, get: get?.path, key: found), entry)
        }

        func makeMix(entry: StackGraph.Route, routes: LoadRoutes, shape: LoadShape, project: Project, console: Console)
            throws -> RequestMix
        {
            var base: JSONValue?
            if let sample {
                guard let data = FileManager.default.contents(atPath: sample), let parsed = JSONValue.parse(Array(data))
                else {
                    console.err("\(sample): error: cannot read a JSON request body (--sample)")
                    throw BadInput()
                }
                base = parsed
            }
            let schema = entry.requestSchema.flatMap(RequestSchema.document)
            let tag = "ld" + String(UInt64(Date().timeIntervalSince1970) % 2_176_782_336, radix: 36)
            do {
                return try RequestMix(
                    schema: schema, base: base, routes: routes,
                    shares: RequestMix.Shares(
                        invalid: invalidShare, duplicate: duplicateShare,
                        queriesPerArrival: shape.profile.queriesPerArrival
                    ),
                    runTag: tag, seed: seed)
            } catch let problem as RequestMix.Problem {
                console.err("error: POST \(routes.post): \(problem.description)")
                throw BadInput()
            }
        }

        static func prediction(template: Template, shape: LoadShape, invalidShare: Double, settle: Double)
            -> LoadPrediction?
        {
            let model = StackUsageModel(
                template, entryRoute: shape.profile.entryRoute, queryRoute: shape.profile.queryRoute)
            guard model.intakeMapping != nil else { return nil }
            return LoadPrediction.make(
                shape: shape, invalidShare: invalidShare,
                parameters: SimulationParameters(model: model, profile: shape.profile), tailSeconds: Int(settle))
        }
    }
}
