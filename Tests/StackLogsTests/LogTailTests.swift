import Foundation
import StackLogs
import Testing

/// `logs --tail`: what each poll reads from local files and from CloudWatch Logs, and the polling loop.
@Suite struct LogTailTests {
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func aLocalFileIsReadFromWhereTheLastPollStoppedWholeLinesOnly() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let worker = folder.appendingPathComponent("worker.log").path
        let api = folder.appendingPathComponent("api.log").path
        try Self.append(#"{"timestamp":"2026-12-04T10:00:00.000Z","message":"before the tail"}"# + "\n", to: worker)
        var source = LocalTailSource(files: [(worker, "Worker"), (api, "Api")])
        #expect(try await source.poll().isEmpty)
        try Self.append(#"{"timestamp":"2026-12-04T10:00:02.000Z","message":"second"}"# + "\n", to: worker)
        try Self.append(#"{"requestTimeEpoch":"1796378401000","status":"202"}"# + "\n", to: api)
        try Self.append(#"{"timestamp":"2026-12-04T10:00:03.000Z","message":"half"#, to: worker)
        let first = try await source.poll()
        #expect(first.map(\.source) == ["Api", "Worker"])
        #expect(first.map(\.time) == [1_796_378_401_000, 1_796_378_402_000])
        try Self.append(#" a line"}"# + "\n", to: worker)
        let second = try await source.poll()
        #expect(second.map(\.text) == [#"{"timestamp":"2026-12-04T10:00:03.000Z","message":"half a line"}"#])
        #expect(try await source.poll().isEmpty)
        // A new `local` run rewrites the file: read from its start.
        try #"{"timestamp":"2026-12-04T11:00:00.000Z","message":"new run"}"#.appending("\n").write(
            toFile: worker, atomically: false, encoding: .utf8)
        #expect(try await source.poll().map(\.text).first?.contains("new run") == true)
    }

    @Test func cloudWatchPollsFromTheNewestTimeWithoutRepeatingIt() async throws {
        final class Stored: @unchecked Sendable {
            var events: [LogEvent] = []
            var asked: [Int64] = []
        }
        let stored = Stored()
        var source = CloudWatchTailSource(groups: [("/aws/lambda/w", "Worker")], since: 1_000) { _, label, since in
            stored.asked.append(since)
            return stored.events.filter { $0.time >= since }.map {
                LogEvent(time: $0.time, source: label, text: $0.text)
            }
        }
        stored.events = [LogEvent(time: 1_500, source: "", text: "a"), LogEvent(time: 2_000, source: "", text: "b")]
        #expect(try await source.poll().map(\.text) == ["a", "b"])
        stored.events.append(LogEvent(time: 2_000, source: "", text: "c"))
        stored.events.append(LogEvent(time: 2_500, source: "", text: "d"))
        #expect(try await source.poll().map(\.text) == ["c", "d"])
        #expect(try await source.poll().isEmpty)
        #expect(stored.asked == [1_000, 2_000, 2_500])
    }

    @Test func theLoopPollsSleepsAndKeepsOnlyWhatTheFilterKeeps() async throws {
        struct Script: TailSource {
            var rounds: [[LogEvent]]
            mutating func poll() async throws -> [LogEvent] { rounds.isEmpty ? [] : rounds.removeFirst() }
        }
        final class Seen: @unchecked Sendable { var emitted: [[String]] = []; var slept: [Int64] = [] }
        let seen = Seen()
        var tail = LogTail(
            source: Script(rounds: [
                [LogEvent(time: 1, source: "s", text: "k-1 stored"), LogEvent(time: 2, source: "s", text: "other")],
                [], [LogEvent(time: 3, source: "s", text: "k-1 sent")],
            ]), sleep: { seen.slept.append($0) })
        try await tail.run(
            keep: LogQuery(contains: "k-1").keeps, emit: { seen.emitted.append($0.map(\.text)) }, rounds: 3)
        #expect(seen.emitted == [["k-1 stored"], ["k-1 sent"]])
        #expect(seen.slept == [2_000, 2_000])
    }
}
