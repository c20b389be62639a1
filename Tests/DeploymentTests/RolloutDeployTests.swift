import AWSClients
import AWSSigV4
import DeployClients
import TemplateYAML
import Testing

@testable import Deployment

/// An update of a stack with a gradual rollout, through recorded CloudFormation, CloudWatch and CodeDeploy
/// answers (moto_server runs no CodeDeploy deployments and keeps no rollback triggers): the alarms named as
/// rollback triggers, the traffic shift followed, and a rollback said with CodeDeploy's reasons.
@Suite struct RolloutDeployTests {
    static let template = """
        Resources:
          App:
            Type: AWS::CodeDeploy::Application
            Properties: {ComputePlatform: Lambda}
          Fn:
            Type: AWS::Lambda::Function
            Properties: {MemorySize: 512}
          FnVersion:
            Type: AWS::Lambda::Version
            Properties: {FunctionName: !Ref Fn}
          FnLiveAlias:
            Type: AWS::Lambda::Alias
            UpdatePolicy:
              CodeDeployLambdaAliasUpdate: {ApplicationName: !Ref App, DeploymentGroupName: !Ref FnDeploymentGroup}
            Properties: {FunctionName: !Ref Fn, FunctionVersion: !GetAtt FnVersion.Version, Name: live}
          FnDeploymentGroup:
            Type: AWS::CodeDeploy::DeploymentGroup
            Properties:
              ApplicationName: !Ref App
              ServiceRoleArn: arn:aws:iam::123456789012:role/r
              AlarmConfiguration: {Enabled: true, Alarms: [{Name: !Ref FnErrorsAlarm}]}
          ApiErrorsAlarm:
            Type: AWS::CloudWatch::Alarm
          FnErrorsAlarm:
            Type: AWS::CloudWatch::Alarm
          QueueAgeAlarm:
            Type: AWS::CloudWatch::Alarm
        """

    static func stack(_ status: String) -> (Int, String) {
        (
            200,
            "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/s/1</StackId><StackName>s</StackName><StackStatus>\(status)</StackStatus></member></Stacks></DescribeStacksResult></DescribeStacksResponse>"
        )
    }

    static let resources = (
        200,
        "<ListStackResourcesResponse><ListStackResourcesResult><StackResourceSummaries>"
            + [
                ("App", "AWS::CodeDeploy::Application", "s-App-1"),
                ("FnDeploymentGroup", "AWS::CodeDeploy::DeploymentGroup", "s-FnGroup-1"),
                ("ApiErrorsAlarm", "AWS::CloudWatch::Alarm", "s-ApiErrors-1"),
                ("FnErrorsAlarm", "AWS::CloudWatch::Alarm", "s-FnErrors-1"),
                ("QueueAgeAlarm", "AWS::CloudWatch::Alarm", "s-QueueAge-1"),
            ].map {
                "<member><LogicalResourceId>\($0.0)</LogicalResourceId><ResourceType>\($0.1)</ResourceType><PhysicalResourceId>\($0.2)</PhysicalResourceId></member>"
            }.joined() + "</StackResourceSummaries></ListStackResourcesResult></ListStackResourcesResponse>"
    )

    /// DescribeAlarms: the API's alarm is firing, the function's is not.
    static let alarms = (
        200,
        "<DescribeAlarmsResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><DescribeAlarmsResult><MetricAlarms>"
            + "<member><AlarmName>s-ApiErrors-1</AlarmName><StateValue>ALARM</StateValue></member>"
            + "<member><AlarmName>s-FnErrors-1</AlarmName><StateValue>OK</StateValue></member>"
            + "<member><AlarmName>s-QueueAge-1</AlarmName><StateValue>INSUFFICIENT_DATA</StateValue></member>"
            + "</MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>"
    )

    static func deployment(_ status: String, error: String? = nil, rollback: String? = nil) -> (Int, String) {
        var info =
            #""deploymentId":"d-1","status":"\#(status)","deploymentConfigName":"CodeDeployDefault.LambdaCanary10Percent5Minutes""#
        if let error { info += #","errorInformation":{"code":"ALARM_ACTIVE","message":"\#(error)"}"# }
        if let rollback { info += #","rollbackInfo":{"rollbackDeploymentId":"d-2","rollbackMessage":"\#(rollback)"}"# }
        return (200, "{\"deploymentInfo\":{\(info)}}")
    }

    static func target(_ weight: Double) -> (Int, String) {
        (
            200,
            #"{"deploymentTarget":{"deploymentTargetType":"LambdaTarget","lambdaTarget":{"deploymentId":"d-1","targetId":"s-Fn:live","status":"InProgress","lambdaFunctionInfo":{"functionName":"s-Fn","functionAlias":"live","currentVersion":"7","targetVersion":"8","targetVersionWeight":\#(weight)}}}}"#
        )
    }

    static func deployer(_ replay: Replay, lines: Lines) -> Deployer {
        var deployer = DeployerTests.deployer(replay, lines: lines)
        deployer.cloudWatch = CloudWatchClient(caller: replay.caller("monitoring"))
        deployer.codeDeploy = CodeDeployClient(caller: replay.caller("codedeploy"))
        return deployer
    }

    static func replay(ending: String, deployments: [(Int, String)], aliasEvent: (String, String?)) -> Replay {
        Replay([
            "DescribeStacks": [
                stack("UPDATE_COMPLETE"), stack("UPDATE_IN_PROGRESS"), stack("UPDATE_IN_PROGRESS"),
                stack("UPDATE_IN_PROGRESS"), stack(ending),
            ],
            "HeadObject": [(200, "")],
            "GetTemplate": [
                (
                    200,
                    "<GetTemplateResponse><GetTemplateResult><TemplateBody>\(template)</TemplateBody></GetTemplateResult></GetTemplateResponse>"
                )
            ],
            "CreateChangeSet": [Recorded.created], "DescribeChangeSet": [Recorded.changeSet],
            "ListStackResources": [resources], "DescribeAlarms": [alarms],
            "DescribeStackEvents": [
                Recorded.events([("old-1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil)]),
                Recorded.events([
                    ("e3", "FnLiveAlias", "AWS::Lambda::Alias", aliasEvent.0, aliasEvent.1),
                    ("e2", "s", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
                    ("old-1", "s", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", nil),
                ]),
            ],
            "ExecuteChangeSet": [Recorded.ok],
            "ListDeployments": [(200, #"{"deployments":["d-1"]}"#)],
            "GetDeployment": deployments,
            "ListDeploymentTargets": [(200, #"{"targetIds":["s-Fn:live"]}"#)],
            "GetDeploymentTarget": [target(0.1), target(0.1), target(1.0)],
        ])
    }

    @Test func theTrafficShiftIsFollowedAndTheStacksAlarmsGuardTheUpdate() async throws {
        let replay = Self.replay(
            ending: "UPDATE_COMPLETE",
            deployments: [Self.deployment("InProgress"), Self.deployment("InProgress"), Self.deployment("Succeeded")],
            aliasEvent: ("UPDATE_COMPLETE", nil))
        let lines = Lines()
        let outcome = try await Self.deployer(replay, lines: lines).deploy(
            try DeployerTests.request(Self.template)
        ) { _ in }
        guard case .deployed = outcome else { throw DeployFailure("\(outcome)") }
        let create = try #require(replay.requests.first { $0.operation == "CreateChangeSet" }?.body)
        // The gating alarm first; the firing one left out, and said.
        #expect(
            create.contains(
                "RollbackConfiguration.RollbackTriggers.member.1.Arn=arn%3Aaws%3Acloudwatch%3Aus-east-1%3A123456789012%3Aalarm%3As-FnErrors-1"
            ))
        #expect(
            create.contains(
                "RollbackConfiguration.RollbackTriggers.member.2.Arn=arn%3Aaws%3Acloudwatch%3Aus-east-1%3A123456789012%3Aalarm%3As-QueueAge-1"
            ))
        #expect(!create.contains("s-ApiErrors-1"))
        #expect(create.contains("RollbackConfiguration.RollbackTriggers.member.1.Type=AWS%3A%3ACloudWatch%3A%3AAlarm"))
        #expect(lines.lines.contains("in ALARM now, so not a rollback trigger of this update: s-ApiErrors-1"))
        let rollout = lines.lines.filter { $0.hasPrefix("  rollout") }
        #expect(
            rollout == [
                "  rollout FnDeploymentGroup: CodeDeploy deployment d-1 (CodeDeployDefault.LambdaCanary10Percent5Minutes) started",
                "  rollout FnDeploymentGroup: s-Fn: 10% on version 8, 90% on version 7",
                "  rollout FnDeploymentGroup: deployment d-1 succeeded: all traffic on the new version",
            ], "\(lines.lines)")
        let list = try #require(replay.requests.first { $0.operation == "ListDeployments" }?.body)
        #expect(
            list.contains(#""applicationName":"s-App-1""#) && list.contains(#""deploymentGroupName":"s-FnGroup-1""#))
    }

    @Test func anAlarmStopsTheRolloutAndTheDeploySaysWhy() async throws {
        let replay = Self.replay(
            ending: "UPDATE_ROLLBACK_COMPLETE",
            deployments: [
                Self.deployment("InProgress"),
                Self.deployment(
                    "Stopped", error: "One or more alarms have been activated: s-FnErrors-1",
                    rollback: "Automatic rollback triggered: d-2 rolls back to version 7"),
            ],
            aliasEvent: ("UPDATE_FAILED", "CodeDeploy deployment d-1 stopped: alarm s-FnErrors-1 in ALARM"))
        let lines = Lines()
        let outcome = try await Self.deployer(replay, lines: lines).deploy(
            try DeployerTests.request(Self.template)
        ) { _ in }
        #expect(
            outcome
                == .failed(
                    reason: "FnLiveAlias: CodeDeploy deployment d-1 stopped: alarm s-FnErrors-1 in ALARM",
                    status: "UPDATE_ROLLBACK_COMPLETE"))
        #expect(
            lines.lines.contains(
                "  rollout FnDeploymentGroup: deployment d-1 stopped: One or more alarms have been activated: s-FnErrors-1; rolled back: Automatic rollback triggered: d-2 rolls back to version 7"
            ), "\(lines.lines)")
    }

    @Test func aNewStackNamesNoTriggersAndFollowsNoTraffic() async throws {
        let replay = Replay([
            "DescribeStacks": [Recorded.missing, Recorded.stack("CREATE_COMPLETE")],
            "HeadObject": [(200, "")], "CreateChangeSet": [Recorded.created], "DescribeChangeSet": [Recorded.changeSet],
            "DescribeStackEvents": [
                Recorded.events([("e1", "s", "AWS::CloudFormation::Stack", "CREATE_COMPLETE", nil)])
            ],
            "ExecuteChangeSet": [Recorded.ok],
        ])
        let lines = Lines()
        _ = try await Self.deployer(replay, lines: lines).deploy(try DeployerTests.request(Self.template)) { _ in }
        #expect(
            !(replay.requests.first { $0.operation == "CreateChangeSet" }?.body.contains("RollbackConfiguration")
                ?? true))
        #expect(!replay.operations.contains("ListDeployments") && !replay.operations.contains("DescribeAlarms"))
    }
}

struct DeployFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
