import AWSClients
import ArgumentParser
import CloudFormation
import Dispatch
import Foundation
import JSONDocument
import JSONText
import LocalRun
import StackGraph

#if canImport(Glibc)
    import Glibc
#endif

extension OrderStack {
    /// `orderstack local`: the stage on loopback, without Docker.
    public struct Local: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run a stage on this machine: moto_server, the API on loopback, the real handler binaries.",
            discussion: """
                Synthesizes the stage, starts moto_server on a free loopback port (or uses --endpoint), creates the \
                template's queues (attributes, redrive), tables, topics and subscriptions (filter policy, raw \
                delivery) in it, serves the REST API on 127.0.0.1 (request validation with the method's model, \
                the SQS integration and its mapping templates, Lambda proxy, the stage throttle, IAM \
                authorization), runs each function as its bootstrap under a Runtime API served here, and polls \
                each SQS event source mapping with its batch size, window and concurrency. Logs go to \
                output/local/logs/<log group>.log. What is not emulated (alarms, dashboards, KMS, IAM policies) \
                is listed at start. Ctrl-C or SIGTERM stops everything it started.

                Examples:
                  orderstack local
                  orderstack local --smoke
                  orderstack local --tail --port 3001
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @OptionGroup var stageOption: StageOption

        @Option(name: .long, help: "The API's port on 127.0.0.1.")
        var port: Int = 3000

        @Option(name: .long, help: "A running moto_server or LocalStack to use instead of starting moto_server.")
        var endpoint: String?

        @Flag(name: .long, help: "Run the handlers built in release (default: debug).")
        var release = false

        @Flag(name: .long, help: "Print every log line as it is written, marked by its source.")
        var tail = false

        @Flag(name: .long, help: "POST a valid, an invalid and a duplicate request, follow each hop, exit 0 or 1.")
        var smoke = false

        @Flag(name: .customLong("no-auth"), help: "Do not check SigV4 signatures on AWS_IAM methods.")
        var noAuth = false

        @Option(
            name: .customLong("visibility-timeout"),
            help: "Every queue's visibility timeout in seconds, instead of the template's (faster retries).")
        var visibilityTimeout: Int?

        @Option(name: .long, help: "The request body --smoke POSTs (default: blueprints/samples/<path>.json).")
        var sample: String?

        public init() {}

        public func run() throws {
            let console = Console()
            let started = Date()
            let project = try options.location
            let item = try SynthesisRun.synthesize(
                project: project, stack: try stacks.single(console: console), stage: stageOption.resolve(project),
                console: console)
            let path = TrafficPath(StackGraph(item.synthesis.template))
            if smoke {
                // Refused before anything is built or started.
                let plan = try Self.smokePlan(path, stage: item.settings.name, console: console)
                _ = try smokeSample(project: project, post: plan.post, console: console)
            }
            if port != 0 { try LocalLaunch.checkPortFree(port, console: console) }
            let launch = try LocalLaunch.start(
                item, project: project,
                options: LocalLaunch.Options(
                    endpoint: endpoint, port: port, release: release, authorization: !noAuth,
                    visibilityTimeout: visibilityTimeout, tail: tail),
                console: console)
            let session = launch.session
            let stop = launch.stop
            Self.installSignals(stop: stop)
            do {
                try Self.writeKeys(session, project: project, console: console)
            } catch {
                stop()
                console.err("error: \(error)")
                throw BadInput()
            }
            banner(
                session, endpoint: launch.endpoint, readyMs: Date().timeIntervalSince(started) * 1000,
                console: console)
            if smoke {
                let passed = try runSmoke(
                    session, path: path, stage: item.settings.name, project: project, console: console)
                stop()
                throw ExitCode(passed ? 0 : 1)
            }
            Self.watchServices(launch, console: console)
            Self.statusLoop(session, console: console)
        }

        /// The usage plans' API key values, generated for this run, go to `output/local/api-keys.json` (readable by
        /// its owner only), never to the terminal.
        static func writeKeys(_ session: LocalSession, project: Project, console: Console) throws(FileFailure) {
            guard let keys = session.api?.keyValues, !keys.isEmpty else { return }
            let path = project.path(Self.keysFile)
            let entries = keys.sorted { $0.key < $1.key }.map {
                "  \(JSONText.quote($0.key)): \(JSONText.quote($0.value))"
            }
            try FileSystem.write("{\n" + entries.joined(separator: ",\n") + "\n}\n", to: path, mode: 0o600)
            console.out(
                "API keys (send one as x-api-key): \(Self.keysFile), by key resource; readable only by you, never printed\n"
            )
        }

        /// Where `local` writes the API keys of a run.
        static let keysFile = "output/local/api-keys.json"

        func banner(_ session: LocalSession, endpoint: String, readyMs: Double, console: Console) {
            var lines = ["services: \(endpoint)"]
            lines += session.report.created.map { "  created \($0)" }
            lines += session.report.runLocally.map { "  runs here \($0)" }
            if !session.report.notEmulated.isEmpty {
                lines.append("not emulated: " + session.report.notEmulated.joined(separator: ", "))
            }
            lines += session.report.notes.map { "  note: \($0)" }
            if let api = session.api, let port = session.gatewayPort {
                lines.append("API \(api.name): http://127.0.0.1:\(port)/\(api.stage)")
                lines += api.routes.map {
                    "  \($0.method) \(api.stage.isEmpty ? "" : "/" + api.stage)\($0.path)\($0.authorization == "AWS_IAM" && !noAuth ? " (SigV4 signed)" : "")\($0.apiKeyRequired ? " (x-api-key)" : "")"
                }
                lines += api.unsupported.map { "  not run locally: \($0)" }
            }
            if let visibilityTimeout {
                lines.append("every queue's visibility timeout: \(visibilityTimeout) s (--visibility-timeout)")
            }
            lines.append("logs: output/local/logs; ready in \(Int(readyMs)) ms; Ctrl-C stops everything")
            console.out(lines.joined(separator: "\n") + "\n")
        }

        /// What `--smoke` follows a request through: the entry route (a POST, by the traffic path's one rule, as
        /// `load` and `cost` take it), the key, and the GET route below it or else the table keyed by the key that
        /// the request's path writes.
        struct SmokePlan {
            var post: StackGraph.Route
            var key: String
            var get: String?
            /// The table's logical ID, where there is no GET route.
            var table: String?
        }

        static func smokePlan(_ path: TrafficPath, stage: String, console: Console) throws -> SmokePlan {
            guard let api = path.graph.apis.first else {
                console.err("error: --smoke sends a request through the stack's REST API, and this stack has none")
                throw BadInput()
            }
            let (routes, post) = try Load.routes(path, key: nil, stage: stage, console: console)
            if let get = routes.get { return SmokePlan(post: post, key: routes.key, get: get) }
            let keyed = path.graph.tables.filter { $0.partitionKey == routes.key }.map(\.logicalId)
            guard let table = path.writes.map(\.table).first(where: keyed.contains) ?? keyed.first else {
                console.err(
                    "error: --smoke reads the request it sent back through a GET route below \(post.name) or from a "
                        + "table keyed by \(routes.key); \(api.logicalId) has neither")
                throw BadInput()
            }
            return SmokePlan(post: post, key: routes.key, table: table)
        }

        /// The JSON body `--smoke` POSTs: `--sample FILE` or `blueprints/samples/<path>.json`.
        func smokeSample(project: Project, post: StackGraph.Route, console: Console) throws -> JSONValue {
            let samplePath =
                sample
                ?? project.path("blueprints/samples/\(post.path.split(separator: "/").joined(separator: "-")).json")
            let bytes: [UInt8]
            do { bytes = try FileSystem.read(samplePath) } catch { throw error.report(to: console) }
            guard let document = JSONValue.parse(bytes) else {
                console.err(
                    "\(samplePath): error: not JSON; --smoke POSTs this file as the request body (--sample FILE)")
                throw BadInput()
            }
            return document
        }

        func runSmoke(_ session: LocalSession, path: TrafficPath, stage: String, project: Project, console: Console)
            throws -> Bool
        {
            let plan = try Self.smokePlan(path, stage: stage, console: console)
            guard session.api != nil, let port = session.gatewayPort else { throw BadInput() }
            let document = try smokeSample(project: project, post: plan.post, console: console)
            let client = GatewayClient(
                port: port, credentials: noAuth ? nil : LocalConfiguration.defaultCredentials,
                region: session.names.region,
                apiKey: session.api?.plans.max { ($0.quota ?? .max) < ($1.quota ?? .max) }?.value)
            let readBack: Smoke.ReadBack
            if let get = plan.get {
                readBack = .route(get)
            } else if let table = session.tables.first(where: { $0.0 == plan.table })?.1 {
                readBack = .table(table)
            } else {
                console.err("error: \(plan.table ?? "the table") was not created locally")
                throw BadInput()
            }
            let smoke = Smoke(
                session: session, client: client, postPath: plan.post.path, readBack: readBack, key: plan.key,
                sample: document, say: { console.out($0 + "\n") })
            let passed = try blocking { try await smoke.run() }
            if !passed {
                for line in Self.handlerErrors(in: project.path("output/local/logs")) { console.out(line + "\n") }
            }
            return passed
        }

        /// After a failed smoke run: the handlers' error lines (the last five of each log), so the reason is on
        /// the screen, not only in a log file.
        static func handlerErrors(in folder: String) -> [String] {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                $0.hasSuffix(".log")
            }.sorted()
            var lines: [String] = []
            for file in files {
                let text = (try? String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8)) ?? ""
                let errors = text.split(separator: "\n").filter { line in
                    ["\"level\":\"ERROR\"", "\"level\":\"FATAL\"", "ERROR", "FATAL", "Task timed out", "errorType"]
                        .contains { line.contains($0) }
                }
                guard !errors.isEmpty else { continue }
                lines.append("errors logged in output/local/logs/\(file):")
                lines += errors.suffix(5).map { "  \($0.prefix(400))" }
            }
            return lines.isEmpty ? ["no handler logged an error (logs: output/local/logs)"] : lines
        }

        /// SIGINT and SIGTERM stop everything it started, then exit 130 or 143. The handler only writes the signal's
        /// number to a pipe (async-signal-safe); a thread waiting on the pipe does the stopping.
        static func installSignals(stop: @escaping @Sendable () -> Void) {
            LocalLaunch.onSignals { number in
                FileHandle.standardError.write(
                    Data("\nstopping: the gateway, the pollers, the handlers, moto_server\n".utf8))
                stop()
                Glibc.exit(number == SIGINT ? 130 : 143)
            }
        }

        /// Prints the status: a live line on a terminal, a plain line every 10 s otherwise.
        static func statusLoop(_ session: LocalSession, console: Console) -> Never {
            let terminal = isatty(2) == 1
            while true {
                let line = (try? blocking { await session.statusLine() }) ?? ""
                if terminal {
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
                    sleep(1)
                } else {
                    console.err(line)
                    sleep(10)
                }
            }
        }

        /// Checks every second, on a thread of its own, that the local AWS services still serve; when they are
        /// gone, says so once, stops everything (at most 10 s, then kills what is left) and exits 1.
        static func watchServices(_ launch: LocalLaunch, console: Console) {
            Thread.detachNewThread {
                while launch.servicesGone() == nil { sleep(1) }
                console.err(
                    "\nerror: the local AWS services are gone: \(launch.servicesGone() ?? "?"); every request would "
                        + "now fail, so local stops (the gateway, the pollers, the handlers). What they held is lost; "
                        + "see output/local/logs/moto_server.log")
                let stopped = DispatchSemaphore(value: 0)
                Thread.detachNewThread {
                    launch.stop()
                    stopped.signal()
                }
                _ = stopped.wait(timeout: .now() + 10)
                launch.processes.killAll()
                Glibc.exit(1)
            }
        }
    }
}
