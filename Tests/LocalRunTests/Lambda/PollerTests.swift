import JSONDocument
import Testing

@testable import LocalRun

@Suite struct PollerTests {
    @Test func theEventIsBuiltAsLambdaSendsIt() throws {
        let message = ReceivedMessage(
            messageId: "m-1", receiptHandle: "r-1", body: #"{"a":1}"#, md5OfBody: "abc",
            attributes: ["ApproximateReceiveCount": "2", "SentTimestamp": "1796000000000"],
            messageAttributes: ["type": ("String", "OrderAccepted")])
        let spec = MappingSpec(
            logicalId: "M", queueUrl: "u", queueArn: "arn:aws:sqs:us-east-1:1:q", function: "f", batchSize: 10,
            windowSeconds: 0, maxConcurrency: 1, reportsItemFailures: true, region: "us-east-1")
        let event = try #require(JSONValue.parse(Array(Poller.event([message], spec: spec).utf8)))
        guard case .array(let records)? = event["Records"], let record = records.first else {
            Issue.record("no Records")
            return
        }
        #expect(record["messageId"]?.string == "m-1" && record["receiptHandle"]?.string == "r-1")
        #expect(record["body"]?.string == #"{"a":1}"#)
        #expect(record["attributes"]?["ApproximateReceiveCount"]?.string == "2")
        #expect(record["messageAttributes"]?["type"]?["stringValue"]?.string == "OrderAccepted")
        #expect(record["messageAttributes"]?["type"]?["dataType"]?.string == "String")
        #expect(record["eventSource"]?.string == "aws:sqs")
        #expect(record["eventSourceARN"]?.string == "arn:aws:sqs:us-east-1:1:q")
        #expect(record["awsRegion"]?.string == "us-east-1" && record["md5OfBody"]?.string == "abc")
    }
}
