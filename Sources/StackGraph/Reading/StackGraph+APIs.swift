import CloudFormation

extension GraphReader {
    /// APIs, their stages and routes: REST methods, HTTP API routes, OpenAPI bodies and SAM function events.
    mutating func readAPIs() {
        for resource in expansion.resources {
            switch resource.type {
            case "AWS::ApiGateway::RestApi":
                graph.apis.append(StackGraph.API(logicalId: resource.logicalId, kind: .rest))
                openAPIRoutes(of: resource, kind: .rest)
            case "AWS::ApiGatewayV2::Api":
                graph.apis.append(StackGraph.API(logicalId: resource.logicalId, kind: .http))
                openAPIRoutes(of: resource, kind: .http)
            default: break
            }
        }
        for resource in expansion.resources {
            switch resource.type {
            case "AWS::ApiGateway::Stage": restStage(resource)
            case "AWS::ApiGatewayV2::Stage": httpStage(resource)
            case "AWS::ApiGateway::Method": restMethod(resource)
            case "AWS::ApiGatewayV2::Route": httpRoute(resource)
            default: break
            }
        }
        for event in expansion.apiEvents where byId[event.api] != nil {
            let route = StackGraph.Route(
                api: event.api, kind: event.http ? .http : .rest, method: event.method, path: event.path,
                target: .function(event.function), authorizer: samDefaultAuthorizer(of: event.api))
            if !graph.routes.contains(route) { graph.routes.append(route) }
        }
    }

    /// Applies a stage's throttle, tracing and access-log group to its API.
    mutating func stage(
        of api: String?, rate: Double?, burst: Double?, traced: Bool, accessLogs: String?
    ) {
        guard let api, let index = graph.apis.firstIndex(where: { $0.logicalId == api }) else { return }
        if let rate { graph.apis[index].rateLimit = rate }
        if let burst { graph.apis[index].burstLimit = burst }
        if traced { graph.apis[index].traced = true }
        if graph.apis[index].accessLogGroup == nil { graph.apis[index].accessLogGroup = accessLogs }
    }

    mutating func restStage(_ stage: Resource) {
        var rate: Double?, burst: Double?
        for setting in stage["MethodSettings"]?.items ?? [] {
            if let value = Self.number(setting["ThrottlingRateLimit"]) { rate = value }
            if let value = Self.number(setting["ThrottlingBurstLimit"]) { burst = value }
        }
        self.stage(
            of: referenced(stage["RestApiId"], type: "AWS::ApiGateway::RestApi"), rate: rate, burst: burst,
            traced: stage["TracingEnabled"] == .bool(true),
            accessLogs: referenced(stage["AccessLogSetting"]?["DestinationArn"], type: "AWS::Logs::LogGroup"))
    }

    mutating func httpStage(_ stage: Resource) {
        let settings = stage["DefaultRouteSettings"]
        self.stage(
            of: referenced(stage["ApiId"], type: "AWS::ApiGatewayV2::Api"),
            rate: Self.number(settings?["ThrottlingRateLimit"]), burst: Self.number(settings?["ThrottlingBurstLimit"]),
            traced: false,
            accessLogs: referenced(stage["AccessLogSettings"]?["DestinationArn"], type: "AWS::Logs::LogGroup"))
    }

    /// The path of a REST resource: its `PathPart`s up to the root.
    func restPath(_ resourceId: Value?, depth: Int = 0) -> String {
        guard depth < 32, case .ref(let id)? = resourceId, let resource = byId[id],
            resource.type == "AWS::ApiGateway::Resource"
        else { return "" }
        return restPath(resource["ParentId"], depth: depth + 1) + "/" + (resource["PathPart"]?.stringValue ?? "?")
    }

    mutating func restMethod(_ method: Resource) {
        guard let api = referenced(method["RestApiId"], type: "AWS::ApiGateway::RestApi") else { return }
        let path = restPath(method["ResourceId"])
        var authorizer: String?
        if let id = referenced(method["AuthorizerId"], type: "AWS::ApiGateway::Authorizer") {
            authorizer = referenced(byId[id]?["AuthorizerUri"], type: "AWS::Lambda::Function")
        }
        var route = StackGraph.Route(
            api: api, kind: .rest, method: (method["HttpMethod"]?.stringValue ?? "ANY").uppercased(),
            path: path.isEmpty ? "/" : path,
            target: target(
                type: method["Integration"]?["Type"]?.stringValue, uri: method["Integration"]?["Uri"],
                subtype: nil, parameters: nil),
            authorizer: authorizer)
        route.authorization = method["AuthorizationType"]?.stringValue ?? "NONE"
        let models = method["RequestModels"]?.fields
        let model = models?["application/json"] ?? models?.first(where: { _ in true })?.value
        route.requestSchema = referenced(model, type: "AWS::ApiGateway::Model").flatMap { byId[$0]?["Schema"] }
        graph.routes.append(route)
    }

    mutating func httpRoute(_ route: Resource) {
        guard let api = referenced(route["ApiId"], type: "AWS::ApiGatewayV2::Api"),
            let key = route["RouteKey"]?.stringValue
        else { return }
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        let integration = referenced(route["Target"], type: "AWS::ApiGatewayV2::Integration").flatMap { byId[$0] }
        var authorizer: String?
        if let id = referenced(route["AuthorizerId"], type: "AWS::ApiGatewayV2::Authorizer") {
            authorizer = referenced(byId[id]?["AuthorizerUri"], type: "AWS::Lambda::Function")
        }
        var node = StackGraph.Route(
            api: api, kind: .http, method: parts.count == 2 ? parts[0].uppercased() : "ANY",
            path: parts.count == 2 ? parts[1] : key,
            target: integration.map {
                target(
                    type: $0["IntegrationType"]?.stringValue, uri: $0["IntegrationUri"],
                    subtype: $0["IntegrationSubtype"]?.stringValue, parameters: $0["RequestParameters"])
            } ?? .other("no integration"),
            authorizer: authorizer)
        node.authorization = route["AuthorizationType"]?.stringValue ?? "NONE"
        graph.routes.append(node)
    }

    /// Routes written in the API's OpenAPI `Body` (or SAM's `DefinitionBody`), with their
    /// `x-amazon-apigateway-integration`.
    mutating func openAPIRoutes(of api: Resource, kind: StackGraph.APIKind) {
        guard let paths = (api["Body"] ?? api["DefinitionBody"])?["paths"]?.fields else { return }
        let authorizer = samDefaultAuthorizer(of: api.logicalId)
        for path in paths {
            for operation in path.value.fields ?? Fields() {
                guard let integration = operation.value["x-amazon-apigateway-integration"] else { continue }
                let method =
                    operation.key == "x-amazon-apigateway-any-method" ? "ANY" : operation.key.uppercased()
                graph.routes.append(
                    StackGraph.Route(
                        api: api.logicalId, kind: kind, method: method, path: path.key,
                        target: target(
                            type: integration["type"]?.stringValue, uri: integration["uri"],
                            subtype: integration["integrationSubtype"]?.stringValue,
                            parameters: integration["requestParameters"]),
                        authorizer: authorizer))
            }
        }
    }

    /// The function behind a SAM API's `Auth.DefaultAuthorizer`, when it is a Lambda authorizer.
    func samDefaultAuthorizer(of api: String) -> String? {
        guard let auth = byId[api]?["Auth"], let name = auth["DefaultAuthorizer"]?.stringValue else { return nil }
        return referenced(auth["Authorizers"]?[name]?["FunctionArn"], type: "AWS::Lambda::Function")
    }

    /// What an integration hands the request to.
    func target(type: String?, uri: Value?, subtype: String?, parameters: Value?) -> StackGraph.Target {
        let kind = type?.uppercased() ?? ""
        if subtype == "SQS-SendMessage" {
            if let queue = referenced(parameters?["QueueUrl"], type: "AWS::SQS::Queue") { return .queue(queue) }
            return .other("SQS-SendMessage into a queue outside the template")
        }
        let text = Self.text(of: uri)
        if text.contains(":sqs:path/") {
            if let queue = referenced(uri, type: "AWS::SQS::Queue") { return .queue(queue) }
            if let name = text.split(separator: "/").last,
                let queue = graph.queues.first(where: { byId[$0.logicalId]?["QueueName"]?.stringValue == String(name) })
            {
                return .queue(queue.logicalId)
            }
            return .other("SQS integration into a queue outside the template")
        }
        if kind == "AWS_PROXY" || text.contains(":lambda:path/") {
            if let function = referenced(uri, type: "AWS::Lambda::Function") { return .function(function) }
            return .other("Lambda integration of a function outside the template")
        }
        return .other(kind.isEmpty ? "integration" : "\(kind) integration")
    }

    /// The literal text of a URI (`Sub` text, `Join` pieces), for recognising the service it calls.
    static func text(of value: Value?) -> String {
        switch value {
        case .string(let text)?: return text
        case .sub(let text, _)?: return text
        case .call(.join, let argument)?:
            return (argument.items?.last?.items ?? []).map { text(of: $0) }.joined()
        default: return ""
        }
    }
}
