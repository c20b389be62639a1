import CloudFormation
import Testing

@testable import LocalRun

@Suite struct LocalNamesTests {
    static func names() -> LocalNames {
        var names = LocalNames(stackName: "orders-dev", region: "eu-west-1", parameters: ["Bucket": "b"])
        names.resources["Queue"] = LocalIdentity(
            ref: "http://127.0.0.1:5000/123456789012/orders-dev-Q",
            attributes: ["Arn": "arn:aws:sqs:eu-west-1:123456789012:orders-dev-Q", "QueueName": "orders-dev-Q"])
        return names
    }

    @Test func pseudoParametersResourcesAndSubResolve() {
        let names = Self.names()
        #expect(names.string(.sub("${AWS::StackName}-x", nil)) == "orders-dev-x")
        #expect(
            names.string(.sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}", nil))
                == "arn:aws:sqs:eu-west-1:123456789012:orders-dev-Q")
        #expect(names.string(.ref("Queue")) == "http://127.0.0.1:5000/123456789012/orders-dev-Q")
        #expect(names.string(.getAtt("Queue", "Arn")) == "arn:aws:sqs:eu-west-1:123456789012:orders-dev-Q")
        #expect(names.string(.ref("Bucket")) == "b")
        #expect(names.string(.sub("${!Literal}-${Name}", Fields([("Name", .ref("Bucket"))]))) == "${Literal}-b")
        #expect(
            names.string(.call(.join, .list([.string("/"), .list([.string("a"), .ref("AWS::Region")])])))
                == "a/eu-west-1")
    }

    @Test func whatIsNotProvisionedYetDoesNotResolve() {
        let names = Self.names()
        #expect(names.resolve(.getAtt("Table", "Arn")) == nil)
        #expect(names.resolve(.map(Fields([("a", .string("x")), ("b", .ref("Later"))]))) == nil)
        #expect(names.resolve(.call(.findInMap, .list([]))) == nil)
    }

    @Test func resolvedValuesAreWrittenAsJSON() {
        let names = Self.names()
        let policy = Value.map(
            Fields([("deadLetterTargetArn", .getAtt("Queue", "Arn")), ("maxReceiveCount", .number("5"))]))
        #expect(
            names.resolve(policy).map(LocalJSON.text)
                == #"{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:orders-dev-Q","maxReceiveCount":5}"#)
    }
}
