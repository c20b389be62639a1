import CloudFormation

/// One IAM policy statement, rendered in the key order AWS documents (`Sid`, `Effect`, `Principal`, `Action`,
/// `Resource`, `Condition`).
public struct Statement: Sendable, Hashable {
    /// `Allow` or `Deny`.
    public var effect: String
    /// The actions, e.g. `sqs:SendMessage`.
    public var actions: [String]
    /// The resources; empty in trust policies.
    public var resources: [Value]
    /// The principal, for resource and trust policies.
    public var principal: Value?
    /// The condition block.
    public var condition: Value?
    /// An optional statement ID.
    public var sid: String?

    /// Creates an `Allow` statement.
    public static func allow(
        _ actions: [String], on resources: [Value] = [], principal: Value? = nil, condition: Value? = nil,
        sid: String? = nil
    ) -> Statement {
        Statement(
            effect: "Allow", actions: actions, resources: resources, principal: principal, condition: condition,
            sid: sid)
    }

    /// A statement denying every action of `service` over plain HTTP on `resources`.
    public static func denyInsecureTransport(service: String, on resources: [Value]) -> Statement {
        Statement(
            effect: "Deny", actions: ["\(service):*"], resources: resources, principal: .object(["AWS": .string("*")]),
            condition: .object(["Bool": .object(["aws:SecureTransport": .string("false")])]),
            sid: "DenyInsecureTransport")
    }

    /// The statement as a template value.
    public var value: Value {
        var fields = Fields()
        if let sid { fields["Sid"] = .string(sid) }
        fields["Effect"] = .string(effect)
        if let principal { fields["Principal"] = principal }
        fields["Action"] = actions.count == 1 ? .string(actions[0]) : .strings(actions)
        if !resources.isEmpty { fields["Resource"] = resources.count == 1 ? resources[0] : .list(resources) }
        if let condition { fields["Condition"] = condition }
        return .map(fields)
    }
}

/// A policy document (`Version: 2012-10-17`) from statements.
public func policyDocument(_ statements: [Statement]) -> Value {
    .object(["Version": .string("2012-10-17"), "Statement": .list(statements.map(\.value))])
}

/// A trust policy letting `service` (e.g. `lambda.amazonaws.com`) assume a role.
public func trustPolicy(service: String) -> Value {
    policyDocument([.allow(["sts:AssumeRole"], principal: .object(["Service": .string(service)]))])
}
