import Testing

@testable import YAML

@Suite struct EmitterTests {
    @Test func scalarTagsAreWritten() throws {
        let node = Node.mapping([
            ("Role", .scalar("OrdersRole", tag: "!Ref")),
            ("Arn", .scalar("OrdersQueue.Arn", tag: "!GetAtt")),
            ("Name", .scalar("${AWS::StackName}-orders", tag: "!Sub")),
        ])
        let text = try Emitter.render(node)
        #expect(text == "Role: !Ref OrdersRole\nArn: !GetAtt OrdersQueue.Arn\nName: !Sub ${AWS::StackName}-orders\n")
    }

    @Test(arguments: [
        "!Join", "!If", "!Select", "!Split", "!Equals", "!Not", "!And", "!Or", "!FindInMap", "!Cidr", "!GetAZs",
    ])
    func sequenceTagsAreWritten(tag: String) throws {
        let node = Node.mapping([("Value", .sequence([.string("a"), .string("b")], tag: tag))])
        let text = try Emitter.render(node)
        #expect(text == "Value: \(tag)\n- a\n- b\n")
        let back = try Parser.parse(text)
        guard case .mapping(let pairs) = back[0].content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs[0].value.tag == tag)
    }

    @Test(arguments: ["!ImportValue", "!Base64", "!Condition", "!GetAZs", "!Ref"])
    func scalarTagsRoundTrip(tag: String) throws {
        let node = Node.mapping([("Value", .scalar("x-y", tag: tag))])
        let text = try Emitter.render(node)
        #expect(text == "Value: \(tag) x-y\n")
        #expect(try Parser.parse(text)[0] == node)
    }

    @Test func mappingTagIsWritten() throws {
        let node = Node.mapping([("Value", .mapping([("Fn::Sub", .string("x"))], tag: "!Base64"))])
        let text = try Emitter.render(node)
        #expect(text == "Value: !Base64\n  Fn::Sub: x\n")
    }

    @Test(arguments: [
        "yes", "no", "on", "off", "Yes", "NO", "y", "n", "true", "False", "null", "~", "", "0123", "1e3", "1E-3",
        "2010-09-09", "12", "-1", "+1", "1.5", ".5", "0x1F", "0b101", "0o17", "1_000", "1:30", ".inf", "-.inf",
        ".NaN", "<<", "=", "2001-12-14t21:59:43.10-05:00",
    ])
    func ambiguousStringsAreQuoted(text: String) throws {
        #expect(ScalarResolution.isAmbiguousAsPlain(text))
        let rendered = try Emitter.render(.mapping([("Key", .string(text))]))
        #expect(rendered == "Key: '\(text)'\n")
        guard case .mapping(let pairs) = try Parser.parse(rendered)[0].content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs[0].value.content == .scalar(text, .singleQuoted))
    }

    @Test(arguments: [
        "orders", "AWS::SQS::Queue", "arn:aws:sqs:us-east-1:123:q", "yesterday", "1.2.3", "v2", "x86_64",
        "provided.al2023", "2010-09", "e3", "0x", "None",
    ])
    func plainStringsStayPlain(text: String) throws {
        #expect(!ScalarResolution.isAmbiguousAsPlain(text))
        let rendered = try Emitter.render(.mapping([("Key", .string(text))]))
        #expect(rendered == "Key: \(text)\n")
    }

    @Test func multiLineStringsUseLiteralBlocks() throws {
        let text = "line one\nline two\n"
        let rendered = try Emitter.render(.mapping([("Body", .string(text))]))
        #expect(rendered == "Body: |\n  line one\n  line two\n")
        #expect(try Parser.parse(rendered)[0] == Node.mapping([("Body", Node(.scalar(text, .literal)))]))
    }

    @Test func emptyCollectionsUseFlowStyle() throws {
        let rendered = try Emitter.render(.mapping([("A", .sequence([])), ("B", .mapping([]))]))
        #expect(rendered == "A: []\nB: {}\n")
    }

    @Test func renderingIsDeterministic() throws {
        let node = Node.mapping((0..<50).map { ("Key\($0)", Node.string("value \($0)")) })
        #expect(try Emitter.render(node) == Emitter.render(node))
    }
}
