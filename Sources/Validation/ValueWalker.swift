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
        switch value {
        case .ref(let name): visit(Reference(name: name, kind: .ref, path: path))
        case .getAtt(let name, let attribute): visit(Reference(name: name, kind: .getAtt(attribute), path: path))
        case .sub(let text, let variables):
            let local = Set(variables?.keys ?? [])
            for variable in subVariables(text) where !local.contains(variable) {
                let parts = variable.split(separator: ".", maxSplits: 1)
                if parts.count == 2, !variable.hasPrefix("AWS::") {
                    visit(Reference(name: String(parts[0]), kind: .subAttribute(String(parts[1])), path: path))
                } else {
                    visit(Reference(name: variable, kind: .subVariable, path: path))
                }
            }
            if let variables {
                for entry in variables { references(in: entry.value, at: path.appending(entry.key), visit) }
            }
        case .call(.getAtt, let argument):
            if let name = argument.items?.first?.stringValue {
                visit(Reference(name: name, kind: .getAtt(nil), path: path))
            }
            references(in: argument, at: path, visit)
        case .call(_, let argument): references(in: argument, at: path, visit)
        case .list(let items):
            for (index, item) in items.enumerated() { references(in: item, at: path.appending(String(index)), visit) }
        case .map(let fields):
            for entry in fields { references(in: entry.value, at: path.appending(entry.key), visit) }
        case .string, .number, .bool, .null: break
        }
    }

    /// Calls `visit` for each condition named by `Fn::If` or the `Condition` function inside `value`.
    static func conditions(in value: Value, at path: Path, _ visit: (String, Path) -> Void) {
        switch value {
        case .call(.ifThen, let argument):
            if let name = argument.items?.first?.stringValue { visit(name, path) }
            conditions(in: argument, at: path, visit)
        case .call(.condition, .string(let name)): visit(name, path)
        case .call(_, let argument): conditions(in: argument, at: path, visit)
        case .sub(_, let variables?):
            for entry in variables { conditions(in: entry.value, at: path.appending(entry.key), visit) }
        case .list(let items):
            for (index, item) in items.enumerated() { conditions(in: item, at: path.appending(String(index)), visit) }
        case .map(let fields):
            for entry in fields { conditions(in: entry.value, at: path.appending(entry.key), visit) }
        default: break
        }
    }

    /// Calls `visit` for each literal mapping name of `Fn::FindInMap` inside `value`.
    static func mappings(in value: Value, at path: Path, _ visit: (String, Path) -> Void) {
        switch value {
        case .call(.findInMap, let argument):
            if let name = argument.items?.first?.stringValue { visit(name, path) }
            mappings(in: argument, at: path, visit)
        case .call(_, let argument): mappings(in: argument, at: path, visit)
        case .sub(_, let variables?):
            for entry in variables { mappings(in: entry.value, at: path.appending(entry.key), visit) }
        case .list(let items):
            for (index, item) in items.enumerated() { mappings(in: item, at: path.appending(String(index)), visit) }
        case .map(let fields):
            for entry in fields { mappings(in: entry.value, at: path.appending(entry.key), visit) }
        default: break
        }
    }

    /// The `${...}` variables of a `Fn::Sub` string, `${!Literal}` excluded.
    static func subVariables(_ text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "}") else { break }
            let name = rest[..<end]
            if !name.hasPrefix("!") { result.append(name.trimmingCharacters()) }
            rest = rest[rest.index(after: end)...]
        }
        return result
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    fileprivate func range(of needle: String) -> Range<Index>? {
        var index = startIndex
        let first = needle.first!
        while let found = self[index...].firstIndex(of: first) {
            if self[found...].hasPrefix(needle) { return found..<self.index(found, offsetBy: needle.count) }
            index = self.index(after: found)
        }
        return nil
    }
}
