import Testing

@testable import YAML

@Suite struct ParserTests {
    @Test func keepsTagsAndMarks() throws {
        let docs = try Parser.parse("Resources:\n  Q:\n    Value: !Ref Other\n    List: !GetAtt [A, Arn]\n")
        #expect(docs.count == 1)
        guard case .mapping(let top) = docs[0].content, case .mapping(let resources) = top[0].value.content,
            case .mapping(let props) = resources[0].value.content
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(props[0].value.tag == "!Ref")
        #expect(props[0].value.mark == Mark(line: 3, column: 12))
        #expect(props[1].value.tag == "!GetAtt")
        #expect(props[1].value.kindName == "sequence")
        #expect(props[1].key.mark == Mark(line: 4, column: 5))
    }

    @Test func readsJSON() throws {
        let docs = try Parser.parse("{\"a\": [1, \"2\", true, null], \"b\": {\"c\": 1.5}}")
        guard case .mapping(let pairs) = docs[0].content, case .sequence(let items) = pairs[0].value.content else {
            Issue.record("unexpected shape")
            return
        }
        #expect(items[0].content == .scalar("1", .plain))
        #expect(items[1].content == .scalar("2", .doubleQuoted))
    }

    @Test func keepsDuplicateKeys() throws {
        let docs = try Parser.parse("a: 1\na: 2\n")
        guard case .mapping(let pairs) = docs[0].content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs.count == 2)
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        #expect(throws: YAMLError.self) { try Parser.parse("a: [1, 2\nb: 3\n") }
        do {
            _ = try Parser.parse("key: value\n  bad: indent\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .scanner)
            #expect(error.mark == Mark(line: 2, column: 6))
            #expect(error.problem == "mapping values are not allowed in this context")
        }
    }

    @Test func tabsInIndentationAreErrors() {
        do {
            _ = try Parser.parse("a:\n\tb: 1\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.mark.line == 2)
            #expect(error.description.contains("tab"))
        }
    }

    @Test func deepNestingStopsWithAnError() {
        let text = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        do {
            _ = try Parser.parse(text)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .composer)
            #expect(error.problem.contains("nesting deeper"))
        }
    }

    @Test func invalidUTF8IsAReaderError() {
        do {
            _ = try Parser.parse(bytes: [0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .reader)
            #expect(error.mark.line == 1)
        }
    }

    @Test func aliasesExpandAndUndefinedAliasesFail() throws {
        let docs = try Parser.parse("a: &x [1]\nb: *x\n")
        guard case .mapping(let pairs) = docs[0].content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs[1].value.content == pairs[0].value.content)
        #expect(throws: YAMLError.self) { try Parser.parse("b: *nope\n") }
    }

    @Test func emptyInputHasNoDocuments() throws {
        #expect(try Parser.parse("").isEmpty)
        #expect(try Parser.parse("# only a comment\n").isEmpty)
    }
}
