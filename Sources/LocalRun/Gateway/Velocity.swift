import JSONDocument

/// The part of the Velocity Template Language that API Gateway's mapping templates use and the local gateway
/// evaluates: text, references (`$a.b`, `$!a`, `${a}`, method calls with arguments), `#set`, `#if` / `#elseif` /
/// `#else` / `#end`, `##` and `#* *#` comments; conditions with `==`, `!=`, `&&`, `||`, `!` and parentheses.
/// A directive's own line break is dropped, as Velocity does for a line holding only a directive.
enum Velocity {
    indirect enum Node: Sendable, Equatable {
        case text(String)
        /// A reference and the text it was written as (printed when it cannot be resolved).
        case reference(Reference, written: String)
        case set(Reference, Expression)
        case branch([Branch])
    }

    struct Branch: Sendable, Equatable {
        /// `nil` for `#else`.
        var condition: Expression?
        var body: [Node]
    }

    indirect enum Expression: Sendable, Equatable {
        case string(String, interpolated: Bool)
        case number(Double)
        case bool(Bool)
        case reference(Reference)
        case not(Expression)
        case and(Expression, Expression)
        case or(Expression, Expression)
        case equal(Expression, Expression, negated: Bool)
    }

    /// `$root.step.step(arguments)`.
    struct Reference: Sendable, Equatable {
        var root: String
        var steps: [Step]
        var quiet = false
    }

    struct Step: Sendable, Equatable {
        var name: String
        /// `nil` for a property, the arguments for a call.
        var arguments: [Expression]?
    }

    /// Directives the parser knows; any other `#name` is kept as text and named as unsupported.
    static let directives: Set<String> = ["set", "if", "elseif", "else", "end"]

    /// Parses `text`; what cannot be parsed stays text.
    static func parse(_ text: String) -> [Node] {
        var parser = Parser(characters: Array(text))
        return parser.nodes(until: []).nodes
    }
}

extension Velocity {
    struct Parser {
        let characters: [Character]
        var index = 0

        var current: Character? { index < characters.count ? characters[index] : nil }

        func peek(_ offset: Int) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        /// Nodes up to one of the `terminators` directives (which is consumed and returned) or the end.
        mutating func nodes(until terminators: Set<String>) -> (nodes: [Node], ended: String?) {
            var nodes: [Node] = []
            var text = ""
            func flush() {
                if !text.isEmpty { nodes.append(.text(text)) }
                text = ""
            }
            while let character = current {
                if character == "$", let (reference, written) = referenceNode() {
                    flush()
                    nodes.append(.reference(reference, written: written))
                } else if character == "#", peek(1) == "#" {
                    while let next = current, next != "\n" { index += 1 }
                    index += current == nil ? 0 : 1
                } else if character == "#", peek(1) == "*" {
                    skipBlockComment()
                } else if character == "#", let name = directiveName() {
                    if terminators.contains(name) {
                        flush()
                        return (nodes, name)
                    }
                    guard let node = directive(name) else {
                        text += "#" + name
                        continue
                    }
                    flush()
                    nodes.append(node)
                } else {
                    text.append(character)
                    index += 1
                }
            }
            flush()
            return (nodes, nil)
        }

        mutating func skipBlockComment() {
            index += 2
            while current != nil, !(current == "*" && peek(1) == "#") { index += 1 }
            index = min(index + 2, characters.count)
        }

        /// `#name` or `#{name}` when it is a directive this parser knows; consumed.
        mutating func directiveName() -> String? {
            var offset = 1
            let braced = peek(1) == "{"
            if braced { offset += 1 }
            var name = ""
            while let next = peek(offset), next.isLetter {
                name.append(next)
                offset += 1
            }
            if braced {
                guard peek(offset) == "}" else { return nil }
                offset += 1
            }
            guard Velocity.directives.contains(name) else { return nil }
            index += offset
            return name
        }

        /// The directive whose name was just read; `nil` (and nothing consumed past the name) if malformed.
        mutating func directive(_ name: String) -> Node? {
            switch name {
            case "set":
                let start = index
                skipSpace()
                guard current == "(" else {
                    index = start
                    return nil
                }
                index += 1
                skipSpace()
                guard current == "$", let (target, _) = referenceNode() else {
                    index = start
                    return nil
                }
                skipSpace()
                guard current == "=" else {
                    index = start
                    return nil
                }
                index += 1
                guard let value = expression(), consume(")") else {
                    index = start
                    return nil
                }
                gobbleLineBreak()
                return .set(target, value)
            case "if":
                return conditional()
            default:
                return nil
            }
        }

        /// `#if(...)` through its `#end`, with its `#elseif` and `#else` branches.
        mutating func conditional() -> Node? {
            var branches: [Branch] = []
            var condition: Expression? = nil
            var isElse = false
            while true {
                if !isElse {
                    skipSpace()
                    guard consume("("), let parsed = expression(), consume(")") else { return nil }
                    condition = parsed
                }
                gobbleLineBreak()
                let (body, ended) = nodes(until: ["elseif", "else", "end"])
                branches.append(Branch(condition: isElse ? nil : condition, body: body))
                switch ended {
                case "elseif" where !isElse: continue
                case "else" where !isElse: isElse = true
                case "end":
                    gobbleLineBreak()
                    return .branch(branches)
                default: return .branch(branches)
                }
            }
        }

        mutating func gobbleLineBreak() {
            var probe = index
            while probe < characters.count, characters[probe] == " " || characters[probe] == "\t" { probe += 1 }
            if probe < characters.count, characters[probe] == "\n" { index = probe + 1 }
        }

        mutating func skipSpace() {
            while let character = current, character == " " || character == "\t" || character == "\n" { index += 1 }
        }

        mutating func consume(_ text: String) -> Bool {
            skipSpace()
            let expected = Array(text)
            guard index + expected.count <= characters.count,
                Array(characters[index..<index + expected.count]) == expected
            else { return false }
            index += expected.count
            return true
        }

        /// A reference at `$`, with the text it was written as; `nil` (nothing consumed) if none.
        mutating func referenceNode() -> (Reference, String)? {
            let start = index
            var offset = 1
            let quiet = peek(offset) == "!"
            if quiet { offset += 1 }
            let braced = peek(offset) == "{"
            if braced { offset += 1 }
            index += offset
            guard let root = identifier() else {
                index = start
                return nil
            }
            var steps: [Step] = []
            while current == ".", let next = peek(1), next.isLetter {
                index += 1
                guard let name = identifier() else { break }
                var step = Step(name: name)
                if current == "(" {
                    let before = index
                    index += 1
                    guard let arguments = arguments() else {
                        index = before
                        steps.append(step)
                        break
                    }
                    step.arguments = arguments
                }
                steps.append(step)
            }
            if braced {
                guard current == "}" else {
                    index = start
                    return nil
                }
                index += 1
            }
            return (Reference(root: root, steps: steps, quiet: quiet), String(characters[start..<index]))
        }

        mutating func identifier() -> String? {
            guard let first = current, first.isLetter else { return nil }
            var name = ""
            while let character = current, character.isLetter || character.isNumber || character == "_" {
                name.append(character)
                index += 1
            }
            return name
        }

        /// `a, b)` after an opening parenthesis, the closing one consumed.
        mutating func arguments() -> [Expression]? {
            var result: [Expression] = []
            if consume(")") { return result }
            while true {
                guard let argument = expression() else { return nil }
                result.append(argument)
                if consume(")") { return result }
                guard consume(",") else { return nil }
            }
        }

        mutating func expression() -> Expression? {
            guard var left = conjunction() else { return nil }
            while consume("||") {
                guard let right = conjunction() else { return nil }
                left = .or(left, right)
            }
            return left
        }

        mutating func conjunction() -> Expression? {
            guard var left = comparison() else { return nil }
            while consume("&&") {
                guard let right = comparison() else { return nil }
                left = .and(left, right)
            }
            return left
        }

        mutating func comparison() -> Expression? {
            guard let left = unary() else { return nil }
            if consume("==") { return unary().map { .equal(left, $0, negated: false) } }
            if consume("!=") { return unary().map { .equal(left, $0, negated: true) } }
            return left
        }

        mutating func unary() -> Expression? {
            skipSpace()
            if current == "!", peek(1) != "=" {
                index += 1
                return unary().map(Expression.not)
            }
            return primary()
        }

        mutating func primary() -> Expression? {
            skipSpace()
            guard let character = current else { return nil }
            switch character {
            case "(":
                index += 1
                guard let inner = expression(), consume(")") else { return nil }
                return inner
            case "'", "\"":
                index += 1
                var text = ""
                while let next = current, next != character {
                    text.append(next)
                    index += 1
                }
                guard current == character else { return nil }
                index += 1
                return .string(text, interpolated: character == "\"")
            case "$":
                return referenceNode().map { .reference($0.0) }
            default:
                if consume("true") { return .bool(true) }
                if consume("false") { return .bool(false) }
                var text = ""
                while let next = current, next.isNumber || next == "." || (text.isEmpty && next == "-") {
                    text.append(next)
                    index += 1
                }
                return Double(text).map(Expression.number)
            }
        }
    }
}
