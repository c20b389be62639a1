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

    @Test func directivesAndUnknownReferencesAreNamed() {
        let template = MappingTemplate("#set($x = 1)$input.body $util.parseJson($x)")
        #expect(template.unsupported == ["#set", "$util.parseJson", "$x"])
    }
}
