import AWSClients
import AWSSigV4
import Testing

@testable import LocalRun

@Suite struct SigV4VerifierTests {
    static let credentials = Credentials(accessKeyId: "testing", secretAccessKey: "testing")
    static let now: Int64 = 1_796_000_000_000

    static func signed(
        path: String = "/dev/orders", body: [UInt8], with credentials: Credentials = credentials,
        region: String = "us-east-1", service: String = "execute-api", at time: Int64 = now,
        headers: [(String, String)] = [("Host", "127.0.0.1:3000"), ("Content-Type", "application/json")]
    ) -> [(String, String)] {
        headers
            + SigV4.sign(
                SignableRequest(method: "POST", path: path, headers: headers, body: body), credentials: credentials,
                region: region, service: service, amzDate: AWSCaller.amzDate(time))
    }

    static func verify(
        _ headers: [(String, String)], body: [UInt8] = Array("{}".utf8), credentials: Credentials = credentials
    ) -> SigV4Verifier.Outcome {
        SigV4Verifier.verify(
            method: "POST", path: "/dev/orders", query: [], headers: headers, body: body, credentials: credentials,
            region: "us-east-1", nowMs: now)
    }

    static func refusal(_ outcome: SigV4Verifier.Outcome) -> String? {
        if case .refused(let message) = outcome { return message }
        return nil
    }

    @Test func aRequestSignedWithTheLocalCredentialsIsValid() {
        let body = Array("{}".utf8)
        #expect(Self.verify(Self.signed(body: body)) == .valid)
        // Four minutes either way is inside AWS's five-minute window.
        #expect(Self.verify(Self.signed(body: body, at: Self.now - 240_000)) == .valid)
        #expect(Self.verify(Self.signed(body: body, at: Self.now + 240_000)) == .valid)
    }

    @Test func unsignedTamperedAndForeignRequestsAreRefused() {
        let body = Array("{}".utf8)
        #expect(Self.verify([("Host", "x")]) == .refused("Missing Authentication Token"))
        let tampered = Self.refusal(Self.verify(Self.signed(body: body), body: Array("{ }".utf8)))
        #expect(tampered?.hasPrefix("The request signature we calculated does not match") == true)
        let foreign = Self.signed(body: body, with: Credentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x"))
        #expect(Self.verify(foreign) == .refused("The security token included in the request is invalid."))
    }

    @Test func aSignatureOutsideTheFiveMinuteWindowIsRefused() {
        let body = Array("{}".utf8)
        let twentyMinutes = Self.refusal(Self.verify(Self.signed(body: body, at: Self.now - 1_200_000)))
        #expect(
            twentyMinutes
                == "Signature expired: 20261130T003320Z is now earlier than 20261130T004820Z (20261130T005320Z - 5 min.)"
        )
        let yearOld = Self.refusal(Self.verify(Self.signed(body: body, at: Self.now - 31_536_000_000)))
        #expect(yearOld?.hasPrefix("Signature expired: 20251130T005320Z") == true)
        let future = Self.refusal(Self.verify(Self.signed(body: body, at: Self.now + 600_000)))
        #expect(
            future?.hasPrefix("Signature not yet current: 20261130T010320Z is still later than 20261130T005820Z")
                == true)
    }

    @Test func aMalformedDateIsRefusedBeforeTheSignatureIsChecked() {
        let headers = Self.signed(body: Array("{}".utf8)).map { $0.0 == "X-Amz-Date" ? ($0.0, "garbage") : $0 }
        #expect(
            Self.verify(headers)
                == .refused(
                    "Date must be in ISO-8601 'basic format'. Got 'garbage'. See http://en.wikipedia.org/wiki/ISO_8601")
        )
        #expect(SigV4Verifier.epochSeconds("20261301T000000Z") == nil)
        #expect(SigV4Verifier.epochSeconds("20261130T005320Z") == 1_796_000_000)
        #expect(SigV4Verifier.epochSeconds("19700101T000000Z") == 0)
        #expect(SigV4Verifier.epochSeconds("20000301T000000Z") == 951_868_800)
    }

    @Test func aScopeForAnotherRegionServiceOrDateIsRefused() {
        let body = Array("{}".utf8)
        #expect(
            Self.verify(Self.signed(body: body, region: "eu-west-1"))
                == .refused("Credential should be scoped to a valid region, not 'eu-west-1'. "))
        #expect(
            Self.verify(Self.signed(body: body, service: "sqs"))
                == .refused("Credential should be scoped to correct service: 'execute-api'. "))
        // The scope's date one day earlier than X-Amz-Date.
        let headers = Self.signed(body: body).map { header -> (String, String) in
            guard header.0 == "Authorization" else { return header }
            return (header.0, header.1.replacingOccurrences(of: "/20261130/", with: "/20261129/"))
        }
        #expect(Self.refusal(Self.verify(headers))?.hasPrefix("Date in Credential scope does not match") == true)
    }

    @Test func anIncompleteHeaderNamesEachMissingPartWithoutEchoingIt() {
        #expect(
            Self.verify([("Host", "x"), ("Authorization", "Bearer secret-token")])
                == .refused(
                    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=[redacted]"
                ))
        let short = Self.signed(body: Array("{}".utf8)).map { header -> (String, String) in
            guard header.0 == "Authorization" else { return header }
            return (header.0, header.1.replacingOccurrences(of: "/aws4_request", with: ""))
        }
        #expect(
            Self.refusal(Self.verify(short))?.hasPrefix("Credential must have exactly 5 slash-delimited elements")
                == true)
    }

    @Test func theTimeIsCheckedBeforeTheScopeAndScopeProblemsAreSaidTogether() {
        let body = Array("{}".utf8)
        let old = Self.signed(body: body, region: "us-west-2", service: "sqs", at: Self.now - 3_600_000)
        #expect(Self.refusal(Self.verify(old))?.hasPrefix("Signature expired:") == true)
        #expect(
            Self.verify(Self.signed(body: body, region: "us-west-2", service: "sqs"))
                == .refused(
                    "Credential should be scoped to a valid region, not 'us-west-2'. Credential should be scoped to correct service: 'execute-api'. "
                ))
    }

    @Test func hostMustBeSignedAndTheSessionTokenMustBeTheOneIssued() {
        let body = Array("{}".utf8)
        let hostless = Self.signed(body: body, headers: [("Content-Type", "application/json")])
        #expect(
            Self.verify(hostless + [("Host", "127.0.0.1:3000")])
                == .refused("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."))
        let withToken = Credentials(accessKeyId: "testing", secretAccessKey: "testing", sessionToken: "bogus")
        #expect(
            Self.verify(Self.signed(body: body, with: withToken))
                == .refused("The security token included in the request is invalid."))
        let issued = Credentials(accessKeyId: "testing", secretAccessKey: "testing", sessionToken: "issued")
        #expect(Self.verify(Self.signed(body: body, with: issued), credentials: issued) == .valid)
        #expect(
            Self.verify(Self.signed(body: body, with: withToken), credentials: issued)
                == .refused("The security token included in the request is invalid."))
    }
}
