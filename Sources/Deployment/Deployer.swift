import CloudFormation
import DeployClients
import Diff
import Hashing
import TemplateYAML

/// A zip to upload under its content-addressed key, and the template parameter that takes the key.
public struct ArtifactUpload: Sendable, Equatable {
    public var key: String
    public var parameter: String
    public var bytes: [UInt8]
    /// Where the zip was read from, for messages.
    public var path: String

    public init(key: String, parameter: String, bytes: [UInt8], path: String) {
        self.key = key
        self.parameter = parameter
        self.bytes = bytes
        self.path = path
    }
}

/// What to deploy.
public struct DeployRequest: Sendable {
    public var stackName: String
    /// The template as synthesized (YAML text) and parsed.
    public var templateBody: String
    public var template: Template
    /// Parameters other than the artifact keys and bucket.
    public var parameters: [(String, String)]
    public var tags: [(String, String)]
    public var bucket: String
    /// The template parameter that names the bucket.
    public var bucketParameter: String
    public var artifacts: [ArtifactUpload]
    public var failOn: FailOn

    public init(
        stackName: String, templateBody: String, template: Template, parameters: [(String, String)],
        tags: [(String, String)], bucket: String, bucketParameter: String, artifacts: [ArtifactUpload],
        failOn: FailOn
    ) {
        self.stackName = stackName
        self.templateBody = templateBody
        self.template = template
        self.parameters = parameters
        self.tags = tags
        self.bucket = bucket
        self.bucketParameter = bucketParameter
        self.artifacts = artifacts
        self.failOn = failOn
    }
}

/// How a deployment ended.
public enum DeployOutcome: Sendable, Equatable {
    /// The change set was empty; it was deleted.
    case noChanges
    /// The gate stopped it before execution; the change set was deleted. The review is attached.
    case refused(String)
    /// The stack reached a complete state; its outputs.
    case deployed(StackDescription)
    /// The stack ended in a failed or rolled-back state: the first failure's reason and the final status.
    case failed(reason: String, status: String)
}

/// A deploy that cannot start, with the way out.
public struct DeployError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Uploads artifacts, creates and reviews a change set with orderstack's own gate, executes it and follows the
/// stack's events. Clock, sleep and output are injected; the clients carry the transport.
public struct Deployer: Sendable {
    public var cloudFormation: CloudFormationClient
    public var s3: S3Client
    /// Milliseconds since 1970.
    public var now: @Sendable () -> Int64
    public var sleep: @Sendable (Int64) async throws -> Void
    /// One progress line (stderr in the CLI).
    public var progress: @Sendable (String) -> Void
    /// Called once the change set executes: from then on, stopping orderstack stops the watching, not the
    /// deployment.
    public var executing: @Sendable () -> Void = {}
    /// How often the change set and the stack are polled.
    public var pollMs: Int64 = 1_000
    /// CloudFormation's limit for an inline `TemplateBody`.
    public static let templateBodyLimit = 51_200

    public init(
        cloudFormation: CloudFormationClient, s3: S3Client, now: @escaping @Sendable () -> Int64,
        sleep: @escaping @Sendable (Int64) async throws -> Void, progress: @escaping @Sendable (String) -> Void
    ) {
        self.cloudFormation = cloudFormation
        self.s3 = s3
        self.now = now
        self.sleep = sleep
        self.progress = progress
    }

    /// Deploys `request`; `review` receives the review text before the gate decides.
    public func deploy(_ request: DeployRequest, review: @Sendable (String) -> Void) async throws -> DeployOutcome {
        guard request.templateBody.utf8.count <= Self.templateBodyLimit else {
            throw DeployError(
                "the template is \(request.templateBody.utf8.count) bytes, over CloudFormation's \(Self.templateBodyLimit)-byte limit for an inline template (uploading it to S3 is not supported yet)"
            )
        }
        let existing = try await cloudFormation.describeStack(request.stackName)
        if let existing { try Self.checkDeployable(existing) }
        try await upload(request)
        let changeSet = "orderstack-\(now())"
        let parameters =
            [(request.bucketParameter, request.bucket)] + request.artifacts.map { ($0.parameter, $0.key) }
            + request.parameters
        progress(
            "creating change set \(changeSet) (\(existing == nil ? "new stack" : "update of \(existing!.status)"))")
        let id = try await cloudFormation.createChangeSet(
            stackName: request.stackName, changeSetName: changeSet, templateBody: request.templateBody,
            parameters: parameters, tags: request.tags, create: existing == nil)
        let described = try await waitForChangeSet(id, stackName: request.stackName)
        if described.status == "FAILED" {
            try await cloudFormation.deleteChangeSet(id, stackName: request.stackName)
            if Self.isEmpty(described) { return .noChanges }
            throw DeployError("the change set failed: \(described.statusReason ?? "no reason given")")
        }
        let diff = try await self.diff(existing: existing, request: request)
        // A service that lists no change and a template that compares equal (moto creates such change sets
        // where AWS would fail them as empty): nothing to execute.
        if let existing, diff.isEmpty, parameters.allSatisfy({ existing.parameters[$0.0] == $0.1 }) {
            try await cloudFormation.deleteChangeSet(id, stackName: request.stackName)
            return .noChanges
        }
        review(
            existing == nil
                ? "new stack \(request.stackName): \(request.template.resources.count) resources, \(request.template.parameters.count) parameters, \(request.template.outputs.count) outputs\n"
                : Self.review(diff, changeSet: described))
        if request.failOn.fails([diff]) {
            try await cloudFormation.deleteChangeSet(id, stackName: request.stackName)
            return .refused(request.failOn.rawValue)
        }
        let newest =
            existing == nil ? nil : try await cloudFormation.events(request.stackName, pages: 1).first?.eventId
        progress("executing \(changeSet)")
        try await cloudFormation.executeChangeSet(id, stackName: request.stackName)
        executing()
        return try await follow(request.stackName, after: newest, resources: request.template.resources.count)
    }

    /// Stacks in a state no change set can move on from, with the command that clears it.
    static func checkDeployable(_ stack: StackDescription) throws {
        switch stack.status {
        case "ROLLBACK_COMPLETE":
            throw DeployError(
                "stack \(stack.name) is ROLLBACK_COMPLETE: its first creation failed and was rolled back, and CloudFormation cannot update it. Delete it, then deploy again: aws cloudformation delete-stack --stack-name \(stack.name)"
            )
        case "UPDATE_ROLLBACK_FAILED":
            throw DeployError(
                "stack \(stack.name) is UPDATE_ROLLBACK_FAILED: a rollback could not finish (\(stack.statusReason ?? "no reason given")). Fix the cause, then: aws cloudformation continue-update-rollback --stack-name \(stack.name)"
            )
        case let status where status.hasSuffix("_IN_PROGRESS"):
            throw DeployError(
                "stack \(stack.name) is \(status): another operation is running; wait for it to end (orderstack status) and deploy again"
            )
        default: return
        }
    }

    /// Uploads each zip unless an object with the same SHA-256 is already under its key.
    func upload(_ request: DeployRequest) async throws {
        for artifact in request.artifacts {
            let sum = S3Client.base64(SHA256.hash(artifact.bytes))
            let existing = try await s3.checksum(bucket: request.bucket, key: artifact.key)
            if let existing, existing.isEmpty || existing == sum {
                progress("s3://\(request.bucket)/\(artifact.key): already there, not uploaded")
                continue
            }
            try await s3.put(
                bucket: request.bucket, key: artifact.key, body: artifact.bytes, contentType: "application/zip")
            progress(
                "s3://\(request.bucket)/\(artifact.key): uploaded \(artifact.bytes.count) bytes (checksum verified by S3)"
            )
        }
    }

    func waitForChangeSet(_ id: String, stackName: String) async throws -> ChangeSetDescription {
        while true {
            let described = try await cloudFormation.describeChangeSet(id, stackName: stackName)
            if described.status != "CREATE_PENDING" && described.status != "CREATE_IN_PROGRESS" { return described }
            try await sleep(pollMs)
        }
    }

    /// CloudFormation's reasons for a change set without changes.
    static func isEmpty(_ changeSet: ChangeSetDescription) -> Bool {
        let reason = changeSet.statusReason ?? ""
        return reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
            || reason.contains("no changes")
    }

    /// The deployed template against the new one, through `orderstack diff`'s classification.
    func diff(existing: StackDescription?, request: DeployRequest) async throws -> StackDiff {
        var old = Template()
        if existing != nil {
            let body = try await cloudFormation.template(request.stackName)
            guard let parsed = TemplateReader.read(body, path: "deployed \(request.stackName)").template else {
                throw DeployError("the deployed template of \(request.stackName) cannot be read as a template")
            }
            old = parsed
        }
        return Differ.diff(old: old, new: request.template, name: request.stackName)
    }
}
