import CloudFormation

extension StackAssertions {
    /// Asserts that no resource is open to anyone on the internet, except those named in `except` (logical IDs):
    /// a resource policy allowing the principal `*` without a condition, a Lambda permission for `*` without a
    /// source, a function URL or an API route or method without authorization or an API key, an S3 bucket made
    /// public by its ACL or by turning a Block Public Access setting off.
    public func noResourceIsPublic(except: Set<String> = []) throws(StackAssertionFailure) {
        let found = publicResources().filter { !except.contains($0.logicalId) }
        guard !found.isEmpty else { return }
        throw StackAssertionFailure(
            "public: " + found.map { "\($0.logicalId) (\($0.reason))" }.joined(separator: "; "))
    }

    /// Each resource open to the public and why, in template order.
    public func publicResources() -> [(logicalId: String, reason: String)] {
        template.resources.compactMap { resource in
            Self.publicReason(resource).map { (resource.logicalId, $0) }
        }
    }

    /// Why `resource` is public, or `nil`.
    static func publicReason(_ resource: Resource) -> String? {
        switch resource.type {
        case "AWS::Lambda::Permission":
            guard isEveryone(resource["Principal"]) else { return nil }
            let scoped = ["SourceArn", "SourceAccount", "PrincipalOrgID"].contains { resource[$0] != nil }
            return scoped ? nil : "invocable by any principal"
        case "AWS::Lambda::Url":
            return resource["AuthType"] == .string("NONE") ? "a function URL without authentication" : nil
        case "AWS::ApiGateway::Method":
            guard resource["HttpMethod"] != .string("OPTIONS") else { return nil }
            return unauthenticated(resource) ? "a method without authorization or an API key" : nil
        case "AWS::ApiGatewayV2::Route":
            return unauthenticated(resource) ? "a route without authorization or an API key" : nil
        case "AWS::S3::Bucket":
            return publicBucket(resource)
        default:
            return publicPolicy(resource)
        }
    }

    /// Whether an API method or route lets anyone call it: no authorization type (or `NONE`) and no API key.
    static func unauthenticated(_ resource: Resource) -> Bool {
        let type = resource["AuthorizationType"]
        return (type == nil || type == .string("NONE")) && resource["ApiKeyRequired"] != .bool(true)
    }

    /// A bucket's public ACL or a Block Public Access setting turned off. New buckets block public access unless
    /// told otherwise ("Blocking public access to your Amazon S3 storage", Amazon S3 User Guide: all four
    /// settings are on by default for buckets created since April 2023).
    static func publicBucket(_ resource: Resource) -> String? {
        if let acl = resource["AccessControl"]?.stringValue,
            ["PublicRead", "PublicReadWrite", "AuthenticatedRead"].contains(acl)
        {
            return "its ACL is \(acl)"
        }
        let block = resource["PublicAccessBlockConfiguration"]
        let off = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"].filter {
            block?[$0] == .bool(false)
        }
        return off.isEmpty ? nil : "Block Public Access off: \(off.joined(separator: ", "))"
    }

    /// A resource policy (`PolicyDocument`, `KeyPolicy`, `ResourcePolicy`) that allows `*` without a condition.
    static func publicPolicy(_ resource: Resource) -> String? {
        guard !resource.type.hasPrefix("AWS::IAM::") else { return nil }
        for key in ["PolicyDocument", "KeyPolicy", "ResourcePolicy"] {
            guard let document = resource[key] else { continue }
            for statement in strings(document["Statement"])
            where statement["Effect"] == .string("Allow") && statement["Condition"] == nil
                && isEveryone(statement["Principal"])
            {
                return "its \(key) allows any principal"
            }
        }
        return nil
    }

    /// `*`, `{"AWS": "*"}` or a list holding `*`.
    static func isEveryone(_ principal: Value?) -> Bool {
        guard let principal else { return false }
        if principal == .string("*") { return true }
        return strings(principal["AWS"]).contains(.string("*"))
    }
}
