import CloudFormation

extension RestAPI {
    /// The HTTP APIs (API Gateway v2, `ProtocolType: HTTP`) of `template`, served as REST APIs are where they
    /// behave alike: the `$default` stage without a path prefix and with its default route throttle, IAM routes
    /// signed as REST methods are, `SQS-SendMessage` integrations (the request body as the message, SQS's answer
    /// returned with 200), Lambda proxies with payload format 1.0. JWT authorizers are listed as not run (tokens
    /// are not verified locally), and so is a Lambda proxy with payload format 2.0. A request no route matches is
    /// 404 `Not Found`, as an HTTP API answers it.
    static func httpAPIs(in template: Template, names: LocalNames) -> [RestAPI] {
        template.resources.filter {
            $0.type == "AWS::ApiGatewayV2::Api" && names.string($0.properties["ProtocolType"]) == "HTTP"
        }.map { readHTTP($0.logicalId, template: template, names: names) }
    }

    static func readHTTP(_ apiId: String, template: Template, names: LocalNames) -> RestAPI {
        let belongs: (Resource) -> Bool = { $0.properties["ApiId"] == .ref(apiId) }
        let stage = template.resources.first { $0.type == "AWS::ApiGatewayV2::Stage" && belongs($0) }
        let stageName = names.string(stage?.properties["StageName"]) ?? "$default"
        var api = RestAPI(
            name: names.string(template.resource(apiId)?.properties["Name"]) ?? apiId,
            stage: stageName == "$default" ? "" : stageName, routes: [])
        api.isHTTP = true
        let settings = stage?.properties["DefaultRouteSettings"]
        api.rateLimit = names.string(settings?["ThrottlingRateLimit"]).flatMap(Double.init)
        api.burstLimit = names.string(settings?["ThrottlingBurstLimit"]).flatMap(Int.init)
        api.accessLogFormat = names.string(stage?.properties["AccessLogSettings"]?["Format"])
        if case .getAtt(let group, _)? = stage?.properties["AccessLogSettings"]?["DestinationArn"] {
            api.accessLogGroup = names.resources[group]?.ref
        }
        for resource in template.resources where resource.type == "AWS::ApiGatewayV2::Route" && belongs(resource) {
            guard let key = names.string(resource.properties["RouteKey"]) else { continue }
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                api.unsupported.append("\(key): only METHOD /path routes run locally")
                continue
            }
            var authorization = names.string(resource.properties["AuthorizationType"]) ?? "NONE"
            if authorization == "JWT" || authorization == "CUSTOM" {
                api.unsupported.append("\(key): the \(authorization) authorizer (tokens are not checked locally)")
                authorization = "NONE"
            }
            let route = Route(
                method: parts[0], path: parts[1], authorization: authorization,
                integration: httpIntegration(of: resource, template: template, names: names))
            if case .unsupported(let what) = route.integration { api.unsupported.append("\(key): \(what)") }
            api.routes.append(route)
        }
        return api
    }

    /// The integration a route's `Target` (`integrations/<id>`) names.
    static func httpIntegration(of route: Resource, template: Template, names: LocalNames) -> Integration {
        guard case .sub(let text, _)? = route.properties["Target"], text.hasPrefix("integrations/${"),
            let integration = template.resource(String(text.dropFirst(15).dropLast()))?.properties
        else { return .unsupported("a route without an integration of this template") }
        if names.string(integration["IntegrationSubtype"]) == "SQS-SendMessage" {
            guard let url = names.string(integration["RequestParameters"]?["QueueUrl"]) else {
                return .unsupported("SQS-SendMessage into a queue outside the template")
            }
            let path = url.split(separator: "/").suffix(2).joined(separator: "/")
            return .service(
                ServiceIntegration(
                    service: "sqs", path: "/" + path,
                    headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                    templates: [
                        Self.anyContent: MappingTemplate("Action=SendMessage&MessageBody=$util.urlEncode($input.body)")
                    ],
                    responses: [
                        IntegrationResponse(status: 200, pattern: "2\\d{2}", templates: [:]),
                        IntegrationResponse(status: 500, pattern: nil, templates: [:]),
                    ]))
        }
        guard names.string(integration["IntegrationType"]) == "AWS_PROXY",
            let uri = names.string(integration["IntegrationUri"]), uri.contains(":function:")
        else { return .unsupported("\(names.string(integration["IntegrationType"]) ?? "?") integration") }
        guard names.string(integration["PayloadFormatVersion"]) == "1.0" else {
            return .unsupported("Lambda proxy with payload format 2.0 (local sends 1.0 events)")
        }
        return .lambdaProxy(function: String(uri.split(separator: ":").last ?? ""))
    }

    /// The template key that applies to a request of any content type (an HTTP API's integration has no
    /// templates per content type).
    static let anyContent = "*/*"
}
