#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where `logs --tail` finds what was written since its last look.
public protocol TailSource {
    /// The events written since the last call (the first call: since the source was made), in time order.
    mutating func poll() async throws -> [LogEvent]
}

/// Polls a source every `intervalMs` and hands each round's kept events, in time order, to `emit`: the
/// polling form of a live tail (CloudWatch Logs' Live Tail is a streaming API; polling FilterLogEvents reads the
/// same events a few seconds later).
public struct LogTail<Source: TailSource> {
    public var source: Source
    public var sleep: (Int64) async throws -> Void
    public var intervalMs: Int64 = 2_000

    public init(source: Source, sleep: @escaping (Int64) async throws -> Void) {
        self.source = source
        self.sleep = sleep
    }

    /// Runs until `rounds` polls were made (`nil`: until the process is stopped).
    public mutating func run(keep: (LogEvent) -> Bool, emit: ([LogEvent]) -> Void, rounds: Int? = nil)
        async throws
    {
        var done = 0
        while rounds.map({ done < $0 }) ?? true {
            let events = try await source.poll().filter(keep)
            if !events.isEmpty { emit(events) }
            done += 1
            if rounds.map({ done < $0 }) ?? true { try await sleep(intervalMs) }
        }
    }
}

/// The files `local` writes, read from where the last poll stopped: only whole lines (a line being written is
/// read once its newline is there), each file's new lines labelled with its source and merged by time.
public struct LocalTailSource: TailSource {
    /// Each file's path, source label and the byte offset read up to.
    var files: [(path: String, source: String, offset: Int)]

    /// Starts at the current end of each file (a missing file starts at 0, read once it appears).
    public init(files: [(path: String, source: String)]) {
        self.files = files.map { ($0.path, $0.source, Self.size($0.path)) }
    }

    public mutating func poll() async throws -> [LogEvent] {
        var lists: [[LogEvent]] = []
        for index in files.indices {
            let (bytes, next) = Self.wholeLines(files[index].path, from: files[index].offset)
            files[index].offset = next
            if !bytes.isEmpty {
                lists.append(LocalLogs.events(String(decoding: bytes, as: UTF8.self), source: files[index].source))
            }
        }
        return LogMerge.merge(lists)
    }

    static func size(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    /// The bytes from `offset` up to and including the file's last newline, and the offset after them. A file
    /// that shrank (rewritten by a new `local` run) is read from its start.
    static func wholeLines(_ path: String, from offset: Int) -> ([UInt8], Int) {
        let size = size(path)
        let start = size < offset ? 0 : offset
        guard size > start, let file = fopen(path, "rb") else { return ([], start) }
        defer { fclose(file) }
        fseek(file, start, SEEK_SET)
        var bytes = [UInt8](repeating: 0, count: size - start)
        let read = fread(&bytes, 1, bytes.count, file)
        bytes.removeSubrange(read...)
        guard let last = bytes.lastIndex(of: 10) else { return ([], start) }
        return (Array(bytes[...last]), start + last + 1)
    }
}

/// A deployed stack's log groups, read with FilterLogEvents from the newest time seen: events at that same
/// millisecond that were already emitted are not emitted again.
public struct CloudWatchTailSource: TailSource {
    /// Reads one group's events at or after a time (milliseconds since 1970).
    public typealias Fetch = @Sendable (_ group: String, _ source: String, _ since: Int64) async throws -> [LogEvent]

    var groups: [(physicalId: String, logicalId: String)]
    var fetch: Fetch
    var cursor: Int64
    var seenAtCursor: Set<String> = []

    public init(groups: [(physicalId: String, logicalId: String)], since: Int64, fetch: @escaping Fetch) {
        self.groups = groups
        self.fetch = fetch
        cursor = since
    }

    public mutating func poll() async throws -> [LogEvent] {
        var lists: [[LogEvent]] = []
        for group in groups { lists.append(try await fetch(group.physicalId, group.logicalId, cursor)) }
        let fresh = LogMerge.merge(lists).filter { !seenAtCursor.contains(Self.key($0)) || $0.time > cursor }
        guard let newest = fresh.last?.time else { return [] }
        if newest > cursor { seenAtCursor = [] }
        cursor = max(cursor, newest)
        for event in fresh where event.time == cursor { seenAtCursor.insert(Self.key(event)) }
        return fresh
    }

    static func key(_ event: LogEvent) -> String { "\(event.source)\u{0}\(event.text)" }
}
