import AWSClients
import Foundation
import JSONDocument
import StackLogs
import Testing
import Timestamps

/// Answers each request from a script, recording the requests.
final class Script: AWSTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String]
    private(set) var requests: [AWSHTTPRequest] = []

    init(_ answers: [String]) { self.answers = answers }

    func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
        let body = lock.withLock {
            requests.append(request)
            return answers.isEmpty ? "{}" : answers.removeFirst()
        }
        return AWSHTTPResponse(status: 200, body: Array(body.utf8))
    }
}

@Suite struct StackLogsTests {
    @Test func timesAreReadAsWritten() throws {
        for milliseconds: Int64 in [0, 1_796_378_642_290, 951_782_400_000, 4_102_444_799_999] {
            #expect(LogTime.rfc3339(Substring(RFC3339.format(milliseconds))) == milliseconds)
        }
        #expect(LogTime.rfc3339("2026-12-04T10:00:00Z") == LogTime.rfc3339("2026-12-04T10:00:00.000Z"))
        #expect(LogTime.rfc3339("2026-12-04T10:00:00.5Z")! - LogTime.rfc3339("2026-12-04T10:00:00Z")! == 500)
        #expect(LogTime.requestTime("04/Dec/2026:10:00:00 +0000") == LogTime.rfc3339("2026-12-04T10:00:00Z"))
        for bad in ["", "yesterday", "2026-13-04T10:00:00Z", "04/Foo/2026:10:00:00 +0000"] {
            #expect(LogTime.rfc3339(Substring(bad)) == nil && LogTime.requestTime(Substring(bad)) == nil, "\(bad)")
        }
    }

    @Test func localLinesWithoutATimeTakeTheLineBefore() {
        let text = """
            START RequestId: r1
            {"timestamp":"2026-12-04T10:00:01.000Z","level":"INFO","message":"stored","orderId":"o-1"}
            REPORT RequestId: r1 Duration: 3 ms
            {"requestTime":"04/Dec/2026:10:00:02 +0000","status":"202"}
            """
        let events = LocalLogs.events(text, source: "Processor")
        let one = LogTime.rfc3339("2026-12-04T10:00:01Z")!
        #expect(events.map(\.time) == [one, one, one, one + 1000])
        #expect(events.allSatisfy { $0.source == "Processor" } && events[2].text.hasPrefix("REPORT"))
    }

    @Test func mergeOrdersByTimeAndKeepsEachSourcesOrder() {
        let a = [LogEvent(time: 1, source: "a", text: "a1"), LogEvent(time: 5, source: "a", text: "a5")]
        let b = [LogEvent(time: 1, source: "b", text: "b1"), LogEvent(time: 3, source: "b", text: "b3")]
        #expect(LogMerge.merge([a, b]).map(\.text) == ["a1", "b1", "b3", "a5"])
        #expect(LogMerge.merge([]).isEmpty && LogMerge.merge([[], a]) == a)
        let query = LogQuery(since: 2, contains: "5")
        #expect(LogMerge.merge([a, b]).filter(query.keeps).map(\.text) == ["a5"])
    }

    /// FilterLogEvents is called page by page with the group, the start time and the quoted term, until no
    /// `nextToken` comes back (CloudWatch Logs API Reference).
    @Test func cloudWatchIsReadPageByPage() async throws {
        let script = Script([
            #"{"events":[{"timestamp":2000,"message":"second","logStreamName":"s"}],"nextToken":"t2"}"#,
            #"{"events":[{"timestamp":1000,"message":"first \"quoted\"","logStreamName":"s"}]}"#,
        ])
        let caller = AWSCaller(
            transport: script,
            environment: try AWSEnvironment([
                "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
            ]), endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: 4566), service: "logs", now: { 0 })
        let pattern = CloudWatchLogsClient.pattern(containing: #"say "hi""#)
        #expect(pattern == #""say \"hi\"""#)
        let events = try await CloudWatchLogsClient(caller: caller).events(
            group: "/aws/lambda/x", since: 500, pattern: pattern, source: "XLogGroup")
        #expect(events.map(\.text) == [#"first "quoted""#, "second"])
        #expect(events.allSatisfy { $0.source == "XLogGroup" })
        #expect(script.requests.count == 2)
        let first = try #require(JSONValue.parse(script.requests[0].body))
        #expect(first["logGroupName"]?.string == "/aws/lambda/x" && first["startTime"]?.integer == 500)
        #expect(first["filterPattern"]?.string == pattern && first["nextToken"] == nil)
        #expect(JSONValue.parse(script.requests[1].body)?["nextToken"]?.string == "t2")
        let target = script.requests[0].headers.first { $0.0 == "X-Amz-Target" }?.1
        #expect(target == "Logs_20140328.FilterLogEvents")
        #expect(script.requests[0].headers.contains { $0 == ("Content-Type", "application/x-amz-json-1.1") })
    }
}
