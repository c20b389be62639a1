import JSONDocument

/// The log files `local` writes (`output/local/logs/<log group>.log`): one line per event, JSON lines timed by
/// their `timestamp`, `time` or `requestTime`; a line without a time (Lambda's `START`/`END`/`REPORT` text) takes
/// the time of the line before it (the first timed line's, at the top of a file). Returned in time order.
public enum LocalLogs {
    /// The events of one file's text, labelled with `source`.
    public static func events(_ text: String, source: String) -> [LogEvent] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let times = lines.map(time(of:))
        var last = times.lazy.compactMap { $0 }.first ?? 0
        var events: [LogEvent] = []
        events.reserveCapacity(lines.count)
        for (line, own) in zip(lines, times) {
            if let own { last = own }
            events.append(LogEvent(time: last, source: source, text: String(line)))
        }
        // Stable: lines of one time keep their file order.
        return events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// A JSON line's own time, or `nil`.
    static func time(of line: Substring) -> Int64? {
        guard line.first == "{", let object = JSONValue.parse(Array(line.utf8)) else { return nil }
        for key in ["timestamp", "time"] {
            if let text = object[key]?.string, let time = LogTime.rfc3339(Substring(text)) { return time }
        }
        if let text = object["requestTime"]?.string { return LogTime.requestTime(Substring(text)) }
        return nil
    }
}
