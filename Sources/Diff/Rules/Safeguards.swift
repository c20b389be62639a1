import CloudFormation

/// Protections a change removes without losing data by itself: warnings in every format, never a failure.
enum Safeguards {
    /// A boolean protection: the property path, the value that protects, and what is gone without it.
    struct Switch {
        var type: String
        var path: [String]
        /// `true`: the protection is on when the value is true; `false`: on when the value is false or unset.
        var protectsWhenTrue: Bool
        var gone: String
    }

    static let switches: [Switch] = [
        Switch(
            type: "AWS::DynamoDB::Table", path: ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"],
            protectsWhenTrue: true,
            gone: "point-in-time recovery turned off: the table can no longer be restored to a moment within its "
                + "recovery period, and turning it on again starts a new, empty window"),
        Switch(
            type: "AWS::DynamoDB::Table", path: ["DeletionProtectionEnabled"], protectsWhenTrue: true,
            gone: "deletion protection turned off: a later removal or replacement deletes the table"),
        Switch(
            type: "AWS::DynamoDB::Table", path: ["TimeToLiveSpecification", "Enabled"], protectsWhenTrue: false,
            gone: "time to live turned on: DynamoDB deletes, without a write of yours, every item whose TTL attribute "
                + "holds a past time"),
        Switch(
            type: "AWS::Lambda::EventSourceMapping", path: ["Enabled"], protectsWhenTrue: true,
            gone: "the mapping is disabled: nothing polls the queue, so messages wait and expire after its "
                + "retention period"),
        Switch(
            type: "AWS::CodeDeploy::DeploymentGroup", path: ["AutoRollbackConfiguration", "Enabled"],
            protectsWhenTrue: true,
            gone: "automatic rollback turned off: a deployment that fails or trips an alarm stays on the new version"),
        Switch(
            type: "AWS::CodeDeploy::DeploymentGroup", path: ["AlarmConfiguration", "Enabled"], protectsWhenTrue: true,
            gone: "the deployment's alarms turned off: CodeDeploy no longer stops a rollout when they fire"),
        Switch(
            type: "AWS::RDS::DBInstance", path: ["DeletionProtection"], protectsWhenTrue: true,
            gone: "deletion protection turned off"),
        Switch(
            type: "AWS::RDS::DBCluster", path: ["DeletionProtection"], protectsWhenTrue: true,
            gone: "deletion protection turned off"),
    ]

    /// Adds a warning for each safeguard `new` removes from `old`.
    static func judge(_ change: inout ResourceChange, old: Resource, new: Resource, context: DiffContext) {
        let before = context.before.resolvedProperties(old)
        let after = context.after.resolvedProperties(new)
        for item in switches where item.type == new.type && old.type == new.type {
            let wasOn = isOn(value(before, item.path), item)
            if wasOn && !isOn(value(after, item.path), item) { change.add(.safeguardRemoved, item.gone) }
        }
        if new.type == "AWS::Lambda::Function", after["ReservedConcurrentExecutions"]?.intValue == 0,
            before["ReservedConcurrentExecutions"]?.intValue != 0
        {
            change.add(
                .safeguardRemoved,
                "ReservedConcurrentExecutions set to 0: every invocation is throttled, so nothing the function "
                    + "consumes is processed; messages wait and expire after their queue's retention period")
        }
        if new.type == "AWS::Lambda::Alias", old.otherAttributes["UpdatePolicy"]?["CodeDeployLambdaAliasUpdate"] != nil,
            new.otherAttributes["UpdatePolicy"]?["CodeDeployLambdaAliasUpdate"] == nil
        {
            change.add(
                .safeguardRemoved,
                "the alias's gradual rollout removed: its next version takes all traffic at once, without "
                    + "CodeDeploy watching alarms or rolling back")
        }
        if new.type == "AWS::S3::Bucket", before["VersioningConfiguration"]?["Status"] == .string("Enabled"),
            after["VersioningConfiguration"]?["Status"] != .string("Enabled")
        {
            change.add(
                .safeguardRemoved, "versioning suspended: overwritten and deleted objects are no longer kept")
        }
        if new.type == "AWS::DynamoDB::Table", let message = recoveryShortened(before: before, after: after) {
            change.add(.safeguardRemoved, message)
        }
        policies(&change, old: old, new: new)
    }

    /// Point-in-time recovery's period shortened (unset: 35 days;
    /// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery_Howitworks.html).
    private static func recoveryShortened(before: Value, after: Value) -> String? {
        let path = ["PointInTimeRecoverySpecification", "RecoveryPeriodInDays"]
        guard value(before, ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]) == .bool(true),
            value(after, ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]) == .bool(true)
        else { return nil }
        let old = value(before, path)?.intValue ?? 35
        guard let new = value(after, path)?.intValue, new < old else { return nil }
        return
            "point-in-time recovery period shortened from \(old) to \(new) days: the table can no longer be restored "
            + "to a moment more than \(new) days back"
    }

    private static func policies(_ change: inout ResourceChange, old: Resource, new: Resource) {
        guard StatefulTypes.all.contains(new.type) else { return }
        if Differ.isRetain(old.deletionPolicy), !Differ.isRetain(new.deletionPolicy) {
            change.add(
                .safeguardRemoved,
                "DeletionPolicy no longer Retain: removing the resource later deletes \(StatefulTypes.what(new.type))")
        }
        if Differ.isRetain(old.updateReplacePolicy), !Differ.isRetain(new.updateReplacePolicy) {
            change.add(
                .safeguardRemoved,
                "UpdateReplacePolicy no longer Retain: a later replacement deletes \(StatefulTypes.what(new.type))")
        }
    }

    private static func value(_ properties: Value, _ path: [String]) -> Value? {
        path.reduce(Optional(properties)) { $0?[$1] }
    }

    private static func isOn(_ value: Value?, _ item: Switch) -> Bool {
        let text = value.map { Comparison.normalized($0) }
        if item.protectsWhenTrue {
            // Enabled on a mapping is on when unset; the others protect only when set.
            return text == .string("true") || (text == nil && item.path == ["Enabled"])
        }
        return text != .string("true")
    }
}
