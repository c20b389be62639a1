import Testing

@testable import LocalRun

@Suite struct SQSRulesTests {
    static func send(_ body: String) -> [UInt8] {
        Array(("Action=SendMessage&MessageBody=" + MappingTemplate.formEncode(body)).utf8)
    }

    @Test func charactersOutsideXMLsSetAreRefusedAsSQSDoes() throws {
        let refusal = try #require(SQSRules.refusal(formBody: Self.send("{\"note\":\"a\u{FFFF}\"}")))
        #expect(refusal.code == "InvalidMessageContents")
        #expect(refusal.message.hasPrefix("Invalid binary character '#xFFFF' was found in the message body"))
        #expect(SQSRules.refusal(formBody: Self.send("a\u{01}b"))?.code == "InvalidMessageContents")
        #expect(SQSRules.refusal(formBody: Self.send("a\u{FFFE}"))?.code == "InvalidMessageContents")
        #expect(
            SQSRules.refusal(formBody: Array("Action=SendMessage&MessageBody=%FF%FE".utf8))?.code
                == "InvalidMessageContents")
    }

    @Test func whatSQSAcceptsPasses() {
        #expect(SQSRules.refusal(formBody: Self.send("tab\tline\nreturn\r é \u{FFFD} \u{E000} 😀 \u{10FFFF}")) == nil)
        #expect(SQSRules.refusal(formBody: Array("Action=ReceiveMessage&MessageBody=%01".utf8)) == nil)
    }

    @Test func theSizeLimitIsOneMebibyteInBytes() {
        let limit = String(repeating: "a", count: SQSRules.maximumMessageBytes)
        #expect(SQSRules.refusal(formBody: Self.send(limit)) == nil)
        #expect(SQSRules.refusal(formBody: Self.send(limit + "a"))?.code == "InvalidParameterValue")
        // 524,289 two-byte characters: under the limit in characters (what moto counts), over it in bytes.
        let wide = String(repeating: "é", count: SQSRules.maximumMessageBytes / 2 + 1)
        #expect(SQSRules.refusal(formBody: Self.send(wide))?.code == "InvalidParameterValue")
    }

    @Test func theErrorIsTheQueryAPIsJSONShape() {
        let text = String(
            decoding: SQSRules.errorJSON(code: "InvalidMessageContents", message: "m \"q\"", requestId: "r"),
            as: UTF8.self)
        #expect(
            text == #"{"Error":{"Type":"Sender","Code":"InvalidMessageContents","Message":"m \"q\""},"RequestId":"r"}"#)
    }
}
