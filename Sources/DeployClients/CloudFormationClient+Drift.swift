import AWSClients

/// One property a resource's live configuration differs in from its template
/// (DescribeStackResourceDrifts `PropertyDifferences`).
public struct PropertyDifference: Sendable, Equatable {
    /// A JSON pointer into the resource's properties (`/Timeout`, `/Tags/0/Value`).
    public var path: String
    public var expected: String?
    public var actual: String?
    /// `ADD`, `REMOVE` or `NOT_EQUAL`.
    public var kind: String

    public init(path: String, expected: String?, actual: String?, kind: String) {
        self.path = path
        self.expected = expected
        self.actual = actual
        self.kind = kind
    }
}

/// One resource's drift status (`MODIFIED`, `DELETED`, `IN_SYNC`, `NOT_CHECKED`) and how it differs.
public struct ResourceDrift: Sendable, Equatable {
    public var logicalId: String
    public var physicalId: String?
    public var type: String
    public var status: String
    public var differences: [PropertyDifference]

    public init(logicalId: String, physicalId: String?, type: String, status: String, differences: [PropertyDifference])
    {
        self.logicalId = logicalId
        self.physicalId = physicalId
        self.type = type
        self.status = status
        self.differences = differences
    }
}

/// A drift detection's state (DescribeStackDriftDetectionStatus).
public struct DriftDetection: Sendable, Equatable {
    /// `DETECTION_IN_PROGRESS`, `DETECTION_COMPLETE` or `DETECTION_FAILED`.
    public var status: String
    /// `DRIFTED`, `IN_SYNC`, `UNKNOWN` or `NOT_CHECKED`.
    public var stackStatus: String?
    public var reason: String?
    public var driftedCount: Int?

    public init(status: String, stackStatus: String?, reason: String?, driftedCount: Int?) {
        self.status = status
        self.stackStatus = stackStatus
        self.reason = reason
        self.driftedCount = driftedCount
    }
}

/// Drift detection (CloudFormation API Reference: DetectStackDrift, DescribeStackDriftDetectionStatus,
/// DescribeStackResourceDrifts). A detection runs asynchronously: start it, poll its status, then read the
/// resources' drifts.
extension CloudFormationClient {
    /// Starts a drift detection of the whole stack; its ID.
    public func detectDrift(_ stackName: String) async throws -> String {
        let root = try await query.call("DetectStackDrift", [("StackName", stackName)])
        guard let id = root.first("StackDriftDetectionId")?.text, !id.isEmpty else {
            throw AWSServiceError(
                service: "cloudformation", operation: "DetectStackDrift", status: 200, code: "InvalidResponse",
                message: "the answer has no StackDriftDetectionId")
        }
        return id
    }

    /// The detection's state.
    public func driftDetection(_ id: String) async throws -> DriftDetection {
        let root = try await query.call("DescribeStackDriftDetectionStatus", [("StackDriftDetectionId", id)])
        return DriftDetection(
            status: root.first("DetectionStatus")?.text ?? "", stackStatus: root.first("StackDriftStatus")?.text,
            reason: root.first("DetectionStatusReason")?.text,
            driftedCount: root.first("DriftedStackResourceCount").flatMap { Int($0.text) })
    }

    /// The resources whose drift status is one of `statuses` (all when empty), every page, as of the last
    /// detection.
    public func resourceDrifts(_ stackName: String, statuses: [String] = []) async throws -> [ResourceDrift] {
        var token: String?
        var drifts: [ResourceDrift] = []
        repeat {
            var fields = [("StackName", stackName)]
            for (index, status) in statuses.enumerated() {
                fields.append(("StackResourceDriftStatusFilters.member.\(index + 1)", status))
            }
            if let token { fields.append(("NextToken", token)) }
            let root = try await query.call("DescribeStackResourceDrifts", fields)
            for member in root.first("StackResourceDrifts")?.children ?? [] {
                let differences = (member.child("PropertyDifferences")?.children ?? []).map {
                    PropertyDifference(
                        path: $0.string("PropertyPath") ?? "", expected: $0.string("ExpectedValue"),
                        actual: $0.string("ActualValue"), kind: $0.string("DifferenceType") ?? "")
                }
                drifts.append(
                    ResourceDrift(
                        logicalId: member.string("LogicalResourceId") ?? "",
                        physicalId: member.string("PhysicalResourceId"), type: member.string("ResourceType") ?? "",
                        status: member.string("StackResourceDriftStatus") ?? "", differences: differences))
            }
            token = root.first("NextToken").map(\.text).flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return drifts
    }
}
