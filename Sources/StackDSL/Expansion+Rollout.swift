import CloudFormation

extension ExpansionContext {
    /// The alias every caller of `function` invokes when the stage rolls out gradually, else the function.
    func invocationTarget(_ function: Function) -> Value {
        stage.rollout == nil ? .ref("\(function.name)Function") : .ref(Self.aliasId(function))
    }

    /// The alias ARN (or the function's) inside a `Fn::Sub` string.
    func invocationTargetSub(_ function: Function) -> String {
        stage.rollout == nil ? "${\(function.name)Function.Arn}" : "${\(Self.aliasId(function))}"
    }

    static func aliasId(_ function: Function) -> String { "\(function.name)LiveAlias" }

    static func canaryAlarmId(_ function: Function) -> String { "\(function.name)FunctionCanaryErrorsAlarm" }

    /// The errors of the version being rolled out, and of no other: Lambda's `ExecutedVersion` dimension with the
    /// alias's `Resource` ("use this to compare error rates for two versions of a function that are both targets
    /// of a weighted alias", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html). The function's
    /// own errors alarm counts every version: one error of the old 90 % would stop a healthy canary, and one
    /// firing before the deploy (the bug being fixed) would stop the fix. A new version starts without data, so
    /// the alarm starts OK (missing data is not breaching).
    func canaryAlarm(_ function: Function) -> AlarmSpec {
        let functionId = "\(function.name)Function"
        return AlarmSpec(
            logicalId: Self.canaryAlarmId(function), description: "\(function.name): errors of the version rolling out",
            namespace: "AWS/Lambda", metric: "Errors",
            dimensions: [
                ("FunctionName", .ref(functionId)), ("Resource", .sub("${\(functionId)}:\(Self.aliasName)", nil)),
                ("ExecutedVersion", .getAtt("\(function.name)Version", "Version")),
            ], statistic: "Sum", threshold: 1)
    }

    /// The name of the alias callers invoke.
    static let aliasName = "live"

    /// A gradual rollout of every function (stage `rollout`): a version published whenever the function's code
    /// or configuration changes (kept when replaced, so the alias can still route to it), a `live` alias whose
    /// updates CodeDeploy shifts (`UpdatePolicy: CodeDeployLambdaAliasUpdate`), and a deployment group per function
    /// that stops and rolls back on the function's own alarms. Event source mappings, API integrations and
    /// permissions point at the alias (``invocationTarget(_:)``).
    mutating func expandRollout(_ rollout: Rollout, monitored: Bool) {
        let applicationId = "RolloutApplication"
        let roleId = "RolloutRole"
        add(
            Resource(
                applicationId, type: "AWS::CodeDeploy::Application",
                properties: Fields([("ComputePlatform", .string("Lambda"))])))
        let configName: Value
        if let name = rollout.predefinedName {
            configName = .string(name)
        } else {
            add(Self.deploymentConfig(rollout))
            configName = .ref("RolloutConfig")
        }
        var statements: [Statement] = []
        for function in model.functions {
            let functionId = "\(function.name)Function"
            addVersionAndAlias(function, applicationId: applicationId, monitored: monitored)
            let alarmNames: [Value] = monitored ? [.ref(Self.canaryAlarmId(function))] : []
            addDeploymentGroup(
                function, applicationId: applicationId, roleId: roleId, configName: configName, alarms: alarmNames)
            // GetAlias and UpdateAlias are authorized on the function's ARN, GetProvisionedConcurrencyConfig on
            // the qualified one (Service Authorization Reference, AWS Lambda's actions): both, nothing wider.
            statements.append(
                .allow(
                    ["lambda:GetAlias", "lambda:UpdateAlias", "lambda:GetProvisionedConcurrencyConfig"],
                    on: [.getAtt(functionId, "Arn"), .sub("${\(functionId).Arn}:\(Self.aliasName)", nil)],
                    sid: "Shift\(function.name)"))
            if monitored {
                statements.append(
                    .allow(
                        ["cloudwatch:DescribeAlarms"],
                        on: alarmNames.compactMap { name in
                            guard case .ref(let id) = name else { return nil }
                            // The alarm's ARN from its name (what GetAtt Arn returns).
                            return .sub(
                                "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${\(id)}",
                                nil)
                        }, sid: "Watch\(function.name)Alarms"))
            }
        }
        add(
            Resource(
                roleId, type: "AWS::IAM::Role",
                properties: Fields([
                    ("Description", .sub("${AWS::StackName}: CodeDeploy shifts each function's live alias", nil)),
                    ("AssumeRolePolicyDocument", trustPolicy(service: "codedeploy.amazonaws.com")),
                    (
                        "Policies",
                        .list([
                            .object([
                                "PolicyName": .string("RolloutWiring"), "PolicyDocument": policyDocument(statements),
                            ])
                        ])
                    ),
                ])))
    }

    /// `<Function>Version`, described by the code key and a fingerprint of the function's properties: the
    /// description is create-only, so a change of either publishes a new version; the old one is retained.
    private mutating func addVersionAndAlias(_ function: Function, applicationId: String, monitored: Bool) {
        let functionId = "\(function.name)Function"
        var properties = template.resources.first { $0.logicalId == functionId }?.properties ?? Fields()
        // Reserved concurrency and tags belong to the function, not to a version: a change of them alone
        // publishes nothing, and CloudFormation fails a new Version that would ("A version for this Lambda
        // function exists", PublishVersion: "Lambda doesn't publish a version if the function's configuration and
        // code haven't changed since the last version").
        for unversioned in ["ReservedConcurrentExecutions", "Tags"] { properties[unversioned] = nil }
        let fingerprint = Names.stableHash(Names.rendered(properties))
        let versionId = "\(function.name)Version"
        add(
            Resource(
                versionId, type: "AWS::Lambda::Version",
                properties: Fields([
                    ("FunctionName", .ref(functionId)),
                    ("Description", .sub("code ${\(function.name)CodeKey}, configuration \(fingerprint)", nil)),
                ]),
                deletionPolicy: .string("Retain"), updateReplacePolicy: .string("Retain")))
        add(
            Resource(
                Self.aliasId(function), type: "AWS::Lambda::Alias",
                properties: Fields([
                    ("FunctionName", .ref(functionId)),
                    ("FunctionVersion", .getAtt(versionId, "Version")),
                    ("Name", .string(Self.aliasName)),
                ]),
                // The canary alarm follows the new version before CodeDeploy shifts traffic to it.
                dependsOn: monitored ? [Self.canaryAlarmId(function)] : [],
                otherAttributes: Fields([
                    (
                        "UpdatePolicy",
                        .object([
                            "CodeDeployLambdaAliasUpdate": .object([
                                "ApplicationName": .ref(applicationId),
                                "DeploymentGroupName": .ref("\(function.name)DeploymentGroup"),
                            ])
                        ])
                    )
                ])))
    }

    private mutating func addDeploymentGroup(
        _ function: Function, applicationId: String, roleId: String, configName: Value, alarms: [Value]
    ) {
        var properties = Fields([
            ("ApplicationName", .ref(applicationId)),
            ("ServiceRoleArn", .getAtt(roleId, "Arn")),
            ("DeploymentConfigName", configName),
            (
                "DeploymentStyle",
                .object([
                    "DeploymentType": .string("BLUE_GREEN"), "DeploymentOption": .string("WITH_TRAFFIC_CONTROL"),
                ])
            ),
        ])
        // Without alarms the configuration is written off, not left out, so that alarms a stack once had are
        // cleared from the group (as SAM's DeploymentPreference does).
        properties["AlarmConfiguration"] = .object([
            "Enabled": .bool(!alarms.isEmpty), "Alarms": .list(alarms.map { .object(["Name": $0]) }),
        ])
        var events = ["DEPLOYMENT_FAILURE"]
        if !alarms.isEmpty { events.append("DEPLOYMENT_STOP_ON_ALARM") }
        properties["AutoRollbackConfiguration"] = .object(["Enabled": .bool(true), "Events": .strings(events)])
        add(
            Resource(
                "\(function.name)DeploymentGroup", type: "AWS::CodeDeploy::DeploymentGroup", properties: properties))
    }

    /// A deployment configuration for a canary or linear shape CodeDeploy has no predefined one of.
    static func deploymentConfig(_ rollout: Rollout) -> Resource {
        let routing: Value
        switch rollout {
        case .allAtOnce: routing = .object(["Type": .string("AllAtOnce")])
        case .canary(let percent, let minutes):
            routing = .object([
                "Type": .string("TimeBasedCanary"),
                "TimeBasedCanary": .object(["CanaryPercentage": .int(percent), "CanaryInterval": .int(minutes)]),
            ])
        case .linear(let percent, let every):
            routing = .object([
                "Type": .string("TimeBasedLinear"),
                "TimeBasedLinear": .object(["LinearPercentage": .int(percent), "LinearInterval": .int(every)]),
            ])
        }
        return Resource(
            "RolloutConfig", type: "AWS::CodeDeploy::DeploymentConfig",
            properties: Fields([("ComputePlatform", .string("Lambda")), ("TrafficRoutingConfig", routing)]))
    }
}
