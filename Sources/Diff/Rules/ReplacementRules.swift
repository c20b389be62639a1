import CloudFormation

/// What one changed property does: replacement from the resource schemas, refusals from AWS's documented
/// update behaviour.
enum ReplacementRules {
    /// The verdict for one changed property.
    struct Verdict {
        var replacement: Replacement = .never
        var reason: String?
        /// Why the update fails or is refused, when it is.
        var refusal: String?
    }

    /// Classifies the change at `path` (below `Properties`) between the resolved properties `old` and `new`.
    static func classify(path: [String], old: Value, new: Value, type: String, context: DiffContext) -> Verdict {
        guard let top = path.first else { return Verdict() }
        if let rule = DocumentedUpdateRules.rule(type: type, property: top) {
            return documented(rule, old: old[top], new: new[top], resource: new)
        }
        guard let info = context.types[type] else {
            if ResourceCatalogue.isCustom(type) { return Verdict() }
            return Verdict(
                replacement: .conditional, reason: "\(type) is not in the resource catalogue; replacement unknown")
        }
        if let createOnly = matching(info.createOnly, path) {
            return Verdict(
                replacement: .always, reason: "\(createOnly) is create-only: changing it replaces the resource")
        }
        if let conditional = matching(info.conditionalCreateOnly, path) {
            return Verdict(
                replacement: .conditional,
                reason: "\(conditional) is conditionally create-only: changing it may replace the resource")
        }
        if top == "AttributeDefinitions", info.conditionalCreateOnly.contains("KeySchema"),
            let changed = keyAttributeTypeChange(old: old, new: new)
        {
            return Verdict(
                replacement: .conditional,
                reason:
                    "key attribute \(changed) changes type: the key schema changes with it, so the table is replaced "
                    + "or the update fails")
        }
        return Verdict()
    }

    /// The create-only path that `path` falls under (or that lies under `path`), if any.
    private static func matching(_ paths: [String], _ path: [String]) -> String? {
        paths.first { createOnlyPath in
            let parts = createOnlyPath.split(separator: "/").map(String.init)
            return Array(path.prefix(parts.count)) == parts || Array(parts.prefix(path.count)) == path
        }
    }

    private static func documented(_ rule: DocumentedUpdateRules.Rule, old: Value?, new: Value?, resource: Value)
        -> Verdict
    {
        let before = old ?? rule.defaultValue
        let after = new ?? rule.defaultValue
        if Comparison.same(before, after) { return Verdict() }
        switch rule.effect {
        case .fails(let why):
            return Verdict(replacement: .never, reason: why, refusal: "\(rule.property): \(why) (\(rule.source))")
        case .failsOnHashOnlyTable(let why):
            let hashOnly = resource["KeySchema"]?.items?.count == 1
            return hashOnly
                ? Verdict(replacement: .never, reason: why, refusal: "\(rule.property): \(why) (\(rule.source))")
                : Verdict(replacement: .always, reason: rule.replaces)
        case .replaces:
            return Verdict(replacement: .always, reason: rule.replaces)
        }
    }

    /// The name of a key attribute (in `KeySchema`) whose `AttributeType` differs between the two sides.
    static func keyAttributeTypeChange(old: Value, new: Value) -> String? {
        let keys = Set((old["KeySchema"]?.items ?? []).compactMap { $0["AttributeName"]?.stringValue })
        func types(_ side: Value) -> [String: Value] {
            var result: [String: Value] = [:]
            for item in side["AttributeDefinitions"]?.items ?? [] {
                if let name = item["AttributeName"]?.stringValue { result[name] = item["AttributeType"] }
            }
            return result
        }
        let before = types(old)
        let after = types(new)
        return keys.sorted().first { before[$0] != nil && !Comparison.same(before[$0], after[$0]) }
    }
}

/// Update behaviour that the resource schemas do not carry, each rule with the page of AWS's documentation it
/// comes from. The schemas mark neither KMS's immutable key properties (an update "fails, regardless of the value
/// of the UpdateReplacePolicy attribute") nor DynamoDB's local secondary indexes (created only with the table).
enum DocumentedUpdateRules {
    /// What changing the property does.
    enum Effect {
        /// The update fails whatever the policies; nothing is replaced.
        case fails(String)
        /// The update fails on a table whose key has no sort key, and replaces the table otherwise.
        case failsOnHashOnlyTable(String)
        /// The resource is replaced.
        case replaces
    }

    /// One rule.
    struct Rule {
        var type: String
        var property: String
        /// The value AWS assumes when the property is not set (unset and default are the same value).
        var defaultValue: Value?
        var effect: Effect
        var replaces: String
        var source: String
    }

    private static let kmsKey =
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html"
    private static let lsi =
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-localsecondaryindex.html"
    private static let immutable =
        "KMS cannot change it on an existing key: the update fails, regardless of UpdateReplacePolicy"

    private static let logGroupClass =
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"

    /// The rules.
    static let rules: [Rule] = [
        Rule(
            type: "AWS::Logs::LogGroup", property: "LogGroupClass", defaultValue: .string("STANDARD"),
            effect: .fails("CloudWatch Logs cannot change a log group's class after it is created: the update fails"),
            replaces: "", source: logGroupClass),
        Rule(
            type: "AWS::KMS::Key", property: "KeySpec", defaultValue: .string("SYMMETRIC_DEFAULT"),
            effect: .fails(immutable), replaces: "", source: kmsKey),
        Rule(
            type: "AWS::KMS::Key", property: "KeyUsage", defaultValue: .string("ENCRYPT_DECRYPT"),
            effect: .fails(immutable), replaces: "", source: kmsKey),
        Rule(
            type: "AWS::KMS::Key", property: "MultiRegion", defaultValue: .bool(false), effect: .fails(immutable),
            replaces: "", source: kmsKey),
        Rule(
            type: "AWS::DynamoDB::Table", property: "LocalSecondaryIndexes", defaultValue: nil,
            effect: .failsOnHashOnlyTable(
                "a local secondary index needs a table whose key has a sort key (RANGE); DynamoDB refuses it"),
            replaces: "local secondary indexes can only be created with their table: changing them replaces it",
            source: lsi),
    ]

    private static let byKey: [String: Rule] = Dictionary(
        rules.map { ("\($0.type)/\($0.property)", $0) }, uniquingKeysWith: { first, _ in first })

    /// The rule for `property` of `type`, if one applies.
    static func rule(type: String, property: String) -> Rule? { byKey["\(type)/\(property)"] }
}
