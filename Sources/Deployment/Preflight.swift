import AWSClients
import CloudFormation
import DeployClients
import TemplateYAML

/// What must hold in the account before a change set is created, so that a deploy does not stop half-way on
/// something the account lacks: each problem is one message with its fix.
public struct Preflight: Sendable {
    /// The account's API Gateway settings; `nil` skips that check.
    public var apiGateway: APIGatewayClient?
    /// The account's Lambda settings; `nil` skips the concurrency check.
    public var lambda: LambdaClient?
    public var s3: S3Client
    public var cloudFormation: CloudFormationClient
    /// The command line's name in the commands problems suggest.
    public var command = "orderstack"

    public init(
        apiGateway: APIGatewayClient?, lambda: LambdaClient?, s3: S3Client, cloudFormation: CloudFormationClient
    ) {
        self.apiGateway = apiGateway
        self.lambda = lambda
        self.s3 = s3
        self.cloudFormation = cloudFormation
    }

    /// The outcome: problems stop the deploy (exit 2); notes say what could not be checked.
    public struct Report: Sendable, Equatable {
        public var problems: [String] = []
        public var notes: [String] = []
        public var passed: [String] = []
    }

    /// Lambda keeps this many executions unreserved in every account: "Lambda always reserves at least 100
    /// concurrent executions for functions that don't reserve concurrency" (Lambda developer guide,
    /// reserved concurrency).
    public static let unreservedMinimum = 100

    /// CloudFormation's quotas a template must stay within ("CloudFormation quotas"): template body by S3 URL,
    /// resources, outputs, parameters and mappings.
    public static let limits = (bytes: 1_000_000, resources: 500, outputs: 200, parameters: 200, mappings: 200)

    /// Runs every check for `template` (its YAML `bytes`) going to `stackName` with artifacts in `bucket`. An
    /// endpoint that cannot be reached at all throws (one message, not one per check); an answer that cannot be
    /// used is a note.
    public func run(template: Template, bytes: Int, stackName: String, bucket: String, region: String) async throws
        -> Report
    {
        var report = Report()
        report.problems += Self.templateLimits(template, bytes: bytes)
        try await checkBucket(bucket, region: region, into: &report)
        try await checkLoggingRole(template, region: region, into: &report)
        try await checkConcurrency(template, stackName: stackName, into: &report)
        return report
    }

    /// CloudFormation's template quotas, one message per quota exceeded.
    public static func templateLimits(_ template: Template, bytes: Int) -> [String] {
        var problems: [String] = []
        func check(_ count: Int, _ limit: Int, _ what: String) {
            if count > limit {
                problems.append(
                    "the template has \(count) \(what), over CloudFormation's \(limit): split the stack (a nested or a sibling stack)"
                )
            }
        }
        check(bytes, limits.bytes, "bytes")
        check(template.resources.count, limits.resources, "resources")
        check(template.outputs.count, limits.outputs, "outputs")
        check(template.parameters.count, limits.parameters, "parameters")
        check(template.mappings?.fields?.count ?? 0, limits.mappings, "mappings")
        return problems
    }

    /// Whether a REST API stage in `template` writes logs that need the account's CloudWatch role: an access log
    /// destination, or a method setting with execution logging (`LoggingLevel` other than OFF, or
    /// `DataTraceEnabled`). A template that sets the role itself (`AWS::ApiGateway::Account`) needs none, nor does
    /// an access log sent to Firehose: for it "API Gateway creates a service-linked role in your account"
    /// ("Log REST API calls to Amazon Data Firehose in API Gateway").
    public static func stagesNeedLoggingRole(_ template: Template) -> Bool {
        guard !template.resources.contains(where: { $0.type == "AWS::ApiGateway::Account" }) else { return false }
        return template.resources.contains { resource in
            guard resource.type == "AWS::ApiGateway::Stage" else { return false }
            if let destination = resource.properties["AccessLogSetting"]?["DestinationArn"],
                !isFirehose(destination, in: template)
            {
                return true
            }
            return (resource.properties["MethodSettings"]?.items ?? []).contains { setting in
                let level = setting["LoggingLevel"]?.stringValue ?? "OFF"
                return level != "OFF" || setting["DataTraceEnabled"] == .bool(true)
            }
        }
    }

    /// Whether an access-log destination is a Firehose stream: an ARN written with `:firehose:`, or an attribute of
    /// an `AWS::KinesisFirehose::DeliveryStream` of the template.
    static func isFirehose(_ destination: Value, in template: Template) -> Bool {
        switch destination {
        case .string(let arn), .sub(let arn, _): return arn.contains(":firehose:")
        case .getAtt(let id, _), .ref(let id):
            return template.resource(id)?.type == "AWS::KinesisFirehose::DeliveryStream"
        default: return false
        }
    }

    /// The executions `template` reserves (`ReservedConcurrentExecutions` of its functions).
    public static func reservedConcurrency(_ template: Template) -> Int {
        template.resources.filter { $0.type == "AWS::Lambda::Function" }.reduce(0) { total, function in
            total + (function.properties["ReservedConcurrentExecutions"]?.intValue ?? 0)
        }
    }

    /// The executions `template` reserves beyond what `deployed` reserves, function by function (logical ID):
    /// a function renamed or a reservation moved from one function to another adds its whole reservation.
    public static func addedReservations(_ template: Template, deployed: Template?) -> Int {
        func reservations(_ template: Template?) -> [String: Int] {
            var result: [String: Int] = [:]
            for function in template?.resources ?? [] where function.type == "AWS::Lambda::Function" {
                result[function.logicalId] = function.properties["ReservedConcurrentExecutions"]?.intValue ?? 0
            }
            return result
        }
        let old = reservations(deployed)
        return reservations(template).reduce(0) { $0 + max(0, $1.value - (old[$1.key] ?? 0)) }
    }

    /// Why reserving `adding` more executions fails in an account with `unreserved` left, or `nil`.
    public static func concurrencyProblem(limit: Int, unreserved: Int, adding: Int) -> String? {
        guard adding > 0, unreserved - adding < unreservedMinimum else { return nil }
        let needed = adding + unreservedMinimum - unreserved
        return
            "this stack reserves \(adding) more concurrent executions, but the account has \(unreserved) of its \(limit) unreserved and Lambda keeps at least \(unreservedMinimum) unreserved: "
            + "the deploy would fail when it creates the functions. Ask for a higher concurrency quota (Service Quotas, Lambda, Concurrent executions: at least \(limit + needed)) or lower the stage's reservedConcurrency by \(needed)"
    }

    func checkLoggingRole(_ template: Template, region: String, into report: inout Report) async throws {
        guard Self.stagesNeedLoggingRole(template), let apiGateway else { return }
        do {
            if try await apiGateway.cloudWatchRoleArn() == nil {
                report.problems.append(
                    "API Gateway in \(region) has no CloudWatch Logs role for this account, and this stack's API stage writes logs: "
                        + "AWS refuses the stage (\"CloudWatch Logs role ARN must be set in account settings to enable logging\"). "
                        + "Run `\(command) bootstrap --region \(region)` once for the account and Region (it sets one)")
            } else {
                report.passed.append("API Gateway account CloudWatch role set")
            }
        } catch let error as AWSServiceError {
            report.notes.append(
                "the API Gateway account settings could not be read (\(error)); the logging role was not checked")
        }
    }

    func checkConcurrency(_ template: Template, stackName: String, into report: inout Report) async throws {
        let wanted = Self.reservedConcurrency(template)
        guard wanted > 0, let lambda else { return }
        // An update already holds what the deployed template reserves, but AWS checks each function as it is
        // created or updated, and removed functions release theirs only in the final cleanup: count each logical
        // ID's increase, never a decrease elsewhere.
        let deployed = (try? await cloudFormation.template(stackName)).flatMap {
            TemplateReader.read($0, path: "deployed \(stackName)").template
        }
        let adding = Self.addedReservations(template, deployed: deployed)
        do {
            let account = try await lambda.concurrency()
            if let problem = Self.concurrencyProblem(
                limit: account.limit, unreserved: account.unreserved, adding: adding)
            {
                report.problems.append(problem)
            } else {
                report.passed.append(
                    "concurrency: \(account.unreserved) of \(account.limit) unreserved, this deploy reserves \(max(0, adding)) more"
                )
            }
        } catch let error as AWSServiceError {
            report.notes.append(
                "the account's Lambda settings could not be read (\(error)); concurrency was not checked")
        }
    }

    func checkBucket(_ bucket: String, region: String, into report: inout Report) async throws {
        do {
            let answer = try await s3.region(of: bucket)
            guard let found = answer.region else {
                report.notes.append("S3 did not say which Region bucket \(bucket) is in; not checked")
                return
            }
            if answer.status == 403 {
                report.notes.append(
                    "bucket \(bucket) is in \(found), but HeadBucket answered 403: these credentials may not be able to upload to it (s3:ListBucket and s3:PutObject)"
                )
            }
            if found == region && answer.status == 403 {
                return
            } else if found == region {
                report.passed.append("artifact bucket \(bucket) in \(region)")
            } else {
                report.problems.append(
                    "the artifact bucket \(bucket) is in \(found), the stack in \(region): Lambda reads code only from a bucket in the function's Region. "
                        + "Use a bucket in \(region) (`\(command) bootstrap --region \(region)` makes one)")
            }
        } catch let error as AWSServiceError {
            report.problems.append("the artifact bucket \(bucket) cannot be used: \(error)")
        }
    }
}
