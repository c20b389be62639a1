import Foundation
import JSONDocument
import JSONText
import NIOCore

/// A function as the local run starts it: its bootstrap, environment, timeout and concurrency.
public struct FunctionSpec: Sendable {
    public var logicalId: String
    public var name: String
    public var arn: String
    /// The bootstrap executable built from the project.
    public var executable: String
    public var environment: [String: String]
    public var timeoutSeconds: Int
    public var memoryMB: Int
    /// At most this many environments at once (the reserved concurrency, else a local default).
    public var maxEnvironments: Int

    public init(
        logicalId: String, name: String, arn: String, executable: String, environment: [String: String],
        timeoutSeconds: Int, memoryMB: Int, maxEnvironments: Int
    ) {
        self.logicalId = logicalId
        self.name = name
        self.arn = arn
        self.executable = executable
        self.environment = environment
        self.timeoutSeconds = timeoutSeconds
        self.memoryMB = memoryMB
        self.maxEnvironments = maxEnvironments
    }
}

/// Runs a function's invocations in up to `maxEnvironments` bootstrap processes, one invocation at a time per
/// environment, each under its own Runtime API served here. An environment whose process died or timed out is
/// replaced by a fresh one on the next invocation.
public actor FunctionHost {
    public let spec: FunctionSpec
    let group: EventLoopGroup
    let log: LogSink
    let processes: ProcessRegistry
    var idle: [RuntimeEnvironment] = []
    var running = 0
    var waiters: [CheckedContinuation<Void, Never>] = []
    var all: [RuntimeEnvironment] = []
    var stopped = false

    public init(spec: FunctionSpec, group: EventLoopGroup, log: LogSink, processes: ProcessRegistry) {
        self.spec = spec
        self.group = group
        self.log = log
        self.processes = processes
    }

    /// Invokes the function with `event` and waits for its answer, as a synchronous Lambda invocation.
    public func invoke(_ event: [UInt8]) async -> InvocationResult {
        guard !stopped else { return .failed(type: "Local.Stopped", message: "orderstack local is stopping") }
        while running >= spec.maxEnvironments && idle.isEmpty {
            await withCheckedContinuation { waiters.append($0) }
        }
        running += 1
        let environment: RuntimeEnvironment
        if let reused = await liveIdle() {
            environment = reused
        } else {
            do {
                environment = try await RuntimeEnvironment.start(spec, group: group, log: log, processes: processes)
                all.append(environment)
            } catch {
                release(nil)
                return .failed(type: "Runtime.StartError", message: "cannot start \(spec.executable): \(error)")
            }
        }
        let result = await environment.invoke(event)
        release(environment, keep: await environment.isAlive)
        return result
    }

    /// An idle environment whose bootstrap still runs; one that died while idle (killed, crashed) is dropped
    /// here, so the invocation starts a fresh one instead of waiting out the init timeout on a dead one.
    func liveIdle() async -> RuntimeEnvironment? {
        while let candidate = idle.popLast() {
            if await candidate.isAlive { return candidate }
            all.removeAll { $0 === candidate }
            log.write("an idle environment of \(spec.executable) died; starting a fresh one\n")
        }
        return nil
    }

    /// Frees a slot; `environment` goes back to the idle ones when `keep`, else it is forgotten.
    func release(_ environment: RuntimeEnvironment?, keep: Bool = false) {
        running -= 1
        if let environment {
            if keep { idle.append(environment) } else { all.removeAll { $0 === environment } }
        }
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Stops every environment.
    public func stop() async {
        stopped = true
        for environment in all { await environment.stop() }
        all = []
        idle = []
    }
}

/// An invocation handed to the bootstrap.
struct PendingInvocation: Sendable {
    var requestId: String
    var event: [UInt8]
    var deadlineMs: Int64
}

/// One execution environment: a bootstrap process and the Runtime API it talks to.
actor RuntimeEnvironment {
    let spec: FunctionSpec
    let log: LogSink
    var server: HTTPServer?
    var process: Process?
    var pending: PendingInvocation?
    /// The bootstrap waiting in `GET next`.
    var nextWaiter: CheckedContinuation<PendingInvocation?, Never>?
    var resultWaiter: CheckedContinuation<InvocationResult, Never>?
    var initError: String?
    /// Whether the pending invocation was given to the bootstrap (its timeout runs).
    var handedOver = false
    var watchdog: Task<Void, any Error>?
    var alive = true
    var counter = 0
    let processes: ProcessRegistry

    init(spec: FunctionSpec, log: LogSink, processes: ProcessRegistry) {
        self.spec = spec
        self.log = log
        self.processes = processes
    }

    /// Whether the bootstrap can take an invocation: not timed out or killed, and its process still running
    /// (asked directly, since the exit's notice arrives later).
    var isAlive: Bool { alive && (process?.isRunning ?? false) }
    var pid: Int32? { process?.processIdentifier }

    static func start(_ spec: FunctionSpec, group: EventLoopGroup, log: LogSink, processes: ProcessRegistry)
        async throws -> RuntimeEnvironment
    {
        let environment = RuntimeEnvironment(spec: spec, log: log, processes: processes)
        try await environment.launch(group: group)
        return environment
    }

    func launch(group: EventLoopGroup) async throws {
        let server = try await HTTPServer(port: 0, group: group) { [weak self] request in
            guard let self else { return HTTPServerResponse(status: 410) }
            return await self.serve(request)
        }
        self.server = server
        let process = Process()
        process.executableURL = URL(fileURLWithPath: spec.executable)
        var environment = spec.environment
        environment["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:\(server.port)"
        environment["AWS_LAMBDA_FUNCTION_NAME"] = spec.name
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = String(spec.memoryMB)
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let log = log
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                log.write(String(decoding: data, as: UTF8.self))
            }
        }
        let processes = processes
        process.terminationHandler = { [weak self] finished in
            processes.remove(finished.processIdentifier)
            let status = finished.terminationStatus
            let signaled = finished.terminationReason == .uncaughtSignal
            Task { await self?.exited(signaled ? "signal \(status)" : "exit status \(status)") }
        }
        try process.run()
        processes.add(process.processIdentifier)
        self.process = process
    }

    /// Runs one invocation; its result once the bootstrap answers, dies or runs out of time.
    func invoke(_ event: [UInt8]) async -> InvocationResult {
        if let initError {
            return .failed(type: "Runtime.InitError", message: initError)
        }
        counter += 1
        let requestId = "\(spec.name)-\(UInt32(truncatingIfNeeded: ObjectIdentifier(self).hashValue))-\(counter)"
        let started = Date()
        let invocation = PendingInvocation(requestId: requestId, event: event, deadlineMs: 0)
        log.write("START RequestId: \(requestId) Version: $LATEST\n")
        // The function's timeout runs from the hand-over; until then the bootstrap may still be starting, which
        // has Lambda's own 10-second init limit.
        let initWatch = Task { [weak self] in
            try await Task.sleep(nanoseconds: Self.initLimitSeconds * 1_000_000_000)
            await self?.initTimedOut(requestId)
        }
        let result = await withCheckedContinuation { continuation in
            resultWaiter = continuation
            pending = invocation
            handedOver = false
            if let nextWaiter {
                self.nextWaiter = nil
                nextWaiter.resume(returning: handOver())
            }
        }
        initWatch.cancel()
        watchdog?.cancel()
        watchdog = nil
        let milliseconds = Date().timeIntervalSince(started) * 1000
        log.write(
            "END RequestId: \(requestId)\nREPORT RequestId: \(requestId)\tDuration: \(String(format: "%.2f", milliseconds)) ms\tMemory Size: \(spec.memoryMB) MB\n"
        )
        return result
    }

    /// Gives the pending invocation to the bootstrap: its deadline is set and the timeout starts now.
    func handOver() -> PendingInvocation? {
        guard var invocation = pending else { return nil }
        invocation.deadlineMs = Int64(Date().timeIntervalSince1970 * 1000) + Int64(spec.timeoutSeconds) * 1000
        pending = invocation
        handedOver = true
        let requestId = invocation.requestId
        let timeout = UInt64(spec.timeoutSeconds)
        watchdog = Task { [weak self] in
            try await Task.sleep(nanoseconds: timeout * 1_000_000_000)
            await self?.timedOut(requestId)
        }
        return invocation
    }

    /// Lambda's limit for a runtime's initialization.
    static let initLimitSeconds: UInt64 = 10

    func initTimedOut(_ requestId: String) {
        guard pending?.requestId == requestId, !handedOver, resultWaiter != nil else { return }
        log.write("INIT_REPORT Status: timeout (\(Self.initLimitSeconds) s)\n")
        killProcess()
        finish(
            .failed(
                type: "Sandbox.Timedout",
                message: "the bootstrap did not ask for an invocation within \(Self.initLimitSeconds) s of starting"))
    }

    /// Kills the bootstrap (a timeout): the environment is not reused.
    func killProcess() {
        alive = false
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        processes.remove(process.processIdentifier)
    }

    func finish(_ result: InvocationResult) {
        pending = nil
        resultWaiter?.resume(returning: result)
        resultWaiter = nil
    }

    func timedOut(_ requestId: String) {
        guard pending?.requestId == requestId, resultWaiter != nil else { return }
        log.write("\(requestId) Task timed out after \(spec.timeoutSeconds).00 seconds\n")
        killProcess()
        finish(.failed(type: "Sandbox.Timedout", message: "Task timed out after \(spec.timeoutSeconds).00 seconds"))
    }

    func exited(_ how: String) async {
        alive = false
        nextWaiter?.resume(returning: nil)
        nextWaiter = nil
        if resultWaiter != nil {
            log.write("RequestId: \(pending?.requestId ?? "?") Error: Runtime exited with error: \(how)\n")
            finish(.failed(type: "Runtime.ExitError", message: "Runtime exited with error: \(how)"))
        }
        await server?.close()
    }

    /// The Runtime API.
    func serve(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let path = request.path
        if request.method == "GET" && path.hasSuffix("/runtime/invocation/next") {
            guard let invocation = await nextInvocation() else { return HTTPServerResponse(status: 410) }
            return HTTPServerResponse(
                status: 200,
                headers: [
                    ("Lambda-Runtime-Aws-Request-Id", invocation.requestId),
                    ("Lambda-Runtime-Deadline-Ms", String(invocation.deadlineMs)),
                    ("Lambda-Runtime-Invoked-Function-Arn", spec.arn), ("Content-Type", "application/json"),
                ], body: invocation.event)
        }
        let parts = path.split(separator: "/")
        if request.method == "POST", parts.count == 5, parts[2] == "invocation" {
            let requestId = String(parts[3])
            guard pending?.requestId == requestId else {
                return HTTPServerResponse(status: 400, body: Array("{\"errorMessage\":\"unknown request\"}".utf8))
            }
            if parts[4] == "response" {
                finish(.response(request.body))
            } else {
                let document = JSONValue.parse(request.body)
                finish(
                    .failed(
                        type: document?["errorType"]?.string ?? "Unhandled",
                        message: document?["errorMessage"]?.string ?? String(decoding: request.body, as: UTF8.self)))
            }
            return HTTPServerResponse(status: 202, body: Array("{\"status\":\"OK\"}".utf8))
        }
        if request.method == "POST" && path.hasSuffix("/runtime/init/error") {
            let document = JSONValue.parse(request.body)
            let message =
                "\(document?["errorType"]?.string ?? "Runtime.Unknown"): \(document?["errorMessage"]?.string ?? "")"
            initError = message
            log.write("INIT_REPORT Status: error\tError Type: \(message)\n")
            if resultWaiter != nil { finish(.failed(type: "Runtime.InitError", message: message)) }
            return HTTPServerResponse(status: 202, body: Array("{\"status\":\"OK\"}".utf8))
        }
        return HTTPServerResponse(status: 404)
    }

    /// Waits for the next invocation; `nil` when the environment is going away.
    func nextInvocation() async -> PendingInvocation? {
        if let pending, resultWaiter != nil { return handedOver ? pending : handOver() }
        guard alive else { return nil }
        return await withCheckedContinuation { nextWaiter = $0 }
    }

    func stop() async {
        alive = false
        if let process {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            processes.remove(process.processIdentifier)
        }
        nextWaiter?.resume(returning: nil)
        nextWaiter = nil
        await server?.close()
    }
}

/// Every process the local run started, so that a signal can stop them all.
public final class ProcessRegistry: @unchecked Sendable {
    let lock = NSLock()
    var pids: Set<Int32> = []

    public init() {}

    public func add(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    public func remove(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }
    public var all: [Int32] { lock.withLock { Array(pids) } }

    /// SIGKILL to every process still running.
    public func killAll() {
        for pid in all { kill(pid, SIGKILL) }
    }
}

/// Appends lines to one log file, and to the terminal with `--tail`.
public final class LogSink: @unchecked Sendable {
    let lock = NSLock()
    let handle: FileHandle?
    let source: String
    let tail: (@Sendable (String) -> Void)?

    /// Opens (truncating) `path`.
    public init(path: String, source: String, tail: (@Sendable (String) -> Void)?) {
        FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
        self.source = source
        self.tail = tail
    }

    public func write(_ text: String) {
        lock.withLock {
            handle?.write(Data(text.utf8))
            if let tail {
                for line in text.split(separator: "\n", omittingEmptySubsequences: true) { tail("[\(source)] \(line)") }
            }
        }
    }
}
