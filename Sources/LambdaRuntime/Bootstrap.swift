#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every handler executable's `main` does, for any handler: find the Runtime API in the environment, make
/// the handler once (a configuration error is reported to `/runtime/init/error`, so Lambda fails the invocation with
/// its message instead of restarting a crashing process), then run the loop until the Runtime API goes away.
public enum LambdaBootstrap {
    /// Runs `makeHandler`'s handler under the Runtime API named by `AWS_LAMBDA_RUNTIME_API` in `environment`;
    /// the process exit code: 0, 1 when the handler could not be made or the Runtime API went away (each said
    /// through `log`), 2 without a Runtime API to talk to.
    public static func run(
        environment: [String: String], log: @Sendable (String) -> Void = LambdaBootstrap.standardError,
        makeHandler: () throws -> LambdaRuntimeLoop.Handler
    ) async -> Int32 {
        guard let api = environment["AWS_LAMBDA_RUNTIME_API"], let connection = HTTPConnection(endpoint: api) else {
            standardError("AWS_LAMBDA_RUNTIME_API is not set to host:port; run this binary as a Lambda bootstrap")
            return 2
        }
        return await run(HTTPRuntimeTransport(connection: connection), log: log, makeHandler: makeHandler)
    }

    /// The same over any transport (a test's Runtime API).
    public static func run(
        _ transport: any RuntimeTransport, log: @Sendable (String) -> Void,
        makeHandler: () throws -> LambdaRuntimeLoop.Handler
    ) async -> Int32 {
        let handler: LambdaRuntimeLoop.Handler
        do {
            handler = try makeHandler()
        } catch {
            log("configuration error: \(error)")
            LambdaRuntimeLoop.reportInitError(
                transport, type: "Runtime.ConfigurationError", message: String(describing: error))
            return 1
        }
        do {
            try await LambdaRuntimeLoop.run(transport, handler: handler)
            return 0
        } catch {
            log("stopping: \(error)")
            return 1
        }
    }

    /// Writes `line` to standard error.
    @Sendable public static func standardError(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// Wall-clock milliseconds since 1970.
    @Sendable public static func clock() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
