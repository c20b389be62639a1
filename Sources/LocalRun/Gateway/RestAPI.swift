import CloudFormation
import JSONDocument
import JSONSchema

/// A REST API's methods as the template declares them, resolved to local names: what the local gateway serves.
public struct RestAPI: Sendable {
    /// One method of one resource.
    public struct Route: Sendable {
        public var method: String
        /// `/orders/{orderId}`.
        public var path: String
        public var authorization: String
        /// `ApiKeyRequired`: the request must carry an API key of one of the stage's usage plans.
        public var apiKeyRequired = false
        public var validatesBody = false
        public var validatesParameters = false
        /// Request models by content type.
        public var models: [String: SchemaValidator] = [:]
        /// `method.request.path.orderId` and the like that are required.
        public var requiredParameters: [String] = []
        public var integration: Integration
    }

    /// How a method reaches its backend.
    public enum Integration: Sendable {
        /// An AWS service action over HTTP (`arn:aws:apigateway:region:sqs:path/account/queue`).
        case service(ServiceIntegration)
        /// Lambda proxy: the function's local name.
        case lambdaProxy(function: String)
        /// Anything else, with what it is.
        case unsupported(String)
    }

    /// A non-proxy AWS integration.
    public struct ServiceIntegration: Sendable {
        public var service: String
        /// The service path (`/123456789012/orders-dev-OrderIntake`).
        public var path: String
        public var headers: [(String, String)]
        public var templates: [String: MappingTemplate]
        public var responses: [IntegrationResponse]
        /// `PassthroughBehavior`: `WHEN_NO_MATCH` (the default), `WHEN_NO_TEMPLATES` or `NEVER`.
        public var passthrough = "WHEN_NO_MATCH"

        /// The request template for the request's content type, if any.
        func template(for request: GatewayRequest) -> MappingTemplate? {
            templates[request.contentType] ?? templates[RestAPI.anyContent]
        }

        /// Whether a content type without a template is refused (415) rather than passed through.
        var refusesUnmatchedContent: Bool {
            passthrough == "NEVER" || (passthrough == "WHEN_NO_TEMPLATES" && !templates.isEmpty)
        }
    }

    /// One integration response: chosen when `pattern` matches the backend's status.
    public struct IntegrationResponse: Sendable {
        public var status: Int
        public var pattern: String?
        public var templates: [String: MappingTemplate]
    }

    /// One API key with the usage plan it belongs to: the plan's throttle and monthly quota apply to requests
    /// carrying the key.
    public struct KeyPlan: Sendable, Equatable {
        /// The `AWS::ApiGateway::ApiKey` resource.
        public var keyId: String
        /// The key's `Value` when the template sets one; otherwise the local run generates it.
        public var value: String?
        public var rateLimit: Double?
        public var burstLimit: Int?
        /// Requests per `period` (`DAY`, `WEEK` or `MONTH`).
        public var quota: Int?
        public var period = "MONTH"
    }

    /// A gateway response (`BAD_REQUEST_BODY`, ...) as the template overrides it.
    public struct GatewayResponse: Sendable {
        public var status: Int?
        public var templates: [String: MappingTemplate]
    }

    public var name: String
    public var stage: String
    public var routes: [Route]
    public var rateLimit: Double?
    public var burstLimit: Int?
    public var accessLogFormat: String?
    public var accessLogGroup: String?
    public var gatewayResponses: [String: GatewayResponse] = [:]
    /// The usage plans of the stage with the API keys they admit (`AWS::ApiGateway::UsagePlanKey`).
    public var plans: [KeyPlan] = []

    /// Gives every key without a `Value` in the template a random one, as API Gateway generates them: 40 letters
    /// and digits.
    public mutating func generateKeyValues() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var random = SystemRandomNumberGenerator()
        for index in plans.indices where plans[index].value == nil {
            plans[index].value = String((0..<40).map { _ in alphabet.randomElement(using: &random)! })
        }
    }

    /// Each API key's value by key resource (one per key, whatever number of plans it is in).
    public var keyValues: [String: String] {
        Dictionary(plans.compactMap { plan in plan.value.map { (plan.keyId, $0) } }) { first, _ in first }
    }
    /// An HTTP API (API Gateway v2): an unmatched route is 404 Not Found rather than REST's 403.
    public var isHTTP = false
    /// Integration kinds and template constructs the local gateway does not run, for the start banner.
    public var unsupported: [String] = []

    /// The REST APIs of `template`, then its HTTP APIs, references resolved with `names`.
    public static func all(in template: Template, names: LocalNames) -> [RestAPI] {
        template.resources.filter { $0.type == "AWS::ApiGateway::RestApi" }.map {
            read($0.logicalId, template: template, names: names)
        } + httpAPIs(in: template, names: names)
    }

    static func read(_ apiId: String, template: Template, names: LocalNames) -> RestAPI {
        let belongs: (Resource) -> Bool = { resource in
            if case .ref(apiId)? = resource.properties["RestApiId"] { return true }
            return false
        }
        let stage = template.resources.first { $0.type == "AWS::ApiGateway::Stage" && belongs($0) }
        var api = RestAPI(
            name: names.string(template.resource(apiId)?.properties["Name"]) ?? apiId,
            stage: names.string(stage?.properties["StageName"]) ?? "local", routes: [])
        if let settings = stage?.properties["MethodSettings"]?.items?.first(where: {
            names.string($0["ResourcePath"]) == "/*"
        }) {
            api.rateLimit = names.string(settings["ThrottlingRateLimit"]).flatMap(Double.init)
            api.burstLimit = names.string(settings["ThrottlingBurstLimit"]).flatMap(Int.init)
        }
        api.accessLogFormat = names.string(stage?.properties["AccessLogSetting"]?["Format"])
        if case .getAtt(let group, _)? = stage?.properties["AccessLogSetting"]?["DestinationArn"] {
            api.accessLogGroup = names.resources[group]?.ref
        }
        for response in template.resources
        where response.type == "AWS::ApiGateway::GatewayResponse" && belongs(response) {
            guard let type = names.string(response.properties["ResponseType"]) else { continue }
            api.gatewayResponses[type] = GatewayResponse(
                status: names.string(response.properties["StatusCode"]).flatMap(Int.init),
                templates: templates(response.properties["ResponseTemplates"], names: names))
        }
        api.plans = plans(of: apiId, template: template, names: names)
        for method in template.resources where method.type == "AWS::ApiGateway::Method" && belongs(method) {
            let route = route(method, template: template, names: names)
            if case .unsupported(let what) = route.integration {
                api.unsupported.append("\(route.method) \(route.path): \(what)")
            }
            api.routes.append(route)
        }
        api.unsupported += api.routes.flatMap { route -> [String] in
            guard case .service(let service) = route.integration else { return [] }
            let constructs = Set(
                (service.templates.values + service.responses.flatMap { $0.templates.values }).flatMap(\.unsupported))
            return constructs.sorted().map { "\(route.method) \(route.path): mapping template construct \($0)" }
        }
        return api
    }

    /// The keys of the usage plans that name a stage of `apiId`, each with its plan's limits.
    static func plans(of apiId: String, template: Template, names: LocalNames) -> [KeyPlan] {
        template.resources.filter { $0.type == "AWS::ApiGateway::UsagePlanKey" }.compactMap { link in
            guard case .ref(let keyId)? = link.properties["KeyId"],
                case .ref(let planId)? = link.properties["UsagePlanId"],
                let plan = template.resource(planId)?.properties,
                plan["ApiStages"]?.items?.contains(where: { $0["ApiId"] == .ref(apiId) }) == true
            else { return nil }
            var found = KeyPlan(keyId: keyId, value: names.string(template.resource(keyId)?.properties["Value"]))
            found.rateLimit = names.string(plan["Throttle"]?["RateLimit"]).flatMap(Double.init)
            found.burstLimit = names.string(plan["Throttle"]?["BurstLimit"]).flatMap(Int.init)
            found.quota = names.string(plan["Quota"]?["Limit"]).flatMap(Int.init)
            found.period = names.string(plan["Quota"]?["Period"]) ?? "MONTH"
            return found
        }
    }

    static func route(_ method: Resource, template: Template, names: LocalNames) -> Route {
        let properties = method.properties
        var route = Route(
            method: names.string(properties["HttpMethod"]) ?? "ANY", path: path(of: properties["ResourceId"], template),
            authorization: names.string(properties["AuthorizationType"]) ?? "NONE",
            integration: integration(properties["Integration"], names: names))
        route.apiKeyRequired = names.string(properties["ApiKeyRequired"]) == "true"
        if case .ref(let validatorId)? = properties["RequestValidatorId"],
            let validator = template.resource(validatorId)
        {
            route.validatesBody = names.string(validator.properties["ValidateRequestBody"]) == "true"
            route.validatesParameters = names.string(validator.properties["ValidateRequestParameters"]) == "true"
        }
        for entry in properties["RequestModels"]?.fields ?? Fields() {
            guard case .ref(let modelId) = entry.value, let schema = template.resource(modelId)?.properties["Schema"],
                let document = schemaDocument(schema, names: names)
            else { continue }
            route.models[entry.key] = SchemaValidator(schema: document)
        }
        route.requiredParameters = (properties["RequestParameters"]?.fields ?? Fields()).compactMap { entry in
            names.string(entry.value) == "true" ? entry.key : nil
        }
        return route
    }

    /// A model's schema: a mapping in the template, or JSON text.
    static func schemaDocument(_ value: Value, names: LocalNames) -> JSONValue? {
        guard let resolved = names.resolve(value) else { return nil }
        if case .string(let text) = resolved { return JSONValue.parse(Array(text.utf8)) }
        return JSONValue.parse(Array(LocalJSON.text(resolved).utf8))
    }

    /// `/a/{b}` from a method's `ResourceId`, following `ParentId` to the root.
    static func path(of resourceId: Value?, _ template: Template) -> String {
        var parts: [String] = []
        var current = resourceId
        while case .ref(let id)? = current, let resource = template.resource(id),
            resource.type == "AWS::ApiGateway::Resource"
        {
            parts.insert(resource.properties["PathPart"]?.stringValue ?? "", at: 0)
            current = resource.properties["ParentId"]
        }
        return "/" + parts.joined(separator: "/")
    }

    static func integration(_ value: Value?, names: LocalNames) -> Integration {
        guard let value else { return .unsupported("no integration") }
        let type = names.string(value["Type"]) ?? "?"
        let uri = names.string(value["Uri"]) ?? ""
        switch type {
        case "AWS_PROXY":
            guard uri.contains(":lambda:path/"), let start = uri.range(of: "/functions/"),
                let end = uri.range(of: "/invocations")
            else { return .unsupported("AWS_PROXY to \(uri)") }
            let arn = String(uri[start.upperBound..<end.lowerBound])
            return .lambdaProxy(function: String(arn.split(separator: ":").last ?? ""))
        case "AWS":
            guard let marker = uri.range(of: ":path/"), uri.contains(":sqs:path/") else {
                return .unsupported("AWS integration \(uri) (only SQS actions run locally)")
            }
            var headers: [(String, String)] = []
            for entry in value["RequestParameters"]?.fields ?? Fields() {
                guard entry.key.hasPrefix("integration.request.header."),
                    let literal = names.string(entry.value), literal.hasPrefix("'"), literal.hasSuffix("'")
                else { continue }
                headers.append((String(entry.key.dropFirst(27)), String(literal.dropFirst().dropLast())))
            }
            let responses = (value["IntegrationResponses"]?.items ?? []).map { response in
                IntegrationResponse(
                    status: names.string(response["StatusCode"]).flatMap(Int.init) ?? 200,
                    pattern: names.string(response["SelectionPattern"]),
                    templates: templates(response["ResponseTemplates"], names: names))
            }
            return .service(
                ServiceIntegration(
                    service: "sqs", path: "/" + uri[marker.upperBound...], headers: headers,
                    templates: templates(value["RequestTemplates"], names: names), responses: responses,
                    passthrough: names.string(value["PassthroughBehavior"]) ?? "WHEN_NO_MATCH"))
        default:
            return .unsupported("\(type) integration")
        }
    }

    static func templates(_ value: Value?, names: LocalNames) -> [String: MappingTemplate] {
        var result: [String: MappingTemplate] = [:]
        for entry in value?.fields ?? Fields() {
            if let text = names.string(entry.value) { result[entry.key] = MappingTemplate(text) }
        }
        return result
    }
}
