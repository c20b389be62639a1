import CloudFormation

/// Both sides of a diff, evaluated, with the wiring questions the rules ask of them.
struct DiffContext {
    /// The old template as deployed with the parameter values.
    let before: TemplateEvaluation
    /// The new template as it would be deployed with the same values.
    let after: TemplateEvaluation
    /// Catalogue entries for the types of both sides.
    let types: [String: ResourceTypeInfo]
    private let oldById: [String: Resource]
    private let newById: [String: Resource]

    init(before: TemplateEvaluation, after: TemplateEvaluation) {
        self.before = before
        self.after = after
        types = ResourceCatalogue.infos(
            for: before.template.resources.map(\.type) + after.template.resources.map(\.type))
        oldById = Dictionary(
            before.createdResources.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        newById = Dictionary(after.createdResources.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The old side's resource, if it exists there under the parameter values.
    func oldResource(_ logicalId: String) -> Resource? { oldById[logicalId] }

    /// The new side's resource, if it exists there (a resource whose condition is unknown counts).
    func newResource(_ logicalId: String) -> Resource? { newById[logicalId] }

    /// The logical IDs whose properties reference `logicalId` on one side.
    static func referrers(of logicalId: String, in evaluation: TemplateEvaluation) -> Set<String> {
        Set(
            evaluation.createdResources.filter {
                $0.logicalId != logicalId && References.resources(in: .map($0.properties)).contains(logicalId)
            }.map(\.logicalId))
    }

    /// Whether another queue on that side sends its failed messages to `logicalId` (a dead-letter queue).
    static func isDeadLetterQueue(_ logicalId: String, in evaluation: TemplateEvaluation) -> Bool {
        evaluation.createdResources.contains { resource in
            resource.type == "AWS::SQS::Queue"
                && resource["RedrivePolicy"].map { References.resources(in: $0).contains(logicalId) } == true
        }
    }

    /// The event source mappings on that side that poll `logicalId`.
    /// Whether `mapping` reads a stream (a table's `StreamArn`, or a Kinesis stream: it has a `StartingPosition`),
    /// not a queue.
    static func readsStream(_ mapping: Resource) -> Bool {
        if case .getAtt(_, "StreamArn")? = mapping["EventSourceArn"] { return true }
        return mapping["StartingPosition"] != nil
    }

    static func mappings(consuming logicalId: String, in evaluation: TemplateEvaluation) -> [Resource] {
        evaluation.createdResources.filter { resource in
            resource.type == "AWS::Lambda::EventSourceMapping"
                && resource["EventSourceArn"].map { References.resources(in: $0).contains(logicalId) } == true
        }
    }

    /// The resources whose encryption settings name the key `logicalId` on the old side.
    func encrypted(under logicalId: String) -> [String] {
        let keyProperties: Set<String> = [
            "KmsMasterKeyId", "KMSMasterKeyId", "KmsKeyId", "KmsKeyArn", "KMSKeyId", "SSESpecification",
            "BucketEncryption", "EncryptionConfiguration", "KmsKeyIdentifier",
        ]
        return before.createdResources.filter { resource in
            resource.properties.contains { entry in
                keyProperties.contains(entry.key) && References.resources(in: entry.value).contains(logicalId)
            }
        }.map(\.logicalId)
    }
}
