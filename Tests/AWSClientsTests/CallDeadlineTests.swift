import JSONDocument
import LambdaRuntime
import Logging
import OrderDomain
import OrderHandlers
import Testing

@testable import AWSClients

/// Every AWS call of a handler ends before its invocation does: each attempt waits at most the time left before
/// the deadline, and none is sent once it has passed.
@Suite struct CallDeadlineTests {
    static let now: Int64 = 1_795_000_000_000

    @Test func anAttemptWaitsAtMostTheTimeLeft() async throws {
        let transport = ScriptedTransport([.respond(200, "{}"), .respond(200, "{}")])
        let caller = ClientTests.caller(transport, service: "dynamodb")
        _ = try await caller.send(operation: "GetItem", headers: [], body: [])
        try await CallDeadline.$milliseconds.withValue(Self.now + 1_200) {
            _ = try await caller.send(operation: "GetItem", headers: [], body: [])
        }
        #expect(transport.timeouts == [5_000, 1_200])
    }

    @Test func nothingIsSentOnceTheDeadlineHasPassed() async {
        let transport = ScriptedTransport([])
        let store = ClientTests.store(transport)
        await #expect(throws: TransientError.self) {
            try await CallDeadline.$milliseconds.withValue(Self.now) { try await store.current("order-0001") }
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func theQueryAnswers503BeforeItsFunctionTimesOut() async throws {
        // A read that never answers: the transport is given the time left less the handler's margin (4.7 s of a
        // 5 s function), gives up, and the handler still answers 503 inside its invocation.
        let transport = ScriptedTransport([.fail])
        let handler = QueryHandler(reader: ClientTests.store(transport), logger: Logger(label: "test"))
        let answer = try await handler.handle(
            Invocation(
                requestId: "r", deadlineMs: Self.now + 5_000, invokedFunctionArn: "arn", traceId: nil,
                event: Array(#"{"pathParameters":{"orderId":"order-0001"}}"#.utf8)))
        #expect(transport.timeouts == [4_700])
        #expect(JSONValue.parse(answer)?["statusCode"]?.integer == 503)
    }
}
