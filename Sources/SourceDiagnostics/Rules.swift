/// A check `orderstack validate` runs: a stable ID, a default severity, and its documentation.
public struct Rule: Sendable, Hashable {
    /// Stable identifier, e.g. `OS1001`; used in output and in suppressions.
    public let id: String
    /// The severity its findings have.
    public let severity: Diagnostic.Severity
    /// What the rule finds, in a few words.
    public let title: String
    /// Why it matters.
    public let why: String
    /// How to fix a finding.
    public let fix: String
}

/// Every rule, in ID order. `docs/validate.md` is generated from this list (`orderstack validate --list-rules
/// --format markdown`).
public enum Rules {
    // MARK: Parsing and suppressions (OS00xx)
    public static let syntax = Rule(
        id: "OS0001", severity: .error, title: "YAML or JSON syntax error",
        why: "The file cannot be read: tabs in indentation, unclosed brackets, a trailing comma in JSON, bad escapes.",
        fix: "Fix the syntax at the line and column given.")
    public static let notATemplate = Rule(
        id: "OS0002", severity: .error, title: "Not a template",
        why: "An empty file, several YAML documents, a file over the size limit, or a top level that is not a mapping.",
        fix: "Make the file a single mapping of template sections with `Resources`.")
    public static let duplicateKey = Rule(
        id: "OS0003", severity: .error, title: "Duplicate key",
        why: "YAML readers keep only one of two equal keys, silently; duplicate logical IDs lose a resource.",
        fix: "Rename or merge the entries; the message names the first occurrence.")
    public static let unknownTag = Rule(
        id: "OS0004", severity: .error, title: "Unknown short-form tag",
        why: "`!Reff` or `!GetAttr` is not an intrinsic function; cfn-lint turns it into an unknown `Fn::` silently.",
        fix: "Use the intended tag (`!Ref`, `!GetAtt`, `!Sub`, ...).")
    public static let malformed = Rule(
        id: "OS0005", severity: .error, title: "Malformed section or resource",
        why: "A resource without `Type`, an output without `Value`, or a section of the wrong shape is rejected.",
        fix: "Add or fix the key named in the message.")
    public static let suppressionWithoutReason = Rule(
        id: "OS0010", severity: .error, title: "Suppression without a reason",
        why: "`Metadata.orderstack.ignore` entries must say why the finding does not apply, for the next reviewer.",
        fix: "Give each entry an `id` and a `reason` of a sentence.")

    // MARK: References (OS10xx)
    public static let undefinedRef = Rule(
        id: "OS1001", severity: .error, title: "Ref to an undefined name",
        why: "CloudFormation rejects a `Ref` to a name that is neither a parameter, a resource nor a pseudo parameter.",
        fix: "Define the parameter or resource, or correct the name.")
    public static let getAttMissingResource = Rule(
        id: "OS1002", severity: .error, title: "GetAtt of an undefined resource",
        why: "`Fn::GetAtt` (also `${Res.Attr}` in `Fn::Sub`) must name a resource of the template.",
        fix: "Correct the logical ID.")
    public static let getAttUnknownAttribute = Rule(
        id: "OS1003", severity: .error, title: "GetAtt of an attribute the type does not have",
        why: "Each resource type has a fixed set of attributes (from its CloudFormation schema).",
        fix: "Use one of the attributes the message lists.")
    public static let subUndefinedVariable = Rule(
        id: "OS1004", severity: .error, title: "Fn::Sub variable undefined",
        why: "`${Name}` in `Fn::Sub` must be a parameter, a resource, a pseudo parameter or a key of the variable map.",
        fix: "Define it, add it to the variable map, or write `${!Name}` for a literal.")
    public static let dependsOnUndefined = Rule(
        id: "OS1005", severity: .error, title: "DependsOn an undefined resource",
        why: "CloudFormation rejects `DependsOn` targets that are not resources of the template.",
        fix: "Correct or remove the target.")
    public static let undefinedCondition = Rule(
        id: "OS1006", severity: .error, title: "Condition undefined",
        why:
            "A resource or output `Condition`, `Fn::If` or `Condition` function names a condition that is not defined.",
        fix: "Define the condition in `Conditions` or correct the name.")
    public static let undefinedMapping = Rule(
        id: "OS1007", severity: .error, title: "FindInMap of an undefined mapping",
        why: "`Fn::FindInMap` must name a mapping of the `Mappings` section.",
        fix: "Define the mapping or correct the name.")
    public static let circularDependency = Rule(
        id: "OS1008", severity: .error, title: "Circular dependency",
        why: "Resources that reference each other (through Ref, GetAtt, Sub or DependsOn) can never be created.",
        fix: "Break the cycle: move a policy into its own resource, or derive a name instead of referencing it.")
    public static let unusedParameter = Rule(
        id: "OS1009", severity: .warning, title: "Unused parameter",
        why: "A parameter nothing references is dead configuration that deployers still have to supply.",
        fix: "Remove it or reference it.")
    public static let unusedCondition = Rule(
        id: "OS1010", severity: .warning, title: "Unused condition",
        why: "A condition nothing uses is dead logic.", fix: "Remove it or use it.")
    public static let duplicateExport = Rule(
        id: "OS1011", severity: .error, title: "Duplicate export name",
        why: "Export names are unique per account and region; CloudFormation rejects the stack.",
        fix: "Give each output its own export name.")

    // MARK: Resource schemas (OS11xx)
    public static let unknownProperty = Rule(
        id: "OS1101", severity: .error, title: "Unknown property",
        why: "The resource type's schema has no such property; CloudFormation rejects it.",
        fix: "Correct the spelling (the schema's property names are case-sensitive).")
    public static let missingRequiredProperty = Rule(
        id: "OS1102", severity: .error, title: "Required property missing",
        why: "The resource type's schema requires the property.", fix: "Set it.")
    public static let unknownResourceAttribute = Rule(
        id: "OS1104", severity: .error, title: "Unknown resource-level key",
        why:
            "A resource takes only Type, Properties, DependsOn, Condition, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy and UpdatePolicy (Version for custom resources, Connectors under SAM); CloudFormation rejects anything else, such as a Description beside Type.",
        fix: "Move the key under Properties or Metadata, or remove it.")
    public static let serverlessWithoutTransform = Rule(
        id: "OS1105", severity: .error, title: "SAM resource types or Globals without the SAM transform",
        why:
            "Without `Transform: AWS::Serverless-2016-10-31`, CloudFormation does not know AWS::Serverless::* types or the Globals section and rejects the template.",
        fix: "Add `Transform: AWS::Serverless-2016-10-31`.")
    public static let runtimeDeprecated = Rule(
        id: "OS1106", severity: .warning, title: "Lambda runtime deprecated",
        why: "AWS no longer patches a deprecated runtime; creating and then updating functions on it will be blocked.",
        fix: "Move to the successor runtime the message names.")
    public static let runtimeCreationBlocked = Rule(
        id: "OS1107", severity: .error, title: "Lambda runtime can no longer be created",
        why: "AWS blocks creating functions on the runtime after its date; a new stack or a replaced function fails.",
        fix: "Move to the successor runtime the message names.")
    public static let variableOutsideSub = Rule(
        id: "OS1012", severity: .error, title: "${...} outside Fn::Sub",
        why:
            "Only Fn::Sub substitutes `${Name}`; in a plain string or an Fn::Join part, `${AWS::URLSuffix}` or `${Queue}` reaches AWS literally.",
        fix: "Wrap the string in !Sub, or use !Ref / !GetAtt in the Join.")
    public static let attributeAsString = Rule(
        id: "OS1013", severity: .warning, title: "'Resource.Attribute' written as a plain string",
        why:
            "A string such as `Queue.Arn` that names a resource and one of its attributes is sent to AWS as that text, not as the ARN; `!GetAtt` was probably meant.",
        fix: "Write `!GetAtt Queue.Arn`.")
    public static let unknownType = Rule(
        id: "OS1103", severity: .note, title: "Resource type not in the catalogue",
        why:
            "Properties and attributes of types outside the imported schemas (third-party and private types, types newer than the import) are not checked.",
        fix: "Nothing to fix for a private or third-party type; for an AWS type, check the spelling of its name.")
    public static let wrongShape = Rule(
        id: "OS1108", severity: .error, title: "Property value of the wrong shape",
        why:
            "CloudFormation validates properties against the type's schema before creating anything: a list where an object is required, an object where a string is, or text where a number is, fails the stack (cfn-lint E3012).",
        fix: "Give the value the shape the message names (the resource type's reference page shows it).")
    public static let deprecatedProperty = Rule(
        id: "OS1109", severity: .warning, title: "Deprecated property",
        why: "The resource type's schema marks the property deprecated: AWS may ignore it or stop accepting it.",
        fix: "Use the property the type's documentation names instead.")
    public static let placeholder = Rule(
        id: "OS1112", severity: .warning, title: "Placeholder left in a value",
        why:
            "A value such as `arn:aws:dynamodb:...:<DYNAMO_DB_STREAM_ARN>`, `REPLACE_ME` or `TODO` is a blank from an example that was never filled: AWS rejects it or creates something nobody meant.",
        fix: "Put the real value, a parameter (!Ref), or an attribute (!GetAtt) in its place.")
    public static let bucketACLWithoutOwnership = Rule(
        id: "OS1113", severity: .error, title: "Bucket ACL on a bucket whose ACLs are disabled",
        why:
            "Since April 2023 a new bucket's Object Ownership is Bucket owner enforced, which disables ACLs: creating a bucket with an ACL that grants anything beyond the owner fails (InvalidBucketAclWithObjectOwnership, Amazon S3 User Guide, \"Controlling ownership of objects and disabling ACLs for your bucket\").",
        fix:
            "Remove AccessControl and grant access with a bucket policy, or set OwnershipControls to ObjectWriter or BucketOwnerPreferred if the ACL is really needed."
    )
    public static let deprecatedManagedPolicy = Rule(
        id: "OS1114", severity: .error, title: "Deprecated AWS managed policy",
        why:
            "AWS deprecated the managed policy: it can no longer be attached to new users, groups or roles (IAM User Guide, \"Deprecated AWS managed policies\"), so creating the role fails.",
        fix: "Attach the replacement policy the message names.")
    public static let readOnlyProperty = Rule(
        id: "OS1115", severity: .warning, title: "Read-only property set",
        why:
            "The resource type's schema marks the property read-only (a value AWS assigns, such as a generated ID): CloudFormation does not use the value written.",
        fix: "Remove it; read the value with !GetAtt if it is an attribute.")
    public static let shutDownType = Rule(
        id: "OS1110", severity: .error, title: "Resource type shut down",
        why:
            "AWS has shut the service or resource type down (its schema's lifecycle is shutdown and the date has passed): it can no longer be created (cfn-lint E3710).",
        fix: "Move to the successor service.")
    public static let retiringType = Rule(
        id: "OS1111", severity: .warning, title: "Resource type being retired",
        why:
            "AWS is retiring the service or resource type (lifecycle sunset, maintenance, or a shutdown still ahead): new features stop, and after the shutdown date it can no longer be created (cfn-lint W3696, W3697).",
        fix: "Plan the move to the successor service before the date.")

    // MARK: Wiring (OS20xx)
    public static let mappingRoleLacksSQS = Rule(
        id: "OS2001", severity: .error, title: "Event source mapping's function cannot read its queue",
        why:
            "Lambda polls the queue with the function's role; without sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on that queue the mapping fails to create or never deletes messages.",
        fix: "Grant the three actions on the queue's ARN in the function's role.")
    public static let mappingSourceIsURL = Rule(
        id: "OS2002", severity: .error, title: "EventSourceArn is a queue URL",
        why: "`!Ref` of an SQS queue returns its URL; an event source mapping needs the ARN.",
        fix: "Use `!GetAtt Queue.Arn`.")
    public static let visibilityBelowTimeout = Rule(
        id: "OS2003", severity: .error, title: "Queue visibility timeout below the function timeout",
        why: "CloudFormation rejects the mapping; a batch still running would become visible and be processed twice.",
        fix: "Raise the queue's VisibilityTimeout to at least 6 x the function timeout plus the batching window.")
    public static let visibilityBelowGuidance = Rule(
        id: "OS2004", severity: .warning,
        title: "Queue visibility timeout below 6 x function timeout + batching window",
        why:
            "AWS advises 6 x the timeout plus the window, so throttled and retried batches do not reappear while in flight.",
        fix: "Raise the queue's VisibilityTimeout.")
    public static let consumedQueueWithoutDLQ = Rule(
        id: "OS2005", severity: .warning, title: "Queue consumed by Lambda without a DLQ",
        why: "A message that always fails is retried until it expires, blocking capacity, and is lost without trace.",
        fix: "Add a RedrivePolicy with a dead-letter queue.")
    public static let dlqRetentionTooShort = Rule(
        id: "OS2006", severity: .warning, title: "DLQ keeps messages for less time than its source",
        why:
            "A standard queue's messages keep their original enqueue time in the DLQ; a shorter retention deletes them early.",
        fix: "Give the DLQ a longer MessageRetentionPeriod (14 days is the maximum).")
    public static let maxReceiveCountTooLow = Rule(
        id: "OS2007", severity: .warning, title: "maxReceiveCount below 5 on a queue consumed by Lambda",
        why: "Throttled batches count as receives, so healthy messages reach the DLQ during spikes.",
        fix: "Set maxReceiveCount to 5 or more.")
    public static let noPartialBatchResponse = Rule(
        id: "OS2008", severity: .warning, title: "SQS mapping without ReportBatchItemFailures",
        why:
            "Lambda ignores a batchItemFailures answer without it: an invocation that succeeds deletes its whole batch, the messages the function reported failed included; only an invocation error returns the batch, all of it.",
        fix: "Set FunctionResponseTypes: [ReportBatchItemFailures] and return batchItemFailures.")
    public static let maximumConcurrencyAboveReserved = Rule(
        id: "OS2009", severity: .warning, title: "MaximumConcurrency above the function's reserved concurrency",
        why:
            "Pollers invoke more batches than the function may run; throttled batches return with raised receive counts (the DLQ trap).",
        fix: "Keep ScalingConfig.MaximumConcurrency at or below ReservedConcurrentExecutions.")
    public static let apiRoleLacksSend = Rule(
        id: "OS2010", severity: .error, title: "API Gateway SQS integration cannot send",
        why:
            "The integration's credentials role must allow sqs:SendMessage on the queue it targets, or every request fails with 500.",
        fix: "Grant sqs:SendMessage on the queue's ARN in the integration's role.")
    public static let apiUriUsesArn = Rule(
        id: "OS2011", severity: .error, title: "SQS integration URI names the queue by ARN",
        why: "The path form is `sqs:path/<account>/<queue-name>`; an ARN there gives 404s at run time.",
        fix: "Use `${AWS::AccountId}/${Queue.QueueName}` in the URI.")
    public static let roleTrustsWrongService = Rule(
        id: "OS2012", severity: .error, title: "Lambda role does not trust lambda.amazonaws.com",
        why: "Lambda cannot assume the role; creating the function fails.",
        fix: "Allow sts:AssumeRole to the service principal lambda.amazonaws.com.")
    public static let permissionPrincipalMismatch = Rule(
        id: "OS2013", severity: .error, title: "Lambda permission principal does not match its source",
        why: "The SourceArn names one service, the Principal another; the invocation is denied.",
        fix: "Use the principal of the service that owns SourceArn (e.g. apigateway.amazonaws.com for execute-api).")
    public static let subscriptionQueueNotAllowed = Rule(
        id: "OS2014", severity: .error, title: "Subscribed queue does not admit the topic",
        why:
            "SNS delivers only if the queue policy allows sns.amazonaws.com to sqs:SendMessage from that topic; otherwise messages are dropped. An aws:SourceArn condition that names another topic (a reference, or an ARN written out whose name is not the topic's) admits nothing from this one.",
        fix:
            "Add a queue policy allowing sqs:SendMessage to sns.amazonaws.com with aws:SourceArn the topic (!Ref Topic)."
    )
    public static let subscriptionEndpointIsURL = Rule(
        id: "OS2015", severity: .error, title: "SNS subscription endpoint is a queue URL",
        why: "An sqs subscription needs the queue ARN; `!Ref` of a queue is its URL.",
        fix: "Use `!GetAtt Queue.Arn`.")
    public static let subscribedQueueAWSManagedKey = Rule(
        id: "OS2016", severity: .error, title: "Subscribed queue encrypted with alias/aws/sqs",
        why: "SNS cannot use the AWS-managed SQS key, so every delivery fails.",
        fix: "Use a customer-managed key whose policy allows sns.amazonaws.com, or SSE-SQS.")
    public static let alarmDimensionLiteral = Rule(
        id: "OS2017", severity: .warning, title: "Alarm dimension names a resource by literal",
        why: "A hard-coded name silently watches nothing once the resource's generated name differs.",
        fix: "Reference the resource (`!Ref`, `!GetAtt Queue.QueueName`).")
    public static let alarmDimensionWrongType = Rule(
        id: "OS2018", severity: .error, title: "Alarm dimension references a resource of the wrong type",
        why: "The alarm watches a metric that never has data (e.g. FunctionName given a queue).",
        fix: "Reference a resource of the type the dimension names.")
    public static let iteratorAgeOnSQS = Rule(
        id: "OS2019", severity: .warning, title: "IteratorAge alarm on an SQS-fed function",
        why: "IteratorAge exists only for stream sources; the alarm never fires.",
        fix: "Alarm on the queue's ApproximateAgeOfOldestMessage instead.")
    public static let functionLogGroup = Rule(
        id: "OS2020", severity: .warning, title: "Function without a retained log group",
        why:
            "Lambda creates /aws/lambda/<name> on first use with no retention: logs are kept (and billed) forever and the group outlives the stack.",
        fix: "Declare the log group (matching name or LoggingConfig.LogGroup) with RetentionInDays.")
    public static let tableWithoutPITR = Rule(
        id: "OS2021", severity: .warning, title: "Table without point-in-time recovery",
        why: "Without PITR a bad write or delete cannot be undone.", fix: "Enable PointInTimeRecoverySpecification.")
    public static let tableNotRetained = Rule(
        id: "OS2022", severity: .warning, title: "Table not retained on delete and replace",
        why: "Removing the resource or a replacing change deletes every item.",
        fix: "Set DeletionPolicy and UpdateReplacePolicy to Retain.")
    public static let tableWithoutDeletionProtection = Rule(
        id: "OS2023", severity: .warning, title: "Table without deletion protection",
        why: "Anyone with DeleteTable permission can drop it outside CloudFormation.",
        fix: "Set DeletionProtectionEnabled: true.")
    public static let dlqTypeMismatch = Rule(
        id: "OS2030", severity: .error, title: "Dead-letter queue of the other queue type",
        why:
            "A FIFO queue's dead-letter queue must be FIFO and a standard queue's standard; CloudFormation fails the update.",
        fix: "Make the DLQ the same type (FifoQueue) as its source.")
    public static let wildcardAction = Rule(
        id: "OS2024", severity: .error, title: "IAM statement allows every action",
        why:
            "`Action: '*'` (or an Allow with NotAction) makes the principal an administrator of what the statement reaches.",
        fix: "List the actions the code calls.")
    public static let serviceWildcardAction = Rule(
        id: "OS2029", severity: .warning, title: "IAM statement allows every action of a service",
        why: "`sqs:*` includes DeleteQueue, SetQueueAttributes and the like: far more than the wiring needs.",
        fix: "List the actions the code calls.")
    public static let wildcardResource = Rule(
        id: "OS2025", severity: .warning, title: "Resource '*' for actions that support resource scoping",
        why: "The statement reaches every resource of that service in the account.",
        fix: "Scope the statement to the resources' ARNs.")
    public static let unauthenticatedWriteRoute = Rule(
        id: "OS2026", severity: .warning, title: "Write route with no authorization and no API key",
        why: "Anyone on the internet can write through it.",
        fix: "Use AWS_IAM, a Cognito or Lambda authorizer, or ApiKeyRequired with a usage plan.")
    public static let stageWithoutThrottling = Rule(
        id: "OS2027", severity: .warning, title: "API stage without throttling",
        why:
            "Without stage or usage-plan limits one client can use the whole account's API Gateway quota. A usage plan counts only when it can apply: it throttles requests that carry one of its API keys, so it needs a key (`AWS::ApiGateway::UsagePlanKey`) and a method with `ApiKeyRequired`; a plan without them is named as throttling nothing.",
        fix: "Set MethodSettings ThrottlingRateLimit/BurstLimit, or give the plan a key and require it on the methods.")
    public static let stageWithoutAccessLog = Rule(
        id: "OS2028", severity: .warning, title: "API stage without access logs",
        why: "Rejected and failed requests leave no trace.", fix: "Set AccessLogSetting to a log group with retention.")

    /// Every rule, in ID order.
    public static let all: [Rule] = [
        syntax, notATemplate, duplicateKey, unknownTag, malformed, suppressionWithoutReason,
        undefinedRef, getAttMissingResource, getAttUnknownAttribute, subUndefinedVariable, dependsOnUndefined,
        undefinedCondition, undefinedMapping, circularDependency, unusedParameter, unusedCondition, duplicateExport,
        variableOutsideSub, attributeAsString,
        unknownProperty, missingRequiredProperty, unknownType, unknownResourceAttribute, serverlessWithoutTransform,
        runtimeDeprecated, runtimeCreationBlocked, wrongShape, deprecatedProperty, shutDownType, retiringType,
        placeholder, bucketACLWithoutOwnership, deprecatedManagedPolicy, readOnlyProperty,
        mappingRoleLacksSQS, mappingSourceIsURL, visibilityBelowTimeout, visibilityBelowGuidance,
        consumedQueueWithoutDLQ, dlqRetentionTooShort, maxReceiveCountTooLow, noPartialBatchResponse,
        maximumConcurrencyAboveReserved, apiRoleLacksSend, apiUriUsesArn, roleTrustsWrongService,
        permissionPrincipalMismatch, subscriptionQueueNotAllowed, subscriptionEndpointIsURL,
        subscribedQueueAWSManagedKey, alarmDimensionLiteral, alarmDimensionWrongType, iteratorAgeOnSQS,
        functionLogGroup, tableWithoutPITR, tableNotRetained, tableWithoutDeletionProtection, wildcardAction,
        wildcardResource, unauthenticatedWriteRoute, stageWithoutThrottling, stageWithoutAccessLog,
        serviceWildcardAction, dlqTypeMismatch,
    ]

    /// The rule with `id`, if any.
    public static func rule(_ id: String) -> Rule? { all.first { $0.id == id } }
}
