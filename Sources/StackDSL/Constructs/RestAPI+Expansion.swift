import CloudFormation

extension ExpansionContext {
    private static let accessLogFormat =
        #"{"requestId":"$context.requestId","apiRequestId":"$context.requestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","requestTime":"$context.requestTime","requestTimeEpoch":"$context.requestTimeEpoch","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","latency":"$context.responseLatency","integrationStatus":"$context.integration.status","integrationError":"$context.integration.error","errorMessage":"$context.error.message"}"#

    /// A REST API: resources per path segment, validated methods, a deployment whose logical ID changes with the
    /// methods, a stage with access logs, tracing, metrics and throttling, and a usage plan.
    mutating func expand(_ api: RestAPI) throws(SynthesisError) {
        let apiId = api.name
        let stageId = "\(api.name)Stage"
        let apiName = Names.stackScoped(api.name)
        let (validatorId, badRequestId) = addRestAPI(api, apiId: apiId, apiName: apiName)
        var methodIds: [String] = []
        var deploymentInputs: [Resource] = []
        var pathResources: [String: String] = [:]
        for route in api.routes {
            methodIds.append(
                try addRoute(
                    route, of: api, validatorId: validatorId, pathResources: &pathResources,
                    deploymentInputs: &deploymentInputs))
        }
        deploymentInputs.append(template.resource(validatorId)!)
        deploymentInputs.append(template.resource(badRequestId)!)
        let deploymentId = addDeployment(
            api, inputs: deploymentInputs, dependsOn: methodIds + [badRequestId])
        let logGroupId = "\(api.name)AccessLogGroup"
        add(logGroup(logGroupId, name: .sub("/aws/apigateway/${AWS::StackName}-\(api.name)/access", nil)))
        let dependsOn = addAccountLoggingRole()
        addStage(api, stageId: stageId, deploymentId: deploymentId, logGroupId: logGroupId, dependsOn: dependsOn)
        // A usage plan throttles only requests that carry one of its API keys: with IAM or no authorization and no
        // partners it would do nothing, so there is none; the stage's method settings throttle.
        if !stage.api.partners.isEmpty {
            try addPartnerPlans(api, apiId: apiId, stageId: stageId)
        } else if stage.api.authorization == "api-key" {
            addKeyedUsagePlan(api, apiId: apiId, apiName: apiName, stageId: stageId)
        }
        addMonitoring(api, apiName: apiName, stageId: stageId)
    }

    /// The API, its request validator and the 400 answer naming what failed validation.
    mutating func addRestAPI(_ api: RestAPI, apiId: String, apiName: Value) -> (validator: String, badRequest: String) {
        add(
            Resource(
                apiId, type: "AWS::ApiGateway::RestApi",
                properties: Fields([
                    ("Name", apiName),
                    ("Description", .string("\(stack.description): \(api.name)")),
                    ("EndpointConfiguration", .object(["Types": .strings(["REGIONAL"])])),
                    ("DisableExecuteApiEndpoint", .bool(false)),
                ])))
        graph.node(apiId, "\(api.name) (REST API)", .api)

        let validatorId = "\(api.name)RequestValidator"
        add(
            Resource(
                validatorId, type: "AWS::ApiGateway::RequestValidator",
                properties: Fields([
                    ("RestApiId", .ref(apiId)), ("Name", .string("body-and-parameters")),
                    ("ValidateRequestBody", .bool(true)), ("ValidateRequestParameters", .bool(true)),
                ])))
        let badRequestId = "\(api.name)BadRequestBodyResponse"
        add(
            Resource(
                badRequestId, type: "AWS::ApiGateway::GatewayResponse",
                properties: Fields([
                    ("RestApiId", .ref(apiId)), ("ResponseType", .string("BAD_REQUEST_BODY")),
                    ("StatusCode", .string("400")),
                    (
                        "ResponseTemplates",
                        .object(["application/json": .string(#"{"message":"$context.error.validationErrorString"}"#)])
                    ),
                ])))

        return (validatorId, badRequestId)
    }

    /// One route: its path's resources (once per prefix), the method with its integration; the method's ID.
    mutating func addRoute(
        _ route: Route, of api: RestAPI, validatorId: String, pathResources: inout [String: String],
        deploymentInputs: inout [Resource]
    ) throws(SynthesisError) -> String {
        let apiId = api.name
        let authorization = stage.api.authorization
        let segments = route.path.split(separator: "/").map(String.init)
        guard !segments.isEmpty, route.path.hasPrefix("/") else {
            throw SynthesisError(
                "route '\(route.method) \(route.path)' of \(api.name) must start with '/' and name a resource")
        }
        var parent: Value = .getAtt(apiId, "RootResourceId")
        var prefix = ""
        for segment in segments {
            prefix += "/" + segment
            let resourceId = "\(api.name)Resource\(Names.pascal(prefix))"
            if pathResources[prefix] == nil {
                let resource = Resource(
                    resourceId, type: "AWS::ApiGateway::Resource",
                    properties: Fields([
                        ("RestApiId", .ref(apiId)), ("ParentId", parent), ("PathPart", .string(segment)),
                    ]))
                add(resource)
                deploymentInputs.append(resource)
                pathResources[prefix] = resourceId
            }
            parent = .ref(resourceId)
        }
        let methodId = "\(api.name)\(Names.pascal(route.method.lowercased()))\(Names.pascal(route.path))Method"
        var method = Fields([
            ("RestApiId", .ref(apiId)),
            ("ResourceId", parent),
            ("HttpMethod", .string(route.method)),
            ("AuthorizationType", .string(authorization == "iam" ? "AWS_IAM" : "NONE")),
        ])
        if authorization == "api-key" || !stage.api.partners.isEmpty { method["ApiKeyRequired"] = .bool(true) }
        method["RequestValidatorId"] = .ref(validatorId)
        let pathParameters = segments.filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map {
            String($0.dropFirst().dropLast())
        }
        if !pathParameters.isEmpty {
            method["RequestParameters"] = .map(
                Fields(pathParameters.map { ("method.request.path.\($0)", Value.bool(true)) }))
        }
        switch route.integration {
        case .enqueue(let queue, let schema):
            try enqueueIntegration(
                into: &method, api: api, route: route, queue: queue, schema: schema,
                deploymentInputs: &deploymentInputs)
        case .invoke(let function):
            addInvocation(function, by: route, of: api, segments: segments, into: &method)
        }
        let methodResource = Resource(
            methodId, type: "AWS::ApiGateway::Method", properties: method,
            metadata: Self.suppressions(cdkNag: [
                (
                    "AwsSolutions-COG4",
                    authorization == "iam"
                        ? "Callers sign requests with SigV4 (AWS_IAM); the stage chooses IAM, API keys or an authorizer."
                        : "The stage chooses '\(authorization)' authorization for this API.", []
                )
            ]))
        add(methodResource)
        deploymentInputs.append(methodResource)
        return methodId
    }

    /// A Lambda proxy integration and the permission for the API to invoke the function (its `live` alias with a
    /// gradual rollout, which CodeDeploy shifts).
    mutating func addInvocation(
        _ function: Function, by route: Route, of api: RestAPI, segments: [String], into method: inout Fields
    ) {
        let apiId = api.name
        // With a gradual rollout the API invokes the `live` alias, which CodeDeploy shifts.
        let target = invocationTargetSub(function)
        method["Integration"] = .object([
            "Type": .string("AWS_PROXY"), "IntegrationHttpMethod": .string("POST"),
            "Uri": .sub(
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/\(target)/invocations",
                nil),
        ])
        let permissionPath = segments.map { $0.hasPrefix("{") ? "*" : $0 }.joined(separator: "/")
        add(
            Resource(
                "\(function.name)\(api.name)InvokePermission", type: "AWS::Lambda::Permission",
                properties: Fields([
                    (
                        "FunctionName",
                        stage.rollout == nil
                            ? .getAtt("\(function.name)Function", "Arn") : invocationTarget(function)
                    ),
                    ("Action", .string("lambda:InvokeFunction")),
                    ("Principal", .string("apigateway.amazonaws.com")),
                    ("SourceAccount", .ref("AWS::AccountId")),
                    (
                        "SourceArn",
                        .sub(
                            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${\(apiId)}/*/\(route.method)/\(permissionPath)",
                            nil)
                    ),
                ])))
        graph.edge(apiId, "\(function.name)Function", "\(route.method) \(route.path)")
    }

    /// The deployment, named by a fingerprint of its inputs so that a change of a method deploys anew.
    mutating func addDeployment(_ api: RestAPI, inputs deploymentInputs: [Resource], dependsOn: [String]) -> String {
        let apiId = api.name
        let fingerprint = deploymentInputs.map { Names.rendered($0.properties) }.joined()
        let deploymentId = "\(api.name)Deployment\(Names.stableHash(fingerprint))"
        add(
            Resource(
                deploymentId, type: "AWS::ApiGateway::Deployment",
                properties: Fields([
                    ("RestApiId", .ref(apiId)),
                    ("Description", .string("methods fingerprint \(Names.stableHash(fingerprint))")),
                ]),
                dependsOn: dependsOn))

        return deploymentId
    }

    /// The account's API Gateway logging role when the stage opts in; what the stage then depends on.
    mutating func addAccountLoggingRole() -> [String] {
        var dependsOn: [String] = []
        if stage.api.createAccountLoggingRole {
            add(
                Resource(
                    "ApiGatewayCloudWatchRole", type: "AWS::IAM::Role",
                    properties: Fields([
                        ("AssumeRolePolicyDocument", trustPolicy(service: "apigateway.amazonaws.com")),
                        (
                            "ManagedPolicyArns",
                            .list([
                                .sub(
                                    "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
                                    nil)
                            ])
                        ),
                    ]),
                    metadata: Self.suppressions(cdkNag: [
                        (
                            "AwsSolutions-IAM4",
                            "AWS's own policy for the account-wide API Gateway logging role, created only when the stage opts in.",
                            []
                        )
                    ])))
            add(
                Resource(
                    "ApiGatewayAccount", type: "AWS::ApiGateway::Account",
                    properties: Fields([("CloudWatchRoleArn", .getAtt("ApiGatewayCloudWatchRole", "Arn"))])))
            dependsOn.append("ApiGatewayAccount")
        }
        return dependsOn
    }

    /// The stage: access logs, tracing, metrics and the stage-wide throttle.
    mutating func addStage(
        _ api: RestAPI, stageId: String, deploymentId: String, logGroupId: String, dependsOn: [String]
    ) {
        let apiId = api.name
        var methodSettings = Fields([
            ("ResourcePath", .string("/*")), ("HttpMethod", .string("*")),
            ("MetricsEnabled", .bool(stage.api.detailedMetrics)),
            ("DataTraceEnabled", .bool(false)),
            ("ThrottlingRateLimit", .int(stage.api.rateLimit)), ("ThrottlingBurstLimit", .int(stage.api.burstLimit)),
        ])
        if stage.api.createAccountLoggingRole { methodSettings["LoggingLevel"] = .string("ERROR") }
        var nag: [(String, String, [String])] = [
            (
                "AwsSolutions-APIG3",
                "WAF is a separate, account-level decision (a web ACL associated by the platform team); throttling is set on the stage and methods.",
                []
            )
        ]
        if !stage.api.createAccountLoggingRole {
            nag.append(
                (
                    "AwsSolutions-APIG6",
                    "Execution logging needs the account-wide API Gateway CloudWatch role, which this stage does not create (api.createAccountLoggingRole); JSON access logs are on.",
                    []
                ))
        }
        add(
            Resource(
                stageId, type: "AWS::ApiGateway::Stage", dependsOn: dependsOn,
                metadata: Self.suppressions(
                    checkov: [("CKV_AWS_120", Self.noCacheReason(api))]
                        + (stage.tracing
                            ? []
                            : [("CKV_AWS_73", "X-Ray is off in this stage (tracing: false); production stages trace.")]),
                    cdkNag: nag)
            ).with(
                Fields([
                    ("RestApiId", .ref(apiId)),
                    ("DeploymentId", .ref(deploymentId)),
                    ("StageName", .string(stage.name)),
                    ("Description", .string("\(stage.name) stage")),
                    ("TracingEnabled", .bool(stage.tracing)),
                    (
                        "AccessLogSetting",
                        .object(["DestinationArn": .getAtt(logGroupId, "Arn"), "Format": .string(Self.accessLogFormat)])
                    ),
                    ("MethodSettings", .list([.map(methodSettings)])),
                ])))
    }

    /// The API's alarms, dashboard widget and URL output.
    mutating func addMonitoring(_ api: RestAPI, apiName: Value, stageId: String) {
        let apiId = api.name
        let dimensions: [(String, Value)] = [("ApiName", apiName), ("Stage", .ref(stageId))]
        alarms.append(
            AlarmSpec(
                logicalId: "\(api.name)ServerErrorsAlarm",
                description: "\(api.name): 5XX responses (integration or service failures)",
                namespace: "AWS/ApiGateway", metric: "5XXError", dimensions: dimensions, statistic: "Sum",
                threshold: stage.alarms.api5xxPerMinute))
        alarms.append(
            AlarmSpec(
                logicalId: "\(api.name)ClientErrorsAlarm",
                description: "\(api.name): 4XX responses, 429 throttling included",
                namespace: "AWS/ApiGateway", metric: "4XXError", dimensions: dimensions, statistic: "Sum",
                threshold: stage.alarms.api4xxPerMinute, evaluationPeriods: 3))
        alarms.append(
            AlarmSpec(
                logicalId: "\(api.name)LatencyAlarm",
                description: "\(api.name): p99 latency at or above \(stage.alarms.apiLatencyP99Ms) ms",
                namespace: "AWS/ApiGateway", metric: "Latency", dimensions: dimensions, statistic: "p99",
                threshold: stage.alarms.apiLatencyP99Ms, evaluationPeriods: 5))
        widgets.insert(
            WidgetSpec(
                title: "\(api.name): requests and errors",
                metrics: [
                    ["AWS/ApiGateway", "Count", "ApiName", "${AWS::StackName}-\(api.name)"],
                    ["AWS/ApiGateway", "4XXError", "ApiName", "${AWS::StackName}-\(api.name)"],
                    ["AWS/ApiGateway", "5XXError", "ApiName", "${AWS::StackName}-\(api.name)"],
                ]), at: 0)
        output(
            "\(api.name)Url",
            .sub("https://${\(apiId)}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${\(stageId)}/", nil),
            "Base URL of the \(api.name) \(stage.name) stage")
    }

    /// Why the stage has no cache (checkov CKV_AWS_120), from the API's own routes: `POST /orders must never be
    /// cached and order status must be fresh; ...`.
    static func noCacheReason(_ api: RestAPI) -> String {
        let writes = api.routes.filter { $0.method == "POST" }.map { "POST \($0.path)" }
        var schemaName = "resource"
        for route in api.routes {
            if case .enqueue(_, let schema) = route.integration { schemaName = schema.name }
        }
        let subject = writes.isEmpty ? "Requests" : writes.joined(separator: " and ")
        return
            "\(subject) must never be cached and \(schemaName) status must be fresh; caching would also add an hourly charge."
    }

    /// The 500 body of an enqueue route: what could not be queued, and the key to retry with (the schema's first
    /// required property): `the order could not be queued; retry with the same orderId`.
    static func notQueuedBody(schema: Schema, body: Value) -> String {
        let key = body["required"]?.items?.first?.stringValue
        let retry = key.map { "retry with the same \($0)" } ?? "retry the request"
        return #"{"message":"the "# + schema.name + #" could not be queued; "# + retry
            + #"","requestId":"$context.requestId"}"#
    }

    /// The SQS `SendMessage` request (Query API, form-encoded): the request body as the message, and the API's
    /// request ID (`apiRequestId`) and the body's key as string message attributes (`MessageAttribute.N.Name`,
    /// `.Value.DataType`, `.Value.StringValue`, SQS API Reference), so the consumer can log the request that
    /// brought each message. SQS refuses an empty attribute value, so the key is sent only when the body has one.
    static func sendMessageTemplate(key: String?) -> String {
        var template =
            "Action=SendMessage&MessageBody=$util.urlEncode($input.body)"
            + "&MessageAttribute.1.Name=apiRequestId&MessageAttribute.1.Value.DataType=String"
            + "&MessageAttribute.1.Value.StringValue=$util.urlEncode($context.requestId)"
        if let key {
            template +=
                "#set($key = \"$!input.path('$.\(key)')\")#if($key != \"\")"
                + "&MessageAttribute.2.Name=\(key)&MessageAttribute.2.Value.DataType=String"
                + "&MessageAttribute.2.Value.StringValue=$util.urlEncode($key)#end"
        }
        return template
    }

    /// The 202 answer: the message ID, the request ID and, when the schema names a key, which of two requests
    /// with the same key is kept (the first stored one, whatever its outcome).
    static func queuedBody(schema: Schema, body: Value) -> String {
        let key = body["required"]?.items?.first?.stringValue
        let note = key.map {
            #","note":"queued; of requests with the same "# + $0 + ", the first " + schema.name + " stored is kept, "
                + "even if it is rejected: a corrected \(schema.name) needs a new \($0)\""
        }
        return #"{"status":"accepted","messageId":"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')","#
            + #""requestId":"$context.requestId""# + (note ?? "") + "}"
    }

    /// SQS's answer to a message it refuses for its content: `InvalidMessageContents` (characters outside the
    /// allowed set) or `InvalidParameterValue` (over 1 MiB; the body is the only parameter a request varies)
    /// ("SendMessage", Amazon SQS API Reference), read from the Query API's JSON error (`Error.Code`) or the JSON
    /// protocol's (`__type`). These become 400, since a retry cannot succeed; any other 4xx (throttling, KMS,
    /// permissions) stays a 500 to retry. SQS's own message is not echoed: `$util.escapeJavaScript` turns its
    /// quotes into `\'`, which is not JSON. The paths are quiet references (`$!`): Velocity prints a null
    /// reference as written, so a key the answer lacks would otherwise leave its text in `$code`.
    static func clientErrorTemplate(schema: Schema, body: Value) -> String {
        let refused = #"{"message":"the queue refused this "# + schema.name + ": "
        let end = #"; do not retry it unchanged","requestId":"$context.requestId"}"#
        return """
            #set($code = "$!input.path('$.Error.Code')$!input.path('$.__type')")
            #if($code.endsWith('InvalidMessageContents'))
            #set($context.responseOverride.status = 400)
            \(refused)it holds characters SQS does not accept (allowed: tab, line feed, carriage return, U+0020 to U+D7FF, U+E000 to U+FFFD, U+10000 to U+10FFFF)\(end)
            #elseif($code.endsWith('InvalidParameterValue'))
            #set($context.responseOverride.status = 400)
            \(refused)it is larger than the queue's 1 MiB message limit\(end)
            #else
            \(notQueuedBody(schema: schema, body: body))
            #end
            """
    }

    /// The API key and the usage plan that throttles the requests carrying it (authorization `api-key`): a plan
    /// applies only to requests with one of its keys, so it comes with one.
    private mutating func addKeyedUsagePlan(_ api: RestAPI, apiId: String, apiName: Value, stageId: String) {
        let usagePlanId = "\(api.name)UsagePlan"
        add(
            Resource(
                usagePlanId, type: "AWS::ApiGateway::UsagePlan",
                properties: Fields([
                    ("UsagePlanName", apiName),
                    ("Description", .string("Throttling for the \(stage.name) stage of \(api.name)")),
                    ("ApiStages", .list([.object(["ApiId": .ref(apiId), "Stage": .ref(stageId)])])),
                    (
                        "Throttle",
                        .object(["RateLimit": .int(stage.api.rateLimit), "BurstLimit": .int(stage.api.burstLimit)])
                    ),
                ])))
        add(
            Resource(
                "\(api.name)ApiKey", type: "AWS::ApiGateway::ApiKey",
                properties: Fields([("Name", apiName), ("Enabled", .bool(true))]), dependsOn: [stageId]))
        add(
            Resource(
                "\(api.name)UsagePlanKey", type: "AWS::ApiGateway::UsagePlanKey",
                properties: Fields([
                    ("KeyId", .ref("\(api.name)ApiKey")), ("KeyType", .string("API_KEY")),
                    ("UsagePlanId", .ref(usagePlanId)),
                ])))
    }

    /// One API key and one usage plan per partner of the stage (`api.partners`), the plan throttling and counting
    /// the requests that carry the key ("Usage plans and API keys", API Gateway developer guide). The key's value
    /// is generated by API Gateway and is never in the template or its outputs; the output is the key's ID.
    private mutating func addPartnerPlans(_ api: RestAPI, apiId: String, stageId: String) throws(SynthesisError) {
        var seen: [String: String] = [:]
        for partner in stage.api.partners {
            guard let rate = partner.rateLimit, let burst = partner.effectiveBurst else {
                throw SynthesisError(
                    "partner '\(partner.name)' of stage \(stage.name) is to be sized from profile '\(partner.sizedFrom ?? "")', which was not read"
                )
            }
            let id = "\(api.name)Partner\(partner.logicalName)"
            if let other = seen.updateValue(partner.name, forKey: id) {
                throw SynthesisError(
                    "partners '\(other)' and '\(partner.name)' of stage \(stage.name) both become '\(id)': rename one")
            }
            var plan = Fields([
                ("UsagePlanName", Names.stackScoped("\(api.name)-\(partner.name)")),
                ("Description", .string("Partner \(partner.name) of the \(stage.name) stage of \(api.name)")),
                ("ApiStages", .list([.object(["ApiId": .ref(apiId), "Stage": .ref(stageId)])])),
                ("Throttle", .object(["RateLimit": .int(rate), "BurstLimit": .int(burst)])),
            ])
            if let quota = partner.quotaPerMonth {
                plan["Quota"] = .object(["Limit": .int(quota), "Period": .string("MONTH")])
            }
            add(Resource("\(id)Plan", type: "AWS::ApiGateway::UsagePlan", properties: plan))
            add(
                Resource(
                    "\(id)Key", type: "AWS::ApiGateway::ApiKey",
                    properties: Fields([
                        ("Name", Names.stackScoped("\(api.name)-\(partner.name)")),
                        ("Description", .string("API key of partner \(partner.name) (\(api.name), \(stage.name))")),
                        ("Enabled", .bool(true)),
                    ])))
            add(
                Resource(
                    "\(id)PlanKey", type: "AWS::ApiGateway::UsagePlanKey",
                    properties: Fields([
                        ("KeyId", .ref("\(id)Key")), ("KeyType", .string("API_KEY")),
                        ("UsagePlanId", .ref("\(id)Plan")),
                    ])))
            output(
                "\(id)KeyId", .ref("\(id)Key"),
                "ID of partner \(partner.name)'s API key (its value: orderstack api-key --stack-name <stack> --partner \(partner.name) --out FILE)"
            )
        }
    }

    private mutating func enqueueIntegration(
        into method: inout Fields, api: RestAPI, route: Route, queue: Queue, schema: Schema,
        deploymentInputs: inout [Resource]
    ) throws(SynthesisError) {
        guard let body = schemas[schema.name] else {
            throw SynthesisError(
                "route '\(route.method) \(route.path)' of \(api.name) names schema '\(schema.name)', but blueprints/schemas/\(schema.name).json was not loaded"
            )
        }
        let queueId = "\(queue.name)Queue"
        let modelId = "\(api.name)\(Names.pascal(schema.name))Model"
        let model = Resource(
            modelId, type: "AWS::ApiGateway::Model",
            properties: Fields([
                ("RestApiId", .ref(api.name)), ("Name", .string(Names.pascal(schema.name))),
                ("ContentType", .string("application/json")), ("Schema", body),
            ]))
        add(model)
        deploymentInputs.append(model)
        let roleId = addSendRole(api: api.name, queue: queue)
        method["RequestModels"] = .object(["application/json": .ref(modelId)])
        method["Integration"] = .object([
            "Type": .string("AWS"),
            "IntegrationHttpMethod": .string("POST"),
            "Credentials": .getAtt(roleId, "Arn"),
            "Uri": .sub(
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${\(queueId).QueueName}",
                nil),
            "PassthroughBehavior": .string("NEVER"),
            "RequestParameters": .object([
                "integration.request.header.Content-Type": .string("'application/x-www-form-urlencoded'"),
                "integration.request.header.Accept": .string("'application/json'"),
            ]),
            "RequestTemplates": .object([
                "application/json": .string(Self.sendMessageTemplate(key: body["required"]?.items?.first?.stringValue))
            ]),
            "IntegrationResponses": .list([
                .object([
                    "StatusCode": .string("202"), "SelectionPattern": .string("2\\d{2}"),
                    "ResponseTemplates": .object([
                        "application/json": .string(Self.queuedBody(schema: schema, body: body))
                    ]),
                ]),
                .object([
                    "StatusCode": .string("500"), "SelectionPattern": .string("4\\d{2}"),
                    "ResponseTemplates": .object([
                        "application/json": .string(Self.clientErrorTemplate(schema: schema, body: body))
                    ]),
                ]),
                .object([
                    "StatusCode": .string("500"), "SelectionPattern": .string("5\\d{2}"),
                    "ResponseTemplates": .object([
                        "application/json": .string(Self.notQueuedBody(schema: schema, body: body))
                    ]),
                ]),
            ]),
        ])
        method["MethodResponses"] = .list([
            .object(["StatusCode": .string("202")]), .object(["StatusCode": .string("400")]),
            .object(["StatusCode": .string("500")]),
        ])
        graph.edge(api.name, queueId, "\(route.method) \(route.path) (validated: \(schema.name))")
    }
}

extension Resource {
    /// This resource with `properties` set.
    func with(_ properties: Fields) -> Resource {
        var copy = self
        copy.properties = properties
        return copy
    }
}

extension ExpansionContext {
    /// The role an API (REST or HTTP) assumes to send to `queue`: `sqs:SendMessage` on that queue alone; its ID.
    mutating func addSendRole(api: String, queue: Queue) -> String {
        let roleId = "\(api)\(queue.name)SendRole"
        add(
            Resource(
                roleId, type: "AWS::IAM::Role",
                properties: Fields([
                    ("Description", .sub("${AWS::StackName} \(api): may only send to the \(queue.name) queue", nil)),
                    ("AssumeRolePolicyDocument", trustPolicy(service: "apigateway.amazonaws.com")),
                    (
                        "Policies",
                        .list([
                            .object([
                                "PolicyName": .string("SendTo\(queue.name)"),
                                "PolicyDocument": policyDocument([
                                    .allow(
                                        ["sqs:SendMessage"], on: [.getAtt("\(queue.name)Queue", "Arn")], sid: "Enqueue")
                                ]),
                            ])
                        ])
                    ),
                ])))
        return roleId
    }
}
