import CloudFormation
import TemplateYAML
import Testing
import YAML

@Suite struct TemplateReaderTests {
    @Test func shortAndLongFormsReadToTheSameValues() throws {
        let short = """
            Resources:
              Q:
                Type: AWS::SQS::Queue
                Properties:
                  A: !Ref X
                  B: !GetAtt R.Arn
                  C: !GetAtt [R, Endpoint.Address]
                  D: !Sub '${AWS::StackName}-q'
                  E: !Join ['', [a, !Ref X]]
                  F: !If [Cond, !Ref X, !Ref AWS::NoValue]
                  G: !Select [0, !GetAZs '']
                  H: !Base64
                    Fn::Sub: echo ${X}
                  I: !Sub
                    - ${A}-b
                    - A: !Ref X
            """
        let long = """
            {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
              "A": {"Ref": "X"},
              "B": {"Fn::GetAtt": ["R", "Arn"]},
              "C": {"Fn::GetAtt": "R.Endpoint.Address"},
              "D": {"Fn::Sub": "${AWS::StackName}-q"},
              "E": {"Fn::Join": ["", ["a", {"Ref": "X"}]]},
              "F": {"Fn::If": ["Cond", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]},
              "G": {"Fn::Select": ["0", {"Fn::GetAZs": ""}]},
              "H": {"Fn::Base64": {"Fn::Sub": "echo ${X}"}},
              "I": {"Fn::Sub": ["${A}-b", {"A": {"Ref": "X"}}]}
            }}}}
            """
        let a = try #require(TemplateReader.read(short, path: "short.yaml").template)
        let b = try #require(TemplateReader.read(long, path: "long.json").template)
        let q = try #require(a.resource("Q"))
        #expect(q["A"] == .ref("X"))
        #expect(q["B"] == .getAtt("R", "Arn"))
        #expect(q["C"] == .getAtt("R", "Endpoint.Address"))
        #expect(q["D"] == .sub("${AWS::StackName}-q", nil))
        #expect(q["H"] == .call(.base64, .sub("echo ${X}", nil)))
        #expect(q["I"] == .sub("${A}-b", Fields([("A", .ref("X"))])))
        // `!Select [0, ...]` has a number where the JSON has a string: the only difference.
        var bq = try #require(b.resource("Q"))
        bq["G"] = q["G"]
        #expect(q.properties == bq.properties)
    }

    @Test func recordsLocations() throws {
        let text = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: 5\n"
        let template = try #require(TemplateReader.read(text, path: "t.yaml").template)
        #expect(template.mark(of: Path("Resources", "Queue")) == Mark(line: 2, column: 3))
        #expect(template.mark(of: Path("Resources", "Queue", "Properties", "DelaySeconds")) == Mark(line: 5, column: 7))
        #expect(template.resource("Queue")?["DelaySeconds"] == .number("5"))
    }

    @Test func duplicateKeysAreReportedWithBothPlaces() {
        let result = TemplateReader.read(
            "Resources:\n  A:\n    Type: X::Y::Z\n  A:\n    Type: X::Y::W\n", path: "d.yaml")
        #expect(result.diagnostics.map(\.id) == [TemplateReader.ID.duplicateKey])
        #expect(result.diagnostics.first?.mark == Mark(line: 4, column: 3))
        #expect(result.diagnostics.first?.message.contains("first at 2:3") == true)
        #expect(result.template?.resources.count == 1)
        #expect(result.template?.resources.first?.type == "X::Y::W")
    }

    @Test func unknownTagsAreReported() {
        let result = TemplateReader.read(
            "Resources:\n  A:\n    Type: X::Y::Z\n    Properties:\n      P: !Reff B\n", path: "u.yaml")
        #expect(result.diagnostics.map(\.id) == [TemplateReader.ID.unknownTag])
        #expect(result.diagnostics.first?.mark == Mark(line: 5, column: 10))
        #expect(
            result.diagnostics.first?.description
                == "u.yaml:5:10: error: OS0004: unknown tag '!Reff'; not a CloudFormation intrinsic function")
    }

    @Test(arguments: [
        ("", "OS0002", 1), ("- a\n- b\n", "OS0002", 1), ("a: [1,\n", "OS0001", 2), ("{\"a\": 1,,}", "OS0001", 1),
    ])
    func unreadableInputGivesOneLocatedError(text: String, id: String, line: Int) {
        let result = TemplateReader.read(text, path: "bad.yaml")
        #expect(result.template == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.id == id)
        #expect(result.diagnostics.first?.mark.line == line)
    }

    @Test func resourcesWithoutTypeAreReported() {
        let result = TemplateReader.read("Resources:\n  A:\n    Properties: {}\n", path: "m.yaml")
        #expect(result.diagnostics.map(\.message) == ["resource 'A' has no 'Type'"])
    }

    @Test func keepsSamTransformAndGlobals() throws {
        let text =
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Timeout: 3\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
        let template = try #require(TemplateReader.read(text, path: "sam.yaml").template)
        #expect(template.transform == .string("AWS::Serverless-2016-10-31"))
        #expect(template.otherSections["Globals"]?["Function"]?["Timeout"] == .number("3"))
        #expect(template.resource("F")?.type == "AWS::Serverless::Function")
    }
}
