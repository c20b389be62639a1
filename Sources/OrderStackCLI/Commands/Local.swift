import AWSClients
import ArgumentParser
import CloudFormation
import Dispatch
import Foundation
import JSONDocument
import LocalRun

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

        @Option(name: .long, help: "The stage to run (default: dev).")
        var stage: String = "dev"

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
                project: project, stack: try stacks.single(console: console), stage: stage, console: console)
            let template = item.synthesis.template
            if endpoint == nil {
                do {
                    _ = try MotoServer.locate(path: ProcessInfo.processInfo.environment["PATH"] ?? "")
                } catch let error as MotoServer.StartError {
                    console.err("error: \(error.description)")
                    throw BadInput()
                }
            }
            let executables = try buildHandlers(template, project: project, console: console)
            let logs = project.path("output/local/logs")
            try FileSystem.createDirectory(logs)
            let processes = ProcessRegistry()
            let moto = try startMoto(logs: logs, processes: processes, console: console)
            var configuration = LocalConfiguration(
                stackName: "\(item.stack.name)-\(item.settings.name)", region: item.settings.region,
                endpoint: endpoint ?? moto?.endpoint ?? "", port: port, executables: executables, logsDirectory: logs)
            configuration.authorization = !noAuth
            configuration.visibilityTimeout = visibilityTimeout
            if tail { configuration.tail = { line in console.err(line) } }
            let fixed = configuration
            let session: LocalSession
            do {
                session = try blocking {
                    try await LocalSession.start(template, configuration: fixed, processes: processes) {
                        console.err($0)
                    }
                }
            } catch {
                moto?.stop(processes: processes)
                processes.killAll()
                if let failure = error as? TransientFailure {
                    console.err("error: cannot reach the local services at \(fixed.endpoint): \(failure.reason)")
                } else {
                    console.err("error: \(AWSSession.explain(error, what: "starting the local stack"))")
                }
                throw BadInput()
            }
            let stop = Self.stopper(session: session, moto: moto, processes: processes)
            Self.installSignals(stop: stop)
            banner(
                session, endpoint: configuration.endpoint, readyMs: Date().timeIntervalSince(started) * 1000,
                console: console)
            if smoke {
                let passed = try runSmoke(session, project: project, console: console)
                stop()
                throw ExitCode(passed ? 0 : 1)
            }
            Self.statusLoop(session, console: console)
        }

        /// Builds each handler the template runs unless its binary is newer than the sources; their paths.
        func buildHandlers(_ template: Template, project: Project, console: Console) throws -> [String: String] {
            let configuration = release ? "release" : "debug"
            let wanted = Package.executables(in: template)
            let newest = HandlerBuild.newestSource(project)?.1 ?? 0
            var paths: [String: String] = [:]
            for (logicalId, executable) in wanted.sorted(by: { $0.key < $1.key }) {
                let path = project.path(".build/\(configuration)/\(executable)")
                // swift build leaves an up-to-date binary untouched: a stamp records when it was last checked.
                let stamp = project.path(".build/\(configuration)/.orderstack-local-\(executable)")
                if max(HandlerBuild.modified(path) ?? 0, HandlerBuild.modified(stamp) ?? 0) <= newest {
                    console.err("building \(executable) (\(configuration))")
                    let status = try Subprocess.run(
                        "swift",
                        ["build", "-c", configuration, "--product", executable, "--package-path", project.root],
                        passthrough: true)
                    guard status.code == 0 else {
                        console.err("error: swift build of \(executable) failed (exit \(status.code))")
                        throw ExitCode(1)
                    }
                    FileManager.default.createFile(atPath: stamp, contents: Data())
                }
                paths[logicalId] = path
            }
            return paths
        }

        func startMoto(logs: String, processes: ProcessRegistry, console: Console) throws -> MotoServer? {
            guard endpoint == nil else { return nil }
            do {
                return try MotoServer.start(
                    logPath: "\(logs)/moto_server.log", processes: processes,
                    path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin")
            } catch let error as MotoServer.StartError {
                console.err("error: \(error.description)")
                throw BadInput()
            }
        }

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
                    "  \($0.method) /\(api.stage)\($0.path)\($0.authorization == "AWS_IAM" && !noAuth ? " (SigV4 signed)" : "")"
                }
                lines += api.unsupported.map { "  not run locally: \($0)" }
            }
            if let visibilityTimeout {
                lines.append("every queue's visibility timeout: \(visibilityTimeout) s (--visibility-timeout)")
            }
            lines.append("logs: output/local/logs; ready in \(Int(readyMs)) ms; Ctrl-C stops everything")
            console.out(lines.joined(separator: "\n") + "\n")
        }

        func runSmoke(_ session: LocalSession, project: Project, console: Console) throws -> Bool {
            guard let api = session.api, let port = session.gatewayPort,
                let post = api.routes.first(where: { $0.method == "POST" }),
                let get = api.routes.first(where: { $0.method == "GET" && $0.path.hasPrefix(post.path + "/{") })
            else {
                console.err("error: --smoke needs a POST route and a GET route below it (POST /a and GET /a/{id})")
                throw BadInput()
            }
            let samplePath =
                sample
                ?? project.path("blueprints/samples/\(post.path.split(separator: "/").joined(separator: "-")).json")
            guard let bytes = FileManager.default.contents(atPath: samplePath),
                let document = JSONValue.parse(Array(bytes))
            else {
                console.err("\(samplePath): error: cannot read a JSON request body to POST (--sample FILE)")
                throw BadInput()
            }
            let client = GatewayClient(
                port: port, credentials: noAuth ? nil : LocalConfiguration.defaultCredentials,
                region: session.names.region)
            let smoke = Smoke(
                session: session, client: client, postPath: post.path, getPath: get.path, sample: document,
                say: { console.out($0 + "\n") })
            return try blocking { try await smoke.run() }
        }

        /// Stops the session, then moto_server, then anything left; once.
        static func stopper(session: LocalSession, moto: MotoServer?, processes: ProcessRegistry)
            -> @Sendable () -> Void
        {
            let once = Once()
            return {
                guard once.first() else { return }
                _ = try? blocking { await session.stop() }
                moto?.stop(processes: processes)
                processes.killAll()
            }
        }

        /// SIGINT and SIGTERM stop everything it started, then exit 130 or 143. The handler only writes the signal's
        /// number to a pipe (async-signal-safe); a thread waiting on the pipe does the stopping.
        static func installSignals(stop: @escaping @Sendable () -> Void) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { return }
            StopPipe.writeEnd = ends[1]
            for number in [SIGINT, SIGTERM] {
                signal(number) { number in
                    var byte = UInt8(truncatingIfNeeded: number)
                    _ = write(StopPipe.writeEnd, &byte, 1)
                }
            }
            let readEnd = ends[0]
            Thread.detachNewThread {
                var byte: UInt8 = 0
                guard read(readEnd, &byte, 1) == 1 else { return }
                FileHandle.standardError.write(
                    Data("\nstopping: the gateway, the pollers, the handlers, moto_server\n".utf8))
                stop()
                Glibc.exit(Int32(byte) == SIGINT ? 130 : 143)
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
    }
}

/// Where the signal handler writes.
enum StopPipe {
    nonisolated(unsafe) static var writeEnd: Int32 = -1
}

/// True the first time only.
final class Once: @unchecked Sendable {
    let lock = NSLock()
    var done = false

    func first() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}
