import CloudFormation
import Testing

@testable import Diff

@Suite struct EvaluationTests {
    static let template = """
        Parameters:
          Stage: {Type: String, Default: dev}
          Names: {Type: CommaDelimitedList, Default: "a,b,c"}
          Region: {Type: String}
        Mappings:
          Sizes: {dev: {memory: 512}, prod: {memory: 2048}}
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
          IsDev: !Not [!Condition IsProd]
          InEurope: !Equals [!Ref Region, eu-west-1]
          ProdInEurope: !And [!Condition IsProd, !Condition InEurope]
          DevOrEurope: !Or [!Condition IsDev, !Condition InEurope]
          Loop: !Condition Loop
        Resources:
          Q:
            Type: AWS::SQS::Queue
            Condition: IsProd
            Properties:
              QueueName: !Sub '${AWS::StackName}-${Stage}-q'
        """

    func evaluation(_ overrides: [String: String] = [:]) throws -> TemplateEvaluation {
        TemplateEvaluation(try Pair.template(Self.template), overrides: overrides)
    }

    @Test func conditionsFollowDefaultsAndOverridesAndStayUnknownWhereAValueIs() throws {
        let defaults = try evaluation()
        #expect(defaults.conditions["IsProd"] == .some(false))
        #expect(defaults.conditions["IsDev"] == .some(true))
        #expect(defaults.conditions["InEurope"] == .some(nil), "Region has no default")
        #expect(defaults.conditions["ProdInEurope"] == .some(false), "false and unknown is false")
        #expect(defaults.conditions["DevOrEurope"] == .some(true), "true or unknown is true")
        #expect(defaults.conditions["Loop"] == .some(nil), "a cycle is unknown, not a crash")
        #expect(defaults.createdResources.isEmpty)
        let prod = try evaluation(["Stage": "prod", "Region": "us-east-1"])
        #expect(prod.conditions["ProdInEurope"] == .some(false) && prod.conditions["DevOrEurope"] == .some(false))
        #expect(prod.createdResources.map(\.logicalId) == ["Q"])
    }

    @Test func equalStringsWrittenDifferentlyResolveToOneValue() throws {
        let evaluation = try evaluation()
        let sub = evaluation.resolve(.sub("${AWS::StackName}-${Stage}-q", nil))
        let join = evaluation.resolve(
            .call(.join, .list([.string(""), .list([.ref("AWS::StackName"), .string("-dev-"), .string("q")])])))
        #expect(sub == join)
        #expect(sub == .sub("${AWS::StackName}-dev-q", nil))
        #expect(evaluation.resolve(.sub("${Q.Arn}", nil)) == .getAtt("Q", "Arn"))
        #expect(evaluation.resolve(.sub("${Stage}", nil)) == .string("dev"))
        #expect(evaluation.resolve(.sub("cost: ${!Literal}", nil)) == .string("cost: ${Literal}"))
        #expect(
            evaluation.resolve(.sub("${X}-${Y}", Fields([("X", .ref("Stage")), ("Y", .string("1"))])))
                == .string("dev-1"))
    }

    @Test func selectFindInMapIfAndNoValueFold() throws {
        let evaluation = try evaluation()
        #expect(evaluation.resolve(.call(.select, .list([.string("1"), .ref("Names")]))) == .string("b"))
        #expect(
            evaluation.resolve(.call(.findInMap, .list([.string("Sizes"), .ref("Stage"), .string("memory")])))
                == .number("512"))
        let chosen = Value.call(.ifThen, .list([.string("IsProd"), .int(2048), .ref("AWS::NoValue")]))
        #expect(evaluation.resolve(.object(["Memory": chosen, "Keep": .int(1)])) == .object(["Keep": .int(1)]))
        let unknown = Value.call(.ifThen, .list([.string("InEurope"), .int(1), .int(2)]))
        #expect(evaluation.resolve(unknown) == unknown, "an unknown condition keeps both branches")
    }
}
