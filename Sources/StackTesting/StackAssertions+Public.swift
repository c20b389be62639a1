import CloudFormation

extension StackAssertions {
    /// Asserts that no resource is open to anyone on the internet, except those named in `except` (logical IDs):
    /// a resource policy allowing `*` (or `NotPrincipal`) without a condition on the caller, a Lambda permission
    /// for `*` or for a service without a source, a function URL or an API method (REST: or an API key) or route
    /// without authorization, an S3 bucket made public by its ACL or by turning a Block Public Access setting off.
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
            let scoped = ["SourceArn", "SourceAccount", "PrincipalOrgID"].contains { resource[$0] != nil }
            guard !scoped else { return nil }
            if isEveryone(resource["Principal"]) { return "invocable by any principal" }
            // A service principal without a source: that service acting for any account may invoke it.
            if let service = resource["Principal"]?.stringValue, service.hasSuffix(".amazonaws.com") {
                return "invocable by \(service) on behalf of any account (no SourceArn or SourceAccount)"
            }
            return nil
        case "AWS::Lambda::Url":
            return resource["AuthType"] == .string("NONE") ? "a function URL without authentication" : nil
        case "AWS::ApiGateway::Method":
            guard resource["HttpMethod"] != .string("OPTIONS") else { return nil }
            return unauthenticated(resource) ? "a method without authorization or an API key" : nil
        case "AWS::ApiGatewayV2::Route":
            // `ApiKeyRequired` works for WebSocket APIs only (AWS::ApiGatewayV2::Route): it guards no HTTP route.
            let type = resource["AuthorizationType"]
            let key = resource["RouteKey"]?.stringValue ?? ""
            guard type == nil || type == .string("NONE"), !key.hasPrefix("OPTIONS ") else { return nil }
            return "a route without authorization"
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

    /// A resource policy (`PolicyDocument`, `KeyPolicy`, `ResourcePolicy`, `Policy`, or an
    /// `AWS::Events::EventBusPolicy`'s own `Statement`) that allows `*`, or everyone but some (`NotPrincipal`),
    /// unless a condition names who may (a source or principal key: `aws:SourceArn`, `aws:PrincipalOrgID`, ...).
    static func publicPolicy(_ resource: Resource) -> String? {
        guard !resource.type.hasPrefix("AWS::IAM::") else { return nil }
        var documents: [(String, Value)] = ["PolicyDocument", "KeyPolicy", "ResourcePolicy", "Policy"].compactMap {
            key in resource[key].map { (key, $0) }
        }
        if resource.type == "AWS::Events::EventBusPolicy" {
            documents.append(
                ("Statement", .map(Fields([("Statement", resource["Statement"] ?? .map(resource.properties))]))))
        }
        for (key, document) in documents {
            for statement in strings(document["Statement"]) where statement["Effect"] == .string("Allow") {
                let open = isEveryone(statement["Principal"]) || statement["NotPrincipal"] != nil
                guard open, !restrictsCaller(statement["Condition"]) else { continue }
                return "its \(key) allows any principal"
            }
        }
        return nil
    }

    /// Whether a condition limits who the caller may be (a key naming a source or a principal), rather than only
    /// how it calls (`aws:SecureTransport`).
    static func restrictsCaller(_ condition: Value?) -> Bool {
        guard let operators = condition?.fields else { return false }
        return operators.contains { entry in
            (entry.value.fields?.keys ?? []).contains { key in
                let lower = key.lowercased()
                return lower.contains("source") || lower.contains("principal")
            }
        }
    }

    /// `*`, `{"AWS": "*"}` or a list holding `*`.
    static func isEveryone(_ principal: Value?) -> Bool {
        guard let principal else { return false }
        if principal == .string("*") { return true }
        return strings(principal["AWS"]).contains(.string("*"))
    }
}
