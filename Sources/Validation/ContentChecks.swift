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
    /// in an ARN, or a blank word (`REPLACE_ME`, `TODO`) as a whole word of a value without spaces. One pass over
    /// the UTF-8 bytes: every string of a template goes through here.
    static func placeholder(in text: String) -> String? {
        let bytes = text.utf8
        guard bytes.count <= 2_048, !bytes.contains(UInt8(ascii: "\n")) else { return nil }
        let spaced = bytes.contains(UInt8(ascii: " "))
        if !spaced || text.hasPrefix("arn:"), let bracket = bracketed(bytes) { return bracket }
        guard !spaced else { return nil }
        var word: [UInt8] = []
        for byte in bytes {
            if isWordByte(byte) {
                word.append(byte)
                continue
            }
            if let blank = blank(word) { return blank }
            word.removeAll(keepingCapacity: true)
        }
        return blank(word)
    }

    private static let blankBytes = Set(blankWords.map { Array($0.utf8) })

    private static func blank(_ word: [UInt8]) -> String? {
        blankBytes.contains(word) ? String(decoding: word, as: UTF8.self) : nil
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F
    }

    /// The first `<NAME>` in the bytes: a letter, then letters, digits, `_`, `-` or `.`, then `>`.
    private static func bracketed(_ bytes: String.UTF8View) -> String? {
        guard var open = bytes.firstIndex(of: UInt8(ascii: "<")) else { return nil }
        while true {
            var index = bytes.index(after: open)
            var length = 0
            while index < bytes.endIndex, isWordByte(bytes[index]) || bytes[index] == 0x2D || bytes[index] == 0x2E {
                if length == 0, !((bytes[index] | 0x20) >= 0x61 && (bytes[index] | 0x20) <= 0x7A) { break }
                length += 1
                index = bytes.index(after: index)
            }
            if length > 0, index < bytes.endIndex, bytes[index] == UInt8(ascii: ">") {
                return String(decoding: bytes[open...index], as: UTF8.self)
            }
            guard let next = bytes[bytes.index(after: open)...].firstIndex(of: UInt8(ascii: "<")) else { return nil }
            open = next
        }
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
