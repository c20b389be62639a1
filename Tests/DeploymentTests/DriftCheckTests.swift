import AWSClients
import AWSSigV4
import DeployClients
import Testing

@testable import Deployment

/// Drift detection through recorded CloudFormation answers (the shapes of the CloudFormation API Reference's
/// DetectStackDrift, DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts): moto_server has no drift
/// detection, so the verdicts are proven here.
enum DriftRecorded {
    static let namespace = #"xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/""#
    static let started = (
        200,
        "<DetectStackDriftResponse \(namespace)><DetectStackDriftResult><StackDriftDetectionId>d-1</StackDriftDetectionId></DetectStackDriftResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DetectStackDriftResponse>"
    )

    static func status(_ detection: String, stack: String? = nil, count: Int? = nil, reason: String? = nil) -> (
        Int, String
    ) {
        var fields: [String] = [
            "<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/s/1</StackId>",
            "<StackDriftDetectionId>d-1</StackDriftDetectionId>", "<DetectionStatus>\(detection)</DetectionStatus>",
        ]
        if let stack { fields.append("<StackDriftStatus>\(stack)</StackDriftStatus>") }
        if let count { fields.append("<DriftedStackResourceCount>\(count)</DriftedStackResourceCount>") }
        if let reason { fields.append("<DetectionStatusReason>\(reason)</DetectionStatusReason>") }
        fields.append("<Timestamp>2026-12-04T10:00:00.000Z</Timestamp>")
        return (
            200,
            "<DescribeStackDriftDetectionStatusResponse \(namespace)><DescribeStackDriftDetectionStatusResult>\(fields.joined())</DescribeStackDriftDetectionStatusResult></DescribeStackDriftDetectionStatusResponse>"
        )
    }

    static func drifts(_ members: [String], next: String? = nil) -> (Int, String) {
        (
            200,
            "<DescribeStackResourceDriftsResponse \(namespace)><DescribeStackResourceDriftsResult><StackResourceDrifts>\(members.map { "<member>\($0)</member>" }.joined())</StackResourceDrifts>\(next.map { "<NextToken>\($0)</NextToken>" } ?? "")</DescribeStackResourceDriftsResult></DescribeStackResourceDriftsResponse>"
        )
    }

    static let modifiedFunction = """
        <StackId>arn:stack/s/1</StackId><LogicalResourceId>Fn</LogicalResourceId><PhysicalResourceId>s-Fn-1</PhysicalResourceId>\
        <ResourceType>AWS::Lambda::Function</ResourceType><StackResourceDriftStatus>MODIFIED</StackResourceDriftStatus>\
        <ExpectedProperties>{"Timeout":30}</ExpectedProperties><ActualProperties>{"Timeout":60}</ActualProperties>\
        <PropertyDifferences><member><PropertyPath>/Timeout</PropertyPath><ExpectedValue>30</ExpectedValue>\
        <ActualValue>60</ActualValue><DifferenceType>NOT_EQUAL</DifferenceType></member><member>\
        <PropertyPath>/Environment/Variables/DEBUG</PropertyPath><ExpectedValue></ExpectedValue><ActualValue>1</ActualValue>\
        <DifferenceType>ADD</DifferenceType></member></PropertyDifferences><Timestamp>2026-12-04T10:00:01Z</Timestamp>
        """
    static let deletedQueue = """
        <LogicalResourceId>Queue</LogicalResourceId><PhysicalResourceId>https://sqs/q</PhysicalResourceId>\
        <ResourceType>AWS::SQS::Queue</ResourceType><StackResourceDriftStatus>DELETED</StackResourceDriftStatus>
        """
}

@Suite struct DriftCheckTests {
    static func check(_ replay: Replay) -> DriftCheck {
        let caller = replay.caller("cloudformation")
        let ticks = Lines()
        return DriftCheck(
            cloudFormation: CloudFormationClient(caller: caller),
            now: { Int64(1_796_000_000_000 + ticks.lines.count * 2_000) }, sleep: { _ in ticks.lines.append("t") })
    }

    @Test func aDriftedStackListsEachPropertyExpectedAndActual() async throws {
        let replay = Replay([
            "DetectStackDrift": [DriftRecorded.started],
            "DescribeStackDriftDetectionStatus": [
                DriftRecorded.status("DETECTION_IN_PROGRESS"),
                DriftRecorded.status("DETECTION_COMPLETE", stack: "DRIFTED", count: 2),
            ],
            "DescribeStackResourceDrifts": [
                DriftRecorded.drifts([DriftRecorded.modifiedFunction], next: "page-2"),
                DriftRecorded.drifts([DriftRecorded.deletedQueue]),
            ],
        ])
        let report = try await Self.check(replay).run("s", waitMs: 60_000)
        #expect(report.hasDrifted && !report.timedOut)
        #expect(report.drifted.map(\.logicalId) == ["Fn", "Queue"])
        #expect(
            report.text == """
                s: DRIFTED, 2 resource(s) changed outside CloudFormation
                  Fn (AWS::Lambda::Function): MODIFIED
                    /Timeout: expected 30, actual 60
                    /Environment/Variables/DEBUG: added by hand, 1
                  Queue (AWS::SQS::Queue): DELETED

                """)
        let pages = replay.requests.filter { $0.operation == "DescribeStackResourceDrifts" }.map(\.body)
        #expect(pages.count == 2 && pages[1].contains("NextToken=page-2"))
        #expect(
            pages[0].contains("StackResourceDriftStatusFilters.member.1=MODIFIED")
                && pages[0].contains("StackResourceDriftStatusFilters.member.2=DELETED"))
        #expect(
            replay.requests.first { $0.operation == "DescribeStackDriftDetectionStatus" }?.body.contains(
                "StackDriftDetectionId=d-1") == true)
    }

    @Test func aStackInSyncSaysSo() async throws {
        let replay = Replay([
            "DetectStackDrift": [DriftRecorded.started],
            "DescribeStackDriftDetectionStatus": [
                DriftRecorded.status("DETECTION_COMPLETE", stack: "IN_SYNC", count: 0)
            ],
            "DescribeStackResourceDrifts": [DriftRecorded.drifts([])],
        ])
        let report = try await Self.check(replay).run("s", waitMs: 60_000)
        #expect(!report.hasDrifted)
        #expect(report.text == "s: in sync with its template (no hand changes to the properties it sets)\n")
        let note = await Self.check(
            Replay([
                "DetectStackDrift": [DriftRecorded.started],
                "DescribeStackDriftDetectionStatus": [
                    DriftRecorded.status("DETECTION_COMPLETE", stack: "IN_SYNC", count: 0)
                ],
                "DescribeStackResourceDrifts": [DriftRecorded.drifts([])],
            ])
        ).note("s", waitMs: 60_000, command: "orderstack")
        #expect(note == "note: no hand changes to the properties s's template sets (drift detection: in sync)")
    }

    @Test func aDetectionThatDoesNotFinishIsAbandonedAtTheWait() async throws {
        let replay = Replay([
            "DetectStackDrift": [DriftRecorded.started],
            "DescribeStackDriftDetectionStatus": [DriftRecorded.status("DETECTION_IN_PROGRESS")],
        ])
        let report = try await Self.check(replay).run("s", waitMs: 10_000)
        #expect(report.timedOut && !report.hasDrifted)
        #expect(report.text.contains("still running"))
        #expect(!replay.operations.contains("DescribeStackResourceDrifts"))
        #expect(replay.operations.filter { $0 == "DescribeStackDriftDetectionStatus" }.count == 6)
    }

    @Test func aPartlyFailedDetectionStillReportsWhatItChecked() async throws {
        let replay = Replay([
            "DetectStackDrift": [DriftRecorded.started],
            "DescribeStackDriftDetectionStatus": [
                DriftRecorded.status(
                    "DETECTION_FAILED", stack: "DRIFTED", count: 1, reason: "Failed to detect drift on resource [Key]")
            ],
            "DescribeStackResourceDrifts": [DriftRecorded.drifts([DriftRecorded.deletedQueue])],
        ])
        let report = try await Self.check(replay).run("s", waitMs: 60_000)
        #expect(report.hasDrifted)
        #expect(report.text.contains("Queue (AWS::SQS::Queue): DELETED"))
        #expect(report.text.contains("some resources could not be checked: Failed to detect drift on resource [Key]"))
    }

    @Test func aReviewNoteNamesTheDriftOrWhyItWasNotChecked() async throws {
        let drifted = await Self.check(
            Replay([
                "DetectStackDrift": [DriftRecorded.started],
                "DescribeStackDriftDetectionStatus": [
                    DriftRecorded.status("DETECTION_COMPLETE", stack: "DRIFTED", count: 2)
                ],
                "DescribeStackResourceDrifts": [
                    DriftRecorded.drifts([DriftRecorded.modifiedFunction, DriftRecorded.deletedQueue])
                ],
            ])
        ).note("orders-prod", waitMs: 60_000, command: "webhooks")
        #expect(
            drifted
                == "warning: orders-prod has drifted (Fn modified, Queue deleted): this review compares templates and "
                + "does not include those hand changes; `webhooks drift --stack-name orders-prod` shows them")
        let refused = await Self.check(
            Replay([
                "DetectStackDrift": [
                    (
                        400,
                        "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id s does not exist</Message></Error></ErrorResponse>"
                    )
                ]
            ])
        ).note("s", waitMs: 60_000, command: "orderstack")
        #expect(
            refused
                == "note: drift not checked: CloudFormation answered ValidationError: Stack with id s does not exist")
    }
}
