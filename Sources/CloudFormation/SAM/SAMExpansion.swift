/// A template as CloudFormation sees it after the SAM transform, as far as checks need it: every SAM resource
/// replaced by the resource it becomes (same logical ID), followed by the resources SAM generates for it (roles,
/// event source mappings, permissions, rules, subscriptions, the implicit APIs and their stages).
///
/// Generated resources carry the properties the checks read (sources, targets, timeouts, batching, references
/// that decide dependencies), not a full translation. `origins` says where each piece was written, so a finding on
/// a generated resource points at the SAM resource, event or `Globals` entry that produced it.
public struct SAMExpansion: Sendable {
    /// Where a converted or generated resource came from in the written template.
    public struct Origin: Sendable, Equatable {
        /// The logical ID of the SAM resource that produced it (suppressions are read there).
        public var source: String
        /// The path findings on the resource as a whole point at.
        public var base: Path
        /// For each property of the generated resource, the path it was read from.
        public var properties: [String: Path]
    }

    /// Every resource after the transform, in template order.
    public private(set) var resources: [Resource] = []
    /// The origin of each resource the transform converted or generated, by logical ID.
    public private(set) var origins: [String: Origin] = [:]
    /// Names SAM resolves in `Ref` and `${...}` only (`Function.Alias`, `Function.Version`, `Api.Stage`,
    /// `Api.Deployment`), with the type of the resource they stand for.
    public private(set) var referenceAliases: [String: String] = [:]
    /// The routes that functions' `Api` and `HttpApi` events declare, in template order.
    public private(set) var apiEvents: [APIEvent] = []

    /// A route a function's `Api` or `HttpApi` event declares: the API it belongs to (the implicit
    /// `ServerlessRestApi` / `ServerlessHttpApi` when the event names none), method, path and the function.
    public struct APIEvent: Sendable, Equatable {
        /// The logical ID of the API.
        public var api: String
        /// `true` for an `HttpApi` event.
        public var http: Bool
        /// The method, upper-cased (`ANY` when the event gives none).
        public var method: String
        /// The path (`/` when the event gives none).
        public var path: String
        /// The function the route invokes.
        public var function: String
    }

    /// Whether `template` uses the SAM transform.
    public static func usesTransform(_ template: Template) -> Bool {
        switch template.transform {
        case .string(let name): return name.hasPrefix("AWS::Serverless")
        case .list(let items): return items.contains { $0.stringValue?.hasPrefix("AWS::Serverless") == true }
        default: return false
        }
    }

    /// Expands `template` (a template without the transform comes back unchanged).
    public init(_ template: Template) {
        guard Self.usesTransform(template) else {
            resources = template.resources
            return
        }
        var builder = SAMBuilder(template: template)
        builder.run()
        resources = builder.resources
        origins = builder.origins
        referenceAliases = builder.aliases
        apiEvents = builder.apiEvents
    }
}

/// The expansion's working state; one method per SAM type.
struct SAMBuilder {
    let template: Template
    let globals: Value?
    var resources: [Resource] = []
    var origins: [String: SAMExpansion.Origin] = [:]
    var aliases: [String: String] = [:]
    var apiEvents: [SAMExpansion.APIEvent] = []
    /// Functions with `Api` / `HttpApi` events that name no API, for the implicit APIs.
    var implicitRestApiFunctions: [String] = []
    var implicitHttpApiFunctions: [String] = []
    var firstImplicitRestEvent: Path?
    var firstImplicitHttpEvent: Path?
    /// Resources a connector names as source or destination (`AWS::Serverless::Connector` or embedded
    /// `Connectors`): the policies it attaches to their roles are not modelled.
    let connected: Set<String>

    init(template: Template) {
        self.template = template
        globals = template.otherSections["Globals"]
        var connected: Set<String> = []
        for resource in template.resources {
            var connectors: [Value] = []
            if resource.type == "AWS::Serverless::Connector" { connectors.append(.map(resource.properties)) }
            for entry in resource.otherAttributes["Connectors"]?.fields ?? Fields() {
                connectors.append(entry.value["Properties"] ?? .null)
                connected.insert(resource.logicalId)
            }
            for connector in connectors {
                for end in ["Source", "Destination"] {
                    for item in connector[end].map({ $0.items ?? [$0] }) ?? [] {
                        if let id = item["Id"]?.stringValue { connected.insert(id) }
                    }
                }
            }
        }
        self.connected = connected
    }

    mutating func run() {
        for resource in template.resources {
            var resource = resource
            // Embedded connectors become policies of their own; they add no dependency to the resource.
            resource.otherAttributes["Connectors"] = nil
            guard resource.type.hasPrefix("AWS::Serverless::") else {
                resources.append(resource)
                continue
            }
            let merged = merging(globalsFor: resource)
            switch resource.type {
            case "AWS::Serverless::Function": function(merged)
            case "AWS::Serverless::Api": restApi(merged)
            case "AWS::Serverless::HttpApi": httpApi(merged)
            case "AWS::Serverless::StateMachine": stateMachine(merged)
            case "AWS::Serverless::LayerVersion": aliases[resource.logicalId] = "AWS::Lambda::LayerVersion"
            default:
                if let target = SAMSpecification.becomes[resource.type] {
                    if let target { convert(merged, to: target) }
                } else {
                    resources.append(resource)
                }
            }
        }
        implicitApis()
    }

    // MARK: Globals

    /// The resource with its `Globals` section merged in: maps merge key by key, the resource's own scalars and
    /// lists win.
    func merging(globalsFor resource: Resource) -> Resource {
        guard let section = SAMSpecification.globalsSection[resource.type], let defaults = globals?[section]?.fields
        else { return resource }
        var merged = resource
        for entry in defaults {
            merged.properties[entry.key] = Self.merge(entry.value, resource.properties[entry.key])
        }
        return merged
    }

    static func merge(_ global: Value, _ local: Value?) -> Value {
        guard let local else { return global }
        guard case .map(let globalFields) = global, case .map(var fields) = local else { return local }
        for entry in globalFields { fields[entry.key] = merge(entry.value, fields[entry.key]) }
        return .map(fields)
    }

    /// The path a property of `resource` was written at: the resource's own, or its `Globals` entry.
    func sourcePath(of property: String, in resource: Resource) -> Path {
        let own = Path("Resources", resource.logicalId, "Properties", property)
        if template.locations[own] != nil || template.resource(resource.logicalId)?[property] != nil { return own }
        if let section = SAMSpecification.globalsSection[resource.type], globals?[section]?[property] != nil {
            return Path("Globals", section, property)
        }
        return own
    }

    mutating func add(_ resource: Resource, source: String, base: Path, properties: [String: Path] = [:]) {
        resources.append(resource)
        origins[resource.logicalId] = SAMExpansion.Origin(source: source, base: base, properties: properties)
    }

    /// Keeps the logical ID under its CloudFormation type, every property's origin where it was written.
    mutating func convert(_ resource: Resource, to type: String, dropping moved: Set<String> = []) {
        var converted = resource
        converted.type = type
        converted.properties = Fields(
            resource.properties.entries.filter { !moved.contains($0.key) }.map {
                ($0.key, $0.value)
            })
        var paths: [String: Path] = [:]
        for key in converted.properties.keys { paths[key] = sourcePath(of: key, in: resource) }
        add(converted, source: resource.logicalId, base: Path("Resources", resource.logicalId), properties: paths)
    }

    /// A parameter's default for `Ref Parameter`, else the literal.
    func literal(_ value: Value?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .number(let text)?: return text
        case .ref(let name)?: return template.parameter(name)?.defaultValue?.stringValue
        default: return nil
        }
    }

    static func alphanumeric(_ text: String) -> String { text.filter { $0.isLetter || $0.isNumber } }
}
