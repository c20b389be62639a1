import CloudFormation
import DeployClients
import TemplateYAML

/// What deleting a stack deletes and what it leaves behind, from the deployed template's deletion policies.
public struct DestroyPlan: Sendable, Equatable {
    public var stackId: String
    public var deleted: [String]
    /// `Retain` (and `RetainExceptOnCreate`): the resource stays, outside any stack, billed until removed by hand.
    public var retained: [String]
    /// `Snapshot`: deleted after a final snapshot.
    public var snapshotted: [String]

    /// The lines a person reads before saying yes.
    public var text: String {
        var lines: [String] = []
        if !deleted.isEmpty {
            lines.append("deleted (\(deleted.count)):\n" + deleted.map { "  - \($0)" }.joined(separator: "\n"))
        }
        if !snapshotted.isEmpty {
            lines.append("deleted after a snapshot:\n" + snapshotted.map { "  - \($0)" }.joined(separator: "\n"))
        }
        if !retained.isEmpty {
            lines.append(
                "stays behind under Retain (outside any stack, still billed; delete by hand when done):\n"
                    + retained.map { "  - \($0)" }.joined(separator: "\n"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Deployer {
    /// Reads the deployed template and sorts its resources by what deletion does to them; `nil` when there is
    /// no such stack.
    public func destroyPlan(_ stackName: String) async throws -> DestroyPlan? {
        guard let stack = try await cloudFormation.describeStack(stackName) else { return nil }
        let body = try await cloudFormation.template(stackName)
        guard let template = TemplateReader.read(body, path: "deployed \(stackName)").template else {
            throw DeployError("the deployed template of \(stackName) cannot be read as a template")
        }
        var plan = DestroyPlan(stackId: stack.stackId, deleted: [], retained: [], snapshotted: [])
        let functions = Set(template.resources.filter { $0.type == "AWS::Lambda::Function" }.map(\.logicalId))
        for resource in template.resources {
            let label = "\(resource.logicalId) (\(resource.type))"
            // A retained version of a function the stack deletes goes with it: deleting a function without a
            // qualifier deletes all its versions and aliases (Lambda API Reference, DeleteFunction).
            if resource.type == "AWS::Lambda::Version", case .ref(let function)? = resource["FunctionName"],
                functions.contains(function)
            {
                plan.deleted.append(label + ", with its function")
                continue
            }
            switch resource.deletionPolicy?.stringValue {
            case "Retain"?, "RetainExceptOnCreate"?: plan.retained.append(label)
            case "Snapshot"?: plan.snapshotted.append(label)
            default: plan.deleted.append(label)
            }
        }
        return plan
    }

    /// Deletes the stack and follows its events until it is gone.
    public func destroy(_ plan: DestroyPlan, stackName: String) async throws -> DeployOutcome {
        let newest = try await cloudFormation.events(plan.stackId, pages: 1).first?.eventId
        try await cloudFormation.deleteStack(plan.stackId)
        executing()
        let total = plan.deleted.count + plan.snapshotted.count + plan.retained.count
        return try await follow(plan.stackId, after: newest, resources: total, deleting: true)
    }
}
