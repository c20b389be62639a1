import JSONDocument
import Testing

@testable import JSONSchema

@Suite struct SchemaValidatorTests {
    static let schema = JSONValue.parse(
        Array(
            """
            {"type": "object", "additionalProperties": false, "required": ["id", "items"],
             "properties": {
               "id": {"type": "string", "pattern": "^[a-z]{3,5}$"},
               "kind": {"type": "string", "enum": ["a", "b"]},
               "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/item"}}},
             "definitions": {"item": {"type": "object", "required": ["n"],
               "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 9}}}}}
            """.utf8))!

    static func problems(_ json: String) -> [String] {
        SchemaValidator(schema: schema).problems(try! StrictJSON.parse(Array(json.utf8)).get())
    }

    @Test func anIntegerIsWrittenWithoutAFractionAsDraft4Says() {
        for written in ["1.0", "1.0000000000000001", "3e0"] {
            #expect(
                Self.problems(#"{"id": "abc", "items": [{"n": \#(written)}]}"#) == [
                    #"instance type (number) does not match any allowed primitive type (allowed: ["integer"])"#
                ], "\(written) passed as an integer")
        }
        #expect(Self.problems(#"{"id": "abc", "items": [{"n": 3}]}"#).isEmpty)
    }

    @Test func exclusiveBoundsAreSaidAsTheValidatorSaysThem() {
        let schema = JSONValue.object([
            "type": .string("number"), "minimum": .number(1), "exclusiveMinimum": .bool(true), "maximum": .number(9),
            "exclusiveMaximum": .bool(true),
        ])
        let validator = SchemaValidator(schema: schema)
        #expect(
            validator.problems(JSONInstance.number(1, integral: true)) == [
                "numeric instance is not strictly greater than the required minimum 1"
            ])
        #expect(
            validator.problems(JSONInstance.number(9, integral: true)) == [
                "numeric instance is not strictly lower than the required maximum 9"
            ])
        #expect(validator.problems(JSONInstance.number(5, integral: true)).isEmpty)
        #expect(
            validator.problems(JSONInstance.number(0, integral: true)).first?.hasPrefix("numeric instance is lower")
                == true)
    }

    @Test func lengthsAreCountedInCodePoints() {
        let schema = JSONValue.object(["type": .string("string"), "maxLength": .number(3), "minLength": .number(3)])
        let validator = SchemaValidator(schema: schema)
        // "e" + U+0301 is one grapheme and two code points; 😀 is one code point (two UTF-16 units).
        #expect(validator.problems(JSONInstance.string("ae\u{301}")).isEmpty)
        #expect(validator.problems(JSONInstance.string("😀😀😀")).isEmpty)
        #expect(
            validator.problems(JSONInstance.string("ae\u{301}\u{301}"))
                == [#"string "ae\#u{301}\#u{301}" is too long (length: 4, maximum allowed: 3)"#])
        #expect(
            validator.problems(JSONInstance.string("e\u{301}"))
                == [#"string "e\#u{301}" is too short (length: 2, required minimum: 3)"#])
    }

    @Test func aValidInstanceHasNoProblems() {
        #expect(Self.problems(#"{"id": "abc", "kind": "a", "items": [{"n": 3}]}"#).isEmpty)
    }

    @Test func problemsAreSaidAsAPIGatewaySaysThem() {
        #expect(
            Self.problems(#"{"kind": "c", "x": 1}"#) == [
                #"object has missing required properties (["id","items"])"#,
                #"instance value ("c") not found in enum (possible values: ["a","b"])"#,
                #"object instance has properties which are not allowed by the schema: ["x"]"#,
            ])
        #expect(
            Self.problems(#"{"id": "ABCDEF", "items": []}"#) == [
                #"ECMA 262 regex "^[a-z]{3,5}$" does not match input string "ABCDEF""#,
                "array is too short: must have at least 1 elements but instance has 0 elements",
            ])
        #expect(
            Self.problems(#"{"id": "abc", "items": [{"n": 0}, {"n": 2.5}, {"n": "x"}]}"#) == [
                "numeric instance is lower than the required minimum (minimum: 1, found: 0)",
                #"instance type (number) does not match any allowed primitive type (allowed: ["integer"])"#,
                #"instance type (string) does not match any allowed primitive type (allowed: ["integer"])"#,
            ])
    }

    @Test func keywordsItDoesNotCheckAreNamed() {
        let schema = JSONValue.parse(Array(#"{"type": "object", "oneOf": [], "properties": {"a": {"not": {}}}}"#.utf8))!
        #expect(SchemaValidator(schema: schema).unsupported == ["not", "oneOf"])
    }
}
