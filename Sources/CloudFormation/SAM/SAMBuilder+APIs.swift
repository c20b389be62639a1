extension SAMBuilder {
    /// Properties of `AWS::Serverless::Api` that SAM writes onto the stage it generates.
    static let restStageProperties: Set<String> = [
        "AccessLogSetting", "MethodSettings", "TracingEnabled", "CacheClusterEnabled", "CacheClusterSize",
        "CanarySetting", "Variables",
    ]

    /// `AWS::Serverless::Api`: the REST API and `<Api><StageName>Stage` (`Api.Stage` and `Api.Deployment` in `Ref`).
    mutating func restApi(_ sam: Resource) {
        let id = sam.logicalId
        convert(sam, to: "AWS::ApiGateway::RestApi", dropping: Self.restStageProperties)
        aliases["\(id).Stage"] = "AWS::ApiGateway::Stage"
        aliases["\(id).Deployment"] = "AWS::ApiGateway::Deployment"
        let stageName = sam["StageName"]?.stringValue.map(Self.alphanumeric) ?? ""
        restStage("\(id)\(stageName)Stage", api: id, from: sam)
        authorizerPermissions(of: sam)
        if sam["Auth"]?["UsagePlan"]?["CreateUsagePlan"]?.stringValue == "PER_API" {
            for suffix in ["UsagePlan", "ApiKey", "UsagePlanKey"] {
                let type = suffix == "ApiKey" ? "AWS::ApiGateway::ApiKey" : "AWS::ApiGateway::\(suffix)"
                add(Resource("\(id)\(suffix)", type: type), source: id, base: sourcePath(of: "Auth", in: sam))
            }
        }
    }

    /// `<Api><Authorizer>AuthorizerPermission` for each Lambda authorizer (one with a `FunctionArn`).
    private mutating func authorizerPermissions(of sam: Resource) {
        for authorizer in sam["Auth"]?["Authorizers"]?.fields ?? Fields() {
            guard let function = authorizer.value["FunctionArn"] else { continue }
            var resource = Resource(
                "\(sam.logicalId)\(authorizer.key)AuthorizerPermission", type: "AWS::Lambda::Permission")
            resource["FunctionName"] = function
            resource["Principal"] = .string("apigateway.amazonaws.com")
            add(resource, source: sam.logicalId, base: sourcePath(of: "Auth", in: sam))
        }
    }

    private mutating func restStage(_ logicalId: String, api: String, from sam: Resource?) {
        var stage = Resource(logicalId, type: "AWS::ApiGateway::Stage")
        stage["RestApiId"] = .ref(api)
        var paths: [String: Path] = [:]
        if let sam {
            stage["StageName"] = sam["StageName"]
            for key in Self.restStageProperties where sam[key] != nil {
                stage[key] = sam[key]
                paths[key] = sourcePath(of: key, in: sam)
            }
        }
        add(stage, source: sam?.logicalId ?? api, base: origins[api]?.base ?? Path("Resources", api), properties: paths)
    }

    /// `AWS::Serverless::HttpApi`: the HTTP API and its stage (`$default` unless `StageName` is set).
    mutating func httpApi(_ sam: Resource) {
        let id = sam.logicalId
        convert(
            sam, to: "AWS::ApiGatewayV2::Api", dropping: ["StageName", "AccessLogSettings", "DefaultRouteSettings"])
        aliases["\(id).Stage"] = "AWS::ApiGatewayV2::Stage"
        // No StageName: the `$default` stage; a name SAM cannot read (an intrinsic) leaves `<Api>Stage`.
        let stageName = sam["StageName"].map { $0.stringValue.map(Self.alphanumeric) ?? "" }
        var stage = Resource(
            stageName.map { "\(id)\($0)Stage" } ?? "\(id)ApiGatewayDefaultStage", type: "AWS::ApiGatewayV2::Stage")
        stage["ApiId"] = .ref(id)
        for key in ["AccessLogSettings", "DefaultRouteSettings"] where sam[key] != nil { stage[key] = sam[key] }
        add(stage, source: id, base: Path("Resources", id))
        authorizerPermissions(of: sam)
        if sam["Domain"] != nil {
            add(
                Resource("\(id)ApiMapping", type: "AWS::ApiGatewayV2::ApiMapping"), source: id,
                base: sourcePath(of: "Domain", in: sam))
        }
    }

    /// The implicit `ServerlessRestApi` and `ServerlessHttpApi` with their stages, when some function has an
    /// `Api` or `HttpApi` event that names no API. Their bodies reference the functions they invoke.
    mutating func implicitApis() {
        if let event = firstImplicitRestEvent, template.resource("ServerlessRestApi") == nil {
            var api = Resource("ServerlessRestApi", type: "AWS::ApiGateway::RestApi")
            api["Body"] = .list(implicitRestApiFunctions.map { .getAtt($0, "Arn") })
            add(api, source: implicitRestApiFunctions[0], base: event)
            aliases["ServerlessRestApi.Stage"] = "AWS::ApiGateway::Stage"
            aliases["ServerlessRestApi.Deployment"] = "AWS::ApiGateway::Deployment"
            let stage = literal(globals?["Api"]?["StageName"]).map(Self.alphanumeric) ?? "Prod"
            var stageResource = Resource("ServerlessRestApi\(stage)Stage", type: "AWS::ApiGateway::Stage")
            stageResource["RestApiId"] = .ref("ServerlessRestApi")
            var paths: [String: Path] = [:]
            for key in Self.restStageProperties where globals?["Api"]?[key] != nil {
                stageResource[key] = globals?["Api"]?[key]
                paths[key] = Path("Globals", "Api", key)
            }
            add(stageResource, source: implicitRestApiFunctions[0], base: event, properties: paths)
        }
        if let event = firstImplicitHttpEvent, template.resource("ServerlessHttpApi") == nil {
            var api = Resource("ServerlessHttpApi", type: "AWS::ApiGatewayV2::Api")
            api["Body"] = .list(implicitHttpApiFunctions.map { .getAtt($0, "Arn") })
            add(api, source: implicitHttpApiFunctions[0], base: event)
            aliases["ServerlessHttpApi.Stage"] = "AWS::ApiGatewayV2::Stage"
            var stage = Resource("ServerlessHttpApiApiGatewayDefaultStage", type: "AWS::ApiGatewayV2::Stage")
            stage["ApiId"] = .ref("ServerlessHttpApi")
            add(stage, source: implicitHttpApiFunctions[0], base: event)
        }
    }

    /// `AWS::Serverless::StateMachine`: the state machine, its role unless `Role` is given, and each event's
    /// rule and role.
    mutating func stateMachine(_ sam: Resource) {
        let id = sam.logicalId
        var machine = sam
        if sam["Role"] == nil { machine["RoleArn"] = .getAtt("\(id)Role", "Arn") }
        convert(machine, to: "AWS::StepFunctions::StateMachine", dropping: ["Events", "Policies", "AutoPublishAlias"])
        if sam["Role"] == nil {
            var role = Resource("\(id)Role", type: "AWS::IAM::Role")
            if let policies = sam["Policies"] { role["SAMPolicies"] = policies }
            add(role, source: id, base: Path("Resources", id))
        }
        if let alias = literal(sam["AutoPublishAlias"]) {
            aliases["\(id).Alias"] = "AWS::StepFunctions::StateMachineAlias"
            add(
                Resource("\(id)Alias\(Self.alphanumeric(alias))", type: "AWS::StepFunctions::StateMachineAlias"),
                source: id, base: sourcePath(of: "AutoPublishAlias", in: sam))
            add(
                Resource("\(id)Version", type: "AWS::StepFunctions::StateMachineVersion"), source: id,
                base: sourcePath(of: "AutoPublishAlias", in: sam))
        }
        for event in sam["Events"]?.fields ?? Fields() {
            let eventBase = Path("Resources", id, "Properties", "Events", event.key)
            guard let type = event.value["Type"]?.stringValue else { continue }
            if type == "Api", event.value["Properties"]?["RestApiId"] == nil {
                implicitRestApiFunctions.append(id)
                firstImplicitRestEvent = firstImplicitRestEvent ?? eventBase
            }
            for (suffix, generatedType) in SAMSpecification.stateMachineEvents[type] ?? [] {
                var resource = Resource("\(id)\(event.key)\(suffix)", type: generatedType)
                if suffix.isEmpty {
                    resource["Targets"] = .list([.object(["Arn": .ref(id)])])
                    for entry in event.value["Properties"]?.fields ?? Fields() { resource[entry.key] = entry.value }
                }
                add(resource, source: id, base: eventBase)
            }
        }
    }
}
