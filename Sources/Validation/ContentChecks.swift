import CloudFormation

/// Values that cannot deploy as written: placeholders left from an example, a bucket ACL that new buckets refuse,
/// and AWS managed policies that can no longer be attached.
enum ContentChecks {
    static func run(_ context: inout Context) {
        checkPlaceholders(&context)
        checkBucketACLs(&context)
        checkManagedPolicies(&context)
    }

    // MARK: Placeholders

    /// Words that mark a blank in an example.
    static let blankWords: Set<String> = ["REPLACE_ME", "REPLACEME", "CHANGE_ME", "CHANGEME", "TODO", "FIXME"]

    private static func checkPlaceholders(_ context: inout Context) {
        for resource in context.template.resources {
            var found: [(Path, String)] = []
            strings(in: .map(resource.properties), at: Path("Resources", resource.logicalId, "Properties")) {
                if let blank = placeholder(in: $1) { found.append(($0, blank)) }
            }
            for (path, blank) in found {
                context.report(
                    Rules.placeholder, at: path, subject: resource.logicalId,
                    "'\(path.components.dropFirst(3).joined(separator: "."))' of '\(resource.logicalId)' holds the placeholder '\(blank)'"
                )
            }
        }
    }

    /// The placeholder in a one-line value: `<NAME>` (letters, digits, `_`, `-`, `.`) in a value without spaces or
    /// in an ARN, or a blank word (`REPLACE_ME`, `TODO`) as a whole word of a value without spaces.
    static func placeholder(in text: String) -> String? {
        guard !text.contains("\n"), text.count <= 2_048 else { return nil }
        let spaced = text.contains(" ")
        if !spaced || text.hasPrefix("arn:"), let open = text.firstIndex(of: "<"),
            let close = text[open...].firstIndex(of: ">")
        {
            let inside = text[text.index(after: open)..<close]
            if let first = inside.first, first.isLetter,
                inside.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) })
            {
                return String(text[open...close])
            }
        }
        guard !spaced else { return nil }
        let words = text.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return words.first { blankWords.contains(String($0).uppercased()) && String($0) == String($0).uppercased() }
            .map(String.init)
    }

    /// Calls `visit` with every literal string (and `Fn::Sub` text) in `value`, with its path.
    static func strings(in value: Value, at path: Path, _ visit: (Path, String) -> Void) {
        switch value {
        case .string(let text): visit(path, text)
        case .sub(let text, _): visit(path, text)
        case .list(let items):
            for (index, item) in items.enumerated() { strings(in: item, at: path.appending(String(index)), visit) }
        case .map(let fields):
            for entry in fields { strings(in: entry.value, at: path.appending(entry.key), visit) }
        case .call(let function, let argument): strings(in: argument, at: path.appending(function.rawValue), visit)
        default: break
        }
    }

    // MARK: Bucket ACLs

    /// Canned ACLs that grant nothing beyond the bucket owner, which a bucket with ACLs disabled accepts.
    static let ownerOnlyACLs: Set<String> = ["Private", "BucketOwnerFullControl", "BucketOwnerRead"]

    private static func checkBucketACLs(_ context: inout Context) {
        for resource in context.resourceList where resource.type == "AWS::S3::Bucket" {
            guard let acl = resource["AccessControl"]?.stringValue, !ownerOnlyACLs.contains(acl) else { continue }
            let rules = resource["OwnershipControls"]?["Rules"]?.items ?? []
            let ownership = rules.compactMap { $0["ObjectOwnership"] }
            // An ownership written as an intrinsic is decided at deploy time.
            guard ownership.allSatisfy({ $0.stringValue != nil }) else { continue }
            let allowsACLs = ownership.contains { ["ObjectWriter", "BucketOwnerPreferred"].contains($0.stringValue) }
            guard !allowsACLs else { continue }
            context.report(
                Rules.bucketACLWithoutOwnership,
                at: Path("Resources", resource.logicalId, "Properties", "AccessControl"), subject: resource.logicalId,
                "bucket '\(resource.logicalId)' sets AccessControl \(acl), but \(ownership.isEmpty ? "without OwnershipControls a new bucket has ACLs disabled (Bucket owner enforced, the default since April 2023)" : "its OwnershipControls disable ACLs (BucketOwnerEnforced)"): S3 refuses to create it"
            )
        }
    }

    // MARK: Managed policies

    private static func checkManagedPolicies(_ context: inout Context) {
        for resource in context.resourceList {
            guard ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"].contains(resource.type) else { continue }
            for (index, arn) in (resource["ManagedPolicyArns"]?.items ?? []).enumerated() {
                guard let name = DeprecatedManagedPolicies.name(in: arn),
                    let entry = DeprecatedManagedPolicies.table[name]
                else { continue }
                context.report(
                    Rules.deprecatedManagedPolicy,
                    at: Path("Resources", resource.logicalId, "Properties", "ManagedPolicyArns", String(index)),
                    subject: resource.logicalId,
                    "AWS managed policy \(name) was deprecated on \(entry.deprecated) and can no longer be attached; use \(entry.replacement)"
                )
            }
        }
    }
}
