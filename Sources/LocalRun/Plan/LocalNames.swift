import CloudFormation
import Foundation

/// What a resource is called on this machine: its `Ref` and its `Fn::GetAtt` attributes.
public struct LocalIdentity: Sendable, Equatable {
    public var ref: String
    public var attributes: [String: String]

    public init(ref: String, attributes: [String: String] = [:]) {
        self.ref = ref
        self.attributes = attributes
    }
}

/// Resolves template values to what they are locally: pseudo parameters, parameter values and the identities of
/// the resources provisioned so far. A value that names something not known yet resolves to `nil`.
public struct LocalNames: Sendable {
    public var stackName: String
    public var region: String
    public var accountId: String
    public var parameters: [String: String]
    public var resources: [String: LocalIdentity] = [:]

    public init(stackName: String, region: String, accountId: String = "123456789012", parameters: [String: String]) {
        self.stackName = stackName
        self.region = region
        self.accountId = accountId
        self.parameters = parameters
    }

    /// An ARN in this stack's region and account.
    public func arn(_ service: String, _ resource: String, regional: Bool = true) -> String {
        "arn:aws:\(service):\(regional ? region : ""):\(accountId):\(resource)"
    }

    /// `value` with every intrinsic function replaced, or `nil` when one cannot be resolved yet.
    public func resolve(_ value: Value) -> Value? {
        switch value {
        case .string, .number, .bool, .null: return value
        case .list(let items):
            let resolved = items.compactMap(resolve)
            return resolved.count == items.count ? .list(resolved) : nil
        case .map(let fields):
            var result: [(String, Value)] = []
            for entry in fields {
                guard let resolved = resolve(entry.value) else { return nil }
                result.append((entry.key, resolved))
            }
            return .map(Fields(result))
        case .ref(let name): return ref(name).map(Value.string)
        case .getAtt(let logicalId, let attribute):
            return resources[logicalId]?.attributes[attribute].map(Value.string)
        case .sub(let text, let variables): return substitute(text, variables).map(Value.string)
        case .call(let function, let argument): return call(function, argument)
        }
    }

    /// The resolved value as text (strings and numbers), `nil` otherwise.
    public func string(_ value: Value?) -> String? {
        guard let value, let resolved = resolve(value) else { return nil }
        switch resolved {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    func ref(_ name: String) -> String? {
        switch name {
        case "AWS::StackName": stackName
        case "AWS::Region": region
        case "AWS::AccountId": accountId
        case "AWS::Partition": "aws"
        case "AWS::URLSuffix": "amazonaws.com"
        case "AWS::StackId": arn("cloudformation", "stack/\(stackName)/local")
        default: parameters[name] ?? resources[name]?.ref
        }
    }

    func substitute(_ text: String, _ variables: Fields?) -> String? {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return nil }
            let name = rest[start.upperBound..<end].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: end)...]
            if name.hasPrefix("!") {
                result += "${\(name.dropFirst())}"
                continue
            }
            if let bound = variables?[name] {
                guard let value = string(bound) else { return nil }
                result += value
            } else if let dot = name.firstIndex(of: "."), !name.hasPrefix("AWS::") {
                guard
                    let value = resources[String(name[..<dot])]?.attributes[String(name[name.index(after: dot)...])]
                else { return nil }
                result += value
            } else {
                guard let value = ref(name) else { return nil }
                result += value
            }
        }
        return result + rest
    }

    func call(_ function: Intrinsic, _ argument: Value) -> Value? {
        switch function {
        case .join:
            guard let items = argument.items, items.count == 2, let separator = items[0].stringValue,
                let parts = resolve(items[1])?.items
            else { return nil }
            let texts = parts.compactMap { string($0) }
            return texts.count == parts.count ? .string(texts.joined(separator: separator)) : nil
        case .select:
            guard let items = argument.items, items.count == 2, let index = string(items[0]).flatMap(Int.init),
                let list = resolve(items[1])?.items, list.indices.contains(index)
            else { return nil }
            return list[index]
        case .toJsonString:
            return resolve(argument).map { .string(LocalJSON.text($0)) }
        default: return nil
        }
    }
}
