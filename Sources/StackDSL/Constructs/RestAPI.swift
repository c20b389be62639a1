import CloudFormation

/// A request body schema shipped in `blueprints/schemas/<name>.json`.
public struct Schema: Sendable, Hashable {
    /// The file's base name and the API model's name.
    public let name: String

    /// Creates a schema reference to `blueprints/schemas/<name>.json`.
    public init(_ name: String) { self.name = name }
}

/// A route of a REST or HTTP API.
public struct Route: Sendable, Hashable {
    /// What the route does.
    public enum Integration: Sendable, Hashable {
        /// Validates the JSON body against a schema and sends it to a queue (`sqs:SendMessage`), answering 202.
        case enqueue(Queue, schema: Schema)
        /// Proxies the request to a Lambda function.
        case invoke(Function)
    }

    /// The HTTP method.
    public let method: String
    /// The path, such as `/orders/{orderId}`.
    public let path: String
    /// The integration.
    public let integration: Integration

    /// `POST path`: validates the body with `schema` and enqueues it; the response is 202 with the SQS message ID.
    public static func post(_ path: String, validatedBy schema: Schema, enqueueTo queue: Queue) -> Route {
        Route(method: "POST", path: path, integration: .enqueue(queue, schema: schema))
    }

    /// The construct the route hands requests to (its queue or function).
    var target: any Construct {
        switch integration {
        case .enqueue(let queue, _): return queue
        case .invoke(let function): return function
        }
    }

    /// `POST path` proxied to `function`, which answers the caller itself (no schema check at the edge).
    public static func post(_ path: String, invoke function: Function) -> Route {
        Route(method: "POST", path: path, integration: .invoke(function))
    }

    /// `GET path` proxied to `function`.
    public static func get(_ path: String, invoke function: Function) -> Route {
        Route(method: "GET", path: path, integration: .invoke(function))
    }
}

/// A REST API (API Gateway v1) with its stage, access logs, throttling, validation and routes.
public struct RestAPI: Sendable, Hashable {
    /// The construct name; the logical ID of the API is `<name>`.
    public let name: String
    /// The routes.
    public let routes: [Route]

    /// Creates an API from a route builder.
    public init(_ name: String, @RouteBuilder routes: () -> [Route]) {
        self.name = name
        self.routes = routes()
    }
}

extension RestAPI: Construct {
    public static let kind = "API"
    public static let phase = ConstructPhase.apis
    public static let sharesLogicalIds = true

    public var reaches: [any Construct] { routes.map(\.target) }

    public func expand(in context: inout ExpansionContext) throws(SynthesisError) { try context.expand(self) }
}

/// Builds the routes of a `RestAPI`.
@resultBuilder
public enum RouteBuilder {
    public static func buildExpression(_ route: Route) -> [Route] { [route] }
    public static func buildBlock(_ parts: [Route]...) -> [Route] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Route]?) -> [Route] { part ?? [] }
    public static func buildEither(first: [Route]) -> [Route] { first }
    public static func buildEither(second: [Route]) -> [Route] { second }
    public static func buildArray(_ parts: [[Route]]) -> [Route] { parts.flatMap { $0 } }
}
