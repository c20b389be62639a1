import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs programs (`swift build`, `strip`, `objdump`, `git`) in process groups of their own, so that Ctrl-C or a
/// SIGTERM to orderstack stops the child and everything it started, and no process is left behind.
enum Subprocess {
    /// How a program ended and what it printed on standard output (when captured).
    struct Result {
        var code: Int32
        var output: String
    }

    /// Why a program could not be started.
    struct LaunchFailure: Error, CustomStringConvertible {
        var program: String
        var reason: String
        var description: String { "cannot run \(program): \(reason)" }
    }

    /// Runs `program` (looked up on `PATH`) with `arguments`; `passthrough` sends its output to our standard error
    /// instead of capturing it, `quiet` discards its standard error.
    static func run(_ program: String, _ arguments: [String], passthrough: Bool = false, quiet: Bool = false) throws
        -> Result
    {
        SignalForwarding.install()
        var fds: [Int32] = [-1, -1]
        if !passthrough { guard pipe(&fds) == 0 else { throw LaunchFailure(program: program, reason: "no pipe") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if passthrough {
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        } else {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        }
        if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, every signal unblocked and SIGINT/SIGTERM at their default action, whatever this
        // process's threads have blocked.
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        if !passthrough { close(fds[1]) }
        guard status == 0 else {
            if !passthrough { close(fds[0]) }
            throw LaunchFailure(program: program, reason: String(cString: strerror(status)))
        }
        SignalForwarding.child = pid
        defer { SignalForwarding.child = 0 }
        var output: [UInt8] = []
        if !passthrough {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count <= 0 { break }
                output += buffer[0..<count]
            }
            close(fds[0])
        }
        var wait: Int32 = 0
        while waitpid(pid, &wait, 0) < 0 && errno == EINTR {}
        // Stopped by a signal: the stopping thread ends this process with it once the whole tree is gone.
        while SignalForwarding.stopping { usleep(100_000) }
        let code = (wait & 0x7f) == 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f)
        return Result(code: code, output: String(decoding: output, as: UTF8.self))
    }
}

/// SIGINT and SIGTERM stop the running child and everything it started (`ProcessTree.stop`: the child's group
/// first, then every descendant still running after a second), then orderstack itself with the same signal. The
/// handler only writes the signal's number to a pipe (async-signal-safe); a thread does the stopping.
enum SignalForwarding {
    /// The running child (a process group leader), 0 when none.
    nonisolated(unsafe) static var child: pid_t = 0
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    /// Set once a signal arrived: the child's end is then this process's end, not a failed build to report.
    nonisolated(unsafe) static var stopping = false

    /// Installs the handlers once.
    static func install() {
        guard !installed else { return }
        installed = true
        // A parent may have started us with these signals blocked (the mask survives exec); unblock them.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        writeEnd = ends[1]
        let readEnd = ends[0]
        Thread.detachNewThread {
            var byte: UInt8 = 0
            guard read(readEnd, &byte, 1) == 1 else { return }
            let number = Int32(byte)
            SignalForwarding.stopping = true
            if SignalForwarding.child > 0 { ProcessTree.stop(SignalForwarding.child) }
            signal(number, SIG_DFL)
            raise(number)
        }
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalForwarding.writeEnd, &byte, 1)
            }
        }
    }
}

/// While a deployment runs in CloudFormation, SIGINT and SIGTERM stop only the watching: the message says so and
/// how to watch again, and orderstack exits 130.
enum WatchInterruption {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var length = 0

    /// Installs the handlers with `text` as the message (written with `write(2)`, async-signal-safe).
    static func install(_ text: String) {
        let bytes = Array(text.utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        message = buffer
        length = bytes.count - 1
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                if let message = WatchInterruption.message { _ = write(2, message, WatchInterruption.length) }
                _exit(130)
            }
        }
    }
}
