/// One line of one log group, with the time it was written.
public struct LogEvent: Sendable, Equatable {
    /// Milliseconds since 1970.
    public var time: Int64
    /// Where it was written: the log group's logical ID in the stack (`OrderProcessorLogGroup`), or its name.
    public var source: String
    /// The line as written.
    public var text: String

    public init(time: Int64, source: String, text: String) {
        self.time = time
        self.source = source
        self.text = text
    }
}

/// Which events a reader keeps: from a time on, containing a text, naming a key's value.
public struct LogQuery: Sendable, Equatable {
    /// Milliseconds since 1970; earlier events are dropped.
    public var since: Int64?
    /// Text every kept line contains (case-sensitive, as CloudWatch's unstructured filter patterns are).
    public var contains: String?

    public init(since: Int64? = nil, contains: String? = nil) {
        self.since = since
        self.contains = contains
        needle = contains.map { Array($0.utf8) }
    }

    private let needle: [UInt8]?

    /// Whether `text`'s UTF-8 bytes contain `needle` (a byte search: no grapheme breaking per line).
    static func bytes(of text: String, contain needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            var index = 0
            while index <= bytes.count - needle.count {
                if bytes[index] == first {
                    var match = true
                    for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                        match = false
                        break
                    }
                    if match { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// Whether `event` is kept.
    public func keeps(_ event: LogEvent) -> Bool {
        if let since, event.time < since { return false }
        if let contains, !Self.bytes(of: event.text, contain: needle ?? Array(contains.utf8)) { return false }
        return true
    }
}

/// Merges per-source event lists (each already in time order) into one, by time; equal times keep the sources'
/// order. Linear in the number of events times the number of sources.
public enum LogMerge {
    public static func merge(_ lists: [[LogEvent]]) -> [LogEvent] {
        var positions = [Int](repeating: 0, count: lists.count)
        var merged: [LogEvent] = []
        merged.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        while true {
            var best: Int?
            for index in lists.indices where positions[index] < lists[index].count {
                let candidate = lists[index][positions[index]]
                if best == nil || candidate.time < lists[best!][positions[best!]].time { best = index }
            }
            guard let chosen = best else { return merged }
            merged.append(lists[chosen][positions[chosen]])
            positions[chosen] += 1
        }
    }
}
