import AWSSigV4
import Foundation
import JSONDocument
import JSONSchema
import JSONText
import Timestamps

/// A request as the local gateway receives it.
public struct GatewayRequest: Sendable {
    public var method: String
    /// The path without the query string, still percent-encoded.
    public var path: String
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var sourceIp: String

    public init(
        method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: [UInt8] = [], sourceIp: String = "127.0.0.1"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.sourceIp = sourceIp
    }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    /// The media type of `Content-Type` without parameters; `application/json` when absent, as API Gateway
    /// assumes.
    var contentType: String {
        (header("content-type") ?? "application/json").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? "application/json"
    }
}

/// The gateway's answer.
public struct GatewayAnswer: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = ["Content-Type": "application/json"], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func message(_ status: Int, _ text: String) -> GatewayAnswer {
        GatewayAnswer(status: status, body: Array("{\"message\":\(JSONText.quote(text))}".utf8))
    }
}

/// How an invocation ended, as Lambda reports it to its caller.
public enum InvocationResult: Sendable, Equatable {
    case response([UInt8])
    /// A function error, a timeout or a crash: Lambda's error type and message.
    case failed(type: String, message: String)
}

/// What the gateway calls: AWS service actions (signed, to the local endpoint), functions, the clock.
public struct GatewayBackends: Sendable {
    /// Sends `body` to the service's local endpoint at `path`; the status and body, status 0 when unreachable.
    public var callService:
        @Sendable (_ service: String, _ path: String, _ headers: [(String, String)], _ body: [UInt8]) async -> (
            Int, [UInt8]
        )
    public var invoke: @Sendable (_ function: String, _ event: [UInt8]) async -> InvocationResult
    /// Milliseconds since 1970.
    public var now: @Sendable () -> Int64

    public init(
        callService: @escaping @Sendable (String, String, [(String, String)], [UInt8]) async -> (Int, [UInt8]),
        invoke: @escaping @Sendable (String, [UInt8]) async -> InvocationResult, now: @escaping @Sendable () -> Int64
    ) {
        self.callService = callService
        self.invoke = invoke
        self.now = now
    }
}

/// The REST API served on loopback: routing, the stage throttle, IAM authorization, request validation, the
/// integrations and the access log, as API Gateway applies them.
public actor Gateway {
    public let api: RestAPI
    let backends: GatewayBackends
    /// `nil` turns IAM authorization off (`--no-auth`).
    let credentials: Credentials?
    /// The Region signatures must be scoped to.
    let region: String
    /// The stage's throttle, one bucket per method as API Gateway keeps them ("Per-API, per-stage throttling
    /// limits are applied at the API method level for a stage").
    var buckets: [String: TokenBucket] = [:]
    var counter = 0
    /// One access-log line per request (the stage's format).
    let accessLog: @Sendable (String) -> Void
    /// The usage plans' keys by value.
    let keys: [String: RestAPI.KeyPlan]
    /// Each key's plan throttle and requests counted in the quota's current period, by key resource.
    var keyBuckets: [String: TokenBucket] = [:]
    var keyUsage: [String: (period: String, count: Int)] = [:]

    /// Creates a gateway; `keys` maps each API key's value to its usage plan.
    public init(
        api: RestAPI, backends: GatewayBackends, credentials: Credentials?, region: String,
        keys: [String: RestAPI.KeyPlan] = [:], accessLog: @escaping @Sendable (String) -> Void
    ) {
        self.api = api
        self.backends = backends
        self.credentials = credentials
        self.region = region
        self.keys = keys
        self.accessLog = accessLog
    }

    /// API Gateway's payload limit for REST APIs, 10 MB ("API Gateway quotas for configuring and running a REST
    /// API"); larger requests get REQUEST_TOO_LARGE, 413, whose response cannot be customized.
    public static let maximumPayload = 10_485_760

    /// The answer to a request over `maximumPayload`.
    public static let tooLarge = HTTPServerResponse(
        status: 413, headers: [("Content-Type", "application/json")],
        body: Array(#"{"message":"Request Too Long"}"#.utf8))

    /// Answers one request and writes its access-log line.
    public func handle(_ request: GatewayRequest) async -> GatewayAnswer {
        let started = backends.now()
        counter += 1
        var context = Context(
            values: [
                "requestId": String(format: "%08x-local-%06d", UInt32(truncatingIfNeeded: started), counter),
                "httpMethod": request.method, "path": request.path, "stage": api.stage, "protocol": "HTTP/1.1",
                "identity.sourceIp": request.sourceIp, "requestTimeEpoch": String(started),
                "requestTime": Self.clf(started), "accountId": "123456789012", "apiId": "local",
            ])
        let answer = await answer(request, context: &context)
        context.values["status"] = String(answer.status)
        context.values["responseLength"] = String(answer.body.count)
        context.values["responseLatency"] = String(backends.now() - started)
        if let format = api.accessLogFormat {
            // Access logs are filled by substitution, a missing value written `-` (not Velocity).
            accessLog(MappingTemplate(format).substitute(context.values, missing: "-"))
        }
        var headers = answer.headers
        headers["x-amzn-RequestId"] = context.values["requestId"]
        return GatewayAnswer(status: answer.status, headers: headers, body: answer.body)
    }

    struct Context {
        var values: [String: String]
    }

    func answer(_ request: GatewayRequest, context: inout Context) async -> GatewayAnswer {
        guard let (route, pathParameters) = match(request) else {
            if api.isHTTP { return .message(404, "Not Found") }
            // An Authorization header that is not a signature is named even for a path that does not exist.
            if let header = request.header("authorization"), let refusal = SigV4Verifier.incomplete(header) {
                return gatewayResponse("INCOMPLETE_SIGNATURE", status: 403, message: refusal, context: &context)
            }
            return gatewayResponse(
                "MISSING_AUTHENTICATION_TOKEN", status: 403, message: "Missing Authentication Token", context: &context)
        }
        context.values["resourcePath"] = route.path
        if let rate = api.rateLimit {
            let key = route.method + " " + route.path
            var bucket = buckets[key] ?? TokenBucket(rate: rate, burst: api.burstLimit ?? Int(rate))
            let admitted = bucket.take(nowMs: backends.now())
            buckets[key] = bucket
            if !admitted {
                return gatewayResponse("THROTTLED", status: 429, message: "Too Many Requests", context: &context)
            }
        }
        if route.authorization == "AWS_IAM", let credentials {
            let stagePath = request.path
            switch SigV4Verifier.verify(
                method: request.method, path: stagePath, query: request.query, headers: request.headers,
                body: request.body, credentials: credentials, region: region, nowMs: backends.now())
            {
            case .valid: context.values["identity.caller"] = credentials.accessKeyId
            case .refused(let message):
                let type =
                    message == "Missing Authentication Token" ? "MISSING_AUTHENTICATION_TOKEN" : "INVALID_SIGNATURE"
                return gatewayResponse(type, status: 403, message: message, context: &context)
            }
        }
        if route.apiKeyRequired, let refusal = admitKey(request, context: &context) { return refusal }
        if let refusal = validate(request, route: route, pathParameters: pathParameters, context: &context) {
            return refusal
        }
        if case .service(let integration) = route.integration, integration.template(for: request) == nil,
            integration.refusesUnmatchedContent
        {
            // PassthroughBehavior NEVER (or WHEN_NO_TEMPLATES with templates): a content type without a template
            // is refused with UNSUPPORTED_MEDIA_TYPE, 415 (API Gateway developer guide, "Method request data
            // mapping: passthrough behaviors").
            return gatewayResponse(
                "UNSUPPORTED_MEDIA_TYPE", status: 415, message: "Unsupported Media Type", context: &context)
        }
        switch route.integration {
        case .service(let integration): return await callService(integration, request, context: &context)
        case .lambdaProxy(let function):
            return await proxy(function, request, route: route, pathParameters: pathParameters, context: context)
        case .unsupported(let what):
            context.values["error.message"] = "not run locally: \(what)"
            return .message(500, "orderstack local does not run this integration: \(what)")
        }
    }

    /// A method that requires an API key: the `x-api-key` header must name a key of one of the stage's usage plans
    /// (else INVALID_API_KEY, 403), whose quota (QUOTA_EXCEEDED, 429) and throttle (THROTTLED, 429) then apply
    /// ("Gateway response types for API Gateway"; "Choose an API key source in API Gateway"). AWS applies both
    /// "on a best-effort basis"; here they are exact.
    func admitKey(_ request: GatewayRequest, context: inout Context) -> GatewayAnswer? {
        guard let value = request.header("x-api-key"), let plan = keys[value] else {
            return gatewayResponse("INVALID_API_KEY", status: 403, message: "Forbidden", context: &context)
        }
        context.values["identity.apiKeyId"] = plan.keyId
        let now = backends.now()
        let period = Self.quotaPeriod(plan.period, nowMs: now)
        var used = 0
        if let recorded = keyUsage[plan.keyId], recorded.period == period { used = recorded.count }
        if let quota = plan.quota, used >= quota {
            return gatewayResponse("QUOTA_EXCEEDED", status: 429, message: "Limit Exceeded", context: &context)
        }
        if let rate = plan.rateLimit {
            var bucket = keyBuckets[plan.keyId] ?? TokenBucket(rate: rate, burst: plan.burstLimit ?? Int(rate))
            let admitted = bucket.take(nowMs: now)
            keyBuckets[plan.keyId] = bucket
            if !admitted {
                return gatewayResponse("THROTTLED", status: 429, message: "Too Many Requests", context: &context)
            }
        }
        keyUsage[plan.keyId] = (period, used + 1)
        return nil
    }

    /// The quota period a moment falls in, in UTC: `2026-12` for MONTH, `2026-12-04` for DAY, the week's number
    /// since 1970 for WEEK.
    static func quotaPeriod(_ period: String, nowMs: Int64) -> String {
        switch period {
        case "DAY": return String(RFC3339.format(nowMs).prefix(10))
        case "WEEK": return "week-\(nowMs / 604_800_000)"
        default: return String(RFC3339.format(nowMs).prefix(7))
        }
    }

    /// The route for the request's method and path (the stage prefix optional), with its path parameters.
    func match(_ request: GatewayRequest) -> (RestAPI.Route, [String: String])? {
        var segments = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if segments.first == api.stage { segments.removeFirst() }
        for route in api.routes where route.method == request.method || route.method == "ANY" {
            let pattern = route.path.split(separator: "/").map(String.init)
            guard pattern.count == segments.count else { continue }
            var parameters: [String: String] = [:]
            var matched = true
            for (part, segment) in zip(pattern, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    parameters[String(part.dropFirst().dropLast())] = segment
                } else if part != segment {
                    matched = false
                    break
                }
            }
            if matched { return (route, parameters) }
        }
        return nil
    }

    /// The validator's verdict: a gateway response when the request is refused.
    func validate(
        _ request: GatewayRequest, route: RestAPI.Route, pathParameters: [String: String], context: inout Context
    ) -> GatewayAnswer? {
        if route.validatesParameters {
            let missing = route.requiredParameters.compactMap { name -> String? in
                let parts = name.split(separator: ".")
                guard parts.count == 4 else { return nil }
                let key = String(parts[3])
                let present =
                    switch parts[2] {
                    // "included and not blank" (API Gateway developer guide, request validation).
                    case "path": pathParameters[key].map { !$0.isEmpty } ?? false
                    case "querystring": request.query.contains { $0.0 == key && !$0.1.isEmpty }
                    case "header": !(request.header(key) ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                    default: true
                    }
                return present ? nil : key
            }
            if !missing.isEmpty {
                let message = "Missing required request parameters: [\(missing.joined(separator: ", "))]"
                return gatewayResponse("BAD_REQUEST_PARAMETERS", status: 400, message: message, context: &context)
            }
        }
        guard route.validatesBody else { return nil }
        // "If no matching content type is found, request validation is not performed" (request validation).
        guard let model = route.models[request.contentType] else { return nil }
        let problems: [String]
        switch StrictJSON.parse(request.body) {
        case .success(let instance): problems = model.problems(instance)
        case .failure(let failure): problems = ["Invalid JSON: \(failure.message) at byte \(failure.offset)"]
        }
        guard !problems.isEmpty else { return nil }
        // API Gateway escapes the string for the JSON templates it is used in.
        context.values["error.validationErrorString"] = String(
            JSONText.quote("[" + problems.joined(separator: ", ") + "]").dropFirst().dropLast())
        return gatewayResponse("BAD_REQUEST_BODY", status: 400, message: "Invalid request body", context: &context)
    }

    /// A gateway response of `type`: the template's override for it (or its DEFAULT_4XX / DEFAULT_5XX), filled by
    /// substitution as API Gateway fills them ("not processed by the Velocity Template Language engine"), or
    /// API Gateway's default `{"message": ...}`.
    func gatewayResponse(_ type: String, status: Int, message: String, context: inout Context) -> GatewayAnswer {
        context.values["error.message"] = message
        context.values["error.messageString"] = JSONText.quote(message)
        context.values["error.responseType"] = type
        let fallback = status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX"
        let override = api.gatewayResponses[type] ?? api.gatewayResponses[fallback]
        guard let override, let template = override.templates["application/json"] ?? override.templates.values.first
        else { return .message(status, message) }
        let rendered = template.substitute(context.values, missing: "")
        return GatewayAnswer(status: override.status ?? status, body: Array(rendered.utf8))
    }

    /// A non-proxy AWS integration: the request template rendered and sent, the integration response chosen by
    /// the backend's status.
    func callService(_ integration: RestAPI.ServiceIntegration, _ request: GatewayRequest, context: inout Context)
        async -> GatewayAnswer
    {
        let template = integration.template(for: request)
        let input = MappingTemplate.Input(
            body: request.body, parameters: Dictionary(request.query, uniquingKeysWith: { first, _ in first }),
            context: context.values)
        let body = template.map { Array($0.render(input).utf8) } ?? request.body
        let (status, answer) = await backends.callService(
            integration.service, integration.path, integration.headers, body)
        context.values["integration.status"] = String(status)
        if status == 0 {
            context.values["integration.error"] = String(decoding: answer, as: UTF8.self)
            return .message(500, "Internal server error")
        }
        let code = String(status)
        let chosen =
            integration.responses.first { response in
                guard let pattern = response.pattern, let regex = try? Regex("^(?:\(pattern))$") else { return false }
                return (try? regex.wholeMatch(in: code)) != nil
            } ?? integration.responses.first { $0.pattern == nil || $0.pattern == "" }
        // No integration response matches and none is the default: API_CONFIGURATION_ERROR, 500.
        guard let chosen else {
            return gatewayResponse(
                "API_CONFIGURATION_ERROR", status: 500, message: "Internal server error", context: &context)
        }
        let responseTemplate = chosen.templates["application/json"] ?? chosen.templates.values.first
        guard let rendering = responseTemplate?.evaluate(.init(body: answer, context: context.values)) else {
            return GatewayAnswer(status: chosen.status, body: answer)
        }
        // "Overrides are final": the same override set twice is a 5XX.
        if rendering.overriddenTwice {
            return gatewayResponse(
                "API_CONFIGURATION_ERROR", status: 500, message: "Internal server error", context: &context)
        }
        // `#set($context.responseOverride.status = ...)` replaces the integration response's status.
        return GatewayAnswer(status: rendering.status ?? chosen.status, body: Array(rendering.text.utf8))
    }

    /// Lambda proxy: the event API Gateway sends, the function's answer as the response.
    func proxy(
        _ function: String, _ request: GatewayRequest, route: RestAPI.Route, pathParameters: [String: String],
        context: Context
    ) async -> GatewayAnswer {
        let event = ProxyEvent.json(
            request, resource: route.path, pathParameters: pathParameters, context: context.values)
        switch await backends.invoke(function, Array(event.utf8)) {
        case .failed: return .message(502, "Internal server error")
        case .response(let bytes):
            guard let document = JSONValue.parse(bytes), let status = document["statusCode"]?.integer else {
                return .message(502, "Internal server error")
            }
            var headers: [String: String] = [:]
            if case .object(let fields)? = document["headers"] {
                for (key, value) in fields { headers[key] = value.string ?? LocalJSON.text(value) }
            }
            var body = Array((document["body"]?.string ?? "").utf8)
            if document["isBase64Encoded"] == .bool(true), let decoded = Data(base64Encoded: Data(body)) {
                body = Array(decoded)
            }
            return GatewayAnswer(status: status, headers: headers, body: body)
        }
    }

    /// `02/Dec/2026:10:00:00 +0000`, as `$context.requestTime`.
    static func clf(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

/// The REST API (v1) Lambda proxy event.
enum ProxyEvent {
    static func json(
        _ request: GatewayRequest, resource: String, pathParameters: [String: String], context: [String: String]
    ) -> String {
        func map(_ pairs: [(String, String)]) -> String {
            pairs.isEmpty
                ? "null"
                : LocalJSON.object(
                    Dictionary(pairs, uniquingKeysWith: { _, last in last }).sorted { $0.key < $1.key }.map {
                        ($0.key, JSONText.quote($0.value))
                    })
        }
        func multi(_ pairs: [(String, String)]) -> String {
            pairs.isEmpty
                ? "null"
                : LocalJSON.object(
                    Dictionary(grouping: pairs, by: \.0).sorted { $0.key < $1.key }.map { key, values in
                        (key, "[" + values.map { JSONText.quote($0.1) }.joined(separator: ",") + "]")
                    })
        }
        let body = String(decoding: request.body, as: UTF8.self)
        let requestContext = LocalJSON.object([
            ("resourcePath", JSONText.quote(resource)), ("httpMethod", JSONText.quote(request.method)),
            ("path", JSONText.quote(request.path)), ("stage", JSONText.quote(context["stage"] ?? "")),
            ("requestId", JSONText.quote(context["requestId"] ?? "")),
            ("requestTimeEpoch", context["requestTimeEpoch"] ?? "0"), ("protocol", JSONText.quote("HTTP/1.1")),
            ("accountId", JSONText.quote(context["accountId"] ?? "")), ("apiId", JSONText.quote("local")),
            (
                "identity",
                LocalJSON.object([
                    ("sourceIp", JSONText.quote(request.sourceIp)),
                    ("caller", context["identity.caller"].map(JSONText.quote) ?? "null"),
                    ("userAgent", request.header("user-agent").map(JSONText.quote) ?? "null"),
                ])
            ),
        ])
        return LocalJSON.object([
            ("resource", JSONText.quote(resource)), ("path", JSONText.quote(request.path)),
            ("httpMethod", JSONText.quote(request.method)), ("headers", map(request.headers)),
            ("multiValueHeaders", multi(request.headers)), ("queryStringParameters", map(request.query)),
            ("multiValueQueryStringParameters", multi(request.query)),
            ("pathParameters", map(pathParameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
            ("stageVariables", "null"), ("requestContext", requestContext),
            ("body", request.body.isEmpty ? "null" : JSONText.quote(body)), ("isBase64Encoded", "false"),
        ])
    }
}
