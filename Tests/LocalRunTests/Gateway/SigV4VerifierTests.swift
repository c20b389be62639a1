import AWSClients
import AWSSigV4
import Testing

@testable import LocalRun

@Suite struct SigV4VerifierTests {
    static let credentials = Credentials(accessKeyId: "testing", secretAccessKey: "testing")

    static func signed(path: String, body: [UInt8], with credentials: Credentials) -> [(String, String)] {
        let headers = [("Host", "127.0.0.1:3000"), ("Content-Type", "application/json")]
        return headers
            + SigV4.sign(
                SignableRequest(method: "POST", path: path, headers: headers, body: body), credentials: credentials,
                region: "us-east-1", service: "execute-api", amzDate: AWSCaller.amzDate(1_796_000_000_000))
    }

    @Test func aRequestSignedWithTheLocalCredentialsIsValid() {
        let body = Array("{}".utf8)
        let headers = Self.signed(path: "/dev/orders", body: body, with: Self.credentials)
        #expect(
            SigV4Verifier.verify(
                method: "POST", path: "/dev/orders", query: [], headers: headers, body: body,
                credentials: Self.credentials) == .valid)
    }

    @Test func unsignedTamperedAndForeignRequestsAreRefused() {
        let body = Array("{}".utf8)
        let headers = Self.signed(path: "/dev/orders", body: body, with: Self.credentials)
        #expect(
            SigV4Verifier.verify(
                method: "POST", path: "/dev/orders", query: [], headers: [("Host", "x")], body: body,
                credentials: Self.credentials) == .refused("Missing Authentication Token"))
        guard
            case .refused(let tampered) = SigV4Verifier.verify(
                method: "POST", path: "/dev/orders", query: [], headers: headers, body: Array("{ }".utf8),
                credentials: Self.credentials)
        else {
            Issue.record("a changed body was accepted")
            return
        }
        #expect(tampered.hasPrefix("The request signature we calculated does not match"))
        let foreign = Self.signed(
            path: "/dev/orders", body: body, with: Credentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x"))
        #expect(
            SigV4Verifier.verify(
                method: "POST", path: "/dev/orders", query: [], headers: foreign, body: body,
                credentials: Self.credentials) == .refused("The security token included in the request is invalid."))
    }
}
