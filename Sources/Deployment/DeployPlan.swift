import Foundation

/// When `deploy` asks before executing.
public enum Approval: String, Sendable, CaseIterable {
    /// Never asks.
    case never
    /// Asks when permissions widen (statements added, new roles, policies, permissions or keys).
    case broadening
    /// Asks before any change.
    case anyChange = "any-change"
}

/// A reviewed change set recorded by `deploy --plan`, executed later by `deploy --apply`: plan in the pull
/// request, apply after merge.
public struct DeployPlan: Codable, Sendable, Equatable {
    public var stackName: String
    public var changeSetName: String
    public var changeSetId: String
    /// SHA-256 of the template, the parameters and the review, for the reviewer to match.
    public var digest: String
    /// The stack's newest event when the plan was made: any later event means the stack moved.
    public var newestEvent: String
    /// Resources in the template, for progress.
    public var resources: Int
    /// The review as printed.
    public var review: String

    public init(
        stackName: String, changeSetName: String, changeSetId: String, digest: String, newestEvent: String,
        resources: Int, review: String
    ) {
        self.stackName = stackName
        self.changeSetName = changeSetName
        self.changeSetId = changeSetId
        self.digest = digest
        self.newestEvent = newestEvent
        self.resources = resources
        self.review = review
    }

    /// The plan as pretty JSON.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self)) + [10]
    }

    /// Reads a plan file's bytes; `nil` when they are not a plan.
    public static func read(_ bytes: [UInt8]) -> DeployPlan? {
        try? JSONDecoder().decode(DeployPlan.self, from: Data(bytes))
    }
}
