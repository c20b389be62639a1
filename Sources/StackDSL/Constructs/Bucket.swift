import CloudFormation

/// An S3 bucket for a stack's files (reports, exports, uploads): encrypted (SSE-S3), versioned, public access
/// blocked, objects owned by the bucket's account, TLS-only, and kept when the stack is deleted or the bucket
/// replaced. A function uses it through `bucket.read` or `bucket.readWrite` (`Function.uses`), which grants the
/// object actions on its objects and names it in `<NAME>_BUCKET_NAME`.
///
/// Storage and requests are billed by use (GB-months, per 1,000 requests), which no profile predicts: `cost` lists
/// a bucket as not priced.
public struct Bucket: Sendable, Hashable {
    /// The construct name; the logical ID is `<name>Bucket`.
    public let name: String
    /// Days after which a noncurrent (overwritten or deleted) version is removed; a stage may set its own
    /// (`constructs.<Name>.noncurrentVersionDays`).
    public var noncurrentVersionDays: Int

    /// A bucket keeping overwritten versions for `noncurrentVersionDays` days.
    public init(_ name: String, noncurrentVersionDays: Int = 30) {
        self.name = name
        self.noncurrentVersionDays = noncurrentVersionDays
    }

    /// Read access for a function: `s3:GetObject` on its objects, `s3:ListBucket` on it.
    public var read: BucketAccess { BucketAccess(bucket: self, writes: false) }
    /// Read and write access: also `s3:PutObject` and `s3:DeleteObject`.
    public var readWrite: BucketAccess { BucketAccess(bucket: self, writes: true) }

    var logicalId: String { "\(name)Bucket" }
}

extension Bucket: Construct {
    public static let kind = "bucket"
    public static let settingKeys = ["noncurrentVersionDays"]

    public func expand(in context: inout ExpansionContext) throws(SynthesisError) {
        var days = noncurrentVersionDays
        if let setting = context.setting("noncurrentVersionDays", of: self) {
            guard case .number(let text) = setting, let value = Int(text), value >= 1 else {
                throw context.settingError(
                    "noncurrentVersionDays", of: self, "must be a whole number of days, 1 or more")
            }
            days = value
        }
        let retain = Value.string("Retain")
        context.add(
            Resource(
                logicalId, type: "AWS::S3::Bucket",
                properties: Fields([
                    (
                        "BucketEncryption",
                        .object([
                            "ServerSideEncryptionConfiguration": .list([
                                .object(["ServerSideEncryptionByDefault": .object(["SSEAlgorithm": .string("AES256")])])
                            ])
                        ])
                    ),
                    ("VersioningConfiguration", .object(["Status": .string("Enabled")])),
                    (
                        "PublicAccessBlockConfiguration",
                        .object([
                            "BlockPublicAcls": .bool(true), "BlockPublicPolicy": .bool(true),
                            "IgnorePublicAcls": .bool(true), "RestrictPublicBuckets": .bool(true),
                        ])
                    ),
                    (
                        "OwnershipControls",
                        .object(["Rules": .list([.object(["ObjectOwnership": .string("BucketOwnerEnforced")])])])
                    ),
                    (
                        "LifecycleConfiguration",
                        .object([
                            "Rules": .list([
                                .object([
                                    "Id": .string("ExpireNoncurrentVersions"), "Status": .string("Enabled"),
                                    "NoncurrentVersionExpiration": .object(["NoncurrentDays": .int(days)]),
                                ])
                            ])
                        ])
                    ),
                ]),
                deletionPolicy: retain, updateReplacePolicy: retain))
        let arns: [Value] = [.getAtt(logicalId, "Arn"), .sub("${\(logicalId).Arn}/*", nil)]
        context.add(
            Resource(
                "\(logicalId)Policy", type: "AWS::S3::BucketPolicy",
                properties: Fields([
                    ("Bucket", .ref(logicalId)),
                    ("PolicyDocument", policyDocument([.denyInsecureTransport(service: "s3", on: arns)])),
                ])))
        context.graph.node(logicalId, "\(name) (S3 bucket)", .other)
        context.output("\(name)BucketName", .ref(logicalId), "Name of the \(name) bucket")
    }
}

/// What a function may do with a bucket's objects (`Bucket.read`, `Bucket.readWrite`).
public struct BucketAccess: FunctionResource {
    public static let kind = "bucket access"
    public static let nameIsLogicalIdPrefix = false

    /// The bucket.
    public let bucket: Bucket
    /// Whether the function writes and deletes objects too.
    public let writes: Bool

    public var name: String { "\(bucket.name)\(writes ? "ReadWrite" : "Read")" }
    public var reaches: [any Construct] { [bucket] }
    public var nodeId: String { bucket.logicalId }
    public var edgeLabel: String { writes ? "reads and writes objects" : "reads objects" }

    public var statements: [Statement] {
        let objects = Value.sub("${\(bucket.logicalId).Arn}/*", nil)
        var statements: [Statement] = [
            .allow(["s3:ListBucket"], on: [.getAtt(bucket.logicalId, "Arn")], sid: "List\(bucket.name)Bucket")
        ]
        let objectActions = writes ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"]
        statements.append(
            .allow(objectActions, on: [objects], sid: "\(writes ? "Write" : "Read")\(bucket.name)Objects"))
        return statements
    }

    public var environment: [(name: String, value: Value)] {
        [("\(Names.upperSnake(bucket.name))_BUCKET_NAME", .ref(bucket.logicalId))]
    }

    public func expand(in context: inout ExpansionContext) {}
}
