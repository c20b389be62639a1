import CloudFormation
import TemplateYAML
import YAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks CloudFormation templates: references, resource schemas and the wiring between resources.
///
/// `validate(bytes:path:)` reads the file (syntax and structure findings come from `TemplateReader`), runs every
/// check over the template, drops findings suppressed in a resource's `Metadata.orderstack.ignore` (an entry without
/// a reason is itself an error), and returns the diagnostics sorted by location.
public enum Validator {
    /// The largest file accepted, in bytes (CloudFormation itself takes at most 1 MB from S3).
    public static let maximumFileSize = 16 * 1024 * 1024

    /// Reads and checks one file.
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - path: the file name used in diagnostics.
    /// - Returns: every finding, sorted by location; unreadable input gives exactly the reason.
    ///   - today: the date runtime deprecations are judged on, `YYYY-MM-DD` (UTC); the system clock's by default.
    public static func validate(bytes: [UInt8], path: String, today: String = currentDate()) -> [Diagnostic] {
        guard bytes.count <= maximumFileSize else {
            return [
                Diagnostic(
                    path: path, mark: .start, severity: .error, id: Rules.notATemplate.id,
                    message:
                        "the file is \(bytes.count / 1_048_576) MiB; templates larger than \(maximumFileSize / 1_048_576) MiB are not read (CloudFormation accepts 1 MB)"
                )
            ]
        }
        let result = TemplateReader.read(bytes: bytes, path: path)
        guard let template = result.template else { return result.diagnostics.sortedByLocation() }
        return (result.diagnostics + check(template, path: path, today: today)).sortedByLocation()
    }

    /// Checks a template already read (its `locations` give the marks).
    /// - Returns: the findings of every check, suppressions applied, unsorted.
    public static func check(_ template: Template, path: String, today: String = currentDate()) -> [Diagnostic] {
        var context = Context(template: template, path: path, today: today)
        ReferenceChecks.run(&context)
        SchemaChecks.run(&context)
        DeployBreakerChecks.run(&context)
        ContentChecks.run(&context)
        WiringChecks.run(&context)
        PolicyChecks.run(&context)
        return context.applySuppressions()
    }
}

/// The template under check and the findings so far.
///
/// Checks see resources as CloudFormation does after the SAM transform (`SAMExpansion`): a SAM function is an
/// `AWS::Lambda::Function` under the same logical ID, and the resources SAM generates are there too. Findings on a
/// generated resource are reported where the SAM resource, event or `Globals` entry that produced it is written.
struct Context {
    let template: Template
    let path: String
    /// Every resource after the SAM transform, in template order (the template's own when it has no transform).
    let resourceList: [Resource]
    let resources: [String: Resource]
    /// The catalogue entry of each resource type the template uses (looked up once per type).
    let types: [String: ResourceTypeInfo]
    /// The full schema of each resource type the template uses.
    let schemas: [String: ResourceSchema]
    let expansion: SAMExpansion
    /// The date lifecycle checks are judged on, `YYYY-MM-DD`.
    let today: String
    var diagnostics: [Diagnostic] = []

    init(template: Template, path: String, today: String) {
        self.template = template
        self.path = path
        self.today = today
        expansion = SAMExpansion(template)
        resourceList = expansion.resources
        var resources: [String: Resource] = [:]
        for resource in resourceList {
            resources[resource.logicalId] = resources[resource.logicalId] ?? resource
        }
        self.resources = resources
        schemas = ResourceCatalogue.schemas(for: resourceList.map(\.type) + template.resources.map(\.type))
        // SAM types have no attributes of their own (the transform's output types have them): references are
        // judged on the expanded resources.
        types = schemas.filter { !$0.key.hasPrefix("AWS::Serverless::") }.mapValues(\.info)
    }

    /// Whether the template uses the SAM transform.
    var isSAM: Bool { SAMExpansion.usesTransform(template) }

    mutating func report(_ rule: Rule, at path: Path, subject: String?, _ message: String) {
        let (written, owner) = writtenLocation(of: path, subject: subject)
        diagnostics.append(
            Diagnostic(
                path: self.path, mark: template.mark(of: written), severity: rule.severity, id: rule.id,
                message: message, subject: owner))
    }

    /// Where a path of a generated or converted resource was written, and the resource that owns it.
    func writtenLocation(of path: Path, subject: String?) -> (Path, String?) {
        let components = path.components
        guard components.count >= 2, components[0] == "Resources", let origin = expansion.origins[components[1]]
        else { return (path, subject) }
        let owner = subject == components[1] ? origin.source : subject
        if components.count >= 4, components[2] == "Properties", let property = origin.properties[components[3]] {
            return (Path(property.components + components.dropFirst(4)), owner)
        }
        return (origin.base, owner)
    }

    /// The resource `value` points at through `Ref`, `GetAtt` or a `Sub` that is exactly one `${X}`/`${X.Attr}`.
    func target(of value: Value) -> (resource: Resource, attribute: String?)? {
        switch value {
        case .ref(let name): return resources[name].map { ($0, nil) }
        case .getAtt(let name, let attribute): return resources[name].map { ($0, attribute) }
        case .sub(let text, nil):
            guard text.hasPrefix("${"), text.hasSuffix("}"), text.filter({ $0 == "$" }).count == 1 else { return nil }
            let inner = text.dropFirst(2).dropLast()
            let parts = inner.split(separator: ".", maxSplits: 1)
            guard let resource = resources[String(parts[0])] else { return nil }
            return (resource, parts.count > 1 ? String(parts[1]) : nil)
        default: return nil
        }
    }

    /// The function `value` points at, directly or through one of its aliases or versions (a gradual rollout
    /// points event source mappings and integrations at an alias).
    func function(of value: Value) -> Resource? {
        guard let (resource, _) = target(of: value) else { return nil }
        if resource.type == "AWS::Lambda::Function" { return resource }
        guard ["AWS::Lambda::Alias", "AWS::Lambda::Version"].contains(resource.type),
            let inner = resource["FunctionName"], let (function, _) = target(of: inner),
            function.type == "AWS::Lambda::Function"
        else { return nil }
        return function
    }

    /// The logical IDs of resources `value` mentions anywhere (Ref, GetAtt, Sub variables).
    func mentionedResources(_ value: Value) -> Set<String> {
        var names: Set<String> = []
        ValueWalker.names(in: value, into: &names)
        return names.filter { resources[$0] != nil }
    }

    /// Drops suppressed findings and reports suppressions without a reason.
    mutating func applySuppressions() -> [Diagnostic] {
        var ignored: [String: Set<String>] = [:]
        var problems: [Diagnostic] = []
        for resource in template.resources {
            guard let entries = resource.metadata?["orderstack"]?["ignore"] else { continue }
            let metadataPath = Path("Resources", resource.logicalId, "Metadata", "orderstack", "ignore")
            for (index, entry) in (entries.items ?? [entries]).enumerated() {
                let id = entry["id"]?.stringValue
                let reason = entry["reason"]?.stringValue?.trimmingWhitespace ?? ""
                guard let id, !reason.isEmpty else {
                    problems.append(
                        Diagnostic(
                            path: path, mark: template.mark(of: metadataPath.appending(String(index))),
                            severity: .error, id: Rules.suppressionWithoutReason.id,
                            message:
                                "suppression \(id.map { "of \($0) " } ?? "")in '\(resource.logicalId)' needs an 'id' and a 'reason'",
                            subject: resource.logicalId))
                    continue
                }
                ignored[resource.logicalId, default: []].insert(id)
            }
        }
        return diagnostics.filter { diagnostic in
            guard let subject = diagnostic.subject, let ids = ignored[subject] else { return true }
            return !ids.contains(diagnostic.id)
        } + problems
    }
}

extension Validator {
    /// Today's date in UTC as `YYYY-MM-DD`, from the system clock.
    public static func currentDate() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
