/// What a function does for the traffic that enters a stack, read from the wiring (what feeds it), never from
/// its name.
public enum Role: String, Sendable, Equatable, CaseIterable {
    /// Consumes the queue the entry route feeds (the first mapping on it).
    case entryConsumer = "entry consumer"
    /// Invoked by the entry route directly (no queue between).
    case entryFunction = "entry function"
    /// Behind the query route (reads what the traffic stored).
    case query
    /// Consumes a queue the traffic reaches downstream of the entry (a subscriber queue, a second mapping).
    case downstreamConsumer = "downstream consumer"
    /// Subscribed to a topic the traffic publishes to (invoked once per event).
    case eventHandler = "event handler"
    /// Reads the change stream of a table the traffic writes (an outbox).
    case outboxReader = "outbox reader"
    /// A Lambda authorizer in front of the entry or query route.
    case authorizer
}

/// What writes to a log group, as the traffic path sees it.
public enum LogWriter: Sendable, Equatable {
    /// A function of the path, with its role; `mapping` names the consumer mapping for a downstream consumer.
    case function(Role, mapping: String?)
    /// An API stage's access log.
    case access
    /// Nothing the path knows of.
    case other
}
