import DeployClients
import Diff

extension Deployer {
    /// Prints each new stack event as `+elapsed  done/total  LogicalId  STATUS  reason` until the stack leaves
    /// its in-progress state.
    func follow(
        _ stackName: String, after newest: String?, resources: Int, deleting: Bool = false, watch: TrafficWatch? = nil
    ) async throws -> DeployOutcome {
        var watch = watch
        let start = now()
        var last = newest
        var done: Set<String> = []
        var firstFailure: StackEvent?
        while true {
            let events = try await cloudFormation.events(stackName, after: last)
            for event in events.reversed() {
                last = event.eventId
                if event.resourceType != "AWS::CloudFormation::Stack" {
                    if event.status.hasSuffix("_COMPLETE") && !event.status.contains("ROLLBACK")
                        && (!event.status.hasPrefix("DELETE") || deleting)
                    {
                        done.insert(event.logicalId)
                    }
                }
                if event.status.hasSuffix("_FAILED") && firstFailure == nil { firstFailure = event }
                progress(Self.line(event, elapsedMs: now() - start, done: done.count, total: resources))
            }
            if watch != nil { for line in await watch!.poll() { progress(line) } }
            guard let stack = try await cloudFormation.describeStack(stackName) else {
                if deleting {
                    return .deployed(
                        StackDescription(stackId: stackName, name: stackName, status: "DELETE_COMPLETE", outputs: []))
                }
                return .failed(reason: "the stack disappeared while it was being deployed", status: "DELETED")
            }
            if now() - start > watchLimitMs {
                throw DeployError(
                    "\(stack.name) is still \(stack.status) after \(watchLimitMs / 60_000) minutes; stopped watching, the deployment goes on: \(command) status --stack-name \(stack.name)"
                )
            }
            if !stack.status.hasSuffix("_IN_PROGRESS") {
                if ["CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE"].contains(stack.status) {
                    return .deployed(stack)
                }
                let reason =
                    firstFailure.map { "\($0.logicalId): \($0.reason ?? $0.status)" } ?? stack.statusReason
                    ?? "no reason given"
                return .failed(reason: reason, status: stack.status)
            }
            try await sleep(pollMs)
        }
    }

    /// One progress line.
    static func line(_ event: StackEvent, elapsedMs: Int64, done: Int, total: Int) -> String {
        let seconds = Double(elapsedMs) / 1000
        let elapsed = "+\(Int(seconds)).\(Int(seconds * 10) % 10)s"
        let reason = event.reason.map { $0.isEmpty ? "" : "  \($0)" } ?? ""
        return
            "  \(elapsed.padding(8))\("\(done)/\(total)".padding(8))\(event.logicalId.padding(40))\(event.status)\(reason)"
    }

    /// The review: orderstack's classification of the deployed template against the new one, with the change
    /// set's own verdict (Replacement, scope) merged into each resource, in any format.
    static func review(_ diff: StackDiff, format: DiffFormat) -> String {
        DiffReport.render([diff], format: format)
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
