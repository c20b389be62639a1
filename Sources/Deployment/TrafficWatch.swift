import AWSClients
import CloudFormation
import DeployClients

/// Follows the CodeDeploy deployments a stack update starts (an alias with a `CodeDeployLambdaAliasUpdate`
/// policy: CloudFormation hands the alias's version change to CodeDeploy and waits for it) and says, in one line
/// each, when one starts, when its traffic moves, and how it ends: succeeded, or stopped by an alarm or a failure
/// and rolled back, with CodeDeploy's reasons.
public struct TrafficWatch: Sendable {
    public var codeDeploy: CodeDeployClient
    public var application: String
    /// Each deployment group: its logical ID and its name.
    public var groups: [(logicalId: String, name: String)]
    /// Seconds since 1970: deployments created earlier are not this update's.
    public var since: Int64
    var seen: [String: (status: String, weights: [String])] = [:]
    var failed = false

    public init(codeDeploy: CodeDeployClient, application: String, groups: [(String, String)], since: Int64) {
        self.codeDeploy = codeDeploy
        self.application = application
        self.groups = groups.map { (logicalId: $0.0, name: $0.1) }
        self.since = since
    }

    /// The watch for `template`'s deployment groups, given the deployed stack's physical IDs; `nil` when the
    /// stack has no gradual rollout yet.
    public static func of(
        _ template: Template, physicalIds: [String: String], codeDeploy: CodeDeployClient, since: Int64
    ) -> TrafficWatch? {
        let groups = template.resources.filter { $0.type == "AWS::CodeDeploy::DeploymentGroup" }
        guard case .ref(let applicationId)? = groups.first?["ApplicationName"],
            let application = physicalIds[applicationId]
        else { return nil }
        let named = groups.compactMap { group in physicalIds[group.logicalId].map { (group.logicalId, $0) } }
        return named.isEmpty
            ? nil : TrafficWatch(codeDeploy: codeDeploy, application: application, groups: named, since: since)
    }

    /// The lines for what changed since the last poll. A failure to read CodeDeploy is said once; the stack's own
    /// events go on being followed.
    public mutating func poll() async -> [String] {
        guard !failed else { return [] }
        var lines: [String] = []
        do {
            for group in groups {
                for id in try await codeDeploy.deployments(application: application, group: group.name, since: since) {
                    lines += try await update(id, group: group.logicalId)
                }
            }
        } catch let error as AWSServiceError {
            failed = true
            lines.append("  rollout: traffic not followed: CodeDeploy answered \(error.code): \(error.message)")
        } catch {
            failed = true
            lines.append("  rollout: traffic not followed: CodeDeploy could not be reached")
        }
        return lines
    }

    mutating func update(_ id: String, group: String) async throws -> [String] {
        let deployment = try await codeDeploy.deployment(id)
        var lines: [String] = []
        let previous = seen[id]
        if previous == nil {
            lines.append(
                "  rollout \(group): CodeDeploy deployment \(id) \(deployment.configName.map { "(\($0)) " } ?? "")started"
            )
        }
        var weights = previous?.weights ?? []
        if !Self.finished(deployment.status) {
            let now = try await codeDeploy.traffic(id).map(Self.describe)
            if now != weights { lines += now.map { "  rollout \(group): \($0)" } }
            weights = now
        }
        if previous?.status != deployment.status && Self.finished(deployment.status) {
            lines.append("  rollout \(group): " + Self.ending(deployment))
        }
        seen[id] = (deployment.status, weights)
        return lines
    }

    static func finished(_ status: String) -> Bool { ["Succeeded", "Failed", "Stopped"].contains(status) }

    /// `10% on version 8, 90% on version 7`.
    static func describe(_ traffic: LambdaTraffic) -> String {
        // `targetVersionWeight` is documented as "the percentage of production traffic" without its scale:
        // read as a fraction up to 1 and as a percentage above it.
        let weight = traffic.targetWeight ?? 0
        let share = Int((weight > 1 ? weight : weight * 100).rounded())
        let target = traffic.targetVersion.map { "version \($0)" } ?? "the new version"
        let current = traffic.currentVersion.map { "version \($0)" } ?? "the old version"
        return "\(traffic.function): \(share)% on \(target), \(100 - share)% on \(current)"
    }

    /// `deployment d-1 succeeded: all traffic on the new version`, or why it stopped and what rolled back.
    static func ending(_ deployment: CodeDeployDeployment) -> String {
        switch deployment.status {
        case "Succeeded": return "deployment \(deployment.id) succeeded: all traffic on the new version"
        default:
            let why = deployment.error.map { ": \($0)" } ?? ""
            let back = deployment.rollback.map { "; rolled back: \($0)" } ?? "; rolled back to the previous version"
            return "deployment \(deployment.id) \(deployment.status.lowercased())\(why)\(back)"
        }
    }
}

extension Deployer {
    /// The watch of an update's gradual rollouts: the deployed stack's CodeDeploy application and groups.
    func trafficWatch(_ request: DeployRequest, existing: StackDescription?) async throws -> TrafficWatch? {
        guard let codeDeploy, existing != nil,
            request.template.resources.contains(where: { $0.type == "AWS::CodeDeploy::DeploymentGroup" })
        else { return nil }
        let physical = try await cloudFormation.physicalIds(stackName: request.stackName)
        return TrafficWatch.of(
            request.template, physicalIds: physical, codeDeploy: codeDeploy, since: now() / 1000 - 60)
    }
}

extension Deployer {
    /// The alarm ARNs CloudFormation watches during an update: the deployed stack's alarms that the new template
    /// keeps, those that gate a gradual rollout first, at most 5. None for a new stack (its alarms do not exist
    /// yet). An alarm already in ALARM is left out and said: a fix for what it reports must be able to go out.
    /// `nil` when the triggers could not be worked out (they are then left as the stack has them).
    func rollbackTriggers(_ request: DeployRequest, existing: StackDescription?) async throws -> [String]? {
        guard let existing else { return [] }
        // arn:aws:cloudformation:us-east-1:123456789012:stack/name/id: the partition, Region and account.
        let parts = existing.stackId.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn" else { return nil }
        let gating = Set(
            request.template.resources.filter { $0.type == "AWS::CodeDeploy::DeploymentGroup" }.flatMap { group in
                (group["AlarmConfiguration"]?["Alarms"]?.items ?? []).compactMap { alarm -> String? in
                    if case .ref(let id)? = alarm["Name"] { return id }
                    return nil
                }
            })
        let alarms = request.template.resources.filter { $0.type == "AWS::CloudWatch::Alarm" }
        let ordered = alarms.filter { gating.contains($0.logicalId) } + alarms.filter { !gating.contains($0.logicalId) }
        guard !ordered.isEmpty else { return [] }
        let physical = try await cloudFormation.physicalIds(stackName: request.stackName)
        var names = ordered.compactMap { physical[$0.logicalId] }
        if let cloudWatch {
            let states: [String: String]
            do {
                states = try await cloudWatch.alarmStates(names)
            } catch {
                progress("rollback triggers left as they are: the alarms' states could not be read")
                return nil
            }
            let firing = names.filter { states[$0] == "ALARM" }
            if !firing.isEmpty {
                progress("in ALARM now, so not a rollback trigger of this update: \(firing.joined(separator: ", "))")
            }
            names = names.filter { states[$0] != nil && states[$0] != "ALARM" }
        }
        return names.prefix(5).map { "arn:\(parts[1]):cloudwatch:\(parts[3]):\(parts[4]):alarm:\($0)" }
    }
}
