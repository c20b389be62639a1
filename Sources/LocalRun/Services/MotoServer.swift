import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// moto_server started on a free loopback port for the local run. It watches its parent and exits when
/// orderstack goes away, even when orderstack is killed with SIGKILL.
public final class MotoServer: Sendable {
    public let endpoint: String
    let process: Process

    /// Why moto_server could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The `moto_server` on `path`, or the message naming the install command.
    public static func locate(path: String) throws -> String {
        guard
            let script = path.split(separator: ":").map({ "\($0)/moto_server" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            throw StartError(
                description:
                    "moto_server is not on PATH; install it with: python3 -m pip install 'moto[server]' (or pass --endpoint URL of a running moto_server or LocalStack)"
            )
        }
        return script
    }

    /// Starts moto_server found on `PATH` and waits until it accepts connections.
    public static func start(logPath: String, processes: ProcessRegistry, path: String) throws -> MotoServer {
        let script = try locate(path: path)
        // A Python script names its interpreter; a shim (pyenv) does not, and python3 on PATH is the one it runs.
        let interpreter =
            Self.interpreter(of: script).flatMap { $0.contains("python") ? $0 : nil } ?? "/usr/bin/env python3"
        let port = try Self.freePort()
        let process = Process()
        let parts = interpreter.split(separator: " ").map(String.init)
        process.executableURL = URL(fileURLWithPath: parts[0])
        process.arguments = Array(parts.dropFirst()) + ["-c", watcher, "127.0.0.1", String(port)]
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        processes.add(process.processIdentifier)
        let server = MotoServer(endpoint: "http://127.0.0.1:\(port)", process: process)
        let deadline = Date().addingTimeInterval(30)
        while !Self.accepts(port: port) {
            guard process.isRunning, Date() < deadline else {
                server.stop(processes: processes)
                throw StartError(description: "moto_server did not start on port \(port); see \(logPath)")
            }
            usleep(20_000)
        }
        return server
    }

    init(endpoint: String, process: Process) {
        self.endpoint = endpoint
        self.process = process
    }

    /// Why it is gone (`exit status N` or `killed by signal N`), or `nil` while it runs.
    public var ended: String? {
        guard !process.isRunning else { return nil }
        let status = process.terminationStatus
        return process.terminationReason == .uncaughtSignal ? "killed by signal \(status)" : "exit status \(status)"
    }

    /// Stops it and waits for it to exit.
    public func stop(processes: ProcessRegistry) {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        processes.remove(process.processIdentifier)
    }

    /// moto's server main behind a thread that exits when the parent process is gone.
    static let watcher = """
        import os, sys, threading, time
        parent = os.getppid()
        def watch():
            while os.getppid() == parent:
                time.sleep(0.25)
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        import logging
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        from moto.server import main
        main(["-H", sys.argv[1], "-p", sys.argv[2]])
        """

    /// The `#!` line's interpreter.
    static func interpreter(of script: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: script) else { return nil }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 256), as: UTF8.self)
        guard head.hasPrefix("#!"), let line = head.split(separator: "\n").first else { return nil }
        return String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
    }

    /// A port nothing listens on now.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw StartError(description: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
