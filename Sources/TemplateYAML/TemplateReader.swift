import YAML

/// Reads CloudFormation templates (YAML in short or long form, or JSON) into the typed model.
///
/// Reading never stops at the first problem it can step over: structural problems (duplicate keys, unknown
/// short-form tags, resources without `Type`) become diagnostics and the rest of the template is still read.
/// Only unreadable input (syntax errors, an empty file, a top level that is not a mapping) yields no template.
public struct TemplateReader {
    /// Diagnostic IDs the reader emits (from the catalogue, `DiagnosticID`).
    public enum ID {
        /// YAML or JSON syntax error.
        public static let syntax = DiagnosticID.syntax
        /// Empty file, or a top level that is not a mapping.
        public static let notATemplate = DiagnosticID.notATemplate
        /// The same key twice in one mapping (the later value is kept).
        public static let duplicateKey = DiagnosticID.duplicateKey
        /// A short-form tag that is not a CloudFormation intrinsic function.
        public static let unknownTag = DiagnosticID.unknownTag
        /// A section, resource, parameter or output of the wrong shape.
        public static let malformed = DiagnosticID.malformed
    }

    /// The outcome of reading one file.
    public struct Result: Sendable {
        /// The template, unless the input was unreadable.
        public var template: Template?
        /// What the reader found, in source order.
        public var diagnostics: [Diagnostic]
    }

    private let path: String
    private let recordsLocations: Bool
    private var diagnostics: [Diagnostic] = []
    private var locations: [Path: Mark] = [:]

    private init(path: String, recordsLocations: Bool) {
        self.path = path
        self.recordsLocations = recordsLocations
    }

    /// Reads a template from text.
    /// - Parameters:
    ///   - text: the template.
    ///   - path: the file name used in diagnostics.
    public static func read(_ text: String, path: String) -> Result {
        read(bytes: Array(text.utf8), path: path)
    }

    /// Reads a template whose element positions are not needed (`Template.locations` stays empty, which saves
    /// a third of the reading time on large templates). Diagnostics still carry their marks.
    public static func readWithoutLocations(bytes: [UInt8], path: String) -> Result {
        read(bytes: bytes, path: path, recordsLocations: false)
    }

    /// Reads a template from raw bytes (UTF-8 or UTF-16).
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - path: the file name used in diagnostics.
    public static func read(bytes: [UInt8], path: String) -> Result {
        read(bytes: bytes, path: path, recordsLocations: true)
    }

    private static func read(bytes: [UInt8], path: String, recordsLocations: Bool) -> Result {
        var reader = TemplateReader(path: path, recordsLocations: recordsLocations)
        if JSONSyntax.looksLikeJSON(bytes), let (mark, problem) = JSONSyntax.firstError(in: bytes) {
            reader.report(mark, .error, ID.syntax, "JSON: \(problem)")
            return Result(template: nil, diagnostics: reader.diagnostics)
        }
        let documents: [Node]
        do {
            documents = try Parser.parse(bytes: bytes)
        } catch {
            reader.report(error.mark, .error, ID.syntax, "\(error.problem)\(error.context.map { " (\($0))" } ?? "")")
            return Result(template: nil, diagnostics: reader.diagnostics)
        }
        guard let root = documents.first else {
            reader.report(.start, .error, ID.notATemplate, "the file is empty; a template is a mapping of sections")
            return Result(template: nil, diagnostics: reader.diagnostics)
        }
        if documents.count > 1 {
            reader.report(
                documents[1].mark, .error, ID.notATemplate, "a template is one YAML document; found \(documents.count)")
        }
        guard case .mapping = root.content else {
            reader.report(
                root.mark, .error, ID.notATemplate,
                "the top level is a \(root.kindName); a template is a mapping of sections")
            return Result(template: nil, diagnostics: reader.diagnostics)
        }
        var template = reader.template(root)
        template.locations = reader.locations
        return Result(template: template, diagnostics: reader.diagnostics)
    }

    /// `path` extended by `component`, or `path` itself when locations are not recorded (saves the allocation).
    private func child(_ path: Path, _ component: String) -> Path {
        recordsLocations ? path.appending(component) : path
    }

    private mutating func report(_ mark: Mark, _ severity: Diagnostic.Severity, _ id: String, _ message: String) {
        diagnostics.append(Diagnostic(path: path, mark: mark, severity: severity, id: id, message: message))
    }

    /// The pairs of a mapping node with duplicate keys reported (the later one wins), keys as strings.
    private mutating func pairs(of node: Node, at path: Path) -> [(String, Node, Mark)] {
        guard case .mapping(let pairs) = node.content else { return [] }
        var seen: [String: Int] = [:]
        var result: [(String, Node, Mark)] = []
        result.reserveCapacity(pairs.count)
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            if pair.key.scalarText == nil {
                report(
                    pair.key.mark, .error, ID.malformed, "a mapping key must be a scalar, found a \(pair.key.kindName)")
            }
            if recordsLocations { locations[child(path, key)] = pair.key.mark }
            if let index = seen[key] {
                report(
                    pair.key.mark, .error, ID.duplicateKey,
                    "duplicate key '\(key)' in \(path.components.isEmpty ? "the top level" : "'\(path)'") (first at \(result[index].2))"
                )
                result[index] = (key, pair.value, result[index].2)
            } else {
                seen[key] = result.count
                result.append((key, pair.value, pair.key.mark))
            }
        }
        return result
    }

    private mutating func template(_ root: Node) -> Template {
        var template = Template()
        template.formatVersion = nil
        for (key, node, _) in pairs(of: root, at: Path()) {
            let path = Path(key)
            switch key {
            case "AWSTemplateFormatVersion": template.formatVersion = string(node, at: path, what: key)
            case "Description": template.description = string(node, at: path, what: key)
            case "Transform": template.transform = value(node, at: path)
            case "Metadata": template.metadata = value(node, at: path)
            case "Rules": template.rules = value(node, at: path)
            case "Mappings": template.mappings = value(node, at: path)
            case "Conditions":
                for (name, condition, _) in section(node, at: path, what: key) {
                    template.conditions.append(name, value(condition, at: child(path, name)))
                }
            case "Parameters":
                for (name, body, _) in section(node, at: path, what: key) {
                    if let parameter = parameter(name, body, at: child(path, name)) {
                        template.parameters.append(parameter)
                    }
                }
            case "Resources":
                for (logicalId, body, _) in section(node, at: path, what: key) {
                    if logicalId.hasPrefix("Fn::ForEach::") {
                        template.loops[key, default: Fields()].append(
                            logicalId, value(body, at: child(path, logicalId)))
                    } else if let resource = resource(logicalId, body, at: child(path, logicalId)) {
                        template.resources.append(resource)
                    }
                }
            case "Outputs":
                for (name, body, _) in section(node, at: path, what: key) {
                    if name.hasPrefix("Fn::ForEach::") {
                        template.loops[key, default: Fields()].append(name, value(body, at: child(path, name)))
                    } else if let output = output(name, body, at: child(path, name)) {
                        template.outputs.append(output)
                    }
                }
            default:
                template.otherSections.append(key, value(node, at: path))
            }
        }
        return template
    }

    private mutating func section(_ node: Node, at path: Path, what: String) -> [(String, Node, Mark)] {
        guard case .mapping = node.content else {
            if case .scalar(let text, let style) = node.content, style.isPlain,
                case .null = ScalarResolution.resolvePlain(text)
            {
                return []
            }
            report(node.mark, .error, ID.malformed, "'\(what)' must be a mapping, found a \(node.kindName)")
            return []
        }
        return pairs(of: node, at: path)
    }

    private mutating func string(_ node: Node, at path: Path, what: String) -> String? {
        switch value(node, at: path) {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default:
            report(node.mark, .error, ID.malformed, "'\(what)' must be a string, found a \(node.kindName)")
            return nil
        }
    }

    private mutating func parameter(_ name: String, _ node: Node, at path: Path) -> Parameter? {
        guard case .mapping = node.content else {
            report(node.mark, .error, ID.malformed, "parameter '\(name)' must be a mapping, found a \(node.kindName)")
            return nil
        }
        var parameter = Parameter(name, type: "")
        var sawType = false
        for (key, body, _) in pairs(of: node, at: path) {
            let childPath = child(path, key)
            switch key {
            case "Type":
                parameter.type = string(body, at: childPath, what: "Type") ?? ""
                sawType = true
            case "Description": parameter.description = string(body, at: childPath, what: "Description")
            case "Default": parameter.defaultValue = value(body, at: childPath)
            default: parameter.constraints.append(key, value(body, at: childPath))
            }
        }
        if !sawType {
            report(locations[path] ?? node.mark, .error, ID.malformed, "parameter '\(name)' has no 'Type'")
        }
        return parameter
    }

    private mutating func resource(_ logicalId: String, _ node: Node, at path: Path) -> Resource? {
        guard case .mapping = node.content else {
            report(
                node.mark, .error, ID.malformed, "resource '\(logicalId)' must be a mapping, found a \(node.kindName)")
            return nil
        }
        var resource = Resource(logicalId, type: "")
        var sawType = false
        for (key, body, _) in pairs(of: node, at: path) {
            let childPath = child(path, key)
            switch key {
            case "Type":
                resource.type = string(body, at: childPath, what: "Type") ?? ""
                sawType = true
            case "Condition": resource.condition = string(body, at: childPath, what: "Condition")
            case "DependsOn":
                switch value(body, at: childPath) {
                case .string(let name): resource.dependsOn = [name]
                case .list(let items):
                    resource.dependsOn = items.compactMap(\.stringValue)
                    if resource.dependsOn.count != items.count {
                        report(body.mark, .error, ID.malformed, "'DependsOn' of '\(logicalId)' must list logical IDs")
                    }
                default:
                    report(
                        body.mark, .error, ID.malformed, "'DependsOn' of '\(logicalId)' must be a logical ID or a list")
                }
            case "DeletionPolicy": resource.deletionPolicy = value(body, at: childPath)
            case "UpdateReplacePolicy": resource.updateReplacePolicy = value(body, at: childPath)
            case "Metadata": resource.metadata = value(body, at: childPath)
            case "Properties":
                switch value(body, at: childPath) {
                case .map(let fields): resource.properties = fields
                case .null: break
                default:
                    report(body.mark, .error, ID.malformed, "'Properties' of '\(logicalId)' must be a mapping")
                }
            default: resource.otherAttributes.append(key, value(body, at: childPath))
            }
        }
        if !sawType {
            report(locations[path] ?? node.mark, .error, ID.malformed, "resource '\(logicalId)' has no 'Type'")
        }
        return resource
    }

    private mutating func output(_ name: String, _ node: Node, at path: Path) -> Output? {
        guard case .mapping = node.content else {
            report(node.mark, .error, ID.malformed, "output '\(name)' must be a mapping, found a \(node.kindName)")
            return nil
        }
        var output = Output(name, value: .null)
        var sawValue = false
        for (key, body, _) in pairs(of: node, at: path) {
            let childPath = child(path, key)
            switch key {
            case "Value":
                output.value = value(body, at: childPath)
                sawValue = true
            case "Description": output.description = string(body, at: childPath, what: "Description")
            case "Condition": output.condition = string(body, at: childPath, what: "Condition")
            case "Export":
                let export = value(body, at: childPath)
                if let exportName = export["Name"] {
                    output.exportName = exportName
                } else {
                    report(
                        body.mark, .error, ID.malformed, "'Export' of output '\(name)' must be a mapping with 'Name'")
                }
            default:
                report(
                    locations[childPath] ?? body.mark, .error, ID.malformed, "output '\(name)' has unknown key '\(key)'"
                )
            }
        }
        if !sawValue { report(locations[path] ?? node.mark, .error, ID.malformed, "output '\(name)' has no 'Value'") }
        return output
    }

    /// Converts any node into a value, resolving intrinsic functions in both forms.
    private mutating func value(_ node: Node, at path: Path) -> Value {
        if let tag = node.tag, tag.hasPrefix("!"), !tag.hasPrefix("!!") {
            return tagged(node, tag: tag, at: path)
        }
        switch node.content {
        case .scalar(let text, let style):
            if node.tag == "tag:yaml.org,2002:str" || !style.isPlain { return .string(text) }
            switch ScalarResolution.resolvePlain(text) {
            case .bool(let flag): return .bool(flag)
            case .null: return .null
            case .number(let number): return .number(number)
            case .string(let string): return .string(string)
            }
        case .sequence(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                let itemPath = child(path, String(index))
                if recordsLocations { locations[itemPath] = item.mark }
                values.append(value(item, at: itemPath))
            }
            return .list(values)
        case .mapping:
            let entries = pairs(of: node, at: path)
            if entries.count == 1, let function = longForm(entries[0].0, entries[0].1, at: child(path, entries[0].0)) {
                return function
            }
            var fields = Fields()
            for (key, node, _) in entries { fields.append(key, value(node, at: child(path, key))) }
            return .map(fields)
        }
    }

    private mutating func longForm(_ key: String, _ node: Node, at path: Path) -> Value? {
        switch key {
        case "Ref":
            guard let name = node.scalarText, node.tag == nil else { return nil }
            return .ref(name)
        case "Fn::GetAtt":
            return getAtt(value(node, at: path))
        case "Fn::Sub":
            return sub(value(node, at: path))
        case "Condition":
            guard let name = node.scalarText, node.tag == nil else { return nil }
            return .call(.condition, .string(name))
        default:
            guard let function = Intrinsic.from(longName: key) else { return nil }
            return .call(function, value(node, at: path))
        }
    }

    private mutating func tagged(_ node: Node, tag: String, at path: Path) -> Value {
        var untagged = node
        untagged.tag = nil
        let argument: Value
        if case .scalar(let text, _) = node.content {
            argument = .string(text)
        } else {
            argument = value(untagged, at: path)
        }
        switch tag {
        case "!Ref":
            guard let name = argument.stringValue else {
                report(node.mark, .error, ID.malformed, "!Ref takes a logical ID or parameter name")
                return .object(["Ref": argument])
            }
            return .ref(name)
        case "!GetAtt": return getAtt(argument)
        case "!Sub": return sub(argument)
        default:
            guard let function = Intrinsic.from(tag: tag) else {
                report(
                    node.mark, .error, ID.unknownTag, "unknown tag '\(tag)'; not a CloudFormation intrinsic function")
                // The argument of a collection was read (and its own tags reported) above; read a scalar plainly.
                if case .scalar = node.content { return value(untagged, at: path) }
                return argument
            }
            return .call(function, argument)
        }
    }

    private func getAtt(_ argument: Value) -> Value {
        switch argument {
        case .string(let text):
            if let dot = text.firstIndex(of: ".") {
                return .getAtt(String(text[..<dot]), String(text[text.index(after: dot)...]))
            }
        case .list(let items):
            if items.count == 2, let resource = items[0].stringValue, let attribute = items[1].stringValue {
                return .getAtt(resource, attribute)
            }
        default: break
        }
        return .call(.getAtt, argument)
    }

    private func sub(_ argument: Value) -> Value {
        switch argument {
        case .string(let text): return .sub(text, nil)
        case .list(let items):
            if items.count == 2, let text = items[0].stringValue, let variables = items[1].fields {
                return .sub(text, variables)
            }
        default: break
        }
        return .object(["Fn::Sub": argument])
    }
}
