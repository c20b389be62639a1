import JSONDocument

/// A request body as JSON Schema draft 4 sees it: like `JSONValue`, but a number remembers whether it was
/// written as an integer ("A JSON number without a fraction or exponent part", draft 4 section 3.5), so
/// `1.0` and `1.0000000000000001` are numbers and not integers, as API Gateway's validator has them.
public indirect enum JSONInstance: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double, integral: Bool)
    case string(String)
    case array([JSONInstance])
    case object([String: JSONInstance])

    /// A parsed value seen as an instance: whole numbers count as written without a fraction.
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number, integral: number == number.rounded())
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(JSONInstance.init))
        case .object(let fields): self = .object(fields.mapValues(JSONInstance.init))
        }
    }

    /// The value without the integer mark (for enum comparison and messages).
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .number(let number, _): .number(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(\.json))
        case .object(let fields): .object(fields.mapValues(\.json))
        }
    }
}

/// A strict RFC 8259 reader for request bodies: no trailing commas, comments, single quotes, control characters
/// in strings, leading zeros, bare `NaN` or anything after the value; invalid UTF-8 refused. Linear in the input,
/// nesting bounded so a hostile body cannot exhaust the stack.
public enum StrictJSON {
    /// Why a body is not JSON, with the byte offset where reading stopped.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var offset: Int
    }

    /// Deeper nesting than this is refused (API Gateway's own limit is not documented; this bounds the stack).
    public static let maximumDepth = 512

    /// The body's value, or why it is not JSON.
    public static func parse(_ bytes: [UInt8]) -> Result<JSONInstance, Failure> {
        var reader = Reader(bytes: bytes)
        do {
            reader.skipSpace()
            let value = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.index == bytes.count else { throw reader.failure("unexpected text after the JSON value") }
            return .success(value)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(message: "unreadable", offset: reader.index))
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        func failure(_ message: String) -> Failure { Failure(message: message, offset: index) }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        mutating func value(depth: Int) throws -> JSONInstance {
            guard depth < StrictJSON.maximumDepth else { throw failure("nesting deeper than \(maximumDepth)") }
            guard let byte = current else { throw failure("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure("unexpected character \(Self.describe(byte))")
            }
        }

        mutating func literal(_ word: String, _ value: JSONInstance) throws -> JSONInstance {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected
            else { throw failure("unexpected token; expected \(word)") }
            index += expected.count
            return value
        }

        mutating func object(depth: Int) throws -> JSONInstance {
            index += 1
            var fields: [String: JSONInstance] = [:]
            skipSpace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(fields)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a double-quoted property name") }
                let key = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':' after a property name") }
                index += 1
                skipSpace()
                fields[key] = try value(depth: depth + 1)
                skipSpace()
                if try separator(closing: UInt8(ascii: "}")) { return .object(fields) }
            }
        }

        mutating func array(depth: Int) throws -> JSONInstance {
            index += 1
            var items: [JSONInstance] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if try separator(closing: UInt8(ascii: "]")) { return .array(items) }
            }
        }

        /// After a member: `,` (true when the container closes) or the closing bracket.
        mutating func separator(closing: UInt8) throws -> Bool {
            switch current {
            case closing:
                index += 1
                return true
            case UInt8(ascii: ","):
                index += 1
                skipSpace()
                if current == closing { throw failure("trailing comma before \(Self.describe(closing))") }
                return false
            default:
                throw failure("expected ',' or \(Self.describe(closing))")
            }
        }

        mutating func number() throws -> JSONInstance {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, Self.isDigit(first) else { throw failure("a number needs digits") }
            index += 1
            if first == UInt8(ascii: "0"), let next = current, Self.isDigit(next) {
                throw failure("leading zeros are not allowed")
            }
            digits()
            var integral = true
            if current == UInt8(ascii: ".") {
                integral = false
                index += 1
                guard let next = current, Self.isDigit(next) else { throw failure("a fraction needs digits") }
                digits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                integral = false
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let next = current, Self.isDigit(next) else { throw failure("an exponent needs digits") }
                digits()
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let number = Double(text) else { throw failure("number out of range") }
            return .number(number, integral: integral)
        }

        mutating func digits() {
            while let byte = current, Self.isDigit(byte) { index += 1 }
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var runStart = index
            func flush(_ reader: Reader, upTo end: Int) throws {
                guard let text = String(validating: reader.bytes[runStart..<end], as: UTF8.self) else {
                    throw Failure(message: "invalid UTF-8 in a string", offset: runStart)
                }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    try flush(self, upTo: index)
                    index += 1
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    try flush(self, upTo: index)
                    index += 1
                    scalars.append(try escape())
                    runStart = index
                case 0..<0x20:
                    throw failure("control character \(Self.describe(byte)) in a string must be escaped")
                default:
                    index += 1
                }
            }
            throw failure("unterminated string")
        }

        mutating func escape() throws -> Unicode.Scalar {
            guard let byte = current else { throw failure("unterminated escape") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"): return try unicodeEscape()
            default: throw failure("invalid escape \\\(String(UnicodeScalar(byte)))")
            }
        }

        /// `\uXXXX`, a surrogate pair joined; a lone surrogate becomes U+FFFD (a Swift string cannot hold it).
        mutating func unicodeEscape() throws -> Unicode.Scalar {
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high), current == UInt8(ascii: "\\"), index + 1 < bytes.count,
                bytes[index + 1] == UInt8(ascii: "u")
            {
                let saved = index
                index += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                }
                index = saved
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure("\\u needs four hexadecimal digits") }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                guard let digit = Self.hexDigit(byte) else { throw failure("\\u needs four hexadecimal digits") }
                value = value << 4 | digit
            }
            index += 4
            return value
        }

        static func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        static func describe(_ byte: UInt8) -> String {
            byte >= 0x20 && byte < 0x7F ? "'\(String(UnicodeScalar(byte)))'" : "(code \(byte))"
        }
    }
}
