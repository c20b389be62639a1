import AWSSigV4
import YAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a console's text goes: the process's standard streams, or memory (a command run in process, in tests).
public struct ConsoleSink: Sendable {
    /// The two streams.
    public enum Stream: Sendable { case out, err }

    let write: @Sendable (String, Stream) -> Void
    /// Whether it is the process's own streams (colour is then decided by the terminal).
    let isStandard: Bool

    /// A sink calling `write` with each piece of text, already redacted.
    public init(_ write: @escaping @Sendable (String, Stream) -> Void) {
        self.write = write
        isStandard = false
    }

    private init(standard write: @escaping @Sendable (String, Stream) -> Void) {
        self.write = write
        isStandard = true
    }

    /// Standard output and standard error.
    public static let standard = ConsoleSink(standard: { text, stream in
        Console.write(text, to: stream == .out ? 1 : 2)
    })
}

/// Where commands write: machine output to stdout, diagnostics to stderr, colour only on a terminal. Everything
/// written goes through ``Redaction``: no credential, token or URL password reaches either stream. The streams are
/// the task's `Console.current` sink: the process's own, or a capture (`OrderStack.run(_:stacks:)`).
public struct Console: Sendable {
    /// The sink consoles created in this task write to.
    @TaskLocal public static var current = ConsoleSink.standard

    /// This console's sink.
    let sink: ConsoleSink

    /// A console writing to `sink` (the task's current one by default).
    public init(sink: ConsoleSink = Console.current) { self.sink = sink }

    /// The credential values of this process's environment, redacted wherever they appear.
    static let secrets: [String] = Redaction.secrets(
        in: Dictionary(
            uniqueKeysWithValues: [
                "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY_ID",
            ]
            .compactMap { name in getenv(name).map { (name, String(cString: $0)) } }))

    /// Writes `text` to standard output, redacted.
    public func out(_ text: String) {
        sink.write(Redaction.redact(text, secrets: Self.secrets), .out)
    }

    /// Writes `line` and a newline to standard error, redacted.
    public func err(_ line: String) {
        sink.write(Redaction.redact(line, secrets: Self.secrets) + "\n", .err)
    }

    fileprivate static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                    Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Ends the process with `status`.
    public static func terminate(_ status: Int32) -> Never {
        #if canImport(Glibc)
            Glibc.exit(status)
        #else
            Darwin.exit(status)
        #endif
    }

    /// Whether standard error is a terminal (colour allowed).
    public var colours: Bool { sink.isStandard && isatty(2) == 1 && getenv("NO_COLOR") == nil }

    /// Prints diagnostics sorted by location as `path:line:col: severity: ID: message`.
    public func print(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics.sortedByLocation() {
            guard colours else {
                err(diagnostic.description)
                continue
            }
            let colour: String
            switch diagnostic.severity {
            case .error: colour = "\u{1B}[1;31m"
            case .warning: colour = "\u{1B}[1;33m"
            case .note: colour = "\u{1B}[1;36m"
            }
            err(
                "\u{1B}[1m\(diagnostic.path):\(diagnostic.mark):\u{1B}[0m \(colour)\(diagnostic.severity.rawValue):\u{1B}[0m "
                    + "\(diagnostic.id): \(diagnostic.message)")
        }
    }
}
