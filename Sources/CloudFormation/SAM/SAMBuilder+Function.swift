extension SAMBuilder {
    /// `AWS::Serverless::Function`: the function, its role unless `Role` is given, alias and version, URL,
    /// invoke configuration, deployment group, and what each event generates.
    mutating func function(_ sam: Resource) {
        let id = sam.logicalId
        let base = Path("Resources", id)
        var function = sam
        if sam["Role"] == nil { function["Role"] = .getAtt("\(id)Role", "Arn") }
        convert(function, to: "AWS::Lambda::Function", dropping: SAMSpecification.functionPropertiesMovedElsewhere)
        let events = sam["Events"]?.fields ?? Fields()
        if sam["Role"] == nil { generatedRole(for: sam, events: events) }
        // SAM accepts a string or a Ref to a parameter, whose value (without a Default) is known only at deploy:
        // `<Function>.Alias` and `<Function>.Version` resolve either way.
        if let written = sam["AutoPublishAlias"] {
            aliases["\(id).Alias"] = "AWS::Lambda::Alias"
            aliases["\(id).Version"] = "AWS::Lambda::Version"
            let alias = literal(written) ?? ""
            var aliasResource = Resource("\(id)Alias\(Self.alphanumeric(alias))", type: "AWS::Lambda::Alias")
            aliasResource["FunctionName"] = .ref(id)
            aliasResource["Name"] = written
            // The deployment preference's hooks go to the alias's UpdatePolicy, as the transform puts them.
            if let preference = sam["DeploymentPreference"] {
                aliasResource.otherAttributes["UpdatePolicy"] = .object(["CodeDeployLambdaAliasUpdate": preference])
            }
            if let provisioned = sam["ProvisionedConcurrencyConfig"] {
                aliasResource["ProvisionedConcurrencyConfig"] = provisioned
            }
            add(aliasResource, source: id, base: sourcePath(of: "AutoPublishAlias", in: sam))
        }
        if let preference = sam["DeploymentPreference"], preference["Enabled"] != .bool(false) {
            deploymentGroup(for: sam, preference: preference)
        }
        if let url = sam["FunctionUrlConfig"] {
            var resource = Resource("\(id)Url", type: "AWS::Lambda::Url")
            resource["TargetFunctionArn"] = .ref(id)
            resource["AuthType"] = url["AuthType"]
            add(resource, source: id, base: sourcePath(of: "FunctionUrlConfig", in: sam))
            if url["AuthType"]?.stringValue == "NONE" {
                generic(
                    "\(id)UrlPublicPermissions", "AWS::Lambda::Permission", function: id,
                    base: sourcePath(of: "FunctionUrlConfig", in: sam))
            }
        }
        if sam["EventInvokeConfig"] != nil {
            generic(
                "\(id)EventInvokeConfig", "AWS::Lambda::EventInvokeConfig", function: id,
                base: sourcePath(of: "EventInvokeConfig", in: sam))
        }
        for event in events { functionEvent(event.key, event.value, of: sam, base: base) }
    }

    /// `<Function>Role`: trusts Lambda, attaches the basic execution policy, the pollers' policies and the
    /// function's `Policies` (inline statements are kept; policy templates stay opaque).
    private mutating func generatedRole(for sam: Resource, events: Fields) {
        let id = sam.logicalId
        var role = Resource("\(id)Role", type: "AWS::IAM::Role")
        role["AssumeRolePolicyDocument"] = .object([
            "Version": .string("2012-10-17"),
            "Statement": .list([
                .object([
                    "Effect": .string("Allow"), "Action": .strings(["sts:AssumeRole"]),
                    "Principal": .object(["Service": .strings(["lambda.amazonaws.com"])]),
                ])
            ]),
        ])
        var managed: [Value] = [
            .sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", nil)
        ]
        for event in events {
            if let type = event.value["Type"]?.stringValue, let policy = SAMSpecification.pollerPolicies[type] {
                managed.append(.sub("arn:${AWS::Partition}:iam::aws:policy/\(policy)", nil))
            }
        }
        // One entry per written policy, so that a finding on statement j of policy i points at policy i.
        var inline: [Value] = []
        let policies = sam["Policies"].map { $0.items ?? [$0] } ?? []
        for policy in policies {
            switch policy {
            case .string(let name):
                managed.append(
                    name.hasPrefix("arn:") ? policy : .sub("arn:${AWS::Partition}:iam::aws:policy/\(name)", nil))
                inline.append(.map(Fields()))
            case .map(let fields) where fields["Statement"] != nil:
                inline.append(.object(["PolicyDocument": policy]))
            default:
                // A SAM policy template or an intrinsic: its grants are not modelled, so the role's permissions
                // count as unknown (an opaque managed policy entry).
                managed.append(.null)
                inline.append(.map(Fields()))
            }
        }
        // A connector naming the function attaches policies of its own, which are not modelled either.
        if connected.contains(id) { managed.append(.null) }
        role["ManagedPolicyArns"] = .list(managed)
        if !inline.isEmpty { role["Policies"] = .list(inline) }
        var paths: [String: Path] = [:]
        if sam["Policies"] != nil { paths["Policies"] = sourcePath(of: "Policies", in: sam) }
        add(role, source: id, base: Path("Resources", id), properties: paths)
    }

    private mutating func deploymentGroup(for sam: Resource, preference: Value) {
        let id = sam.logicalId
        let base = sourcePath(of: "DeploymentPreference", in: sam)
        var group = Resource("\(id)DeploymentGroup", type: "AWS::CodeDeploy::DeploymentGroup")
        group["ApplicationName"] = .ref("ServerlessDeploymentApplication")
        group["ServiceRoleArn"] = preference["Role"] ?? .getAtt("CodeDeployServiceRole", "Arn")
        add(group, source: id, base: base)
        if !resources.contains(where: { $0.logicalId == "ServerlessDeploymentApplication" }) {
            add(
                Resource("ServerlessDeploymentApplication", type: "AWS::CodeDeploy::Application"), source: id,
                base: base)
        }
        if preference["Role"] == nil, !resources.contains(where: { $0.logicalId == "CodeDeployServiceRole" }) {
            add(Resource("CodeDeployServiceRole", type: "AWS::IAM::Role"), source: id, base: base)
        }
    }

    /// A generated resource that only needs to exist (and to depend on its function).
    private mutating func generic(_ logicalId: String, _ type: String, function: String, base: Path) {
        var resource = Resource(logicalId, type: type)
        resource["FunctionName"] = .ref(function)
        add(resource, source: function, base: base)
    }

    // MARK: Events

    private mutating func functionEvent(_ name: String, _ event: Value, of sam: Resource, base: Path) {
        let id = sam.logicalId
        let eventBase = base.appending("Properties").appending("Events").appending(name)
        let propertiesBase = eventBase.appending("Properties")
        let properties = event["Properties"]?.fields ?? Fields()
        guard let type = event["Type"]?.stringValue else { return }
        if let sourceKey = SAMSpecification.pollerSource[type] {
            var mapping = Resource("\(id)\(name)", type: "AWS::Lambda::EventSourceMapping")
            var paths: [String: Path] = ["EventSourceArn": propertiesBase.appending(sourceKey), "FunctionName": base]
            mapping["FunctionName"] = .ref(id)
            if let source = properties[sourceKey] { mapping["EventSourceArn"] = source }
            for entry in properties where entry.key != sourceKey {
                mapping[entry.key] = entry.value
                paths[entry.key] = propertiesBase.appending(entry.key)
            }
            paths["FunctionResponseTypes"] = paths["FunctionResponseTypes"] ?? eventBase
            add(mapping, source: id, base: eventBase, properties: paths)
            return
        }
        switch type {
        case "SNS":
            var subscription = Resource("\(id)\(name)", type: "AWS::SNS::Subscription")
            subscription["Protocol"] = .string("lambda")
            subscription["Endpoint"] = .getAtt(id, "Arn")
            subscription["TopicArn"] = properties["Topic"]
            if let filter = properties["FilterPolicy"] { subscription["FilterPolicy"] = filter }
            add(subscription, source: id, base: eventBase, properties: ["TopicArn": propertiesBase.appending("Topic")])
            permission(
                "\(id)\(name)Permission", function: id, principal: "sns.amazonaws.com",
                source: properties["Topic"], base: eventBase)
        case "Schedule", "CloudWatchEvent", "EventBridgeRule":
            var rule = Resource("\(id)\(name)", type: "AWS::Events::Rule")
            for key in ["Schedule", "Pattern", "EventBusName", "State", "Name"] where properties[key] != nil {
                rule[key == "Schedule" ? "ScheduleExpression" : key == "Pattern" ? "EventPattern" : key] =
                    properties[key]
            }
            rule["Targets"] = .list([.object(["Arn": .getAtt(id, "Arn"), "Id": .string("\(id)\(name)LambdaTarget")])])
            add(rule, source: id, base: eventBase)
            permission(
                "\(id)\(name)Permission", function: id, principal: "events.amazonaws.com",
                source: .getAtt("\(id)\(name)", "Arn"), base: eventBase)
        case "Api":
            recordRoute(properties, api: properties["RestApiId"], implicit: "ServerlessRestApi", http: false, of: id)
            apiPermission(name, properties, of: id, eventBase: eventBase)
        case "HttpApi":
            recordRoute(properties, api: properties["ApiId"], implicit: "ServerlessHttpApi", http: true, of: id)
            if properties["ApiId"] == nil {
                implicitHttpApiFunctions.append(id)
                firstImplicitHttpEvent = firstImplicitHttpEvent ?? eventBase
            }
            permission(
                "\(id)\(name)Permission", function: id, principal: "apigateway.amazonaws.com",
                source: executeApiArn(properties["ApiId"] ?? .ref("ServerlessHttpApi")), base: eventBase)
        case "Cognito":
            // One permission per function, whatever the event is called.
            permission(
                "\(id)CognitoPermission", function: id, principal: "cognito-idp.amazonaws.com", source: nil,
                base: eventBase)
        default:
            for (suffix, generatedType) in SAMSpecification.functionEvents[type] ?? [] {
                if generatedType == "AWS::Lambda::Permission" {
                    permission("\(id)\(name)\(suffix)", function: id, principal: nil, source: nil, base: eventBase)
                } else {
                    var resource = Resource("\(id)\(name)\(suffix)", type: generatedType)
                    resource["Target"] = .getAtt(id, "Arn")
                    for entry in properties { resource[entry.key] = entry.value }
                    add(resource, source: id, base: eventBase)
                }
            }
        }
    }

    /// Notes the route an `Api` or `HttpApi` event declares (an API named by anything but a `Ref` is skipped).
    private mutating func recordRoute(_ properties: Fields, api: Value?, implicit: String, http: Bool, of id: String) {
        let apiId: String
        switch api {
        case nil: apiId = implicit
        case .ref(let name)?: apiId = name
        default: return
        }
        apiEvents.append(
            SAMExpansion.APIEvent(
                api: apiId, http: http, method: (literal(properties["Method"]) ?? "ANY").uppercased(),
                path: literal(properties["Path"]) ?? "/", function: id))
    }

    /// `<Function><Event>Permission<Stage>` for a REST API event; the stage is `Prod` on the implicit API and the
    /// named API's `StageName` otherwise.
    private mutating func apiPermission(_ name: String, _ properties: Fields, of id: String, eventBase: Path) {
        var stage = "Prod"
        let api = properties["RestApiId"]
        if let api {
            if case .ref(let apiId) = api, let declared = template.resource(apiId),
                declared.type == "AWS::Serverless::Api"
            {
                stage = merging(globalsFor: declared)["StageName"]?.stringValue.map(Self.alphanumeric) ?? ""
            } else {
                stage = ""
            }
        } else {
            implicitRestApiFunctions.append(id)
            firstImplicitRestEvent = firstImplicitRestEvent ?? eventBase
            if let globalStage = literal(globals?["Api"]?["StageName"]) { stage = Self.alphanumeric(globalStage) }
        }
        permission(
            "\(id)\(name)Permission\(stage)", function: id, principal: "apigateway.amazonaws.com",
            source: executeApiArn(api ?? .ref("ServerlessRestApi")), base: eventBase)
    }

    func executeApiArn(_ api: Value) -> Value {
        .sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiId}/*",
            Fields([("ApiId", api)]))
    }

    mutating func permission(_ logicalId: String, function: String, principal: String?, source: Value?, base: Path) {
        var resource = Resource(logicalId, type: "AWS::Lambda::Permission")
        resource["Action"] = .string("lambda:InvokeFunction")
        resource["FunctionName"] = .ref(function)
        if let principal { resource["Principal"] = .string(principal) }
        if let source { resource["SourceArn"] = source }
        add(resource, source: function, base: base)
    }
}
