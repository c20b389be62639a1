import CloudFormation

/// Properties against the resource schemas of the catalogue: unknown and missing required properties, and a note
/// for types the catalogue does not have.
enum SchemaChecks {
    static func run(_ context: inout Context) {
        var unknownTypes: Set<String> = []
        for resource in context.template.resources {
            let base = Path("Resources", resource.logicalId)
            guard let info = context.types[resource.type] else {
                let isKnownElsewhere =
                    ResourceCatalogue.isCustom(resource.type) || resource.type.hasPrefix("AWS::Serverless::")
                    || resource.type.isEmpty
                if !isKnownElsewhere, unknownTypes.insert(resource.type).inserted {
                    context.report(
                        Rules.unknownType, at: base.appending("Type"), subject: resource.logicalId,
                        "\(resource.type) is not in the resource catalogue; its properties and attributes are not checked"
                    )
                }
                continue
            }
            // A property map built by an intrinsic (e.g. Fn::If at the top) cannot be checked key by key.
            if resource.properties.keys.contains(where: { $0.hasPrefix("Fn::") }) { continue }
            // A custom resource's properties are its provider's business; only ServiceToken is required.
            let isCustom = ResourceCatalogue.isCustom(resource.type)
            for key in resource.properties.keys where !isCustom && !info.properties.contains(key) {
                let suggestion = info.properties.first { $0.lowercased() == key.lowercased() }
                context.report(
                    Rules.unknownProperty, at: base.appending("Properties").appending(key), subject: resource.logicalId,
                    "\(resource.type) has no property '\(key)'\(suggestion.map { "; did you mean '\($0)'?" } ?? "")")
            }
            for required in info.required where resource.properties[required] == nil {
                context.report(
                    Rules.missingRequiredProperty,
                    at: base.appending(resource.properties.isEmpty ? "Type" : "Properties"),
                    subject: resource.logicalId,
                    "\(resource.type) '\(resource.logicalId)' requires property '\(required)'")
            }
        }
    }
}
