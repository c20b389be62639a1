import CloudFormation
import OrdersBlueprint
import Testing

@testable import StackDSL

/// A stage's `rollout`: versions, a `live` alias every caller invokes, CodeDeploy groups gated by the functions'
/// own alarms.
@Suite struct RolloutTests {
    static func canary() throws -> Template {
        try Fixture.synthesize(stage: Fixture.stage { $0.rollout = .canary(percent: 10, minutes: 5) })
    }

    @Test func theStageKeyReadsCodeDeploysShapesAndLocatesAWrongOne() {
        #expect(Rollout("all-at-once") == .allAtOnce)
        #expect(Rollout("canary 10% 5m") == .canary(percent: 10, minutes: 5))
        #expect(Rollout("linear 20% every 2m") == .linear(percent: 20, everyMinutes: 2))
        for wrong in ["canary 10%", "canary 0% 5m", "canary 100% 5m", "linear 10% 1m", "blue-green", "canary 10 5m"] {
            #expect(Rollout(wrong) == nil, "\(wrong)")
        }
        #expect(Rollout("canary 10% 5m")?.predefinedName == "CodeDeployDefault.LambdaCanary10Percent5Minutes")
        #expect(Rollout("linear 10% every 1m")?.predefinedName == "CodeDeployDefault.LambdaLinear10PercentEvery1Minute")
        #expect(
            Rollout("linear 10% every 3m")?.predefinedName == "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes")
        #expect(Rollout("canary 20% 5m")?.predefinedName == nil)
        #expect(Rollout("linear 10% every 1m")?.minutes == 9)
        let loaded = StageSettings.load("name: prod\nregion: us-east-1\nrollout: canary 10%\n", path: "prod.yaml")
        #expect(loaded.settings == nil)
        #expect(
            loaded.diagnostics.map(\.description) == [
                "prod.yaml:3:10: error: OS0104: 'rollout' must be \(Rollout.forms), found 'canary 10%'"
            ])
        let good = StageSettings.load("name: prod\nregion: us-east-1\nrollout: linear 10% every 1m\n", path: "p.yaml")
        #expect(good.settings?.rollout == .linear(percent: 10, everyMinutes: 1))
    }

    @Test func withoutRolloutNothingChanges() throws {
        let template = try Fixture.synthesize()
        #expect(
            !template.resources.contains { $0.type.hasPrefix("AWS::CodeDeploy::") || $0.type == "AWS::Lambda::Alias" })
        #expect(
            template.resource("OrderProcessorOrderIntakeEventSourceMapping")?["FunctionName"]
                == .ref("OrderProcessorFunction"))
    }

    @Test func everyCallerInvokesTheLiveAlias() throws {
        let template = try Self.canary()
        for mapping in template.resources where mapping.type == "AWS::Lambda::EventSourceMapping" {
            #expect(mapping["FunctionName"] == .ref("OrderProcessorLiveAlias"), "\(mapping.logicalId)")
        }
        let permission = try #require(template.resources.first { $0.type == "AWS::Lambda::Permission" })
        #expect(permission["FunctionName"] == .ref("OrderQueryLiveAlias"))
        let method = try #require(template.resources.first { $0["Integration"]?["Type"] == .string("AWS_PROXY") })
        guard case .sub(let uri, _)? = method["Integration"]?["Uri"] else { throw Fail("no URI") }
        #expect(uri.contains("/functions/${OrderQueryLiveAlias}/invocations"))
        let alias = try #require(template.resource("OrderProcessorLiveAlias"))
        #expect(alias["FunctionVersion"] == .getAtt("OrderProcessorVersion", "Version"))
        #expect(alias["Name"] == .string("live"))
        #expect(
            alias.otherAttributes["UpdatePolicy"]?["CodeDeployLambdaAliasUpdate"]?["DeploymentGroupName"]
                == .ref("OrderProcessorDeploymentGroup"))
        let version = try #require(template.resource("OrderProcessorVersion"))
        #expect(version.deletionPolicy == .string("Retain") && version.updateReplacePolicy == .string("Retain"))
    }

    @Test func theGroupRollsBackOnTheFunctionsOwnAlarms() throws {
        let template = try Self.canary()
        let group = try #require(template.resource("OrderProcessorDeploymentGroup"))
        #expect(group["DeploymentConfigName"] == .string("CodeDeployDefault.LambdaCanary10Percent5Minutes"))
        #expect(
            group["AlarmConfiguration"]?["Alarms"]?.items?.map { $0["Name"] } == [
                .ref("OrderProcessorFunctionCanaryErrorsAlarm")
            ])
        // The canary alarm counts the rolling version's errors only, and the alias waits for it.
        let canary = try #require(template.resource("OrderProcessorFunctionCanaryErrorsAlarm"))
        #expect(
            canary["Dimensions"]?.items?.compactMap { $0["Name"]?.stringValue } == [
                "FunctionName", "Resource", "ExecutedVersion",
            ])
        #expect(canary["Dimensions"]?.items?.last?["Value"] == .getAtt("OrderProcessorVersion", "Version"))
        #expect(template.resource("OrderProcessorLiveAlias")?.dependsOn == ["OrderProcessorFunctionCanaryErrorsAlarm"])
        #expect(
            group["AutoRollbackConfiguration"]?["Events"]
                == .strings(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]))
        for alarm in ["OrderProcessorFunctionErrorsAlarm", "OrderProcessorFunctionCanaryErrorsAlarm"] {
            #expect(template.resource(alarm)?.type == "AWS::CloudWatch::Alarm")
        }
        // The role may shift only the live aliases and read only these alarms.
        let role = try #require(template.resource("RolloutRole"))
        let resources = Fixture.statements(of: role).flatMap { statement -> [Value] in
            statement["Resource"].map { $0.items ?? [$0] } ?? []
        }
        #expect(!resources.contains(.string("*")))
        #expect(resources.contains(.sub("${OrderProcessorFunction.Arn}:live", nil)))
        #expect(
            resources.contains(
                .sub(
                    "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${OrderQueryFunctionCanaryErrorsAlarm}",
                    nil)))
    }

    @Test func aShapeWithoutAPredefinedConfigGetsItsOwn() throws {
        let template = try Fixture.synthesize(
            stage: Fixture.stage { $0.rollout = .linear(percent: 25, everyMinutes: 4) })
        let config = try #require(template.resource("RolloutConfig"))
        #expect(config["ComputePlatform"] == .string("Lambda"))
        #expect(config["TrafficRoutingConfig"]?["TimeBasedLinear"]?["LinearPercentage"] == .int(25))
        #expect(config["TrafficRoutingConfig"]?["TimeBasedLinear"]?["LinearInterval"] == .int(4))
        #expect(template.resource("OrderQueryDeploymentGroup")?["DeploymentConfigName"] == .ref("RolloutConfig"))
    }

    @Test func aConfigurationChangePublishesANewVersion() throws {
        let before = try Self.canary().resource("OrderProcessorVersion")?["Description"]
        let after = try Fixture.synthesize(
            stage: Fixture.stage {
                $0.rollout = .canary(percent: 10, minutes: 5)
                $0.functionDefaults.memoryMB = 1024
            }
        ).resource("OrderProcessorVersion")?["Description"]
        guard case .sub(let old, _)? = before, case .sub(let new, _)? = after else { throw Fail("no description") }
        #expect(old.hasPrefix("code ${OrderProcessorCodeKey}, configuration "))
        #expect(old != new)
        // Reserved concurrency is the function's, not a version's: changing it alone publishes nothing.
        let reserved = try Fixture.synthesize(
            stage: Fixture.stage {
                $0.rollout = .canary(percent: 10, minutes: 5)
                $0.functionDefaults.reservedConcurrency = 80
            }
        ).resource("OrderProcessorVersion")?["Description"]
        #expect(reserved == before)
    }
}

struct Fail: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

@Suite struct RolloutWithoutMonitoringTests {
    @Test func anUnmonitoredStackRollsBackOnFailureOnlyAndClearsAlarms() throws {
        let jobs = Queue("Jobs")
        let stack = Stack("quiet", description: "no alarms") {
            Function("Worker", handler: Handler(artifact: "worker")).consumes(jobs)
        }
        let template = try Fixture.synthesize(stack, stage: Fixture.stage { $0.rollout = .allAtOnce })
        #expect(template.resource("WorkerJobsEventSourceMapping")?["FunctionName"] == .ref("WorkerLiveAlias"))
        let group = try #require(template.resource("WorkerDeploymentGroup"))
        #expect(group["DeploymentConfigName"] == .string("CodeDeployDefault.LambdaAllAtOnce"))
        #expect(group["AlarmConfiguration"]?["Enabled"] == .bool(false))
        #expect(group["AlarmConfiguration"]?["Alarms"] == .list([]))
        #expect(group["AutoRollbackConfiguration"]?["Events"] == .strings(["DEPLOYMENT_FAILURE"]))
        let role = try #require(template.resource("RolloutRole"))
        #expect(Fixture.statements(of: role).map { $0["Sid"] } == [.string("ShiftWorker")])
    }
}
