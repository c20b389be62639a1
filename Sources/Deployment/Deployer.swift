import AWSClients
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
    /// When to ask before executing.
    public var approval: Approval = .broadening
    /// Record the reviewed change set instead of executing it (`--plan`).
    public var planOnly = false
    /// Update function code directly when only code keys changed (`--hotswap`).
    public var hotswap = false
    /// How the review is rendered (markdown or JSON for a pull-request comment).
    public var reviewFormat: DiffFormat = .text
    /// Wait for another operation on the stack to end (`false`: refuse, `--no-wait`).
    public var waitsForOtherOperations = true
    /// Losses the project accepts on purpose (its acknowledgement file), honoured by the gate and printed.
    public var acknowledgements: [Acknowledgement] = []
    /// The names the acknowledgements may give this stack (the stack name and the output file's name).
    public var names: [String] = []

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
    /// Approval was needed and there is no one to ask (no terminal); what needed it. The change set was deleted.
    case needsApproval([String])
    /// The person asked said no; the change set was deleted.
    case declined
    /// `--plan`: the change set was reviewed and kept, not executed.
    case planned(DeployPlan)
    /// `--hotswap`: these functions got their new code directly; no change set.
    case hotswapped([String])
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
    /// For `--hotswap` and the preflight's concurrency check.
    public var lambda: LambdaClient?
    /// For the preflight's logging-role check.
    public var apiGateway: APIGatewayClient?
    /// The Region deployed to (the preflight compares the bucket's).
    public var region = ""
    /// The command line's name in the commands messages suggest (`orderstack`, or a project's own executable).
    public var command = "orderstack"
    /// Milliseconds since 1970.
    public var now: @Sendable () -> Int64
    public var sleep: @Sendable (Int64) async throws -> Void
    /// One progress line (stderr in the CLI).
    public var progress: @Sendable (String) -> Void
    /// Asks a yes/no question on a terminal; `nil` when there is none (then nothing waits: approval fails
    /// closed).
    public var confirm: @Sendable (String) -> Bool? = { _ in nil }
    /// Called once the change set executes: from then on, stopping orderstack stops the watching, not the
    /// deployment.
    public var executing: @Sendable () -> Void = {}
    /// How long progress is followed before orderstack stops watching (the deployment goes on).
    public var watchLimitMs: Int64 = 2 * 3_600_000
    /// How often the change set and the stack are polled.
    public var pollMs: Int64 = 1_000
    /// Reads the alarms' states before they are named rollback triggers (`nil`: not read).
    public var cloudWatch: CloudWatchClient?
    /// Follows the CodeDeploy deployments of gradual rollouts during an update (`nil`: not followed).
    public var codeDeploy: CodeDeployClient?
    /// How long an update waits for drift detection before its review (`nil`: not run).
    public var driftWaitMs: Int64?
    /// The drift detection run before an update's review.
    var driftCheck: DriftCheck { DriftCheck(cloudFormation: cloudFormation, now: now, sleep: sleep) }
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

    /// The preflight of `request`: what the account must have before a change set is created.
    public func preflight(_ request: DeployRequest) async throws -> Preflight.Report {
        var preflight = Preflight(apiGateway: apiGateway, lambda: lambda, s3: s3, cloudFormation: cloudFormation)
        preflight.command = command
        return try await preflight.run(
            template: request.template, bytes: request.templateBody.utf8.count, stackName: request.stackName,
            bucket: request.bucket, region: region)
    }

    /// Deploys `request`; `review` receives the review text before the gate decides.
    public func deploy(_ request: DeployRequest, review: @Sendable (String) -> Void) async throws -> DeployOutcome {
        let existing = try await deployableStack(request)
        try await upload(request)
        // The deployed template against the new one, read once for hotswap and for the review.
        let deployed = try await deployedTemplate(existing: existing, request: request)
        let diff = self.diff(old: deployed, existing: existing, request: request)
        if request.hotswap, let existing, let lambda {
            let codeless = self.diff(old: deployed, existing: existing, request: request, deployedCode: true)
            switch try await hotswapTargets(request, existing: existing, diff: codeless) {
            case .success(let targets):
                return .hotswapped(try await hotswap(targets, bucket: request.bucket, lambda: lambda))
            case .failure(let why):
                progress("hotswap not possible: \(why.message); deploying with a change set")
            }
        }
        if existing != nil, let driftWaitMs {
            progress(await driftCheck.note(request.stackName, waitMs: driftWaitMs, command: command))
        }
        let changeSet = "orderstack-\(now())"
        let bucket = request.bucketParameter.isEmpty ? [] : [(request.bucketParameter, request.bucket)]
        let parameters = bucket + request.artifacts.map { ($0.parameter, $0.key) } + request.parameters
        progress("creating change set \(changeSet) (\(existing.map { "update of \($0.status)" } ?? "new stack"))")
        let triggers = try await rollbackTriggers(request, existing: existing)
        if let triggers, !triggers.isEmpty {
            progress(
                "rollback triggers: \(triggers.map { $0.split(separator: ":").last.map(String.init) ?? $0 }.joined(separator: ", ")) (an alarm firing while the update runs rolls it back)"
            )
        }
        let id: String, stackId: String
        do {
            (id, stackId) = try await cloudFormation.createChangeSet(
                stackName: request.stackName, changeSetName: changeSet, template: try await templateSource(request),
                parameters: parameters, tags: request.tags, create: existing == nil,
                rollbackTriggers: existing == nil ? nil : triggers)
        } catch let error as AWSServiceError
            where error.code == "ValidationError" && error.message.contains("No updates are to be performed")
        {
            // Some endpoints (moto) refuse an unchanged change set outright instead of failing it.
            return .noChanges
        }
        let described = try await waitForChangeSet(id, stackName: request.stackName)
        if described.status == "FAILED" {
            try await cloudFormation.deleteChangeSet(id, stackName: request.stackName)
            if Self.isEmpty(described) { return .noChanges }
            throw DeployError("the change set failed: \(described.statusReason ?? "no reason given")")
        }
        var reviewed = diff
        ChangeSetVerdict.merge(
            described.changes.map {
                ChangeSetResource(
                    logicalId: $0.logicalId, resourceType: $0.resourceType, action: $0.action,
                    replacement: $0.replacement, scope: $0.scope)
            }, into: &reviewed)
        Acknowledgement.apply(request.acknowledgements, to: &reviewed, names: [request.stackName] + request.names)
        let reviewText =
            existing == nil
            ? "new stack \(request.stackName): \(request.template.resources.count) resources, \(request.template.parameters.count) parameters, \(request.template.outputs.count) outputs\n"
            : Self.review(reviewed, format: request.reviewFormat)
        // A service that lists no change and a template that compares equal (moto creates such change sets
        // where AWS would fail them as empty): nothing to execute.
        if let existing, diff.isEmpty, parameters.allSatisfy({ existing.parameters[$0.0] == $0.1 }) {
            try await cloudFormation.deleteChangeSet(id, stackName: request.stackName)
            return .noChanges
        }
        review(reviewText)
        if request.failOn.fails([reviewed]) {
            try await cloudFormation.deleteChangeSet(id, stackName: request.stackName)
            return .refused(request.failOn.rawValue)
        }
        if request.planOnly {
            let newest = try await cloudFormation.events(request.stackName, pages: 1).first?.eventId ?? ""
            let digest = hexString(
                SHA256.hash(
                    Array(
                        (request.templateBody + "\n" + parameters.map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
                            + "\n" + reviewText).utf8)))
            return .planned(
                DeployPlan(
                    stackName: request.stackName, changeSetName: changeSet, changeSetId: id, digest: digest,
                    newestEvent: newest, resources: request.template.resources.count, review: reviewText))
        }
        if let outcome = try await approve(request, diff: diff, changeSet: id) {
            // A stack that was never created stays behind in REVIEW_IN_PROGRESS otherwise.
            if existing == nil { try await cloudFormation.deleteStack(stackId) }
            return outcome
        }
        let newest =
            existing == nil ? nil : try await cloudFormation.events(request.stackName, pages: 1).first?.eventId
        let watch = try await trafficWatch(request, existing: existing)
        progress("executing \(changeSet)")
        try await cloudFormation.executeChangeSet(id, stackName: request.stackName)
        executing()
        return try await follow(stackId, after: newest, resources: request.template.resources.count, watch: watch)
    }

    /// Asks where `request.approval` says so; an outcome when execution must not go on (the change set deleted).
    func approve(_ request: DeployRequest, diff: StackDiff, changeSet: String) async throws -> DeployOutcome? {
        let widening = diff.broadening
        let asks =
            switch request.approval {
            case .never: false
            case .broadening: !widening.isEmpty
            case .anyChange: true
            }
        guard asks else { return nil }
        let subject =
            widening.isEmpty
            ? "Execute these changes to \(request.stackName)?"
            : "These changes widen permissions:\n" + widening.map { "  \($0)" }.joined(separator: "\n")
                + "\nExecute them on \(request.stackName)?"
        switch confirm(subject) {
        case true?: return nil
        case false?:
            try await cloudFormation.deleteChangeSet(changeSet, stackName: request.stackName)
            return .declined
        case nil:
            try await cloudFormation.deleteChangeSet(changeSet, stackName: request.stackName)
            return .needsApproval(widening.isEmpty ? ["every change (--approve any-change)"] : widening)
        }
    }

    /// Executes a planned change set, unless it is gone or the stack moved since the plan.
    public func apply(_ plan: DeployPlan) async throws -> DeployOutcome {
        let described: ChangeSetDescription
        do {
            described = try await cloudFormation.describeChangeSet(plan.changeSetId, stackName: plan.stackName)
        } catch let error as AWSServiceError where error.status == 400 || error.status == 404 {
            throw DeployError(
                "the planned change set \(plan.changeSetName) of \(plan.stackName) no longer exists (\(error.code): \(error.message)); plan again"
            )
        }
        guard described.status == "CREATE_COMPLETE", (described.executionStatus ?? "AVAILABLE") == "AVAILABLE" else {
            throw DeployError(
                "the planned change set \(plan.changeSetName) is \(described.status)/\(described.executionStatus ?? "?") and cannot be executed; plan again"
            )
        }
        let newest = try await cloudFormation.events(plan.stackName, pages: 1).first?.eventId ?? ""
        guard newest == plan.newestEvent else {
            throw DeployError(
                "stack \(plan.stackName) moved since the plan (it has events the plan did not see); plan again")
        }
        progress("executing the planned change set \(plan.changeSetName) (digest \(plan.digest.prefix(12)))")
        try await cloudFormation.executeChangeSet(plan.changeSetId, stackName: plan.stackName)
        executing()
        return try await follow(plan.stackName, after: newest.isEmpty ? nil : newest, resources: plan.resources)
    }

    /// The stack as it stands once no other operation runs on it, `nil` when there is none to update (missing,
    /// or a CREATE change set never executed: `REVIEW_IN_PROGRESS`); throws for a state no change set moves on
    /// from.
    func deployableStack(_ request: DeployRequest) async throws -> StackDescription? {
        var found = try await cloudFormation.describeStack(request.stackName)
        let started = now()
        var announced = ""
        while let stack = found, Self.isBusy(stack.status) {
            if !request.waitsForOtherOperations { try Self.checkDeployable(stack, command: command) }
            guard now() - started < watchLimitMs else {
                throw DeployError(
                    "stack \(stack.name) is still \(stack.status) after \(watchLimitMs / 60_000) minutes of waiting; deploy again once it ends (\(command) status --stack-name \(stack.name))"
                )
            }
            if stack.status != announced {
                progress("stack \(stack.name) is \(stack.status): another operation is running; waiting for it to end")
                announced = stack.status
            }
            try await sleep(pollMs)
            found = try await cloudFormation.describeStack(request.stackName)
        }
        guard let stack = found, stack.status != "REVIEW_IN_PROGRESS", stack.status != "DELETE_COMPLETE" else {
            return nil
        }
        try Self.checkDeployable(stack, command: command)
        return stack
    }

    /// An operation is running on the stack (a never-executed CREATE change set's `REVIEW_IN_PROGRESS` is not one).
    static func isBusy(_ status: String) -> Bool {
        status.hasSuffix("_IN_PROGRESS") && status != "REVIEW_IN_PROGRESS"
    }

    /// The template inline, or, over CloudFormation's inline limit, uploaded beside the zips under a
    /// content-addressed key and passed by URL.
    func templateSource(_ request: DeployRequest) async throws -> CloudFormationClient.TemplateSource {
        let bytes = Array(request.templateBody.utf8)
        guard bytes.count > Self.templateBodyLimit else { return .body(request.templateBody) }
        let key = "templates/\(request.stackName)/\(hexString(SHA256.hash(bytes))).yaml"
        if try await s3.checksum(bucket: request.bucket, key: key) == nil {
            try await s3.put(bucket: request.bucket, key: key, body: bytes, contentType: "application/x-yaml")
        }
        progress(
            "the template is \(bytes.count) bytes, over the \(Self.templateBodyLimit)-byte inline limit: passed as s3://\(request.bucket)/\(key)"
        )
        return .url(s3.url(bucket: request.bucket, key: key))
    }

    /// Stacks in a state no change set can move on from, with the command that clears it.
    static func checkDeployable(_ stack: StackDescription, command: String) throws {
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
                "stack \(stack.name) is \(status): another operation is running and --no-wait was given; wait for it to end (\(command) status) and deploy again"
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
    /// The deployed template (empty for a new stack).
    func deployedTemplate(existing: StackDescription?, request: DeployRequest) async throws -> Template {
        guard existing != nil else { return Template() }
        let body = try await cloudFormation.template(request.stackName)
        guard let parsed = TemplateReader.read(body, path: "deployed \(request.stackName)").template else {
            throw DeployError("the deployed template of \(request.stackName) cannot be read as a template")
        }
        return parsed
    }

    /// The deployed template against the new one, each side with its own parameter values. With
    /// `deployedCode`, the code keys keep their deployed values (what `--hotswap` asks: did anything but code
    /// change?).
    func diff(old: Template, existing: StackDescription?, request: DeployRequest, deployedCode: Bool = false)
        -> StackDiff
    {
        let codeKeys = request.artifacts.map {
            ($0.parameter, deployedCode ? existing?.parameters[$0.parameter] ?? $0.key : $0.key)
        }
        let values = Dictionary(
            [(request.bucketParameter, request.bucket)] + codeKeys + request.parameters,
            uniquingKeysWith: { _, last in last })
        return Differ.diff(
            old: old, new: request.template, name: request.stackName, parameters: values,
            oldParameters: existing?.parameters)
    }
}
