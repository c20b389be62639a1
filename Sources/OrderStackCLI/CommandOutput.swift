import Foundation

/// What a command run in process wrote, and its exit status.
public final class CommandOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    /// The exit status the command line would have ended the process with.
    public internal(set) var status: Int32 = 0

    /// Standard output.
    public var stdout: String { lock.withLock { out } }
    /// Standard error.
    public var stderr: String { lock.withLock { err } }

    func append(_ text: String, to stream: ConsoleSink.Stream) {
        lock.withLock {
            switch stream {
            case .out: out += text
            case .err: err += text
            }
        }
    }
}
