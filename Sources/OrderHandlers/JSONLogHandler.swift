import JSONText
import Logging
import OrderDomain
import Timestamps

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One JSON object per line (`timestamp`, `level`, `message`, then the metadata: `requestId`, `orderId`, ...), the
/// shape Lambda's JSON log format filters on (`level` as `TRACE`...`FATAL`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    /// Where lines go (standard output, unbuffered, in the handlers).
    public var sink: @Sendable (String) -> Void
    /// Milliseconds since 1970.
    public var now: @Sendable () -> Int64

    public init(
        level: Logger.Level = .info, now: @escaping @Sendable () -> Int64,
        sink: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput
    ) {
        self.logLevel = level
        self.now = now
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "{\"timestamp\":\(JSONText.quote(RFC3339.format(now()))),\"level\":\"\(Self.name(event.level))\""
        line += ",\"message\":\(JSONText.quote(event.message.description))"
        for key in merged.keys.sorted() where !["timestamp", "level", "message"].contains(key) {
            line += ",\(JSONText.quote(key)):\(Self.json(merged[key]!))"
        }
        sink(line + "}")
    }

    /// Lambda's level names.
    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    /// The swift-log level for `AWS_LAMBDA_LOG_LEVEL` (Lambda's application log level), `info` by default.
    public static func level(fromLambda name: String?) -> Logger.Level {
        switch name?.uppercased() {
        case "TRACE": .trace
        case "DEBUG": .debug
        case "WARN": .warning
        case "ERROR": .error
        case "FATAL": .critical
        default: .info
        }
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): JSONText.quote(text)
        case .stringConvertible(let convertible): JSONText.quote(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let fields):
            "{" + fields.keys.sorted().map { "\(JSONText.quote($0)):\(json(fields[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// Writes the line and a newline to file descriptor 1 in one call, so lines never interleave or sit in a buffer.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
