import Testing

@testable import LocalRun

@Suite struct MappingTemplateTests {
    @Test func theSQSRequestTemplateFormEncodesTheBody() {
        let template = MappingTemplate("Action=SendMessage&MessageBody=$util.urlEncode($input.body)")
        let body = Array(#"{"a": "b c&d=é"}"#.utf8)
        #expect(
            template.render(.init(body: body))
                == "Action=SendMessage&MessageBody=%7B%22a%22%3A+%22b+c%26d%3D%C3%A9%22%7D")
        #expect(template.unsupported.isEmpty)
    }

    @Test func theResponseTemplateReadsThePathAndTheContext() {
        let template = MappingTemplate(
            #"{"messageId":"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')","requestId":"$context.requestId","raw":$input.json('$.SendMessageResponse')}"#
        )
        let answer = Array(#"{"SendMessageResponse":{"SendMessageResult":{"MessageId":"m-1"}}}"#.utf8)
        #expect(
            template.render(.init(body: answer, context: ["requestId": "r-1"]))
                == #"{"messageId":"m-1","requestId":"r-1","raw":{"SendMessageResult":{"MessageId":"m-1"}}}"#)
        #expect(template.unsupported.isEmpty)
    }

    @Test func unsupportedDirectivesAndUnknownReferencesAreNamed() {
        let template = MappingTemplate(
            "#set($x = 1)$input.body $util.parseJson($x) #foreach($i in $y)$i#end $util.nope('a')")
        #expect(template.unsupported == ["#foreach", "$i", "$util.nope", "$y"])
        #expect(MappingTemplate("#set($x = 1)#if($x == 1)$x#end").unsupported.isEmpty)
    }

    @Test func setIfElseifElseAndComments() {
        let template = MappingTemplate(
            """
            ## a comment
            #set($code = "$input.path('$.Error.Code')")
            #if($code == 'A')
            a
            #elseif($code.endsWith('B') && !$code.startsWith('X'))
            b $code
            #else
            other #* hidden *#$code
            #end
            done
            """)
        func render(_ body: String) -> String { template.render(.init(body: Array(body.utf8))) }
        #expect(render(#"{"Error":{"Code":"A"}}"#) == "a\ndone")
        #expect(render(#"{"Error":{"Code":"com.x#B"}}"#) == "b com.x#B\ndone")
        #expect(render(#"{"Error":{"Code":"XB"}}"#) == "other XB\ndone")
        // Velocity prints a null reference as written: `$code` then holds the reference's own text, which is why
        // the generated template reads the error code with quiet references (`$!input.path`).
        #expect(render("not json") == "other $input.path('$.Error.Code')\ndone")
    }

    @Test func theTemplateCanOverrideTheResponseStatus() {
        let template = MappingTemplate(
            "#if($input.path('$.n') == 4)#set($context.responseOverride.status = 400)#end{\"n\":$input.json('$.n')}")
        let refused = template.evaluate(.init(body: Array(#"{"n":4}"#.utf8)))
        #expect(refused.status == 400 && refused.text == #"{"n":4}"#)
        #expect(template.evaluate(.init(body: Array(#"{"n":5}"#.utf8))).status == nil)
        let invalid = MappingTemplate("#set($context.responseOverride.status = 'x')").evaluate(.init(body: []))
        #expect(invalid.status == nil)
    }

    @Test func unknownReferencesStayAsWrittenAndQuietOnesVanish() {
        let template = MappingTemplate("$nothing.here $!nothing ${input.body} $5 a#b")
        #expect(template.render(.init(body: Array("x".utf8))) == "$nothing.here  x $5 a#b")
    }

    @Test func escapeJavaScriptEscapesSingleQuotesAsAPIGatewayDoes() {
        let template = MappingTemplate("$util.escapeJavaScript($input.body)")
        #expect(template.render(.init(body: Array(#"it's "x""#.utf8))) == #"it\'s \"x\""#)
        // Apache Commons' escaper: slash escaped, everything outside ASCII as UTF-16 \uXXXX.
        #expect(template.render(.init(body: Array("a/é😀\n".utf8))) == #"a\/\u00E9\uD83D\uDE00\n"#)
    }

    @Test func quietReferencesVanishAndOverridesAreFinal() {
        let quiet = MappingTemplate(#"#set($c = "$!input.path('$.Error.Code')$!input.path('$.__type')")[$c]"#)
        #expect(
            quiet.render(.init(body: Array(#"{"__type":"x#InvalidMessageContents"}"#.utf8)))
                == "[x#InvalidMessageContents]")
        let twice = MappingTemplate(
            "#set($context.responseOverride.status = 400)#set($context.responseOverride.status = 401)")
        #expect(twice.evaluate(.init(body: [])).overriddenTwice)
        #expect(
            !MappingTemplate("#set($context.responseOverride.status = 400)").evaluate(.init(body: [])).overriddenTwice)
    }

    @Test func substitutionFillsContextAndWritesWhatIsMissing() {
        let format = MappingTemplate(#"$context.requestId $context.error.message #if(x) $context.status"#)
        #expect(format.substitute(["requestId": "r-1", "status": "202"], missing: "-") == "r-1 - #if(x) 202")
    }
}
