import CloudFormation

/// Folds intrinsic functions whose result the template alone decides. A string built from literals and symbolic
/// references resolves to one canonical form: a literal `.string`, a lone `.ref`/`.getAtt`, or `.sub` whose text
/// holds the references as `${Name}` / `${Name.Attribute}`.
struct Resolver {
    let evaluation: TemplateEvaluation

    /// The resolved value; `nil` for `AWS::NoValue` (the entry disappears).
    func resolve(_ value: Value) -> Value? {
        switch value {
        case .ref("AWS::NoValue"): return nil
        case .ref(let name): return evaluation.parameters[name] ?? value
        case .sub(let text, let variables): return sub(text, variables)
        case .call(let function, let argument): return call(function, argument)
        case .list(let items): return .list(items.compactMap(resolve))
        case .map(let fields):
            return .map(Fields(fields.entries.compactMap { entry in resolve(entry.value).map { (entry.key, $0) } }))
        case .string, .number, .bool, .null, .getAtt: return value
        }
    }

    private func call(_ function: Intrinsic, _ argument: Value) -> Value? {
        let items = argument.items
        switch function {
        case .ifThen:
            guard let items, items.count == 3, let name = items[0].stringValue else { break }
            guard let known = evaluation.conditions[name] ?? nil else { break }
            return resolve(known ? items[1] : items[2])
        case .join:
            guard let items, items.count == 2, let delimiter = items[0].stringValue,
                case .list(let parts)? = resolve(items[1])
            else { break }
            var pieces: [Piece] = []
            for (index, part) in parts.enumerated() {
                guard let piece = Piece.of(part) else { return .call(.join, resolve(argument) ?? argument) }
                if index > 0 { pieces.append(.literal(delimiter)) }
                pieces += piece
            }
            return Piece.value(of: pieces)
        case .select:
            guard let items, items.count == 2, let index = resolve(items[0])?.intValue,
                case .list(let list)? = resolve(items[1]), list.indices.contains(index)
            else { break }
            return list[index]
        case .findInMap:
            guard let items, items.count >= 3 else { break }
            let keys = items.prefix(3).compactMap { resolve($0)?.stringValue }
            guard keys.count == 3, let found = evaluation.template.mappings?[keys[0]]?[keys[1]]?[keys[2]] else { break }
            return resolve(found)
        case .getAtt:
            if let items, items.count == 2, let name = items[0].stringValue, let attribute = items[1].stringValue {
                return .getAtt(name, attribute)
            }
        default: break
        }
        return .call(function, resolve(argument) ?? argument)
    }

    private func sub(_ text: String, _ variables: Fields?) -> Value {
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.dollarBrace() {
            literal += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                literal += rest[open.lowerBound...]
                rest = ""
                break
            }
            let name = rest[open.upperBound..<close].trimmingSpaces
            rest = rest[rest.index(after: close)...]
            if name.hasPrefix("!") {
                literal += "${" + name.dropFirst() + "}"
                continue
            }
            let replacement: Value =
                variables?[String(name)] ?? evaluation.parameters[String(name)] ?? Piece.reference(String(name))
            guard let resolved = resolve(replacement), let parts = Piece.of(resolved) else {
                return .sub(text, variables.map { Fields($0.entries.map { ($0.key, resolve($0.value) ?? $0.value) }) })
            }
            pieces.append(.literal(literal))
            literal = ""
            pieces += parts
        }
        literal += rest
        pieces.append(.literal(literal))
        return Piece.value(of: pieces)
    }

    /// Whether a resolved value holds no reference or function: the same in every deployment.
    static func isLiteral(_ value: Value) -> Bool {
        switch value {
        case .string, .number, .bool, .null: return true
        case .list(let items): return items.allSatisfy(isLiteral)
        case .map(let fields): return fields.allSatisfy { isLiteral($0.value) }
        case .ref, .getAtt, .sub, .call: return false
        }
    }
}

/// A piece of a string being built: literal text or a symbolic reference.
enum Piece: Equatable {
    case literal(String)
    case token(String)

    /// The pieces of a resolved scalar; `nil` for values that are not strings (lists, maps, other functions).
    static func of(_ value: Value) -> [Piece]? {
        switch value {
        case .string(let text), .number(let text): return [.literal(text)]
        case .bool(let flag): return [.literal(flag ? "true" : "false")]
        case .ref(let name): return [.token(name)]
        case .getAtt(let name, let attribute): return [.token("\(name).\(attribute)")]
        case .sub(let text, nil): return parse(text)
        default: return nil
        }
    }

    /// The canonical value of `pieces`: a literal string, a lone reference, or a `Fn::Sub` text.
    static func value(of pieces: [Piece]) -> Value {
        var merged: [Piece] = []
        for piece in pieces {
            if case .literal(let text) = piece {
                if text.isEmpty { continue }
                if case .literal(let previous)? = merged.last {
                    merged[merged.count - 1] = .literal(previous + text)
                    continue
                }
            }
            merged.append(piece)
        }
        if merged.isEmpty { return .string("") }
        if merged.count == 1, case .literal(let text) = merged[0] { return .string(text) }
        if merged.count == 1, case .token(let name) = merged[0] { return reference(name) }
        do {
            let text = merged.map { piece -> String in
                switch piece {
                case .literal(let text): return text.replacingDollarBraces
                case .token(let name): return "${\(name)}"
                }
            }
            return .sub(text.joined(), nil)
        }
    }

    /// `Name` or `Name.Attribute` as the reference it stands for.
    static func reference(_ name: String) -> Value {
        guard !name.hasPrefix("AWS::"), let dot = name.firstIndex(of: ".") else { return .ref(name) }
        return .getAtt(String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// The pieces of a canonical `Fn::Sub` text (no variable map).
    private static func parse(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.dollarBrace(), let close = rest[open.upperBound...].firstIndex(of: "}") {
            let name = rest[open.upperBound..<close].trimmingSpaces
            if name.hasPrefix("!") {
                pieces.append(.literal(String(rest[..<open.lowerBound]) + "${" + name.dropFirst() + "}"))
            } else {
                pieces += [.literal(String(rest[..<open.lowerBound])), .token(String(name))]
            }
            rest = rest[rest.index(after: close)...]
        }
        return pieces + [.literal(String(rest))]
    }
}

extension Substring {
    /// The first `${` in the text.
    fileprivate func dollarBrace() -> Range<Index>? {
        var index = startIndex
        while let dollar = self[index...].firstIndex(of: "$") {
            let next = self.index(after: dollar)
            if next < endIndex, self[next] == "{" { return dollar..<self.index(after: next) }
            index = next
        }
        return nil
    }

    fileprivate var trimmingSpaces: Substring {
        let start = drop { $0 == " " }
        var end = start.endIndex
        while end > start.startIndex, start[start.index(before: end)] == " " { end = start.index(before: end) }
        return start[..<end]
    }
}

extension String {
    /// Literal `${` written as `${!` so that the text reads back as the same literal.
    fileprivate var replacingDollarBraces: String {
        var result = ""
        var rest = Substring(self)
        while let open = rest.dollarBrace() {
            result += rest[..<open.lowerBound] + "${!"
            rest = rest[open.upperBound...]
        }
        return result + rest
    }
}

extension Resolver {
    /// Whether the value is a literal scalar (string, number, boolean).
    static func isScalar(_ value: Value) -> Bool {
        switch value {
        case .string, .number, .bool: return true
        default: return false
        }
    }
}
