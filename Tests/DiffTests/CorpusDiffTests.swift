import CloudFormation
import Foundation
import TemplateYAML
import TestSupport
import Testing

@testable import Diff

/// The real-world templates diffed against themselves and against a reformatted copy (long form, JSON, keys in
/// reverse order): no change either way.
@Suite struct CorpusDiffTests {
    static let directory = Requirement.shared.appendingPathComponent("corpus-real")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter {
            $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json")
        }.sorted()
    }

    /// Long-form JSON with every mapping's keys reversed.
    static func longFormJSON(_ value: Value) -> String {
        func quote(_ text: String) -> String {
            let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
            return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
        }
        func object(_ pairs: [(String, String)]) -> String {
            "{" + pairs.map { "\(quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        switch value {
        case .string(let text): return quote(text)
        case .number(let text):
            return Double(text) != nil && !text.hasPrefix(".") && !text.hasPrefix("+") ? text : quote(text)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .list(let items): return "[" + items.map(longFormJSON).joined(separator: ", ") + "]"
        case .map(let fields): return object(fields.entries.reversed().map { ($0.key, longFormJSON($0.value)) })
        case .ref(let name): return object([("Ref", quote(name))])
        case .getAtt(let name, let attribute): return object([("Fn::GetAtt", "[\(quote(name)), \(quote(attribute))]")])
        case .sub(let text, nil): return object([("Fn::Sub", quote(text))])
        case .sub(let text, let variables?):
            return object([("Fn::Sub", "[\(quote(text)), \(longFormJSON(.map(variables)))]")])
        case .call(let function, let argument): return object([(function.longName, longFormJSON(argument))])
        }
    }

    static func reformatted(_ template: Template) -> String {
        var sections: [(String, String)] = []
        if let version = template.formatVersion {
            sections.append(("AWSTemplateFormatVersion", longFormJSON(.string(version))))
        }
        if let description = template.description {
            sections.append(("Description", longFormJSON(.string(description))))
        }
        if let metadata = template.metadata { sections.append(("Metadata", longFormJSON(metadata))) }
        if let transform = template.transform { sections.append(("Transform", longFormJSON(transform))) }
        if !template.parameters.isEmpty {
            sections.append(
                (
                    "Parameters",
                    longFormJSON(
                        .map(
                            Fields(
                                template.parameters.map { parameter in
                                    var fields = Fields([("Type", .string(parameter.type))])
                                    if let value = parameter.defaultValue { fields["Default"] = value }
                                    for entry in parameter.constraints { fields[entry.key] = entry.value }
                                    return (parameter.name, .map(fields))
                                })))
                ))
        }
        if let mappings = template.mappings { sections.append(("Mappings", longFormJSON(mappings))) }
        if !template.conditions.isEmpty { sections.append(("Conditions", longFormJSON(.map(template.conditions)))) }
        var resources: [(String, Value)] = template.resources.map { resource in
            var fields = Fields([("Type", .string(resource.type))])
            if !resource.properties.isEmpty { fields["Properties"] = .map(resource.properties) }
            if !resource.dependsOn.isEmpty { fields["DependsOn"] = .strings(resource.dependsOn) }
            if let policy = resource.deletionPolicy { fields["DeletionPolicy"] = policy }
            if let policy = resource.updateReplacePolicy { fields["UpdateReplacePolicy"] = policy }
            if let condition = resource.condition { fields["Condition"] = .string(condition) }
            if let metadata = resource.metadata { fields["Metadata"] = metadata }
            for entry in resource.otherAttributes { fields[entry.key] = entry.value }
            return (resource.logicalId, .map(fields))
        }
        resources += (template.loops["Resources"]?.entries ?? []).map { ($0.key, $0.value) }
        sections.append(("Resources", longFormJSON(.map(Fields(resources.reversed())))))
        if !template.outputs.isEmpty {
            sections.append(
                (
                    "Outputs",
                    longFormJSON(
                        .map(
                            Fields(
                                template.outputs.map { output in
                                    var fields = Fields([("Value", output.value)])
                                    if let name = output.exportName { fields["Export"] = .object(["Name": name]) }
                                    if let condition = output.condition { fields["Condition"] = .string(condition) }
                                    if let description = output.description {
                                        fields["Description"] = .string(description)
                                    }
                                    return (output.name, .map(fields))
                                })))
                ))
        }
        for entry in template.otherSections { sections.append((entry.key, longFormJSON(entry.value))) }
        return "{" + sections.reversed().map { "\"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "}\n"
    }

    /// The corpus is there (in CI always): an empty folder would pass the parameterized test below with no case.
    @Test(Requirement.corpus("corpus-real")) func corpusIsPresent() {
        #expect(Self.files.count == 52, "expected the 52 templates of ../shared/corpus-real")
    }

    @Test(Requirement.corpus("corpus-real"), arguments: files)
    func selfAndReformattedCopyGiveNoChange(name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let original = TemplateReader.read(bytes: Array(data), path: name)
        guard let template = original.template else { return }  // unreadable ones are validate's business
        #expect(Differ.diff(old: template, new: template, name: name).isEmpty)
        let copy = Self.reformatted(template)
        let reread = try #require(
            TemplateReader.read(copy, path: name + ".json").template, "reformatted copy unreadable")
        let diff = Differ.diff(old: template, new: reread, name: name)
        #expect(diff.isEmpty, "\(DiffReport.render([diff], format: .text))")
    }

    /// The orders stacks re-serialised as long-form JSON with keys reversed: nothing changed, nothing said.
    @Test(arguments: ["prod", "dev"])
    func theOrdersStacksReserialisedAsJSONGiveNoChange(stage: String) throws {
        let template = try Pair.template(try GatePairTests.stage(stage))
        let copy = Self.reformatted(template)
        #expect(copy.hasPrefix("{"))
        let reread = try #require(TemplateReader.read(copy, path: "orders-\(stage).json").template)
        let diff = Differ.diff(old: template, new: reread, name: stage)
        #expect(diff.isEmpty, "\(DiffReport.render([diff], format: .text))")
    }
}
