import AWSClients
import JSONDocument

/// One CodeDeploy deployment's state (GetDeployment `deploymentInfo`).
public struct CodeDeployDeployment: Sendable, Equatable {
    public var id: String
    /// `Created`, `Queued`, `InProgress`, `Baking`, `Succeeded`, `Failed`, `Stopped`, `Ready`.
    public var status: String
    public var configName: String?
    /// Why it failed or stopped (`errorInformation.message`).
    public var error: String?
    /// What the automatic rollback did (`rollbackInfo.rollbackMessage`).
    public var rollback: String?

    public init(id: String, status: String, configName: String?, error: String?, rollback: String?) {
        self.id = id
        self.status = status
        self.configName = configName
        self.error = error
        self.rollback = rollback
    }
}

/// Where a Lambda deployment's traffic is (GetDeploymentTarget `lambdaTarget.lambdaFunctionInfo`).
public struct LambdaTraffic: Sendable, Equatable {
    public var function: String
    public var currentVersion: String?
    public var targetVersion: String?
    /// The share of traffic on the target version, 0 to 1.
    public var targetWeight: Double?

    public init(function: String, currentVersion: String?, targetVersion: String?, targetWeight: Double?) {
        self.function = function
        self.currentVersion = currentVersion
        self.targetVersion = targetVersion
        self.targetWeight = targetWeight
    }
}

/// CodeDeploy over the AWS JSON 1.1 protocol (`X-Amz-Target: CodeDeploy_20141006.<Operation>`), for following
/// the deployments CloudFormation starts when it updates an alias with a `CodeDeployLambdaAliasUpdate` policy.
public struct CodeDeployClient: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    var json: JSONProtocol {
        JSONProtocol(caller: caller, targetPrefix: "CodeDeploy_20141006", contentType: "application/x-amz-json-1.1")
    }

    /// The IDs of the group's deployments created at or after `since` (seconds since 1970), every page.
    public func deployments(application: String, group: String, since: Int64) async throws -> [String] {
        var ids: [String] = []
        var token: String?
        repeat {
            var request: [String: JSONValue] = [
                "applicationName": .string(application), "deploymentGroupName": .string(group),
                "createTimeRange": .object(["start": .number(Double(since))]),
            ]
            if let token { request["nextToken"] = .string(token) }
            let answer = try await json.call("ListDeployments", request)
            if case .array(let items)? = answer["deployments"] { ids += items.compactMap(\.string) }
            token = answer["nextToken"]?.string
        } while token != nil
        return ids
    }

    /// The deployment's state.
    public func deployment(_ id: String) async throws -> CodeDeployDeployment {
        let answer = try await json.call("GetDeployment", ["deploymentId": .string(id)])
        let info = answer["deploymentInfo"]
        return CodeDeployDeployment(
            id: info?["deploymentId"]?.string ?? id, status: info?["status"]?.string ?? "",
            configName: info?["deploymentConfigName"]?.string, error: info?["errorInformation"]?["message"]?.string,
            rollback: info?["rollbackInfo"]?["rollbackMessage"]?.string)
    }

    /// The traffic of each Lambda target of the deployment (ListDeploymentTargets, then GetDeploymentTarget).
    public func traffic(_ id: String) async throws -> [LambdaTraffic] {
        let listed = try await json.call("ListDeploymentTargets", ["deploymentId": .string(id)])
        guard case .array(let targets)? = listed["targetIds"] else { return [] }
        var found: [LambdaTraffic] = []
        for target in targets.compactMap(\.string) {
            let answer = try await json.call(
                "GetDeploymentTarget", ["deploymentId": .string(id), "targetId": .string(target)])
            guard let info = answer["deploymentTarget"]?["lambdaTarget"]?["lambdaFunctionInfo"] else { continue }
            var weight: Double?
            if case .number(let value)? = info["targetVersionWeight"] { weight = value }
            found.append(
                LambdaTraffic(
                    function: info["functionName"]?.string ?? target, currentVersion: info["currentVersion"]?.string,
                    targetVersion: info["targetVersion"]?.string, targetWeight: weight))
        }
        return found
    }
}
