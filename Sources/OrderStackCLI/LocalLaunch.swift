import AWSClients
import ArgumentParser
import CloudFormation
import Foundation
import LocalRun

#if canImport(Glibc)
    import Glibc
#endif

/// A stage started on this machine as `orderstack local` starts it: moto_server on a free loopback port (or the
/// given endpoint), the handlers built when stale, the session (services provisioned, gateway, bootstraps, pollers).
/// Shared by `local` and `load --target local`.
struct LocalLaunch: Sendable {
    /// How to start it.
    struct Options: Sendable {
        var endpoint: String?
        var port: Int
        var release: Bool
        var authorization = true
        var visibilityTimeout: Int?
        var tail = false
    }

    let session: LocalSession
    let endpoint: String
    /// Stops the session, then moto_server, then anything left; once.
    let stop: @Sendable () -> Void
    /// Every process it started (moto_server, the bootstraps).
    let processes: ProcessRegistry
    /// Why the local AWS services are gone (moto_server exited, or a loopback endpoint stopped answering), or
    /// `nil` while they serve.
    let servicesGone: @Sendable () -> String?

    /// Refuses a `--port` another process listens on, before anything is built or started. (The gateway binds
    /// 127.0.0.1; a port that is taken between this check and the bind is still reported by `start`.)
    static func checkPortFree(_ port: Int, console: Console) throws {
        guard let reason = PortProbe.problem(port: port) else { return }
        console.err("error: --port \(port): \(reason); choose another port, or --port 0 for a free one")
        throw BadInput()
    }

    /// Starts `item`'s template; errors are printed and thrown as exit codes.
    static func start(_ item: StackStage, project: Project, options: Options, console: Console) throws -> LocalLaunch {
        let template = item.synthesis.template
        if options.endpoint == nil {
            do {
                _ = try MotoServer.locate(path: ProcessInfo.processInfo.environment["PATH"] ?? "")
            } catch let error as MotoServer.StartError {
                console.err("error: \(error.description)")
                throw BadInput()
            }
        }
        let executables = try buildHandlers(template, project: project, release: options.release, console: console)
        let logs = project.path("output/local/logs")
        try FileSystem.createDirectory(logs)
        let processes = ProcessRegistry()
        let moto = try startMoto(endpoint: options.endpoint, logs: logs, processes: processes, console: console)
        var configuration = LocalConfiguration(
            stackName: "\(item.stack.name)-\(item.settings.name)", region: item.settings.region,
            endpoint: options.endpoint ?? moto?.endpoint ?? "", port: options.port, executables: executables,
            logsDirectory: logs)
        configuration.authorization = options.authorization
        configuration.visibilityTimeout = options.visibilityTimeout
        if options.tail { configuration.tail = { line in console.err(line) } }
        let fixed = configuration
        let session: LocalSession
        do {
            session = try blocking {
                try await LocalSession.start(template, configuration: fixed, processes: processes) { console.err($0) }
            }
        } catch {
            moto?.stop(processes: processes)
            processes.killAll()
            if let failure = error as? TransientFailure {
                console.err("error: cannot reach the local services at \(fixed.endpoint): \(failure.reason)")
            } else if "\(error)".contains("Address already in use") {
                console.err(
                    "error: --port \(fixed.port): another process listens on 127.0.0.1:\(fixed.port); choose another port, or --port 0 for a free one"
                )
            } else {
                console.err("error: \(AWSSession.explain(error, what: "starting the local stack"))")
            }
            throw BadInput()
        }
        return LocalLaunch(
            session: session, endpoint: fixed.endpoint,
            stop: stopper(session: session, moto: moto, processes: processes), processes: processes,
            servicesGone: watcher(moto: moto, endpoint: fixed.endpoint))
    }

    /// Builds each handler the template runs unless its binary is newer than the sources; their paths.
    static func buildHandlers(_ template: Template, project: Project, release: Bool, console: Console) throws
        -> [String: String]
    {
        let configuration = release ? "release" : "debug"
        let wanted = OrderStack.Package.executables(in: template)
        let newest = HandlerBuild.newestSource(project)?.1 ?? 0
        // The package the handlers belong to: where Package.swift really is, so a project that links it builds
        // into that package's .build rather than a second one.
        let package = URL(fileURLWithPath: project.path("Package.swift")).resolvingSymlinksInPath()
            .deletingLastPathComponent().path
        var paths: [String: String] = [:]
        for (logicalId, executable) in wanted.sorted(by: { $0.key < $1.key }) {
            let path = "\(package)/.build/\(configuration)/\(executable)"
            // swift build leaves an up-to-date binary untouched: a stamp records when it was last checked.
            let stamp = "\(package)/.build/\(configuration)/.orderstack-local-\(executable)"
            if max(HandlerBuild.modified(path) ?? 0, HandlerBuild.modified(stamp) ?? 0) <= newest {
                console.err("building \(executable) (\(configuration))")
                let status = try Subprocess.run(
                    "swift", ["build", "-c", configuration, "--product", executable, "--package-path", package],
                    passthrough: true)
                guard status.code == 0 else {
                    console.err("error: swift build of \(executable) failed (exit \(status.code))")
                    throw ExitCode(1)
                }
                _ = FileManager.default.createFile(atPath: stamp, contents: Data())
            }
            paths[logicalId] = path
        }
        return paths
    }

    static func startMoto(endpoint: String?, logs: String, processes: ProcessRegistry, console: Console) throws
        -> MotoServer?
    {
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

    /// What tells that the services are gone: moto_server's own process, or for `--endpoint` on this machine, its
    /// port no longer accepting connections (an endpoint elsewhere is not watched).
    static func watcher(moto: MotoServer?, endpoint: String) -> @Sendable () -> String? {
        if let moto { return { moto.ended.map { "moto_server stopped (\($0))" } } }
        guard let parsed = Endpoint(url: endpoint), ["127.0.0.1", "localhost"].contains(parsed.host) else {
            return { nil }
        }
        return { MotoServer.accepts(port: parsed.port) ? nil : "\(endpoint) no longer accepts connections" }
    }

    static func stopper(session: LocalSession, moto: MotoServer?, processes: ProcessRegistry) -> @Sendable () -> Void {
        let once = Once()
        return {
            guard once.first() else { return }
            _ = try? blocking { await session.stop() }
            moto?.stop(processes: processes)
            processes.killAll()
        }
    }

    /// Calls `handle` with SIGINT or SIGTERM each time one arrives, on a thread of its own: the handler only writes
    /// the signal's number to a pipe (async-signal-safe).
    static func onSignals(_ handle: @escaping @Sendable (Int32) -> Void) {
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
            while read(readEnd, &byte, 1) == 1 { handle(Int32(byte)) }
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
