import CloudFormation

/// A JWT authorizer of an HTTP API: API Gateway checks each request's bearer token (issuer, audience, expiry,
/// signature from the issuer's JWKS) before the route runs ("Controlling access to HTTP APIs with JWT
/// authorizers", API Gateway Developer Guide).
public struct JWTAuthorizer: Sendable, Hashable {
    /// The token issuer's URL (`https://cognito-idp.<region>.amazonaws.com/<pool>`).
    public let issuer: String
    /// The audiences a token must name (at least one).
    public let audience: [String]
    /// Where the token is read (`$request.header.Authorization`).
    public let identitySource: String

    /// An authorizer accepting tokens of `issuer` for any of `audience`.
    public init(issuer: String, audience: [String], identitySource: String = "$request.header.Authorization") {
        self.issuer = issuer
        self.audience = audience
        self.identitySource = identitySource
    }
}

/// An HTTP API (API Gateway v2): the routes of a `RestAPI`, written the same way, at a lower price per request.
/// Switching is one line (`RestAPI("Api")` to `HTTPAPI("Api")`); what is given up: API Gateway validates no request
/// body against its schema (the consumer must, and does in the handlers here), there are no usage plans or API
/// keys (a stage with `api.authorization: api-key` or partners is refused), and the SQS integration answers with
/// SQS's own response (`SendMessageResponse`) rather than the REST API's 202 body.
///
/// Authorization is the stage's (`iam`: SigV4; `none`), or a JWT authorizer on every route when one is given.
public struct HTTPAPI: Sendable, Hashable {
    /// The construct name; the logical ID of the API is `<name>`.
    public let name: String
    /// The routes.
    public let routes: [Route]
    /// The JWT authorizer every route requires, if any.
    public let authorizer: JWTAuthorizer?

    /// Creates an API from a route builder.
    public init(_ name: String, authorizer: JWTAuthorizer? = nil, @RouteBuilder routes: () -> [Route]) {
        self.name = name
        self.authorizer = authorizer
        self.routes = routes()
    }
}

extension HTTPAPI: Construct {
    public static let kind = "API"
    public static let phase = ConstructPhase.apis
    public static let sharesLogicalIds = true

    public var reaches: [any Construct] { routes.map(\.target) }

    public func expand(in context: inout ExpansionContext) throws(SynthesisError) { try context.expand(self) }
}
