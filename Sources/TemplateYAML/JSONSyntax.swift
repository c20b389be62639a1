import YAML

/// A strict JSON syntax check (RFC 8259), run before a JSON template is read.
///
/// libyaml reads JSON as YAML flow style, which also accepts what JSON does not (trailing commas, unquoted keys,
/// comments); CloudFormation's JSON parser rejects those. The check is iterative, so any depth is safe.
public enum JSONSyntax {
    /// Whether `bytes` look like a JSON document (first non-blank byte `{` or `[`).
    public static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index < bytes.count && (bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "["))
    }

    /// The first syntax error of `bytes`, with its position, or `nil` for valid JSON.
    public static func firstError(in bytes: [UInt8]) -> (mark: Mark, problem: String)? {
        var parser = Scanner(bytes: bytes)
        return parser.run()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        /// The position of `index`, computed only for an error (computing it for every value would make a long
        /// line quadratic).
        var mark: Mark { mark(at: index) }

        func mark(at offset: Int) -> Mark {
            var column = 1
            var position = lineStart
            while position < min(offset, bytes.count) {
                if bytes[position] & 0xC0 != 0x80 { column += 1 }
                position += 1
            }
            return Mark(line: line, column: column)
        }

        mutating func skipBlanks() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    index += 1
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        func describe(_ byte: UInt8?) -> String {
            guard let byte else { return "the end of the file" }
            if byte >= 0x20 && byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
            return "byte 0x\(String(byte, radix: 16))"
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        enum Container { case object, array }

        mutating func run() -> (mark: Mark, problem: String)? {
            var stack: [Container] = []
            // After a value: expect ',' or a closer (or the end at depth 0).
            skipBlanks()
            if let problem = value(&stack) { return problem }
            while true {
                skipBlanks()
                guard let container = stack.last else {
                    return current == nil ? nil : (mark, "unexpected \(describe(current)) after the JSON document")
                }
                let closer = container == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if current == closer {
                    index += 1
                    stack.removeLast()
                    continue
                }
                guard current == UInt8(ascii: ",") else {
                    return (mark, "expected ',' or '\(Character(UnicodeScalar(closer)))', found \(describe(current))")
                }
                index += 1
                skipBlanks()
                if current == closer {
                    return (mark, "trailing comma before '\(Character(UnicodeScalar(closer)))' (not allowed in JSON)")
                }
                if container == .object, let problem = key() { return problem }
                if let problem = value(&stack) { return problem }
            }
        }

        /// A key and its colon.
        mutating func key() -> (mark: Mark, problem: String)? {
            guard current == UInt8(ascii: "\"") else {
                return (mark, "expected a quoted key, found \(describe(current))")
            }
            if let problem = string() { return problem }
            skipBlanks()
            guard current == UInt8(ascii: ":") else {
                return (mark, "expected ':' after the key, found \(describe(current))")
            }
            index += 1
            skipBlanks()
            return nil
        }

        /// One value; containers are opened (their first entry read) and left on the stack.
        mutating func value(_ stack: inout [Container]) -> (mark: Mark, problem: String)? {
            while true {
                skipBlanks()
                guard let byte = current else { return (mark, "unexpected end of the file, expected a value") }
                switch byte {
                case UInt8(ascii: "{"):
                    index += 1
                    skipBlanks()
                    if current == UInt8(ascii: "}") {
                        index += 1
                        return nil
                    }
                    stack.append(.object)
                    if let problem = key() { return problem }
                case UInt8(ascii: "["):
                    index += 1
                    skipBlanks()
                    if current == UInt8(ascii: "]") {
                        index += 1
                        return nil
                    }
                    stack.append(.array)
                case UInt8(ascii: "\""): return string()
                case UInt8(ascii: "t"): return literal("true")
                case UInt8(ascii: "f"): return literal("false")
                case UInt8(ascii: "n"): return literal("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
                default: return (mark, "expected a value, found \(describe(byte))")
                }
            }
        }

        mutating func string() -> (mark: Mark, problem: String)? {
            index += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return nil
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { break }
                    if escaped == UInt8(ascii: "u") {
                        let digits = bytes[min(index + 1, bytes.count)..<min(index + 5, bytes.count)]
                        guard digits.count == 4, digits.allSatisfy({ isHex($0) }) else {
                            return (mark, "invalid \\u escape")
                        }
                        index += 5
                    } else if Array("\"\\/bfnrt".utf8).contains(escaped) {
                        index += 1
                    } else {
                        return (mark, "invalid escape '\\\(Character(UnicodeScalar(escaped)))'")
                    }
                case 0x00..<0x20: return (mark, "control character in a string (escape it)")
                default: index += 1
                }
            }
            return (mark, "unterminated string")
        }

        func isHex(_ byte: UInt8) -> Bool {
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
        }

        mutating func literal(_ word: String) -> (mark: Mark, problem: String)? {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                return (mark, "expected a value, found \(describe(current))")
            }
            index += expected.count
            return nil
        }

        mutating func number() -> (mark: Mark, problem: String)? {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            func digits() -> Int {
                var count = 0
                while let byte = current, byte >= 48 && byte <= 57 {
                    index += 1
                    count += 1
                }
                return count
            }
            if current == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                return (mark(at: start), "invalid number")
            }
            if current == UInt8(ascii: ".") {
                index += 1
                if digits() == 0 { return (mark(at: start), "invalid number: digits must follow '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                if digits() == 0 { return (mark(at: start), "invalid number: digits must follow the exponent") }
            }
            return nil
        }
    }
}
