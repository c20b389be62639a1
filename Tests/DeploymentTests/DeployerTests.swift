import AWSClients
import AWSSigV4
import CloudFormation
import DeployClients
import Diff
import TemplateYAML
import Testing

@testable import Deployment

/// Recorded CloudFormation and S3 answers, replayed per operation in order (the last one repeats). moto emits
/// only stack-level events and has no rollback, so per-resource progress, failure reasons and stuck states are
/// proven here, through the transport seam.
final class Replay: AWSTransport, @unchecked Sendable {
    var answers: [String: [(Int, String)]]
    var operations: [String] = []
    /// Each request's operation and body, in order.
    var requests: [(operation: String, body: String)] = []

    init(_ answers: [String: [(Int, String)]]) { self.answers = answers }

    /// A signed caller of `service` whose requests this replay answers.
    func caller(_ service: String) -> AWSCaller {
        let environment = AWSEnvironment(
            region: "us-east-1", credentials: Credentials(accessKeyId: "AKID", secretAccessKey: "s"), environment: [:])
        return AWSCaller(
            transport: self, environment: environment,
            endpoint: Endpoint(scheme: "http", host: "\(service).test", port: 80), service: service,
            now: { 1_796_000_000_000 })
    }

    func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
        operations.append(request.operation)
        requests.append((request.operation, String(decoding: request.body, as: UTF8.self)))
        guard var queue = answers[request.operation], !queue.isEmpty else {
            return AWSHTTPResponse(status: 500, body: Array("<Error><Code>NoRecording</Code></Error>".utf8))
        }
        let (status, body) = queue.removeFirst()
        if !queue.isEmpty { answers[request.operation] = queue }
        return AWSHTTPResponse(status: status, body: Array(body.utf8))
    }
}

final class Lines: @unchecked Sendable {
    var lines: [String] = []
}

enum Recorded {
    static func stack(_ status: String, reason: String? = nil) -> (Int, String) {
        (
            200,
            """
            <DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackId>arn:stack/s/1</StackId>
            <StackName>s</StackName><StackStatus>\(status)</StackStatus>\(reason.map { "<StackStatusReason>\($0)</StackStatusReason>" } ?? "")
            <Outputs><member><OutputKey>ApiUrl</OutputKey><OutputValue>https://x.example/prod</OutputValue></member></Outputs>
            </member></Stacks></DescribeStacksResult></DescribeStacksResponse>
            """
        )
    }

    static let missing = (
        400,
        "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id s does not exist</Message></Error></ErrorResponse>"
    )

    static func events(_ items: [(id: String, logical: String, type: String, status: String, reason: String?)]) -> (
        Int, String
    ) {
        let members = items.map { item in
            "<member><EventId>\(item.id)</EventId><LogicalResourceId>\(item.logical)</LogicalResourceId><ResourceType>\(item.type)</ResourceType><ResourceStatus>\(item.status)</ResourceStatus>\(item.reason.map { "<ResourceStatusReason>\($0)</ResourceStatusReason>" } ?? "")<Timestamp>2026-12-01T10:00:00Z</Timestamp></member>"
        }
        return (
            200,
            "<DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents>\(members.joined())</StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>"
        )
    }

    static let changeSet = (
        200,
        "<DescribeChangeSetResponse><DescribeChangeSetResult><ChangeSetId>arn:cs/1</ChangeSetId><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member><ResourceChange><Action>Modify</Action><LogicalResourceId>Fn</LogicalResourceId><ResourceType>AWS::Lambda::Function</ResourceType><Replacement>False</Replacement><Scope><member>Properties</member></Scope></ResourceChange></member></Changes></DescribeChangeSetResult></DescribeChangeSetResponse>"
    )

    static let created = (
        200,
        "<CreateChangeSetResponse><CreateChangeSetResult><Id>arn:cs/1</Id></CreateChangeSetResult></CreateChangeSetResponse>"
    )
    static let ok = (200, "<Response/>")
}

@Suite struct DeployerTests {
    static let newTemplate = """
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              MemorySize: 512
        """

    static func deployer(_ replay: Replay, lines: Lines) -> Deployer {
        let clock = Lines()
        var deployer = Deployer(
            cloudFormation: CloudFormationClient(caller: replay.caller("cloudformation")),
            s3: S3Client(caller: replay.caller("s3")),
            now: { Int64(1_796_000_000_000 + clock.lines.count * 1500) }, sleep: { _ in clock.lines.append("tick") },
            progress: { lines.lines.append($0) })
        deployer.pollMs = 1
        return deployer
    }

    static func request(_ body: String = newTemplate) throws -> DeployRequest {
        DeployRequest(
            stackName: "s", templateBody: body, template: try #require(TemplateReader.read(body, path: "t").template),
            parameters: [], tags: [("team", "orders")], bucket: "b", bucketParameter: "ArtifactBucket",
            artifacts: [ArtifactUpload(key: "fn/abc.zip", parameter: "FnCodeKey", bytes: [1, 2, 3], path: "fn.zip")],
            failOn: .dataLoss)
    }

    @Test func aFailedUpdateReportsTheFirstFailureAndTheRollback() async throws {
        let deployed =
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: 256\n"
        let replay = Replay([
            "DescribeStacks": [Recorded.stack("UPDATE_COMPLETE"), Recorded.stack("UPDATE_ROLLBACK_COMPLETE")],
            "HeadObject": [(200, "")],
            "CreateChangeSet": [Recorded.created], "DescribeChangeSet": [Recorded.changeSet],
            "GetTemplate": [
                (
                    200,
                    "<GetTemplateResponse><GetTemplateResult><TemplateBody>\(deployed)</TemplateBody></GetTemplateResult></GetTemplateResponse>"
                )
            ],
            "DescribeStackEvents": [
                Recorded.events([("old-1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil)]),
                Recorded.events([
                    ("e5", "s", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", nil),
                    (
                        "e4", "Fn", "AWS::Lambda::Function", "UPDATE_FAILED",
                        "Resource handler returned message: \"MemorySize value failed to satisfy constraint\""
                    ),
                    ("e3", "Fn", "AWS::Lambda::Function", "UPDATE_IN_PROGRESS", nil),
                    ("e2", "s", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
                    ("old-1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil),
                ]),
            ],
            "ExecuteChangeSet": [Recorded.ok],
        ])
        let lines = Lines()
        let reviews = Lines()
        let outcome = try await Self.deployer(replay, lines: lines).deploy(try Self.request()) {
            reviews.lines.append($0)
        }
        #expect(
            outcome
                == .failed(
                    reason: "Fn: Resource handler returned message: \"MemorySize value failed to satisfy constraint\"",
                    status: "UPDATE_ROLLBACK_COMPLETE"))
        #expect(lines.lines.contains("s3://b/fn/abc.zip: already there, not uploaded"))
        // One line per transition, oldest first, the failure reason beside the logical ID; nothing before the
        // execution (old-1) is repeated.
        let progress = lines.lines.filter { $0.hasPrefix("  +") }
        #expect(progress.count == 4)
        #expect(progress[2].contains("Fn") && progress[2].contains("UPDATE_FAILED  Resource handler returned message"))
        #expect(progress.allSatisfy { $0.contains("0/2") })
        #expect(reviews.lines.first?.contains("MemorySize") == true)
        #expect(!replay.operations.contains("DeleteChangeSet"))
    }

    @Test func aNewStackCountsResourcesDoneAndReturnsTheOutputs() async throws {
        let replay = Replay([
            "DescribeStacks": [Recorded.missing, Recorded.stack("CREATE_COMPLETE")],
            "HeadObject": [(404, "")], "PutObject": [(200, "")],
            "CreateChangeSet": [Recorded.created], "DescribeChangeSet": [Recorded.changeSet],
            "DescribeStackEvents": [
                Recorded.events([
                    ("e4", "s", "AWS::CloudFormation::Stack", "CREATE_COMPLETE", nil),
                    ("e3", "Fn", "AWS::Lambda::Function", "CREATE_COMPLETE", nil),
                    ("e2", "Queue", "AWS::SQS::Queue", "CREATE_COMPLETE", nil),
                    ("e1", "Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", nil),
                ])
            ],
            "ExecuteChangeSet": [Recorded.ok],
        ])
        let lines = Lines()
        let outcome = try await Self.deployer(replay, lines: lines).deploy(try Self.request()) { _ in }
        guard case .deployed(let stack) = outcome else {
            Issue.record("not deployed: \(outcome)")
            return
        }
        #expect(stack.outputs.map(\.value) == ["https://x.example/prod"])
        #expect(lines.lines.contains("s3://b/fn/abc.zip: uploaded 3 bytes (checksum verified by S3)"))
        let progress = lines.lines.filter { $0.hasPrefix("  +") }
        #expect(
            progress.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] } == [
                "0/2", "1/2", "2/2", "2/2",
            ])
        #expect(!replay.operations.contains("GetTemplate"))
    }

    @Test(arguments: [
        ("ROLLBACK_COMPLETE", "aws cloudformation delete-stack --stack-name s"),
        ("UPDATE_ROLLBACK_FAILED", "aws cloudformation continue-update-rollback --stack-name s"),
        ("UPDATE_IN_PROGRESS", "another operation is running and --no-wait was given; wait for it to end"),
    ])
    func stuckStatesAreExplainedWithTheWayOut(status: String, expected: String) async throws {
        let replay = Replay(["DescribeStacks": [Recorded.stack(status, reason: "Fn failed to update")]])
        var request = try Self.request()
        request.waitsForOtherOperations = false
        do {
            _ = try await Self.deployer(replay, lines: Lines()).deploy(request) { _ in }
            Issue.record("deployed a stack in \(status)")
        } catch let error as DeployError {
            #expect(error.message.contains(status))
            #expect(error.message.contains(expected), "\(error.message)")
        }
        #expect(replay.operations == ["DescribeStacks"])
    }

    @Test func anotherOperationIsWaitedForAndItsOutcomeJudged() async throws {
        // An update running when the deploy starts ends in UPDATE_ROLLBACK_FAILED: waited for, then explained.
        let replay = Replay([
            "DescribeStacks": [
                Recorded.stack("UPDATE_IN_PROGRESS"), Recorded.stack("UPDATE_IN_PROGRESS"),
                Recorded.stack("UPDATE_ROLLBACK_IN_PROGRESS"), Recorded.stack("UPDATE_ROLLBACK_FAILED"),
            ]
        ])
        let lines = Lines()
        await #expect(throws: DeployError.self) {
            _ = try await Self.deployer(replay, lines: lines).deploy(try Self.request()) { _ in }
        }
        #expect(replay.operations == Array(repeating: "DescribeStacks", count: 4))
        #expect(
            lines.lines == [
                "stack s is UPDATE_IN_PROGRESS: another operation is running; waiting for it to end",
                "stack s is UPDATE_ROLLBACK_IN_PROGRESS: another operation is running; waiting for it to end",
            ])
        // One that ends well is deployed over.
        let ended = Replay([
            "DescribeStacks": [Recorded.stack("UPDATE_IN_PROGRESS"), Recorded.stack("UPDATE_COMPLETE")],
            "HeadObject": [(200, "")],
            "GetTemplate": [
                (200, "<R><GetTemplateResult><TemplateBody>\(Self.newTemplate)</TemplateBody></GetTemplateResult></R>")
            ],
            "CreateChangeSet": [Recorded.created], "DescribeChangeSet": [Recorded.changeSet],
            "DescribeStackEvents": [
                Recorded.events([("e1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil)]),
                Recorded.events([
                    ("e2", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil),
                    ("e1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil),
                ]),
            ],
            "ExecuteChangeSet": [Recorded.ok],
        ])
        let outcome = try await Self.deployer(ended, lines: Lines()).deploy(try Self.request()) { _ in }
        guard case .deployed = outcome else {
            Issue.record("not deployed after the other operation ended: \(outcome)")
            return
        }
        #expect(Array(ended.operations.prefix(2)) == ["DescribeStacks", "DescribeStacks"])
    }

    @Test func aTemplateOverTheInlineLimitIsPassedByURL() async throws {
        let padding = String(repeating: "x", count: 60_000)
        let body = "Description: \(padding)\n" + Self.newTemplate
        let replay = Replay([
            "DescribeStacks": [Recorded.missing, Recorded.stack("CREATE_COMPLETE")],
            "HeadObject": [(200, ""), (404, "")], "PutObject": [(200, "")],
            "CreateChangeSet": [Recorded.created], "DescribeChangeSet": [Recorded.changeSet],
            "DescribeStackEvents": [
                Recorded.events([("e1", "s", "AWS::CloudFormation::Stack", "CREATE_COMPLETE", nil)])
            ],
            "ExecuteChangeSet": [Recorded.ok],
        ])
        let lines = Lines()
        let outcome = try await Self.deployer(replay, lines: lines).deploy(try Self.request(body)) { _ in }
        guard case .deployed = outcome else {
            Issue.record("not deployed")
            return
        }
        let uploads = replay.requests.filter { $0.operation == "PutObject" }
        #expect(uploads.count == 1 && uploads.first?.body == body)
        let create = try #require(replay.requests.first { $0.operation == "CreateChangeSet" }?.body)
        #expect(create.contains("TemplateURL=http%3A%2F%2Fs3.test%2Fb%2Ftemplates%2Fs%2F"))
        #expect(!create.contains("TemplateBody="))
        #expect(
            lines.lines.contains { $0.hasPrefix("the template is 60") && $0.contains("passed as s3://b/templates/s/") })
    }

    @Test func anEmptyChangeSetIsDeletedAndReportedAsNoChanges() async throws {
        let replay = Replay([
            "DescribeStacks": [Recorded.stack("UPDATE_COMPLETE")], "HeadObject": [(200, "")],
            "GetTemplate": [
                (200, "<R><GetTemplateResult><TemplateBody>\(Self.newTemplate)</TemplateBody></GetTemplateResult></R>")
            ],
            "CreateChangeSet": [Recorded.created],
            "DescribeChangeSet": [
                (
                    200,
                    "<R><DescribeChangeSetResult><Status>FAILED</Status><StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason></DescribeChangeSetResult></R>"
                )
            ],
            "DeleteChangeSet": [Recorded.ok],
        ])
        let outcome = try await Self.deployer(replay, lines: Lines()).deploy(try Self.request()) { _ in }
        #expect(outcome == .noChanges)
        #expect(replay.operations.last == "DeleteChangeSet")
        #expect(!replay.operations.contains("ExecuteChangeSet"))
    }

    @Test(arguments: [nil, false] as [Bool?])
    func aNewRoleNeedsApprovalAndNothingIsLeftBehind(answer: Bool?) async throws {
        let body =
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n"
        let replay = Replay([
            "DescribeStacks": [Recorded.missing], "HeadObject": [(200, "")],
            "CreateChangeSet": [
                (
                    200,
                    "<R><CreateChangeSetResult><Id>arn:cs/1</Id><StackId>arn:stack/s/9</StackId></CreateChangeSetResult></R>"
                )
            ],
            "DescribeChangeSet": [Recorded.changeSet], "DeleteChangeSet": [Recorded.ok], "DeleteStack": [Recorded.ok],
        ])
        var deployer = Self.deployer(replay, lines: Lines())
        deployer.confirm = { _ in answer }
        let outcome = try await deployer.deploy(try Self.request(body)) { _ in }
        #expect(outcome == (answer == nil ? .needsApproval(["Role (AWS::IAM::Role): new"]) : .declined))
        #expect(Array(replay.operations.suffix(2)) == ["DeleteChangeSet", "DeleteStack"])
        #expect(!replay.operations.contains("ExecuteChangeSet"))
    }

    @Test func aPlanIsRefusedWhenTheStackMovedAndAppliedWhenItDidNot() async throws {
        let plan = DeployPlan(
            stackName: "s", changeSetName: "cs", changeSetId: "arn:cs/1", digest: "d", newestEvent: "e1", resources: 2,
            review: "")
        let moved = Replay([
            "DescribeChangeSet": [Recorded.changeSet],
            "DescribeStackEvents": [
                Recorded.events([("e2", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil)])
            ],
        ])
        await #expect(throws: DeployError.self) { try await Self.deployer(moved, lines: Lines()).apply(plan) }
        #expect(!moved.operations.contains("ExecuteChangeSet"))
        let gone = Replay([
            "DescribeChangeSet": [
                (
                    404,
                    "<ErrorResponse><Error><Code>ChangeSetNotFound</Code><Message>ChangeSet [cs] does not exist</Message></Error></ErrorResponse>"
                )
            ]
        ])
        do {
            _ = try await Self.deployer(gone, lines: Lines()).apply(plan)
            Issue.record("applied a change set that is gone")
        } catch let error as DeployError {
            #expect(error.message.contains("no longer exists (ChangeSetNotFound"))
        }
        let still = Replay([
            "DescribeChangeSet": [Recorded.changeSet],
            "DescribeStackEvents": [
                Recorded.events([("e1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil)]),
                Recorded.events([
                    ("e3", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil),
                    ("e1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil),
                ]),
            ],
            "ExecuteChangeSet": [Recorded.ok], "DescribeStacks": [Recorded.stack("UPDATE_COMPLETE")],
        ])
        guard case .deployed = try await Self.deployer(still, lines: Lines()).apply(plan) else {
            Issue.record("the unchanged plan was not applied")
            return
        }
        #expect(still.operations.contains("ExecuteChangeSet"))
    }

    @Test func destroyListsWhatStaysBehindUnderRetain() async throws {
        let deployed = """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                DeletionPolicy: Retain
              Volume:
                Type: AWS::EC2::Volume
                DeletionPolicy: Snapshot
              Queue:
                Type: AWS::SQS::Queue
              Fn:
                Type: AWS::Lambda::Function
              FnVersion:
                Type: AWS::Lambda::Version
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Properties:
                  FunctionName: !Ref Fn
            """
        let replay = Replay([
            "DescribeStacks": [Recorded.stack("UPDATE_COMPLETE")],
            "GetTemplate": [
                (200, "<R><GetTemplateResult><TemplateBody>\(deployed)</TemplateBody></GetTemplateResult></R>")
            ],
        ])
        let plan = try #require(try await Self.deployer(replay, lines: Lines()).destroyPlan("s"))
        #expect(plan.retained == ["Table (AWS::DynamoDB::Table)"])
        #expect(plan.snapshotted == ["Volume (AWS::EC2::Volume)"])
        // A retained version goes with its function (DeleteFunction deletes all versions).
        #expect(
            plan.deleted == [
                "Queue (AWS::SQS::Queue)", "Fn (AWS::Lambda::Function)",
                "FnVersion (AWS::Lambda::Version), with its function",
            ])
        #expect(plan.text.contains("stays behind under Retain (outside any stack, still billed"))
        let none = Replay(["DescribeStacks": [Recorded.missing]])
        #expect(try await Self.deployer(none, lines: Lines()).destroyPlan("s") == nil)
    }
}

/// The change set's own Replacement verdict, replayed as AWS answers it, decides the gate with ours.
@Suite struct ChangeSetGateTests {
    static let deployed =
        "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
    static let new =
        "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PROVISIONED\n"

    static func replay(replacement: String) -> Replay {
        Replay([
            "DescribeStacks": [Recorded.stack("UPDATE_COMPLETE")], "HeadObject": [(200, "")],
            "GetTemplate": [
                (200, "<R><GetTemplateResult><TemplateBody>\(deployed)</TemplateBody></GetTemplateResult></R>")
            ],
            "CreateChangeSet": [Recorded.created],
            "DescribeChangeSet": [
                (
                    200,
                    "<R><DescribeChangeSetResult><ChangeSetId>arn:cs/1</ChangeSetId><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member><ResourceChange><Action>Modify</Action><LogicalResourceId>Table</LogicalResourceId><ResourceType>AWS::DynamoDB::Table</ResourceType><Replacement>\(replacement)</Replacement><Scope><member>Properties</member></Scope></ResourceChange></member></Changes></DescribeChangeSetResult></R>"
                )
            ],
            "DeleteChangeSet": [Recorded.ok],
        ])
    }

    @Test(arguments: ["True", "Conditional"], DiffFormat.allCases)
    func aStatefulReplacementTheChangeSetAnnouncesIsRefusedInEveryFormat(replacement: String, format: DiffFormat)
        async throws
    {
        let replay = Self.replay(replacement: replacement)
        var request = try DeployerTests.request(Self.new)
        request.reviewFormat = format
        let review = Lines()
        let outcome = try await DeployerTests.deployer(replay, lines: Lines()).deploy(request) {
            review.lines.append($0)
        }
        #expect(outcome == .refused("data-loss"), "orderstack's diff predicts no replacement; AWS's verdict decides")
        #expect(!replay.operations.contains("ExecuteChangeSet"))
        #expect(replay.operations.last == "DeleteChangeSet")
        let text = review.lines.joined()
        #expect(text.contains("Replacement: \(replacement)"), "\(format): \(text)")
        #expect(text.contains("CloudFormation's change set"), "\(format): \(text)")
    }
}

/// `--hotswap` compares the templates with the deployed code keys, so a new code key alone is a hotswap and
/// anything else falls back to a change set.
@Suite struct HotswapTests {
    static let template = """
        Parameters:
          ArtifactBucket:
            Type: String
          FnCodeKey:
            Type: String
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              MemorySize: MEMORY
              Code:
                S3Bucket: !Ref ArtifactBucket
                S3Key: !Ref FnCodeKey
        """

    static func replay(deployedMemory: Int) -> Replay {
        let deployed = template.replacing("MEMORY", with: "\(deployedMemory)")
        let stack =
            "<R><DescribeStacksResult><Stacks><member><StackId>arn:stack/s/1</StackId><StackName>s</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><Parameters><member><ParameterKey>ArtifactBucket</ParameterKey><ParameterValue>b</ParameterValue></member><member><ParameterKey>FnCodeKey</ParameterKey><ParameterValue>fn/old.zip</ParameterValue></member></Parameters></member></Stacks></DescribeStacksResult></R>"
        return Replay([
            "DescribeStacks": [(200, stack)], "HeadObject": [(200, "")],
            "GetTemplate": [
                (200, "<R><GetTemplateResult><TemplateBody>\(deployed)</TemplateBody></GetTemplateResult></R>")
            ],
            "ListStackResources": [
                (
                    200,
                    "<R><ListStackResourcesResult><StackResourceSummaries><member><LogicalResourceId>Fn</LogicalResourceId><PhysicalResourceId>s-Fn-1</PhysicalResourceId></member></StackResourceSummaries></ListStackResourcesResult></R>"
                )
            ],
            "UpdateFunctionCode": [(200, "{}")],
            "GetFunctionConfiguration": [(200, #"{"LastUpdateStatus":"Successful"}"#)],
            "CreateChangeSet": [Recorded.created], "DescribeChangeSet": [Recorded.changeSet],
            "DeleteChangeSet": [Recorded.ok], "ExecuteChangeSet": [Recorded.ok],
            "DescribeStackEvents": [
                Recorded.events([
                    (id: "e1", logical: "s", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)
                ])
            ],
        ])
    }

    static func deployer(_ replay: Replay, lines: Lines) -> Deployer {
        var deployer = DeployerTests.deployer(replay, lines: lines)
        deployer.lambda = LambdaClient(caller: replay.caller("lambda"))
        return deployer
    }

    static func request() throws -> DeployRequest {
        var request = try DeployerTests.request(template.replacing("MEMORY", with: "512"))
        request.hotswap = true
        return request
    }

    @Test func aNewCodeKeyAloneUpdatesTheCodeWithoutAChangeSet() async throws {
        let replay = Self.replay(deployedMemory: 512)
        let outcome = try await Self.deployer(replay, lines: Lines()).deploy(try Self.request()) { _ in }
        #expect(outcome == .hotswapped(["Fn"]))
        #expect(replay.requests.contains { $0.operation == "UpdateFunctionCode" && $0.body.contains("fn/abc.zip") })
        #expect(!replay.operations.contains("CreateChangeSet"))
    }

    @Test func anotherChangeFallsBackToAChangeSetSayingWhy() async throws {
        let replay = Self.replay(deployedMemory: 256)
        let lines = Lines()
        _ = try await Self.deployer(replay, lines: lines).deploy(try Self.request()) { _ in }
        #expect(!replay.operations.contains("UpdateFunctionCode"))
        #expect(replay.operations.contains("CreateChangeSet"))
        #expect(lines.lines.contains { $0.contains("hotswap not possible: the template changed (1 resources)") })
    }

    /// With a rollout every caller invokes a published version through the alias: a hotswap of $LATEST would run
    /// nowhere, so it falls back to a change set.
    @Test func aStageThatRollsOutThroughAnAliasIsNeverHotswapped() async throws {
        let alias = """

              FnLive:
                Type: AWS::Lambda::Alias
                UpdatePolicy:
                  CodeDeployLambdaAliasUpdate: {ApplicationName: app, DeploymentGroupName: group}
                Properties: {FunctionName: !Ref Fn, FunctionVersion: "1", Name: live}
            """
        let deployed = Self.template.replacing("MEMORY", with: "512") + alias
        let replay = Self.replay(deployedMemory: 512)
        replay.answers["GetTemplate"] = [
            (200, "<R><GetTemplateResult><TemplateBody>\(deployed)</TemplateBody></GetTemplateResult></R>")
        ]
        var request = try DeployerTests.request(deployed)
        request.hotswap = true
        let lines = Lines()
        _ = try await Self.deployer(replay, lines: lines).deploy(request) { _ in }
        #expect(!replay.operations.contains("UpdateFunctionCode"))
        #expect(replay.operations.contains("CreateChangeSet"))
        #expect(
            lines.lines.contains { $0.contains("hotswap not possible: the stage rolls out through aliases (FnLive)") },
            "\(lines.lines)")
    }
}
