import CloudFormation

/// A name a value refers to, and where.
struct Reference {
    enum Kind {
        /// `Ref`.
        case ref
        /// `Fn::GetAtt` with the attribute, if literal.
        case getAtt(String?)
        /// `${Name}` in `Fn::Sub`.
        case subVariable
        /// `${Name.Attr}` in `Fn::Sub`.
        case subAttribute(String)
    }

    var name: String
    var kind: Kind
    var path: Path
}

/// Walks values, reporting references, condition names and mapping names with their paths.
enum ValueWalker {
    /// Calls `visit` for every reference in `value`; `Fn::Sub` variable-map keys are local and not reported.
    static func references(in value: Value, at path: Path, _ visit: (Reference) -> Void) {
        var components = path.components
        walk(value, &components, visit)
    }

    /// The walk keeps one component stack (pushed and popped) and builds a `Path` only for references found.
    private static func walk(_ value: Value, _ components: inout [String], _ visit: (Reference) -> Void) {
        switch value {
        case .ref(let name): visit(Reference(name: name, kind: .ref, path: Path(components)))
        case .getAtt(let name, let attribute):
            visit(Reference(name: name, kind: .getAtt(attribute), path: Path(components)))
        case .sub(let text, let variables):
            let local = Set(variables?.keys ?? [])
            for variable in subVariables(text) where !local.contains(variable) {
                let parts = variable.split(separator: ".", maxSplits: 1)
                if parts.count == 2, !variable.hasPrefix("AWS::") {
                    visit(
                        Reference(name: String(parts[0]), kind: .subAttribute(String(parts[1])), path: Path(components))
                    )
                } else {
                    visit(Reference(name: variable, kind: .subVariable, path: Path(components)))
                }
            }
            if let variables {
                for entry in variables {
                    components.append(entry.key)
                    walk(entry.value, &components, visit)
                    components.removeLast()
                }
            }
        case .call(.getAtt, let argument):
            if let name = argument.items?.first?.stringValue {
                visit(Reference(name: name, kind: .getAtt(nil), path: Path(components)))
            }
            walk(argument, &components, visit)
        case .call(_, let argument): walk(argument, &components, visit)
        case .list(let items):
            for (index, item) in items.enumerated() {
                components.append(String(index))
                walk(item, &components, visit)
                components.removeLast()
            }
        case .map(let fields):
            for entry in fields {
                components.append(entry.key)
                walk(entry.value, &components, visit)
                components.removeLast()
            }
        case .string, .number, .bool, .null: break
        }
    }

    /// The names `value` mentions through `Ref`, `Fn::GetAtt` and `Fn::Sub` variables, without paths.
    static func names(in value: Value, into names: inout Set<String>) {
        switch value {
        case .ref(let name): names.insert(name)
        case .getAtt(let name, _): names.insert(name)
        case .sub(let text, let variables):
            let local = Set(variables?.keys ?? [])
            for variable in subVariables(text) where !local.contains(variable) {
                names.insert(String(variable.split(separator: ".", maxSplits: 1).first ?? ""))
            }
            for entry in variables ?? Fields() { Self.names(in: entry.value, into: &names) }
        case .call(.getAtt, let argument):
            if let name = argument.items?.first?.stringValue { names.insert(name) }
            Self.names(in: argument, into: &names)
        case .call(_, let argument): Self.names(in: argument, into: &names)
        case .list(let items): for item in items { Self.names(in: item, into: &names) }
        case .map(let fields): for entry in fields { Self.names(in: entry.value, into: &names) }
        case .string, .number, .bool, .null: break
        }
    }

    /// Calls `visit` for each condition named by `Fn::If` or the `Condition` function inside `value`.
    static func conditions(in value: Value, at path: Path, _ visit: (String, Path) -> Void) {
        var components = path.components
        scan(value, &components) { function, argument, components in
            switch function {
            case .ifThen:
                if let name = argument.items?.first?.stringValue { visit(name, Path(components)) }
            case .condition:
                if let name = argument.stringValue { visit(name, Path(components)) }
            default: break
            }
        }
    }

    /// Calls `visit` for each literal mapping name of `Fn::FindInMap` inside `value`.
    static func mappings(in value: Value, at path: Path, _ visit: (String, Path) -> Void) {
        var components = path.components
        scan(value, &components) { function, argument, components in
            if function == .findInMap, let name = argument.items?.first?.stringValue { visit(name, Path(components)) }
        }
    }

    /// Calls `visit` for every intrinsic call inside `value`, with the component stack of its location.
    private static func scan(
        _ value: Value, _ components: inout [String], _ visit: (Intrinsic, Value, [String]) -> Void
    ) {
        switch value {
        case .call(let function, let argument):
            visit(function, argument, components)
            scan(argument, &components, visit)
        case .sub(_, let variables?):
            for entry in variables {
                components.append(entry.key)
                scan(entry.value, &components, visit)
                components.removeLast()
            }
        case .list(let items):
            for (index, item) in items.enumerated() {
                components.append(String(index))
                scan(item, &components, visit)
                components.removeLast()
            }
        case .map(let fields):
            for entry in fields {
                components.append(entry.key)
                scan(entry.value, &components, visit)
                components.removeLast()
            }
        default: break
        }
    }

    static func subVariables(_ text: String) -> [String] { Value.subVariables(text) }
}
