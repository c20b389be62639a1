/// What a plain (unquoted) scalar means to a YAML reader.
///
/// CloudFormation templates meet two kinds of readers: YAML 1.1 ones (PyYAML in cfn-lint, the AWS CLI) and
/// YAML 1.2 ones. A string is written plain only when every such reader reads it back as the same string.
public enum ScalarResolution {
    /// Whether `text`, written plain, would be read by some YAML 1.1 or 1.2 reader as something other than a
    /// string: a boolean (`yes`, `No`, `on`, `true`, ...), a null (`~`, `null`, empty), an integer in any base
    /// (`12`, `0123`, `0x1F`, `0b101`, `1_000`, `1:30`), a float (`1.5`, `1e3`, `.inf`, `.NaN`), a date or
    /// timestamp (`2010-09-09`), or the merge and value keys `<<` and `=`.
    public static func isAmbiguousAsPlain(_ text: String) -> Bool {
        if text.isEmpty { return true }
        if boolOrNullWords.contains(text) || text == "<<" || text == "=" { return true }
        let bytes = Array(text.utf8)
        return isNumberLike(bytes) || isTimestampLike(bytes)
    }

    /// The core-schema reading of a plain scalar used by the template reader: `true`/`false` (any case form of
    /// YAML 1.2), `null`/`~`/empty, decimal integers and floats. Everything else is a string.
    public enum CoreValue: Equatable, Sendable {
        /// `true` or `false`.
        case bool(Bool)
        /// `null`, `~` or an empty plain scalar.
        case null
        /// A decimal integer or float, kept as written.
        case number(String)
        /// Any other text.
        case string(String)
    }

    /// Resolves a plain scalar with the YAML 1.2 core schema (decimal numbers only).
    public static func resolvePlain(_ text: String) -> CoreValue {
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        return isDecimalNumber(Array(text.utf8)) ? .number(text) : .string(text)
    }

    private static let boolOrNullWords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        "~", "null", "Null", "NULL",
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
        ".nan", ".NaN", ".NAN",
    ]

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?`, or a float starting with a dot such as `.5`.
    static func isDecimalNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index += 1
        }
        let intStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        let intDigits = index - intStart
        if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") { return false }
        var fracDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fracStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            fracDigits = index - fracStart
        }
        if intDigits == 0 && fracDigits == 0 { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            let expStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            if index == expStart { return false }
        }
        return index == bytes.count
    }

    /// Any YAML 1.1 int or float form: signs, underscores, `0x`, `0b`, `0o`, leading zeros, sexagesimal
    /// `1:30`, and exponents with or without a dot.
    private static func isNumberLike(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index += 1
        }
        guard index < bytes.count else { return false }
        let body = bytes[index...]
        if body.count > 2, body.first == UInt8(ascii: "0") {
            let marker = body[body.startIndex + 1]
            let rest = body.dropFirst(2)
            switch marker {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                return !rest.isEmpty && rest.allSatisfy { isHexDigit($0) || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                return !rest.isEmpty && rest.allSatisfy { $0 == 48 || $0 == 49 || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "o"), UInt8(ascii: "O"):
                return !rest.isEmpty && rest.allSatisfy { ($0 >= 48 && $0 <= 55) || $0 == UInt8(ascii: "_") }
            default: break
            }
        }
        // Digits, underscores, colons (sexagesimal), at most one dot, then an optional exponent.
        var sawDigit = false
        var sawDot = false
        var position = body.startIndex
        while position < body.endIndex {
            let byte = body[position]
            if isDigit(byte) {
                sawDigit = true
            } else if byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") {
                if !sawDigit { return false }
            } else if byte == UInt8(ascii: ".") {
                if sawDot { return false }
                sawDot = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard sawDigit else { return false }
                var exponent = body[(position + 1)...]
                if let sign = exponent.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                    exponent = exponent.dropFirst()
                }
                return !exponent.isEmpty && exponent.allSatisfy(isDigit)
            } else {
                return false
            }
            position += 1
        }
        return sawDigit
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70)
    }

    /// `YYYY-M-D` or `YYYY-MM-DD` optionally followed by a time part (`T`, `t` or spaces).
    private static func isTimestampLike(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8, bytes[0...3].allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-") else { return false }
        var index = 5
        var monthDigits = 0
        while index < bytes.count, isDigit(bytes[index]), monthDigits < 2 {
            index += 1
            monthDigits += 1
        }
        guard monthDigits > 0, index < bytes.count, bytes[index] == UInt8(ascii: "-") else { return false }
        index += 1
        var dayDigits = 0
        while index < bytes.count, isDigit(bytes[index]), dayDigits < 2 {
            index += 1
            dayDigits += 1
        }
        guard dayDigits > 0 else { return false }
        if index == bytes.count { return true }
        let separator = bytes[index]
        return separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
            || separator == UInt8(ascii: "\t")
    }
}
