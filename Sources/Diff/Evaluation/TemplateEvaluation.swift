import CloudFormation

/// A template as CloudFormation would deploy it with given parameter values: conditions evaluated and values
/// resolved as far as the template alone decides them.
///
/// Parameters take their defaults unless overridden (`--parameter K=V`); pseudo parameters (`AWS::StackName`,
/// `AWS::Region`, ...), resource references and attributes stay symbolic. Resolution folds `Fn::Sub`, `Fn::Join`,
/// `Ref` to a parameter, `Fn::If` on a known condition, `Fn::Select` and `Fn::FindInMap` of known values, and drops
/// `AWS::NoValue`; so `!Sub '${AWS::StackName}-q'` and `!Join ['', [!Ref AWS::StackName, -q]]` are the same value
/// (CloudFormation resolves both to one string before it compares the property).
public struct TemplateEvaluation: Sendable {
    /// The template evaluated.
    public let template: Template
    /// The parameter values in force: overrides, else defaults; a parameter with neither is unknown.
    public let parameters: [String: Value]
    /// Each condition's value: `nil` when it depends on a value known only at deploy time.
    public private(set) var conditions: [String: Bool?] = [:]

    /// Evaluates `template` with `overrides` (parameter name to value, as `--parameter K=V` gives them).
    public init(_ template: Template, overrides: [String: String] = [:]) {
        self.template = template
        var values: [String: Value] = [:]
        for parameter in template.parameters {
            let raw = overrides[parameter.name].map(Value.string) ?? parameter.defaultValue
            guard let raw else { continue }
            values[parameter.name] = Self.typed(raw, type: parameter.type)
        }
        parameters = values
        var evaluator = ConditionEvaluator(conditions: template.conditions)
        for name in template.conditions.keys { conditions[name] = evaluator.truth(of: name, in: self) }
    }

    /// A list-typed parameter's value as a list (`CommaDelimitedList`, `List<...>`); others as given.
    private static func typed(_ value: Value, type: String) -> Value {
        guard type == "CommaDelimitedList" || type.hasPrefix("List<"), case .string(let text) = value else {
            return value
        }
        return .list(text.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0)) })
    }

    /// Whether `resource` is created: `true` without a condition or with one that holds, `false` when its
    /// condition is false, `nil` when the condition depends on deploy-time values.
    public func isCreated(_ resource: Resource) -> Bool? {
        guard let name = resource.condition else { return true }
        return conditions[name] ?? nil
    }

    /// The resources that exist under these values (a resource whose condition is unknown is kept).
    public var createdResources: [Resource] {
        template.resources.filter { isCreated($0) != false }
    }

    /// `value` resolved as far as the template decides it.
    public func resolve(_ value: Value) -> Value {
        Resolver(evaluation: self).resolve(value) ?? .ref("AWS::NoValue")
    }

    /// A resource's properties resolved, `AWS::NoValue` entries dropped.
    public func resolvedProperties(_ resource: Resource) -> Value {
        resolve(.map(resource.properties))
    }
}

/// Evaluates the `Conditions` section, each condition once, with cycles left unknown.
struct ConditionEvaluator {
    let conditions: Fields
    private var memo: [String: Bool?] = [:]
    private var visiting: Set<String> = []

    init(conditions: Fields) { self.conditions = conditions }

    mutating func truth(of name: String, in evaluation: TemplateEvaluation) -> Bool? {
        if let known = memo[name] { return known }
        guard let body = conditions[name], !visiting.contains(name) else { return nil }
        visiting.insert(name)
        let result = evaluate(body, in: evaluation)
        visiting.remove(name)
        memo[name] = result
        return result
    }

    mutating func evaluate(_ value: Value, in evaluation: TemplateEvaluation) -> Bool? {
        guard case .call(let function, let argument) = value else {
            return Comparison.normalized(value) == .string("true") ? true : nil
        }
        let items = argument.items ?? [argument]
        switch function {
        case .equals:
            guard items.count == 2 else { return nil }
            return Self.equal(evaluation.resolve(items[0]), evaluation.resolve(items[1]))
        case .not:
            return items.first.flatMap { evaluate($0, in: evaluation) }.map { !$0 }
        case .and:
            let values = items.map { evaluate($0, in: evaluation) }
            if values.contains(false) { return false }
            return values.contains(nil) ? nil : true
        case .or:
            let values = items.map { evaluate($0, in: evaluation) }
            if values.contains(true) { return true }
            return values.contains(nil) ? nil : false
        case .condition:
            guard let name = argument.stringValue else { return nil }
            return truth(of: name, in: evaluation)
        default:
            return nil
        }
    }

    /// Two resolved values: equal when identical; different only when both are fully known.
    static func equal(_ lhs: Value, _ rhs: Value) -> Bool? {
        if Comparison.same(lhs, rhs) { return true }
        return Resolver.isLiteral(lhs) && Resolver.isLiteral(rhs) ? false : nil
    }
}
