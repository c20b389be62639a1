/// The log files `local` writes (`output/local/logs/<log group>.log`): one line per event, JSON lines timed by
/// their `timestamp`, `time` or `requestTime`; a line without a time (Lambda's `START`/`END`/`REPORT` text) takes
/// the time of the line before it (the first timed line's, at the top of a file). Returned in time order.
public enum LocalLogs {
    /// The events of one file's text, labelled with `source`. Lines are cut on the newline byte (not on
    /// grapheme clusters): linear in the file's bytes.
    public static func events(_ text: String, source: String) -> [LogEvent] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 10 {
            if index > start { lines.append(bytes[start..<index]) }
            start = index + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        let times = lines.map(time(of:))
        var last = times.lazy.compactMap { $0 }.first ?? 0
        var events: [LogEvent] = []
        events.reserveCapacity(lines.count)
        for (line, own) in zip(lines, times) {
            if let own { last = own }
            events.append(LogEvent(time: last, source: source, text: String(decoding: line, as: UTF8.self)))
        }
        // Stable: lines of one time keep their file order.
        return events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// A JSON line's own time, or `nil`: the string value of its first `"timestamp"`, `"time"`,
    /// `"requestTimeEpoch"` (milliseconds) or `"requestTime"` key, found by scanning the line's bytes (no JSON parse: a file of 50,000 lines is read in
    /// milliseconds).
    static func time(of bytes: ArraySlice<UInt8>) -> Int64? {
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        for (key, parse) in keys {
            guard let value = stringValue(of: key, in: bytes) else { continue }
            if let time = parse(Substring(decoding: value, as: UTF8.self)) { return time }
        }
        return nil
    }

    static let keys: [([UInt8], @Sendable (Substring) -> Int64?)] = [
        (Array("\"timestamp\":\"".utf8), LogTime.rfc3339), (Array("\"time\":\"".utf8), LogTime.rfc3339),
        (Array("\"requestTimeEpoch\":\"".utf8), { Int64($0) }),
        (Array("\"requestTime\":\"".utf8), LogTime.requestTime),
    ]

    /// The bytes after `"key":"` up to the next quote, or `nil`.
    static func stringValue(of key: [UInt8], in bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard bytes.count > key.count else { return nil }
        var index = bytes.startIndex
        while index <= bytes.endIndex - key.count {
            if bytes[index] == key[0], bytes[index..<(index + key.count)].elementsEqual(key) {
                let start = index + key.count
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                return bytes[start..<end]
            }
            index += 1
        }
        return nil
    }
}
