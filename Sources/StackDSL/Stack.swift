/// One element of a stack description.
public enum Component: Sendable, Hashable {
    case table(Table)
    case queue(Queue)
    case topic(Topic)
    case subscriber(Subscriber)
    case function(Function)
    case api(RestAPI)
    case monitoring(Monitoring)
    /// A CloudFormation resource written as is.
    case raw(RawResource)
    /// A change to a generated resource at a path.
    case override(Override)

    /// The construct name.
    public var name: String {
        switch self {
        case .table(let value): return value.name
        case .queue(let value): return value.name
        case .topic(let value): return value.name
        case .subscriber(let value): return value.name
        case .function(let value): return value.name
        case .api(let value): return value.name
        case .monitoring(let value): return value.name
        case .raw(let value): return value.logicalId
        case .override(let value): return value.logicalId
        }
    }
}

/// An immutable description of a stack: its name, description and components.
///
/// Components reached through wiring (the queue a function consumes, the function a route invokes) belong to the
/// stack even when they are not listed themselves.
public struct Stack: Sendable, Hashable {
    /// The stack's base name; templates are written as `<name>-<stage>.yaml`.
    public let name: String
    /// The template description.
    public let description: String
    /// The components as listed.
    public let components: [Component]

    /// Creates a stack from a component builder.
    public init(_ name: String, description: String, @StackBuilder components: () -> [Component]) {
        self.name = name
        self.description = description
        self.components = components()
    }
}

/// Builds the components of a `Stack`.
@resultBuilder
public enum StackBuilder {
    public static func buildExpression(_ value: Table) -> [Component] { [.table(value)] }
    public static func buildExpression(_ value: Queue) -> [Component] { [.queue(value)] }
    public static func buildExpression(_ value: Topic) -> [Component] { [.topic(value)] }
    public static func buildExpression(_ value: Subscriber) -> [Component] { [.subscriber(value)] }
    public static func buildExpression(_ value: Function) -> [Component] { [.function(value)] }
    public static func buildExpression(_ value: RestAPI) -> [Component] { [.api(value)] }
    public static func buildExpression(_ value: Monitoring) -> [Component] { [.monitoring(value)] }
    public static func buildExpression(_ value: RawResource) -> [Component] { [.raw(value)] }
    public static func buildExpression(_ value: Override) -> [Component] { [.override(value)] }
    public static func buildBlock(_ parts: [Component]...) -> [Component] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Component]?) -> [Component] { part ?? [] }
    public static func buildEither(first: [Component]) -> [Component] { first }
    public static func buildEither(second: [Component]) -> [Component] { second }
    public static func buildArray(_ parts: [[Component]]) -> [Component] { parts.flatMap { $0 } }
}
