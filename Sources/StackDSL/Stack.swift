import StackGraph

/// One element of a stack description.
public enum Component: Sendable, Hashable {
    /// A construct of any kind.
    case construct(AnyConstruct)
    /// A CloudFormation resource written as is.
    case raw(RawResource)
    /// A change to a generated resource at a path.
    case override(Override)

    /// The construct name.
    public var name: String {
        switch self {
        case .construct(let value): return value.base.name
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

    /// The prices of resource types its constructs add that `cost` has no model of (`Construct.prices`).
    public var resourcePrices: [ResourcePrice] {
        guard let resolved = try? ResolvedStack(self) else { return [] }
        var seen: Set<ResourcePrice> = []
        return resolved.constructs.flatMap { type(of: $0.base).prices }.filter { seen.insert($0).inserted }
    }

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
    public static func buildExpression(_ value: some Construct) -> [Component] { [.construct(AnyConstruct(value))] }
    public static func buildExpression(_ value: RawResource) -> [Component] { [.raw(value)] }
    public static func buildExpression(_ value: Override) -> [Component] { [.override(value)] }
    public static func buildBlock(_ parts: [Component]...) -> [Component] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Component]?) -> [Component] { part ?? [] }
    public static func buildEither(first: [Component]) -> [Component] { first }
    public static func buildEither(second: [Component]) -> [Component] { second }
    public static func buildArray(_ parts: [[Component]]) -> [Component] { parts.flatMap { $0 } }
}
