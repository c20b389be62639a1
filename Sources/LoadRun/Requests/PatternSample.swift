/// Strings matching the simple regular expressions request schemas use for identifiers and codes: anchors, literal
/// characters, `\d` `\w` `\s`, character classes with ranges (`[A-Za-z0-9_-]`), and the quantifiers `?` `*` `+`
/// `{n}` `{n,}` `{n,m}`. Anything else (groups, alternation, negated classes, look-arounds) is not generated:
/// `init` returns `nil` and the caller says so.
public struct PatternSample: Sendable {
    struct Atom: Sendable {
        var characters: [Character]
        var minimum: Int
        var maximum: Int
    }

    let atoms: [Atom]

    /// Parses `pattern`; `nil` when it uses a construct this generator does not handle.
    public init?(_ pattern: String) {
        var characters = Array(pattern)
        if characters.first == "^" { characters.removeFirst() } else { return nil }
        if characters.last == "$", characters.dropLast().last != "\\" { characters.removeLast() } else { return nil }
        var atoms: [Atom] = []
        var index = 0
        while index < characters.count {
            guard let found = Self.atom(characters, at: index) else { return nil }
            index = found.1
            var atom = Atom(characters: found.0, minimum: 1, maximum: 1)
            if index < characters.count, let quantity = Self.quantifier(characters, at: index) {
                atom.minimum = quantity.0
                atom.maximum = quantity.1
                index = quantity.2
            }
            atoms.append(atom)
        }
        self.atoms = atoms
    }

    /// A matching string: each repeated atom three times where its quantifier allows, else as near as it can.
    public func sample(using generator: inout SeededGenerator) -> String {
        var text = ""
        for atom in atoms {
            let count = min(atom.maximum, max(atom.minimum, atom.maximum == atom.minimum ? atom.minimum : 3))
            for _ in 0..<count { text.append(atom.characters[Int(generator.next() % UInt64(atom.characters.count))]) }
        }
        return text
    }

    /// The shortest and longest matches, for fitting a prefix and a counter into a key.
    public var lengths: ClosedRange<Int> {
        atoms.reduce(0) { $0 + $1.minimum }...atoms.reduce(0) { min(1 << 20, $0 + $1.maximum) }
    }

    static let digits = Array("0123456789")
    static let word = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")

    static func atom(_ characters: [Character], at index: Int) -> ([Character], Int)? {
        switch characters[index] {
        case "\\":
            guard index + 1 < characters.count else { return nil }
            switch characters[index + 1] {
            case "d": return (digits, index + 2)
            case "w": return (word, index + 2)
            case "s": return ([" "], index + 2)
            case let escaped where !escaped.isLetter && !escaped.isNumber: return ([escaped], index + 2)
            default: return nil
            }
        case "[": return characterClass(characters, from: index + 1)
        case "(", ")", "|", ".", "*", "+", "?", "{", "^", "$": return nil
        default: return ([characters[index]], index + 1)
        }
    }

    static func characterClass(_ characters: [Character], from start: Int) -> ([Character], Int)? {
        var set: [Character] = []
        var index = start
        guard index < characters.count, characters[index] != "^" else { return nil }
        while index < characters.count, characters[index] != "]" {
            var low = characters[index]
            if low == "\\" {
                guard index + 1 < characters.count else { return nil }
                let escaped = characters[index + 1]
                if escaped == "d" || escaped == "w" {
                    set += escaped == "d" ? digits : word
                    index += 2
                    continue
                }
                low = escaped
                index += 1
            }
            if index + 2 < characters.count, characters[index + 1] == "-", characters[index + 2] != "]",
                let from = low.unicodeScalars.first?.value,
                let to = characters[index + 2].unicodeScalars.first?.value, from <= to, to - from < 256
            {
                set += (from...to).compactMap { Unicode.Scalar($0).map(Character.init) }
                index += 3
            } else {
                set.append(low)
                index += 1
            }
        }
        guard index < characters.count, !set.isEmpty else { return nil }
        return (set, index + 1)
    }

    static func quantifier(_ characters: [Character], at index: Int) -> (Int, Int, Int)? {
        switch characters[index] {
        case "?": return (0, 1, index + 1)
        case "*": return (0, 8, index + 1)
        case "+": return (1, 8, index + 1)
        case "{":
            guard let close = characters[index...].firstIndex(of: "}") else { return nil }
            let parts = String(characters[(index + 1)..<close]).split(separator: ",", omittingEmptySubsequences: false)
            guard let low = Int(parts[0]) else { return nil }
            let high = parts.count == 1 ? low : (parts[1].isEmpty ? low + 8 : Int(parts[1]) ?? low)
            return (low, max(low, high), close + 1)
        default: return nil
        }
    }
}
