import AWSClients
import DeployClients

/// A finished (or abandoned) drift detection: the stack's verdict and each resource that differs from the
/// template it was deployed with.
public struct DriftReport: Sendable, Equatable {
    public var stackName: String
    public var detection: DriftDetection
    /// The resources `MODIFIED` or `DELETED`, in the stack's order.
    public var drifted: [ResourceDrift]
    /// Whether orderstack stopped waiting before the detection finished.
    public var timedOut: Bool

    /// Whether a hand change was found.
    public var hasDrifted: Bool { !drifted.isEmpty || detection.stackStatus == "DRIFTED" }

    /// One block: the verdict, then each drifted resource with its properties (expected, actual).
    public var text: String {
        if timedOut {
            return "\(stackName): drift detection still running after the wait; run `drift` again later\n"
        }
        if detection.status == "DETECTION_FAILED" && drifted.isEmpty {
            return "\(stackName): drift detection failed: \(detection.reason ?? "no reason given")\n"
        }
        guard hasDrifted else {
            return "\(stackName): in sync with its template (no hand changes to the properties it sets)\n"
        }
        var lines = ["\(stackName): DRIFTED, \(drifted.count) resource(s) changed outside CloudFormation"]
        for drift in drifted {
            lines.append("  \(drift.logicalId) (\(drift.type)): \(drift.status)")
            for difference in drift.differences { lines.append("    " + Self.describe(difference)) }
        }
        if detection.status == "DETECTION_FAILED" {
            lines.append("  (some resources could not be checked: \(detection.reason ?? "no reason given"))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `/Timeout: expected 30, actual 60`.
    static func describe(_ difference: PropertyDifference) -> String {
        switch difference.kind {
        case "ADD": "\(difference.path): added by hand, \(difference.actual ?? "?")"
        case "REMOVE": "\(difference.path): removed by hand, expected \(difference.expected ?? "?")"
        default:
            "\(difference.path): expected \(difference.expected ?? "?"), actual \(difference.actual ?? "?")"
        }
    }
}

/// Runs CloudFormation's drift detection on a stack and waits for it (DetectStackDrift, then
/// DescribeStackDriftDetectionStatus until it is no longer `DETECTION_IN_PROGRESS`, then
/// DescribeStackResourceDrifts for `MODIFIED` and `DELETED` resources). A detection that fails for some resources
/// still reports the ones it checked ("DETECTION_FAILED: ... drift information for the resources that were
/// successfully checked is still available", AWS CloudFormation API Reference,
/// DescribeStackDriftDetectionStatus).
public struct DriftCheck: Sendable {
    public var cloudFormation: CloudFormationClient
    public var now: @Sendable () -> Int64
    public var sleep: @Sendable (Int64) async throws -> Void
    public var pollMs: Int64 = 2_000

    public init(
        cloudFormation: CloudFormationClient, now: @escaping @Sendable () -> Int64,
        sleep: @escaping @Sendable (Int64) async throws -> Void
    ) {
        self.cloudFormation = cloudFormation
        self.now = now
        self.sleep = sleep
    }

    /// Detects `stackName`'s drift, waiting at most `waitMs`.
    public func run(_ stackName: String, waitMs: Int64) async throws -> DriftReport {
        let id = try await cloudFormation.detectDrift(stackName)
        let deadline = now() + waitMs
        var detection = try await cloudFormation.driftDetection(id)
        while detection.status == "DETECTION_IN_PROGRESS" {
            if now() >= deadline {
                return DriftReport(stackName: stackName, detection: detection, drifted: [], timedOut: true)
            }
            try await sleep(pollMs)
            detection = try await cloudFormation.driftDetection(id)
        }
        let drifted = try await cloudFormation.resourceDrifts(stackName, statuses: ["MODIFIED", "DELETED"])
        return DriftReport(stackName: stackName, detection: detection, drifted: drifted, timedOut: false)
    }
}

extension DriftCheck {
    /// One line for a review: the stack drifted (naming what), is in sync, or could not be checked; never an
    /// error (a review goes on without it).
    public func note(_ stackName: String, waitMs: Int64, command: String) async -> String {
        do {
            let report = try await run(stackName, waitMs: waitMs)
            if report.timedOut { return "note: drift not checked: the detection did not finish in \(waitMs / 1000) s" }
            guard report.hasDrifted else {
                return "note: no hand changes to the properties \(stackName)'s template sets (drift detection: in sync)"
            }
            let names = report.drifted.map { "\($0.logicalId) \($0.status.lowercased())" }.joined(separator: ", ")
            return "warning: \(stackName) has drifted (\(names)): this review compares templates and does not "
                + "include those hand changes; `\(command) drift --stack-name \(stackName)` shows them"
        } catch let error as AWSServiceError where error.code.hasPrefix("HTTP") {
            return "note: drift not checked: the endpoint answered \(error.operation) with \(error.message)"
        } catch let error as AWSServiceError {
            return "note: drift not checked: CloudFormation answered \(error.code): \(error.message)"
        } catch {
            return "note: drift not checked: the detection could not be started or followed"
        }
    }
}
