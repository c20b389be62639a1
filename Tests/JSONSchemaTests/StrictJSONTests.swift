import JSONDocument
import Testing

@testable import JSONSchema

@Suite struct StrictJSONTests {
    static func parse(_ text: String) -> JSONInstance? { try? StrictJSON.parse(Array(text.utf8)).get() }

    @Test func whatRFC8259AllowsIsRead() throws {
        let value = try #require(
            Self.parse(#" {"a": [1, -0.5, 2e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00"} "#))
        #expect(
            value
                == .object([
                    "a": .array([
                        .number(1, integral: true), .number(-0.5, integral: false), .number(2000, integral: false),
                        .bool(true), .bool(false), .null,
                    ]),
                    "b": .string("x\"é😀"),
                ]))
        #expect(Self.parse("[]") == .array([]))
        #expect(Self.parse("\"\"") == .string(""))
    }

    @Test(arguments: [
        #"{"a":1,}"#, "[1,]", #"{"a":1} x"#, "{'a':1}", #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, "[1e]",
        #"{"a":NaN}"#, "{\"a\":\"\u{01}\"}", #"{"a":"\x"}"#, #"{"a":"\u12G4"}"#, #"{"a":1/*c*/}"#, "// c\n{}", "",
        "   ", #"{"a" 1}"#, "[1 2]", #"{"a":tru}"#, "\"open",
    ])
    func whatItDoesNotAllowIsRefusedWithAnOffset(text: String) {
        guard case .failure(let failure) = StrictJSON.parse(Array(text.utf8)) else {
            Issue.record("\(text) was read")
            return
        }
        #expect(failure.offset >= 0 && failure.offset <= text.utf8.count)
        #expect(!failure.message.isEmpty)
    }

    @Test func invalidUTF8AndDeepNestingAreRefusedWithoutCrashing() {
        #expect(throws: StrictJSON.Failure.self) { try StrictJSON.parse([0x22, 0xFF, 0xFE, 0x22]).get() }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case .failure(let failure) = StrictJSON.parse(Array(deep.utf8)) else {
            Issue.record("100,000 levels were read")
            return
        }
        #expect(failure.message.contains("nesting"))
        #expect(Self.parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)) != nil)
    }

    @Test func anIntegerIsANumberWrittenWithoutFractionOrExponent() {
        #expect(Self.parse("1") == .number(1, integral: true))
        #expect(Self.parse("-0") == .number(0, integral: true))
        #expect(Self.parse("1.0") == .number(1, integral: false))
        #expect(Self.parse("1.0000000000000001") == .number(1, integral: false))
        #expect(Self.parse("1E2") == .number(100, integral: false))
        #expect(JSONInstance(.number(3)) == .number(3, integral: true))
    }
}
