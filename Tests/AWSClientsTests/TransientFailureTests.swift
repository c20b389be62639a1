import Testing

@testable import AWSClients

/// Transport errors said in words a reader knows, never the HTTP client's type names.
@Suite struct TransientFailureTests {
    struct Fake: Error, CustomStringConvertible {
        var description: String
    }

    @Test(arguments: [
        ("connection reset (error set): Connection refused (errno: 111)", "connection refused"),
        ("HTTPClientError.remoteConnectionClosed", "connection closed by the server"),
        ("read(descriptor:pointer:size:): Connection reset by peer (errno: 104)", "connection reset by the server"),
        ("HTTPClientError.deadlineExceeded", "no answer within the timeout"),
        ("HTTPClientError.connectTimeout", "no connection within the timeout"),
        ("HTTPClientError.invalidURL", "invalidURL"),
        ("something else entirely", "something else entirely"),
    ])
    func errorsAreSaidInPlainWords(raw: String, said: String) {
        #expect(TransientFailure.plainWords(Fake(description: raw)) == said)
    }
}
