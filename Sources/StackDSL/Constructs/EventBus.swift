import CloudFormation

/// An EventBridge event bus: the event router in place of a topic. Functions publish to it
/// (`Function.publishes(bus)`: `events:PutEvents` on it alone, `<NAME>_EVENT_BUS_NAME`), and subscribers take what
/// their rule's pattern matches (`Subscriber(name, to: bus, pattern:)`: a rule delivering to the subscriber's own
/// queue, retried for a day, then to its dead-letter queue).
///
/// Against SNS: $1.00 per million events published (each 64 KB chunk counts) where SNS charges $0.50 per million
/// publishes; rules filter on any field of the event, archive and replay it, and route to 20+ kinds of target.
/// `cost` prices both from the same profile.
public struct EventBus: FunctionResource {
    public static let kind = "event bus"
    public static let phase = ConstructPhase.topics

    /// The construct name; the logical ID is `<name>EventBus`.
    public let name: String

    /// A custom event bus.
    public init(_ name: String) { self.name = name }

    var logicalId: String { "\(name)EventBus" }
    public var nodeId: String { logicalId }
    public var edgeLabel: String { "events:PutEvents" }

    public var statements: [Statement] {
        [.allow(["events:PutEvents"], on: [.getAtt(logicalId, "Arn")], sid: "PublishTo\(name)EventBus")]
    }

    public var environment: [(name: String, value: Value)] {
        // `Ref` and `GetAtt Name` of an event bus both give its name (AWS::Events::EventBus, return values); the
        // attribute is written because moto_server's CloudFormation resolves `Ref` of a bus to no name at all.
        [("\(Names.upperSnake(name))_EVENT_BUS_NAME", .getAtt(logicalId, "Name"))]
    }

    public func expand(in context: inout ExpansionContext) {
        context.add(
            Resource(
                logicalId, type: "AWS::Events::EventBus",
                properties: Fields([
                    ("Name", Names.stackScoped(name)),
                    ("Description", .string("\(context.stack.description): \(name)")),
                ])))
        context.graph.node(logicalId, "\(name) (event bus)", .topic)
        context.output("\(name)EventBusName", .getAtt(logicalId, "Name"), "Name of the \(name) event bus")
        context.output("\(name)EventBusArn", .getAtt(logicalId, "Arn"), "ARN of the \(name) event bus")
    }
}

extension Function {
    /// Publishes events to `bus`: grants `events:PutEvents` on it and sets `<NAME>_EVENT_BUS_NAME`.
    public func publishes(_ bus: EventBus) -> Function { uses(bus) }
}
