import CloudFormation

/// The resource types that hold data, and what deleting each one takes with it.
enum StatefulTypes {
    /// What deleting a resource of the type deletes, by type.
    static let contents: [String: String] = [
        "AWS::DynamoDB::Table": "the table and its items",
        "AWS::DynamoDB::GlobalTable": "the global table and its items in every replica",
        "AWS::SQS::Queue": "the queue and the messages in it",
        "AWS::Logs::LogGroup": "the log group and its log events",
        "AWS::S3::Bucket": "the bucket (CloudFormation deletes only an empty bucket; otherwise the deletion fails)",
        "AWS::RDS::DBInstance": "the database instance and its data",
        "AWS::RDS::DBCluster": "the cluster and its data",
        "AWS::EFS::FileSystem": "the file system and its files",
        "AWS::Kinesis::Stream": "the stream and its records",
        "AWS::Cognito::UserPool": "the user pool and its users",
        "AWS::SecretsManager::Secret": "the secret (after its recovery window)",
        "AWS::ElastiCache::ReplicationGroup": "the replication group and its data",
        "AWS::Neptune::DBCluster": "the cluster and its data",
        "AWS::OpenSearchService::Domain": "the domain and its indexes",
        "AWS::KMS::Key": "the key",
    ]

    /// Every stateful type.
    static let all = Set(contents.keys)

    /// What deleting `type` deletes.
    static func what(_ type: String) -> String { contents[type] ?? "the resource and its data" }

    /// The KMS key's deletion, said truly: scheduled after the pending window, and what becomes unreadable.
    static func keyDeletion(_ key: Resource, context: DiffContext) -> String {
        let days = context.before.resolve(key["PendingWindowInDays"] ?? .int(30)).intValue ?? 30
        let users = context.encrypted(under: key.logicalId)
        let data =
            users.isEmpty
            ? "data encrypted under it" : "data encrypted under it (\(users.joined(separator: ", ")))"
        return
            "KMS schedules the key for deletion after its pending window of \(days) days "
            + "(PendingWindowInDays); once deleted, \(data) can never be decrypted. Until then the deletion can be "
            + "cancelled (CancelKeyDeletion)"
    }

    /// A custom physical name set on the resource, if any (`TableName`, `QueueName`, `Name`, ...).
    static func customName(_ resource: Resource, info: ResourceTypeInfo?, evaluation: TemplateEvaluation)
        -> (property: String, value: Value)?
    {
        guard let property = Differ.nameProperty(of: resource.type, info: info),
            let value = resource.properties[property]
        else { return nil }
        return (property, evaluation.resolve(value))
    }
}

extension Differ {
    /// The property that holds a custom physical name: the create-only `<Type>Name` (`TableName`, `QueueName`,
    /// `LogGroupName`) or `Name`.
    static func nameProperty(of type: String, info: ResourceTypeInfo?) -> String? {
        guard let info, let last = type.split(separator: ":").last else { return nil }
        return ["\(last)Name", "Name"].first { info.createOnly.contains($0) }
    }
}

/// What removing a resource does.
enum Removals {
    /// The change for a resource that exists on the old side and not on the new one.
    static func change(_ resource: Resource, context: DiffContext) -> ResourceChange {
        var change = ResourceChange(logicalId: resource.logicalId, type: resource.type, kind: .removed)
        let why = cause(resource, context: context)
        if resource.type == "AWS::CodeDeploy::DeploymentGroup" {
            change.add(
                .safeguardRemoved,
                "\(why)the deployment group is deleted: its function's next versions take all traffic at once, "
                    + "without CodeDeploy watching alarms or rolling back")
        }
        if resource.type == "AWS::Events::Rule", let targets = EventRules.deliveringTargets(resource, context.before) {
            change.add(
                .subscriptionRemoved,
                "\(why)the rule is deleted: \(targets) no longer receive the bus's events from this deploy on")
        } else if resource.type == "AWS::SNS::Subscription" {
            let endpoint = resource["Endpoint"].map { ValueText.compact(context.before.resolve($0)) } ?? "its endpoint"
            change.add(
                .subscriptionRemoved,
                "\(why)the subscription is deleted: \(endpoint) no longer receives the topic's messages from this deploy on"
            )
        } else if resource.type == "AWS::Lambda::EventSourceMapping", DiffContext.readsStream(resource) {
            let function = resource["FunctionName"].map { References.resources(in: $0).sorted().first ?? "" } ?? ""
            let source = resource["EventSourceArn"].map { References.resources(in: $0).sorted().first ?? "" } ?? ""
            let successor = context.after.createdResources.first {
                $0.type == resource.type && $0["EventSourceArn"] == resource["EventSourceArn"]
                    && $0["FunctionName"] == resource["FunctionName"]
            }
            if let successor, successor["StartingPosition"] == .string("TRIM_HORIZON") {
                change.add(
                    .note,
                    "\(why)replaced by \(successor.logicalId), which reads the same stream from its oldest record "
                        + "(TRIM_HORIZON): the last 24 hours of changes are delivered again (duplicates, none lost)")
                return change
            }
            change.add(
                .streamCut,
                "\(why)the mapping is deleted: \(function.isEmpty ? "its function" : function) no longer reads "
                    + "\(source.isEmpty ? "the" : "\(source)'s") change stream; changes it has not read yet (for an "
                    + "outbox, stored items not yet announced) are never delivered, and the stream drops them after "
                    + "24 hours")
        } else if resource.type == "AWS::Lambda::EventSourceMapping" {
            let source = resource["EventSourceArn"].map { References.resources(in: $0).sorted().first ?? "" } ?? ""
            if !source.isEmpty, DiffContext.mappings(consuming: source, in: context.after).isEmpty {
                change.add(
                    .safeguardRemoved,
                    "\(why)the mapping is deleted and nothing else consumes \(source): its messages wait, and are "
                        + "deleted when its retention period ends")
            }
        } else if Differ.isRetain(resource.deletionPolicy) {
            change.add(.note, retained(resource, why: why, context: context))
        } else if resource.type == "AWS::KMS::Key" {
            change.add(.removed, "\(why)\(StatefulTypes.keyDeletion(resource, context: context))")
        } else if StatefulTypes.all.contains(resource.type) {
            change.add(
                .removed,
                "\(why)CloudFormation deletes \(StatefulTypes.what(resource.type)) (no DeletionPolicy: Retain)")
        }
        return change
    }

    /// Why the resource goes: its condition turned false, or it is no longer in the template.
    private static func cause(_ resource: Resource, context: DiffContext) -> String {
        guard let present = context.after.template.resource(resource.logicalId), let condition = present.condition
        else { return "" }
        return "its Condition \(condition) is false with these parameter values, so it is not created: "
    }

    private static func retained(_ resource: Resource, why: String, context: DiffContext) -> String {
        let policy = ValueText.compact(resource.deletionPolicy ?? .string("Retain"))
        let info = context.types[resource.type]
        let name =
            StatefulTypes.customName(resource, info: info, evaluation: context.before)
            .map { "named \(ValueText.compact($0.value))" } ?? "under its generated name"
        if policy == "Snapshot" {
            return "\(why)removed from the stack; DeletionPolicy: Snapshot deletes it after a final snapshot, "
                + "which has to be restored by hand"
        }
        return
            "\(why)removed from the stack; DeletionPolicy: \(policy) keeps it in the account \(name) with its data, "
            + "no longer managed by this stack"
    }
}

/// What a replacement does to a stateful resource's data.
enum Replacements {
    /// Records the data loss of a replaced stateful resource, or the refusal of a replacement that keeps a custom
    /// name (then nothing is replaced and nothing is lost: the update rolls back).
    static func judge(_ change: inout ResourceChange, old: Resource, new: Resource, context: DiffContext) {
        change.findings.removeAll { $0.kind == .replaced }
        guard change.replacement > .never else { return }
        if let refusal = customNameRefusal(old: old, new: new, replacement: change.replacement, context: context) {
            change.add(.refused, refusal)
            return
        }
        if new.type == "AWS::SNS::Subscription", let note = confirmation(new, context: context) {
            change.add(.note, note)
        }
        if new.type == "AWS::Lambda::EventSourceMapping", DiffContext.readsStream(new) {
            let position = context.after.resolve(new["StartingPosition"] ?? .null).stringValue ?? "?"
            if position == "TRIM_HORIZON" {
                change.add(
                    .note,
                    "the new mapping reads the stream from its oldest record (TRIM_HORIZON): the last 24 hours of "
                        + "changes are delivered again (duplicates, none lost)")
            } else {
                change.add(
                    .streamCut,
                    "the mapping is replaced and the new one starts at \(position): changes the old one had not read "
                        + "yet (for an outbox, stored items not yet announced) are never delivered")
            }
        }
        guard StatefulTypes.all.contains(new.type) || StatefulTypes.all.contains(old.type) else { return }
        let verb = change.replacement == .always ? "replaced" : "may be replaced"
        change.add(.replaced, "\(verb): \(whereOldDataStays(old: old, new: new, context: context))")
    }

    /// A replaced subscription to an e-mail or HTTP endpoint starts unconfirmed: SNS delivers nothing to it until
    /// its owner confirms (SNS Developer Guide, "Confirm your Amazon SNS subscription").
    private static func confirmation(_ subscription: Resource, context: DiffContext) -> String? {
        let protocolName = subscription["Protocol"].map(context.after.resolve)?.stringValue ?? ""
        guard ["email", "email-json", "http", "https"].contains(protocolName) else { return nil }
        let endpoint = subscription["Endpoint"].map { ValueText.compact(context.after.resolve($0)) } ?? "the endpoint"
        return "the new subscription is pending until \(endpoint) confirms it (SNS sends a confirmation message); "
            + "until then nothing reaches it, and the old subscription is deleted"
    }

    private static func whereOldDataStays(old: Resource, new: Resource, context: DiffContext) -> String {
        if old.type == "AWS::KMS::Key" {
            return "the stack moves to a new key. For the old one, " + StatefulTypes.keyDeletion(old, context: context)
        }
        let moves = "the stack moves to a new, empty resource; "
        let protected = context.before.resolve(old["DeletionProtectionEnabled"] ?? .bool(false))
        if Comparison.normalized(protected) == .string("true") {
            return moves
                + "deleting the old one fails (DeletionProtectionEnabled), so it stays in the account with its data, "
                + "outside the stack"
        }
        let policy = new.updateReplacePolicy
        if policy == .string("Snapshot") {
            return moves
                + "the old one is deleted after a snapshot (UpdateReplacePolicy: Snapshot), restored only by hand"
        }
        if Differ.isRetain(policy) {
            return moves
                + "the old one and its data stay in the account outside the stack (UpdateReplacePolicy: Retain), orphaned"
        }
        return moves + "CloudFormation deletes \(StatefulTypes.what(old.type)) (no UpdateReplacePolicy: Retain)"
    }

    /// CloudFormation creates the replacement before deleting the old resource, so a replacement that keeps a
    /// custom name fails ("cannot update a stack when a custom-named resource requires replacing").
    private static func customNameRefusal(
        old: Resource, new: Resource, replacement: Replacement, context: DiffContext
    ) -> String? {
        guard replacement > .never, old.type == new.type,
            let (property, name) = StatefulTypes.customName(
                new, info: context.types[new.type], evaluation: context.after),
            Comparison.same(old.properties[property].map(context.before.resolve), name)
        else { return nil }
        let start = replacement == .always ? "" : "if the update replaces it: "
        return start
            + "\(property) \(ValueText.compact(name)) is a custom name: CloudFormation creates the replacement before it "
            + "deletes the old resource, so it refuses a replacement that keeps the name and rolls the update back; "
            + "nothing is replaced. Give it a new name in the same change or remove \(property)"
    }
}
