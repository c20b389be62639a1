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
            monitored: !model.monitoring.isEmpty)
        if !problems.isEmpty { throw SynthesisError(problems) }
        var context = ExpansionContext(stack: stack, stage: stage, schemas: schemas, model: model)
        for table in model.tables { context.expand(table) }
        for queue in model.queues { context.expand(queue) }
        for topic in model.topics { context.expand(topic) }
        for subscriber in model.subscribers { context.expand(subscriber) }
        for function in model.functions { context.expand(function) }
        for api in model.apis { try context.expand(api) }
        for monitoring in model.monitoring { context.expand(monitoring) }
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
        for override in model.overrides { try override.apply(to: &template) }
        return Synthesis(template: template, graph: context.graph)
    }
}

/// The constructs of a stack, reachable ones included, deduplicated by kind and name, in first-seen order.
struct ResolvedStack {
    var tables: [Table] = []
    var queues: [Queue] = []
    var topics: [Topic] = []
    var subscribers: [Subscriber] = []
    var functions: [Function] = []
    var apis: [RestAPI] = []
    var monitoring: [Monitoring] = []
    var raw: [RawResource] = []
    var overrides: [Override] = []

    init(_ stack: Stack) throws(SynthesisError) {
        for component in stack.components { try add(component) }
        var logicalNames: [String: String] = [:]
        for (kind, name) in tables.map({ ("table", $0.name) }) + queues.map({ ("queue", $0.name) })
            + topics.map({ ("topic", $0.name) }) + subscribers.map({ ("subscriber", $0.name) })
            + functions.map({ ("function", $0.name) }) + apis.map({ ("API", $0.name) })
        {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
                name.first?.isUppercase == true
            else {
                throw SynthesisError(
                    "\(kind) name '\(name)' must be UpperCamelCase letters and digits (it prefixes logical IDs)")
            }
            if let other = logicalNames[name],
                kind == "subscriber" || other == "subscriber" || kind == "API" || other == "API"
            {
                throw SynthesisError(
                    "the \(other) and the \(kind) are both named '\(name)'; their logical IDs would collide")
            }
            logicalNames[name] = kind
        }
        if monitoring.count > 1 { throw SynthesisError("a stack has at most one Monitoring construct") }
    }

    private mutating func add(_ component: Component) throws(SynthesisError) {
        switch component {
        case .table(let table): try Self.insert(table, into: &tables, kind: "table")
        case .queue(let queue): try Self.insert(queue, into: &queues, kind: "queue")
        case .topic(let topic): try Self.insert(topic, into: &topics, kind: "topic")
        case .subscriber(let subscriber):
            try add(.topic(subscriber.topic))
            try Self.insert(subscriber, into: &subscribers, kind: "subscriber")
        case .function(let function):
            for consumption in function.consumes {
                try add(consumption.subscriber.map(Component.subscriber) ?? .queue(consumption.queue))
            }
            for table in function.writes + function.reads { try add(.table(table)) }
            for topic in function.publishes { try add(.topic(topic)) }
            try Self.insert(function, into: &functions, kind: "function")
        case .api(let api):
            for route in api.routes {
                switch route.integration {
                case .enqueue(let queue, _): try add(.queue(queue))
                case .invoke(let function): try add(.function(function))
                }
            }
            try Self.insert(api, into: &apis, kind: "API")
        case .monitoring(let value): try Self.insert(value, into: &monitoring, kind: "monitoring")
        case .raw(let value):
            if raw.contains(where: { $0.logicalId == value.logicalId }) {
                throw SynthesisError("two RawResources are named '\(value.logicalId)'")
            }
            raw.append(value)
        case .override(let value): overrides.append(value)
        }
    }

    private static func insert<T: Hashable>(_ item: T, into list: inout [T], kind: String) throws(SynthesisError)
    where T: Named {
        if let existing = list.first(where: { $0.name == item.name }) {
            guard existing == item else {
                throw SynthesisError(
                    "two different \(kind)s are named '\(item.name)'; give each construct its own name")
            }
            return
        }
        list.append(item)
    }
}

protocol Named { var name: String { get } }
extension Table: Named {}
extension Queue: Named {}
extension Topic: Named {}
extension Subscriber: Named {}
extension Function: Named {}
extension RestAPI: Named {}
extension Monitoring: Named {}
