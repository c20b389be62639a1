import CloudFormation
import Hashing

/// Semantic comparison of template values.
enum Comparison {
    /// The value as CloudFormation sees it: numbers and booleans as their text (a JSON `"5"` and a YAML `5`
    /// are the same property value).
    static func normalized(_ value: Value) -> Value {
        switch value {
        case .number(let text): return .string(canonicalNumber(text))
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .string(let text): return .string(Double(text) != nil && text.first != "0" ? canonicalNumber(text) : text)
        case .list(let items): return .list(items.map(normalized))
        case .map(let fields): return .map(Fields(fields.entries.map { ($0.key, normalized($0.value)) }))
        case .sub(let text, let variables):
            return .sub(text, variables.map { Fields($0.entries.map { ($0.key, normalized($0.value)) }) })
        case .call(let function, let argument): return .call(function, normalized(argument))
        case .ref, .getAtt, .null: return value
        }
    }

    private static func canonicalNumber(_ text: String) -> String {
        if let integer = Int(text) { return String(integer) }
        return text
    }

    static func same(_ lhs: Value?, _ rhs: Value?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (let a?, let b?): return a == b || normalized(a) == normalized(b)
        default: return false
        }
    }

    /// Changed leaves between two values: mappings are compared key by key, lists of equal length item by item;
    /// anything else that differs is one change at its path.
    static func changes(_ old: Value?, _ new: Value?, path: [String]) -> [([String], Value?, Value?)] {
        if same(old, new) { return [] }
        switch (old, new) {
        case (.map(let a)?, .map(let b)?):
            var result: [([String], Value?, Value?)] = []
            var keys = a.keys
            for key in b.keys where a[key] == nil { keys.append(key) }
            for key in keys { result += changes(a[key], b[key], path: path + [key]) }
            return result
        case (.list(let a)?, .list(let b)?) where a.count == b.count && !a.isEmpty:
            return zip(a, b).enumerated().flatMap { index, pair in changes(pair.0, pair.1, path: path + [String(index)])
            }
        default:
            return [(path, old, new)]
        }
    }
}

/// Reference extraction for replacement propagation.
enum References {
    /// Logical IDs a value mentions through Ref, GetAtt and Sub (pseudo parameters excluded).
    static func resources(in value: Value) -> Set<String> {
        switch value {
        case .ref(let name): return name.hasPrefix("AWS::") ? [] : [name]
        case .getAtt(let name, _): return [name]
        case .sub(let text, let variables):
            let local = Set(variables?.keys ?? [])
            var names = Set(
                Value.subVariables(text).filter { !$0.hasPrefix("AWS::") && !local.contains($0) }
                    .map { String($0.split(separator: ".").first ?? "") })
            for entry in variables ?? Fields() { names.formUnion(resources(in: entry.value)) }
            return names
        case .call(_, let argument): return resources(in: argument)
        case .list(let items): return items.reduce(into: []) { $0.formUnion(resources(in: $1)) }
        case .map(let fields): return fields.reduce(into: []) { $0.formUnion(resources(in: $1.value)) }
        case .string, .number, .bool, .null: return []
        }
    }
}

/// IAM grants of a resource as comparable lines: `Allow sqs:SendMessage on !GetAtt Q.Arn`.
///
/// Linear in the policy's size: a principal or condition longer than ``longText`` characters is named by its
/// length and digest, and a statement whose actions times resources exceed ``maxProduct`` is one line naming both
/// lists by count and digest (a generated policy of thousands of ARNs must not become millions of lines).
enum IAMGrants {
    static let longText = 200
    static let maxProduct = 1_024
    static func of(_ resource: Resource) -> Set<String> {
        var documents: [(String, Value)] = []
        for (index, policy) in (resource["Policies"]?.items ?? []).enumerated() {
            if let document = policy["PolicyDocument"] {
                documents.append((policy["PolicyName"]?.stringValue ?? "policy \(index)", document))
            }
        }
        for key in ["PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument"] {
            if let document = resource[key] { documents.append((key, document)) }
        }
        var grants: Set<String> = []
        for (_, document) in documents {
            let statements: [Value]
            switch document["Statement"] {
            case .list(let items)?: statements = items
            case let single?: statements = [single]
            case nil: statements = []
            }
            for statement in statements {
                let effect = statement["Effect"]?.stringValue ?? "?"
                let actions = list(statement["Action"] ?? statement["NotAction"])
                let resources = list(statement["Resource"] ?? statement["NotResource"])
                let principal = statement["Principal"].map { " to \(short(ValueText.compact($0)))" } ?? ""
                let condition = statement["Condition"].map { " if \(short(ValueText.compact($0)))" } ?? ""
                if actions.count * max(1, resources.count) > maxProduct {
                    let joinedActions = short(actions.joined(separator: ", "))
                    let joinedResources = short(resources.joined(separator: ", "))
                    grants.insert("\(effect) \(joinedActions) on \(joinedResources)\(principal)\(condition)")
                    continue
                }
                for action in actions {
                    for target in resources.isEmpty ? [""] : resources {
                        grants.insert(
                            "\(effect) \(action)\(target.isEmpty ? "" : " on \(target)")\(principal)\(condition)")
                    }
                }
            }
        }
        return grants
    }

    /// `text`, or for a long one `{N characters, sha256 0123456789ab}`.
    static func short(_ text: String) -> String {
        let count = text.utf8.count
        guard count > longText else { return text }
        return "{\(count) characters, sha256 \(hexString(SHA256.hash(Array(text.utf8))).prefix(12))}"
    }

    private static func list(_ value: Value?) -> [String] {
        switch value {
        case .list(let items)?: return items.map(ValueText.compact)
        case let single?: return [ValueText.compact(single)]
        case nil: return []
        }
    }
}

/// Compact one-line text of values for reports: `!Ref X`, `!GetAtt X.Arn`, `[a, b]`, `{k: v}`.
public enum ValueText {
    /// The value on one line.
    public static func compact(_ value: Value) -> String {
        switch value {
        case .string(let text):
            return text.contains(where: { $0 == "\n" }) ? "'\(text.split(separator: "\n").first ?? "")...'" : text
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .ref(let name): return "!Ref \(name)"
        case .getAtt(let name, let attribute): return "!GetAtt \(name).\(attribute)"
        case .sub(let text, nil): return "!Sub '\(text)'"
        case .sub(let text, let variables?): return "!Sub ['\(text)', \(compact(.map(variables)))]"
        case .call(let function, let argument): return "\(function.tag) \(compact(argument))"
        case .list(let items): return "[" + items.map(compact).joined(separator: ", ") + "]"
        case .map(let fields):
            return "{" + fields.entries.map { "\($0.key): \(compact($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
