import CloudFormation
import YAML

/// Why a stack could not be expanded.
public struct SynthesisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the construct.
    public var message: String
    /// Located problems in the stage file (construct names that do not exist), when that is what is wrong.
    public var diagnostics: [Diagnostic] = []

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// Creates an error from located problems of the stage file.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
        message = diagnostics.map(\.description).joined(separator: "\n")
    }

    public var description: String { message }
}

/// The expansion of a stack for one stage: the template and the architecture graph.
public struct Synthesis: Sendable {
    /// The CloudFormation template.
    public var template: Template
    /// Constructs and wiring edges, for `orderstack graph`.
    public var graph: ArchitectureGraph
}

/// Expands a `Stack` into CloudFormation for one stage.
///
/// The expansion is a pure function of the stack, the stage settings and the request schemas: the same inputs give
/// the same template, resource for resource and byte for byte once written.
public enum Synthesizer {
    /// Expands `stack` for `stage`.
    /// - Parameters:
    ///   - stack: the architecture.
    ///   - stage: the stage's settings.
    ///   - schemas: request body schemas by name (`order`), as read from `blueprints/schemas/<name>.json`.
    /// - Throws: `SynthesisError` when two constructs share a name, a schema is missing, or a route is malformed.
    /// - Parameter siblings: the other stacks of the project, which share its stage files: entries for their
    ///   constructs are not errors.
    public static func synthesize(
        _ stack: Stack, stage: StageSettings, schemas: [String: Value], siblings: [Stack] = []
    ) throws(SynthesisError) -> Synthesis {
        let model = try ResolvedStack(stack)
        var functions = model.functions
        for sibling in siblings where sibling != stack { functions += try ResolvedStack(sibling).functions }
        let problems = stage.problems(
            functions: Array(Set(functions.map(\.name))),
            mappings: functions.flatMap { function in function.consumes.map { (function.name, $0.queue.name) } },
            monitored: !model.monitoring.isEmpty,
            constructs: Self.settingKeys(
                model.constructs + siblings.flatMap { (try? ResolvedStack($0).constructs) ?? [] }))
        if !problems.isEmpty { throw SynthesisError(problems) }
        var context = ExpansionContext(stack: stack, stage: stage, schemas: schemas, model: model)
        for construct in model.expansionSequence { try construct.base.expand(in: &context) }
        if let rollout = stage.rollout { context.expandRollout(rollout, monitored: !model.monitoring.isEmpty) }
        for raw in model.raw {
            guard context.template.resource(raw.logicalId) == nil else {
                throw SynthesisError(
                    "RawResource '\(raw.logicalId)' has the logical ID of a generated resource; choose another")
            }
            context.add(raw.resource)
        }
        context.finish()
        var template = context.template
        var seen: Set<String> = []
        if let twice = template.resources.first(where: { !seen.insert($0.logicalId).inserted }) {
            throw SynthesisError(
                "two resources have the logical ID '\(twice.logicalId)' (\(twice.type)): a construct added one another construct adds too; rename the construct"
            )
        }
        for override in model.overrides { try override.apply(to: &template) }
        return Synthesis(template: template, graph: context.graph)
    }
}

extension Synthesizer {
    /// Each construct's name with the stage-file keys its kind reads.
    static func settingKeys(_ constructs: [AnyConstruct]) -> [String: [String]] {
        var keys: [String: [String]] = [:]
        for construct in constructs { keys[construct.base.name, default: []] += type(of: construct.base).settingKeys }
        return keys
    }
}

/// The constructs of a stack, reachable ones included, deduplicated by kind and name, in first-seen order.
struct ResolvedStack {
    /// Every construct, in first-seen order (what a construct reaches before it).
    var constructs: [AnyConstruct] = []
    var raw: [RawResource] = []
    var overrides: [Override] = []

    init(_ stack: Stack) throws(SynthesisError) {
        for component in stack.components { try add(component) }
        try checkNames()
        for construct in constructs {
            let kind = type(of: construct.base)
            if let maximum = kind.maximumCount, constructs.filter({ $0.kind == kind.kind }).count > maximum {
                throw SynthesisError(
                    "a stack has at most \(maximum == 1 ? "one" : String(maximum)) \(String(describing: kind)) construct\(maximum == 1 ? "" : "s")"
                )
            }
        }
    }

    /// The constructs of one kind, in first-seen order.
    func all<T: Construct>(_ kind: T.Type) -> [T] { constructs.compactMap { $0.base as? T } }

    var functions: [Function] { all(Function.self) }
    var tables: [Table] { all(Table.self) }
    var monitoring: [Monitoring] { all(Monitoring.self) }

    /// By phase, first-seen order within one.
    var expansionSequence: [AnyConstruct] {
        constructs.enumerated().sorted {
            let (left, right) = (type(of: $0.element.base).phase, type(of: $1.element.base).phase)
            return left != right ? left < right : $0.offset < $1.offset
        }.map(\.element)
    }

    /// Names are UpperCamelCase; a name that prefixes logical IDs (`sharesLogicalIds`) is not shared with another kind.
    private func checkNames() throws(SynthesisError) {
        var logicalNames: [String: (kind: String, shares: Bool)] = [:]
        for construct in expansionSequence where type(of: construct.base).nameIsLogicalIdPrefix {
            let kind = type(of: construct.base)
            let name = construct.base.name
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
                name.first?.isUppercase == true
            else {
                throw SynthesisError(
                    "\(kind.kind) name '\(name)' must be UpperCamelCase letters and digits (it prefixes logical IDs)")
            }
            if let other = logicalNames[name], kind.sharesLogicalIds || other.shares {
                throw SynthesisError(
                    "the \(other.kind) and the \(kind.kind) are both named '\(name)'; their logical IDs would collide")
            }
            logicalNames[name] = (kind.kind, kind.sharesLogicalIds)
        }
    }

    private mutating func add(_ component: Component) throws(SynthesisError) {
        switch component {
        case .construct(let construct): try add(construct.base)
        case .raw(let value):
            if raw.contains(where: { $0.logicalId == value.logicalId }) {
                throw SynthesisError("two RawResources are named '\(value.logicalId)'")
            }
            raw.append(value)
        case .override(let value): overrides.append(value)
        }
    }

    /// What `construct` reaches, then itself; one of each kind and name (two different ones are an error).
    private mutating func add(_ construct: any Construct) throws(SynthesisError) {
        for reached in construct.reaches { try add(reached) }
        let wrapped = AnyConstruct(construct)
        if let existing = constructs.first(where: { $0.kind == wrapped.kind && $0.base.name == construct.name }) {
            guard existing == wrapped else {
                throw SynthesisError(
                    "two different \(wrapped.kind)s are named '\(construct.name)'; give each construct its own name")
            }
            return
        }
        constructs.append(wrapped)
    }
}
