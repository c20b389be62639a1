import CloudFormation
import StackGraph

/// A building block of a stack, open to new kinds: its name, the constructs its wiring reaches, and its expansion
/// into resources, IAM statements, graph nodes, alarms and outputs.
///
/// A new kind is one type conforming to this protocol (plus, for a resource a function uses, `FunctionResource`),
/// in one file: the stack builder, the synthesizer, `graph`, `validate`, `cost` (which read the template) and
/// `diff` take it as they take the shipped constructs.
public protocol Construct: Sendable, Hashable {
    /// What one is called in messages (`table`, `queue`, `parameter`).
    static var kind: String { get }
    /// When it expands: a construct expands after the phases of what it refers to (`ConstructPhase`).
    static var phase: Int { get }
    /// At most this many in a stack (`Monitoring`: one); `nil`: any number.
    static var maximumCount: Int? { get }
    /// Whether its name is a logical ID prefix that a construct of another kind could collide with (a subscriber's
    /// `<name>Queue`, an API's `<name>`); kinds whose logical IDs end with their own suffix do not.
    static var sharesLogicalIds: Bool { get }
    /// The construct name: UpperCamelCase letters and digits, the prefix of its logical IDs.
    var name: String { get }
    /// The constructs its wiring reaches, added to the stack with it (a function's queues, tables and topics).
    var reaches: [any Construct] { get }
    /// Prices of the resource types it adds that `cost` has no model of (none: they are modelled or free).
    static var prices: [ResourcePrice] { get }
    /// The keys it reads from the stage file under `constructs.<Name>` (`context.setting(_:of:)`); any other key
    /// there is an error naming these.
    static var settingKeys: [String] { get }
    /// Whether its name prefixes logical IDs (checked as UpperCamelCase and for collisions); `Monitoring`'s
    /// does not.
    static var nameIsLogicalIdPrefix: Bool { get }
    /// Adds its resources, statements, graph nodes and edges, alarms and outputs for the context's stage.
    func expand(in context: inout ExpansionContext) throws(SynthesisError)
}

/// The expansion phases of the shipped constructs: storage and channels first, then what uses them, monitoring
/// last (it turns every construct's alarms into resources).
public enum ConstructPhase {
    public static let tables = 0
    public static let queues = 10
    public static let topics = 20
    public static let subscribers = 30
    public static let functions = 40
    public static let apis = 50
    /// A new kind without a phase of its own: after everything that carries traffic, before monitoring (a phase
    /// after `monitoring` would add alarms no one turns into resources).
    public static let other = 60
    public static let monitoring = 90
}

extension Construct {
    public static var phase: Int { ConstructPhase.other }
    public static var maximumCount: Int? { nil }
    public static var sharesLogicalIds: Bool { false }
    public var reaches: [any Construct] { [] }
    public static var prices: [ResourcePrice] { [] }
    public static var settingKeys: [String] { [] }
    public static var nameIsLogicalIdPrefix: Bool { true }
}

/// A construct a function can use (`Function.uses(_:)`): the statements the function's role needs on it, the
/// environment naming it for the handler, and the graph edge. The function's expansion adds them; nothing is
/// granted by hand.
public protocol FunctionResource: Construct {
    /// The graph node an edge from a function goes to (its main logical ID).
    var nodeId: String { get }
    /// What the edge says (`reads`).
    var edgeLabel: String { get }
    /// The statements a function using it needs; each `sid` unique within the function's role.
    var statements: [Statement] { get }
    /// Environment variables naming it for the handler (`<NAME>_SECRET_ARN`).
    var environment: [(name: String, value: Value)] { get }
}

/// A construct of any kind, compared and hashed as its own type.
public struct AnyConstruct: Sendable, Hashable {
    /// The construct.
    public let base: any Construct

    /// Wraps `base`.
    public init(_ base: any Construct) { self.base = base }

    /// Its kind's name.
    public var kind: String { type(of: base).kind }

    public static func == (lhs: AnyConstruct, rhs: AnyConstruct) -> Bool {
        AnyHashable(lhs.base) == AnyHashable(rhs.base)
    }

    public func hash(into hasher: inout Hasher) { AnyHashable(base).hash(into: &hasher) }
}
