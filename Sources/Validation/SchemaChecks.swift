import CloudFormation
import SourceDiagnostics

/// Properties against the resource schemas of the catalogue, at every depth: unknown properties (with the nearest
/// valid name), values of the wrong shape, missing required properties, deprecated properties; retired types; and
/// a note for types the catalogue does not have.
enum SchemaChecks {
    static func run(_ context: inout Context) {
        var unknownTypes: Set<String> = []
        // A macro of the user's own (`Transform: MyMacro`) rewrites the template before CloudFormation validates
        // it: its input is not the final template, so properties are not judged.
        guard !usesCustomMacro(context.template) else { return }
        for resource in context.template.resources {
            let base = Path("Resources", resource.logicalId)
            guard let schema = context.schemas[resource.type] else {
                let isKnownElsewhere =
                    ResourceCatalogue.isCustom(resource.type) || resource.type.hasPrefix("AWS::Serverless::")
                    || resource.type.isEmpty
                if !isKnownElsewhere, unknownTypes.insert(resource.type).inserted {
                    context.report(
                        Rules.unknownType, at: base.appending("Type"), subject: resource.logicalId,
                        "\(resource.type) is not in the resource catalogue (\(ResourceCatalogue.source)); its properties and attributes are not checked"
                    )
                }
                continue
            }
            checkLifecycle(schema, resource: resource, context: &context)
            // A custom resource's properties are its provider's business; only ServiceToken is required.
            guard !ResourceCatalogue.isCustom(resource.type), !schema.open else { continue }
            var properties = resource.properties
            for entry in resource.properties where entry.value.stringValue != nil {
                // Kept present for the required check; judged as nothing.
                if packagedPaths.contains("\(resource.type) \(entry.key)") {
                    properties[entry.key] = .ref("AWS::NoValue")
                }
            }
            var walker = ShapeWalker(schema: schema, resource: resource.logicalId)
            walker.object(
                properties, fields: schema.properties, open: false, at: base.appending("Properties"),
                schemaPath: [], emptyAt: base.appending("Type"))
            for finding in walker.findings {
                context.report(finding.rule, at: finding.path, subject: resource.logicalId, finding.message)
            }
        }
    }

    /// Properties `aws cloudformation package` (and `sam package`) replace when they hold a local path: "This
    /// command can upload local artifacts referenced in the following places" (AWS CLI Command Reference,
    /// `cloudformation package`). A string there is a path to upload, not a value of the wrong shape.
    static let packagedPaths: Set<String> = [
        "AWS::Lambda::Function Code", "AWS::Lambda::LayerVersion Content", "AWS::ApiGateway::RestApi BodyS3Location",
        "AWS::StepFunctions::StateMachine DefinitionS3Location",
        "AWS::ElasticBeanstalk::ApplicationVersion SourceBundle",
        "AWS::AppSync::GraphQLSchema DefinitionS3Location", "AWS::AppSync::Resolver RequestMappingTemplateS3Location",
        "AWS::AppSync::Resolver ResponseMappingTemplateS3Location",
        "AWS::AppSync::FunctionConfiguration RequestMappingTemplateS3Location",
        "AWS::AppSync::FunctionConfiguration ResponseMappingTemplateS3Location",
        "AWS::CloudFormation::Stack TemplateURL",
        "AWS::CodeCommit::Repository Code", "AWS::ECR::Repository ImageUri",
    ]

    /// The transforms AWS runs itself; any other name is a macro the account defines.
    static let awsTransforms: Set<String> = [
        "AWS::Serverless-2016-10-31", "AWS::LanguageExtensions", "AWS::Include", "AWS::SecretsManager-2020-07-23",
        "AWS::CodeDeployBlueGreen", "AWS::CodeStar",
    ]

    /// Whether the template names a transform that is not AWS's own.
    static func usesCustomMacro(_ template: Template) -> Bool {
        let names: [Value] =
            switch template.transform {
            case .string(let name)?: [.string(name)]
            case .list(let items)?: items
            default: []
            }
        return names.contains { $0.stringValue.map { !awsTransforms.contains($0) } ?? false }
    }

    /// A type AWS is retiring: an error once it is shut down (its date passed, or none given), a warning while it
    /// is in sunset or maintenance, saying when the date has passed (in maintenance, new accounts may already be
    /// refused while existing ones still create it, as with launch configurations).
    static func checkLifecycle(_ schema: ResourceSchema, resource: Resource, context: inout Context) {
        guard let (status, date) = schema.lifecycle else { return }
        let at = Path("Resources", resource.logicalId, "Type")
        let passed = date.map { $0 <= context.today } ?? false
        if status == "shutdown", passed || date == nil {
            context.report(
                Rules.shutDownType, at: at, subject: resource.logicalId,
                "\(resource.type) was shut down\(date.map { " on \($0)" } ?? ""): it can no longer be created")
        } else {
            let when = date.map { passed ? ", since \($0)" : ", \($0)" } ?? ""
            context.report(
                Rules.retiringType, at: at, subject: resource.logicalId,
                "\(resource.type) is being retired (\(status)\(when)): plan its replacement")
        }
    }
}

/// Walks a resource's properties along its schema's shapes, collecting findings.
struct ShapeWalker {
    struct Finding {
        var rule: Rule
        var path: Path
        var message: String
    }

    let schema: ResourceSchema
    let resource: String
    let deprecated: Set<String>
    var findings: [Finding] = []

    init(schema: ResourceSchema, resource: String) {
        self.schema = schema
        self.resource = resource
        deprecated = Set(schema.deprecated)
    }

    /// An object's keys against `fields`: unknown keys (unless `open`), missing required fields, each value.
    mutating func object(
        _ properties: Fields, fields: [String: PropertySpec], open: Bool, at path: Path, schemaPath: [String],
        emptyAt: Path? = nil
    ) {
        // A mapping built by an intrinsic (Fn::If at the top, Fn::Transform) cannot be checked key by key.
        guard !properties.keys.contains(where: { $0.hasPrefix("Fn::") }) else { return }
        for entry in properties {
            let (key, value) = (entry.key, entry.value)
            let keyPath = schemaPath + [key]
            guard let spec = fields[key] else {
                if schemaPath.isEmpty, schema.readOnly.contains(key) {
                    findings.append(
                        Finding(
                            rule: Rules.readOnlyProperty, path: path.appending(key),
                            message: "'\(key)' of \(schema.type) is read-only: CloudFormation does not use the value"))
                } else if !open {
                    let suggestion = Self.nearest(key, in: fields.keys)
                    let owner =
                        schemaPath.isEmpty ? schema.type : "'\(schemaPath.joined(separator: "."))' of \(schema.type)"
                    findings.append(
                        Finding(
                            rule: Rules.unknownProperty, path: path.appending(key),
                            message:
                                "\(owner) has no property '\(key)'\(suggestion.map { "; did you mean '\($0)'?" } ?? "")"
                        ))
                }
                continue
            }
            if !deprecated.isEmpty, deprecated.contains(keyPath.joined(separator: "/")) {
                findings.append(
                    Finding(
                        rule: Rules.deprecatedProperty, path: path.appending(key),
                        message: "'\(keyPath.joined(separator: "."))' of \(schema.type) is deprecated"))
            }
            check(value, spec.shape, at: path.appending(key), schemaPath: keyPath)
        }
        for spec in fields.values.filter(\.required).sorted(by: { $0.name < $1.name })
        where properties[spec.name] == nil {
            let name = (schemaPath + [spec.name]).joined(separator: ".")
            findings.append(
                Finding(
                    rule: Rules.missingRequiredProperty,
                    path: properties.isEmpty && emptyAt != nil ? emptyAt! : path,
                    message: schemaPath.isEmpty
                        ? "\(schema.type) '\(resource)' requires property '\(spec.name)'"
                        : "\(schema.type) '\(resource)' requires '\(name)'"))
        }
    }

    /// One value against its shape; intrinsic functions other than `Fn::If` are not judged (their result is
    /// known only at deploy time).
    mutating func check(_ value: Value, _ shape: PropertyShape, at path: Path, schemaPath: [String]) {
        switch value {
        case .ref("AWS::NoValue"): return
        case .call(.ifThen, .list(let branches)) where branches.count == 3:
            for (index, branch) in branches.enumerated().dropFirst() {
                check(
                    branch, shape, at: path.appending(Intrinsic.ifThen.rawValue).appending(String(index)),
                    schemaPath: schemaPath)
            }
            return
        case .ref, .getAtt, .sub, .call: return
        default: break
        }
        if case .borrowed(let type, let property) = shape {
            guard let lender = ResourceCatalogue.schema(type), let spec = lender.properties[property] else { return }
            var walker = ShapeWalker(schema: lender, resource: resource)
            walker.check(value, spec.shape, at: path, schemaPath: schemaPath)
            findings += walker.findings
            return
        }
        if let problem = mismatch(value, shape) {
            findings.append(
                Finding(
                    rule: Rules.wrongShape, path: path,
                    message:
                        "'\(schemaPath.joined(separator: "."))' of \(schema.type) must be \(describe(shape)), found \(problem)"
                ))
            return
        }
        descend(value, shape, at: path, schemaPath: schemaPath)
    }

    /// Checks the items of a list, the values of a map, the fields of an object.
    mutating func descend(_ value: Value, _ shape: PropertyShape, at path: Path, schemaPath: [String]) {
        switch (shape, value) {
        case (.list(let item), .list(let items)):
            for (index, element) in items.enumerated() {
                check(element, item, at: path.appending(String(index)), schemaPath: schemaPath + ["*"])
            }
        case (.map(let item), .map(let fields)):
            guard !fields.keys.contains(where: { $0.hasPrefix("Fn::") }) else { return }
            for entry in fields {
                let (key, element) = (entry.key, entry.value)
                check(element, item, at: path.appending(key), schemaPath: schemaPath + ["*"])
            }
        case (.object(let name), .map(let fields)):
            guard let definition = schema.definitions[name] else { return }
            object(fields, fields: definition.fields, open: definition.open, at: path, schemaPath: schemaPath)
        case (.either(let options), _):
            // Alternatives of one kind (the event sources of a SAM function) are told apart by walking each: the
            // value is fine when one alternative finds nothing; otherwise the closest one's findings are reported.
            var closest: [Finding]?
            for option in options where mismatch(value, option) == nil {
                var trial = self
                trial.findings = []
                trial.descend(value, option, at: path, schemaPath: schemaPath)
                if trial.findings.isEmpty { return }
                if trial.findings.count < closest?.count ?? .max { closest = trial.findings }
            }
            findings += closest ?? []
        default: break
        }
    }

    /// Why a literal value does not fit the shape at its own level (`a list`, `'abc'`), or `nil` when it fits.
    func mismatch(_ value: Value, _ shape: PropertyShape) -> String? {
        switch shape {
        case .any, .borrowed: return nil
        case .either(let options):
            return options.contains { mismatch(value, $0) == nil } ? nil : kind(value)
        case .string: return isScalar(value) ? nil : kind(value)
        case .integer:
            guard isScalar(value) else { return kind(value) }
            return scalarText(value).flatMap {
                Int($0) != nil || Double($0).map { $0 == $0.rounded() } == true ? nil : kind(value)
            }
        case .number:
            guard isScalar(value) else { return kind(value) }
            return scalarText(value).flatMap { Double($0) != nil ? nil : kind(value) }
        case .boolean:
            guard isScalar(value) else { return kind(value) }
            return scalarText(value).flatMap { ["true", "false"].contains($0.lowercased()) ? nil : kind(value) }
        case .list: return value.items != nil ? nil : kind(value)
        case .map, .object, .anyObject: return value.fields != nil ? nil : kind(value)
        }
    }

    func isScalar(_ value: Value) -> Bool {
        switch value {
        case .string, .number, .bool: return true
        default: return false
        }
    }

    func scalarText(_ value: Value) -> String? {
        switch value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    func kind(_ value: Value) -> String {
        switch value {
        case .list: return "a list"
        case .map: return "a mapping"
        case .null: return "null"
        case .string(let text):
            // One line whatever the value holds: a finding is printed as one line.
            let shown = text.prefix(40).map { $0.isNewline ? "\u{21B5}" : String($0) }.joined()
            return "the string '\(shown)\(text.count > 40 ? "..." : "")'"
        case .number(let text): return "the number \(text)"
        case .bool(let flag): return "\(flag)"
        default: return "an intrinsic function"
        }
    }

    /// The shape in words: `a list of Tag objects`, `a string`, `a mapping of strings`.
    func describe(_ shape: PropertyShape) -> String {
        switch shape {
        case .string: return "a string"
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "a boolean"
        case .anyObject: return "a mapping"
        case .any: return "any value"
        case .list(let item): return "a list of \(plural(item))"
        case .map(let item): return "a mapping of \(plural(item))"
        case .object(let name):
            return "a \(name.split(separator: ".").last.map(String.init) ?? name) object (a mapping)"
        case .either(let options) where options.count > 2:
            let kinds = options.map { describe($0).split(separator: " ").dropFirst().first.map(String.init) ?? "" }
            return "a "
                + kinds.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                .joined(separator: ", ")
        case .either(let options): return options.map(describe).joined(separator: " or ")
        case .borrowed(let type, let property): return "what \(type) \(property) takes"
        }
    }

    func plural(_ shape: PropertyShape) -> String {
        switch shape {
        case .string: return "strings"
        case .integer: return "integers"
        case .number: return "numbers"
        case .boolean: return "booleans"
        case .anyObject: return "mappings"
        case .any: return "values"
        case .list(let item): return "lists of \(plural(item))"
        case .map(let item): return "mappings of \(plural(item))"
        case .object(let name): return "\(name.split(separator: ".").last.map(String.init) ?? name) objects"
        case .either(let options):
            return options.count > 2 ? "values" : options.map(plural).joined(separator: " or ")
        case .borrowed(let type, let property): return "values \(type) \(property) takes"
        }
    }

    /// The valid name closest to `key` (`Spelling.nearest`).
    static func nearest(_ key: String, in names: some Sequence<String>) -> String? {
        Spelling.nearest(key, in: names)
    }
}
