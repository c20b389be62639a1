import CloudFormation

extension ExpansionContext {
    /// The `$context` variables of an HTTP API's access log ("Customizing HTTP API access logs"), with the fields the
    /// stack's log queries group by (`apiRequestId`, `caller`, `resourcePath`) named as in a REST API's.
    private static let httpAccessLogFormat =
        #"{"requestId":"$context.requestId","apiRequestId":"$context.requestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","requestTime":"$context.requestTime","requestTimeEpoch":"$context.requestTimeEpoch","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","resourcePath":"$context.routeKey","path":"$context.path","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","latency":"$context.responseLatency","integrationStatus":"$context.integrationStatus","integrationError":"$context.integrationErrorMessage","errorMessage":"$context.error.message"}"#

    /// An HTTP API: the API, its `$default` stage (auto-deployed, throttled, access logs), the authorizer, and per
    /// route an integration (SQS `SendMessage` through a role that may only send to that queue, or a Lambda proxy
    /// with its permission) and the route.
    mutating func expand(_ api: HTTPAPI) throws(SynthesisError) {
        if stage.api.authorization == "api-key" || !stage.api.partners.isEmpty {
            throw SynthesisError(
                "\(api.name) is an HTTP API, which has no API keys or usage plans; stage '\(stage.name)' asks for "
                    + "them (api.authorization: api-key or api.partners): use iam, none or a JWT authorizer, or a RestAPI"
            )
        }
        add(
            Resource(
                api.name, type: "AWS::ApiGatewayV2::Api",
                properties: Fields([
                    ("Name", Names.stackScoped(api.name)), ("ProtocolType", .string("HTTP")),
                    ("Description", .string("\(stack.description): \(api.name)")),
                ])))
        graph.node(api.name, "\(api.name) (HTTP API)", .api)
        let authorizerId = addAuthorizer(api)
        for route in api.routes { try addRoute(route, of: api, authorizerId: authorizerId) }
        let logGroupId = "\(api.name)AccessLogGroup"
        add(logGroup(logGroupId, name: .sub("/aws/apigateway/${AWS::StackName}-\(api.name)/access", nil)))
        add(
            Resource(
                "\(api.name)Stage", type: "AWS::ApiGatewayV2::Stage",
                properties: Fields([
                    ("ApiId", .ref(api.name)), ("StageName", .string("$default")), ("AutoDeploy", .bool(true)),
                    ("Description", .string("\(stage.name) stage")),
                    (
                        "DefaultRouteSettings",
                        .object([
                            "ThrottlingRateLimit": .int(stage.api.rateLimit),
                            "ThrottlingBurstLimit": .int(stage.api.burstLimit),
                            "DetailedMetricsEnabled": .bool(stage.api.detailedMetrics),
                        ])
                    ),
                    (
                        "AccessLogSettings",
                        .object([
                            "DestinationArn": .getAtt(logGroupId, "Arn"), "Format": .string(Self.httpAccessLogFormat),
                        ])
                    ),
                ])))
        addMonitoring(api)
    }

    /// The JWT authorizer, when the API has one; its logical ID.
    mutating func addAuthorizer(_ api: HTTPAPI) -> String? {
        guard let authorizer = api.authorizer else { return nil }
        let id = "\(api.name)Authorizer"
        add(
            Resource(
                id, type: "AWS::ApiGatewayV2::Authorizer",
                properties: Fields([
                    ("ApiId", .ref(api.name)), ("Name", .string("\(api.name)Jwt")),
                    ("AuthorizerType", .string("JWT")), ("IdentitySource", .strings([authorizer.identitySource])),
                    (
                        "JwtConfiguration",
                        .object(["Issuer": .string(authorizer.issuer), "Audience": .strings(authorizer.audience)])
                    ),
                ])))
        return id
    }

    /// One route: its integration and the route, authorized by the JWT authorizer or the stage's choice.
    mutating func addRoute(_ route: Route, of api: HTTPAPI, authorizerId: String?) throws(SynthesisError) {
        guard route.path.hasPrefix("/"), route.path.count > 1 else {
            throw SynthesisError(
                "route '\(route.method) \(route.path)' of \(api.name) must start with '/' and name a resource")
        }
        let routeName = "\(api.name)\(Names.pascal(route.method.lowercased()))\(Names.pascal(route.path))"
        let integrationId = "\(routeName)Integration"
        switch route.integration {
        case .enqueue(let queue, let schema):
            addQueueIntegration(integrationId, into: queue, schema: schema, route: route, of: api)
        case .invoke(let function): addLambdaIntegration(integrationId, of: function, route: route, api: api)
        }
        var properties = Fields([
            ("ApiId", .ref(api.name)), ("RouteKey", .string("\(route.method) \(route.path)")),
            ("Target", .sub("integrations/${\(integrationId)}", nil)),
        ])
        if let authorizerId {
            properties["AuthorizationType"] = .string("JWT")
            properties["AuthorizerId"] = .ref(authorizerId)
        } else {
            properties["AuthorizationType"] = .string(stage.api.authorization == "iam" ? "AWS_IAM" : "NONE")
        }
        add(Resource("\(routeName)Route", type: "AWS::ApiGatewayV2::Route", properties: properties))
    }

    /// `SQS-SendMessage` with the request body as the message, through a role that may only send to `queue`
    /// ("Working with AWS service integrations for HTTP APIs", integration subtype reference).
    mutating func addQueueIntegration(
        _ integrationId: String, into queue: Queue, schema: Schema, route: Route, of api: HTTPAPI
    ) {
        let queueId = "\(queue.name)Queue"
        let roleId =
            resource("\(api.name)\(queue.name)SendRole") == nil
            ? addSendRole(api: api.name, queue: queue) : "\(api.name)\(queue.name)SendRole"
        add(
            Resource(
                integrationId, type: "AWS::ApiGatewayV2::Integration",
                properties: Fields([
                    ("ApiId", .ref(api.name)), ("IntegrationType", .string("AWS_PROXY")),
                    ("IntegrationSubtype", .string("SQS-SendMessage")), ("PayloadFormatVersion", .string("1.0")),
                    ("CredentialsArn", .getAtt(roleId, "Arn")),
                    (
                        "RequestParameters",
                        .object(["QueueUrl": .ref(queueId), "MessageBody": .string("$request.body")])
                    ),
                ])))
        graph.edge(api.name, queueId, "\(route.method) \(route.path) (\(schema.name) not validated at the edge)")
    }

    /// A Lambda proxy with payload format 1.0, the event a REST API's proxy sends, so that a handler serves either
    /// API unchanged ("Working with AWS Lambda proxy integrations for HTTP APIs"), and the permission for this API's route to invoke the function (its `live`
    /// alias with a gradual rollout).
    mutating func addLambdaIntegration(_ integrationId: String, of function: Function, route: Route, api: HTTPAPI) {
        add(
            Resource(
                integrationId, type: "AWS::ApiGatewayV2::Integration",
                properties: Fields([
                    ("ApiId", .ref(api.name)), ("IntegrationType", .string("AWS_PROXY")),
                    ("IntegrationUri", .sub(invocationTargetSub(function), nil)),
                    ("PayloadFormatVersion", .string("1.0")),
                ])))
        graph.edge(api.name, "\(function.name)Function", "\(route.method) \(route.path)")
        // One permission per function and API, for every route of that API that invokes it.
        guard resource("\(function.name)\(api.name)InvokePermission") == nil else { return }
        add(
            Resource(
                "\(function.name)\(api.name)InvokePermission", type: "AWS::Lambda::Permission",
                properties: Fields([
                    (
                        "FunctionName",
                        stage.rollout == nil ? .getAtt("\(function.name)Function", "Arn") : invocationTarget(function)
                    ),
                    ("Action", .string("lambda:InvokeFunction")), ("Principal", .string("apigateway.amazonaws.com")),
                    ("SourceAccount", .ref("AWS::AccountId")),
                    (
                        "SourceArn",
                        .sub(
                            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${\(api.name)}/*",
                            nil)
                    ),
                ])))
    }

    /// 5XX and latency alarms (metrics of HTTP APIs are per `ApiId` and `Stage`), and the URL output.
    mutating func addMonitoring(_ api: HTTPAPI) {
        let dimensions: [(String, Value)] = [("ApiId", .ref(api.name)), ("Stage", .string("$default"))]
        alarm(
            "\(api.name)ServerErrorsAlarm", description: "\(api.name): 5xx responses (integration or service failures)",
            namespace: "AWS/ApiGateway", metric: "5xx", dimensions: dimensions, statistic: "Sum",
            threshold: stage.alarms.api5xxPerMinute)
        alarm(
            "\(api.name)LatencyAlarm", description: "\(api.name): p99 latency above \(stage.alarms.apiLatencyP99Ms) ms",
            namespace: "AWS/ApiGateway", metric: "Latency", dimensions: dimensions, statistic: "p99",
            threshold: stage.alarms.apiLatencyP99Ms, evaluationPeriods: 3)
        output(
            "\(api.name)Url", .sub("https://${\(api.name)}.execute-api.${AWS::Region}.${AWS::URLSuffix}", nil),
            "Base URL of the \(api.name) HTTP API")
    }
}
