import CloudFormation
import DeployClients
import Diff

extension Deployer {
    /// A function to point at a new zip.
    struct HotswapTarget: Sendable {
        var logicalId: String
        var physicalName: String
        var key: String
    }

    /// The functions whose code key alone changed, or why a change set is needed instead (the template or
    /// another parameter changed).
    func hotswapTargets(_ request: DeployRequest, existing: StackDescription, diff: StackDiff) async throws
        -> Result<[HotswapTarget], DeployError>
    {
        guard diff.isEmpty else {
            return .failure(DeployError("the template changed (\(diff.resources.count) resources)"))
        }
        // A hotswap changes $LATEST; with a gradual rollout every caller invokes a version through the live alias,
        // so the new code would run nowhere.
        if let alias = request.template.resources.first(where: {
            $0.type == "AWS::Lambda::Alias" && $0.otherAttributes["UpdatePolicy"]?["CodeDeployLambdaAliasUpdate"] != nil
        }) {
            return .failure(
                DeployError(
                    "the stage rolls out through aliases (\(alias.logicalId)): callers invoke a published version, not the code a hotswap changes"
                ))
        }
        let codeKeys = Dictionary(uniqueKeysWithValues: request.artifacts.map { ($0.parameter, $0.key) })
        let wanted = [(request.bucketParameter, request.bucket)] + request.parameters
        if let changed = wanted.first(where: { existing.parameters[$0.0] != $0.1 }) {
            return .failure(DeployError("parameter \(changed.0) changed"))
        }
        var targets: [HotswapTarget] = []
        var physical: [String: String]?
        for (parameter, key) in codeKeys.sorted(by: { $0.key < $1.key }) where existing.parameters[parameter] != key {
            for function in request.template.resources where function.type == "AWS::Lambda::Function" {
                guard function["Code"]?["S3Key"] == .ref(parameter) else { continue }
                if physical == nil { physical = try await cloudFormation.physicalIds(stackName: request.stackName) }
                guard let name = physical?[function.logicalId] else {
                    return .failure(DeployError("\(function.logicalId) has no physical name in the stack"))
                }
                targets.append(HotswapTarget(logicalId: function.logicalId, physicalName: name, key: key))
            }
        }
        return targets.isEmpty ? .failure(DeployError("no function code changed")) : .success(targets)
    }

    /// Updates each function's code and waits until it is active again.
    func hotswap(_ targets: [HotswapTarget], bucket: String, lambda: LambdaClient) async throws -> [String] {
        for target in targets {
            try await lambda.updateCode(function: target.physicalName, bucket: bucket, key: target.key)
            progress("\(target.logicalId): code updated to \(target.key), waiting until it is active")
            while true {
                let (status, reason) = try await lambda.updateStatus(function: target.physicalName)
                if status == "Successful" { break }
                if status == "Failed" {
                    throw DeployError("\(target.logicalId): the code update failed: \(reason ?? "no reason given")")
                }
                try await sleep(pollMs)
            }
        }
        return targets.map(\.logicalId)
    }
}
