import CloudFormation
import TemplateYAML
import Testing
import YAML

@Suite struct TemplateWriterTests {
    @Test func writesSectionsAndAttributesInTheDocumentedOrder() throws {
        var template = Template(description: "d")
        template.outputs = [
            Output("Url", value: .ref("Q"), description: "the url", exportName: .sub("${AWS::StackName}-Url", nil))
        ]
        template.resources = [
            Resource(
                "Q", type: "AWS::SQS::Queue", properties: Fields([("DelaySeconds", .int(5))]), dependsOn: ["T"],
                deletionPolicy: .string("Retain"), updateReplacePolicy: .string("Retain"),
                metadata: .object(["k": .string("v")]))
        ]
        template.parameters = [Parameter("P", description: "p", defaultValue: .string("x"))]
        template.conditions = Fields([("IsProd", .call(.equals, .list([.ref("P"), .string("prod")])))])
        let text = try TemplateWriter.yaml(template)
        #expect(
            text == """
                AWSTemplateFormatVersion: '2010-09-09'
                Description: d
                Parameters:
                  P:
                    Type: String
                    Description: p
                    Default: x
                Conditions:
                  IsProd: !Equals
                  - !Ref P
                  - prod
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    DependsOn: T
                    DeletionPolicy: Retain
                    UpdateReplacePolicy: Retain
                    Metadata:
                      k: v
                    Properties:
                      DelaySeconds: 5
                Outputs:
                  Url:
                    Description: the url
                    Value: !Ref Q
                    Export:
                      Name: !Sub ${AWS::StackName}-Url

                """)
    }

    @Test func nestedTaggedArgumentsUseTheLongFormOutside() throws {
        let text = try Emitter.render(TemplateWriter.node(.call(.base64, .sub("echo ${X}", nil))))
        #expect(text == "Fn::Base64: !Sub echo ${X}\n")
        let select = try Emitter.render(TemplateWriter.node(.call(.getAZs, .ref("AWS::Region"))))
        #expect(select == "Fn::GetAZs: !Ref AWS::Region\n")
    }

    @Test func stringsThatLookLikeOtherTypesAreQuoted() throws {
        let value = Value.object([
            "a": .string("true"), "b": .string("5"), "c": .bool(true), "d": .int(5), "e": .string("no"),
        ])
        #expect(try Emitter.render(TemplateWriter.node(value)) == "a: 'true'\nb: '5'\nc: true\nd: 5\ne: 'no'\n")
    }

    @Test func equalityIgnoresKeyOrderButWritingKeepsIt() throws {
        let a = Value.object(["x": .int(1), "y": .int(2)])
        let b = Value.object(["y": .int(2), "x": .int(1)])
        #expect(a == b)
        #expect(try Emitter.render(TemplateWriter.node(a)) != Emitter.render(TemplateWriter.node(b)))
    }
}
