/// A CloudFormation value: a literal, a list, a mapping, or an intrinsic function call.
///
/// Intrinsic functions are typed cases, never strings: `Ref`, `Fn::GetAtt` with a literal attribute and `Fn::Sub`
/// have cases of their own, every other function is `.call(function, argument)`. Short and long forms read to the
/// same value.
public indirect enum Value: Hashable, Sendable {
    /// A string.
    case string(String)
    /// A number, kept as written (`5`, `0.5`, `1e3`) so that it is written back unchanged.
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// A list.
    case list([Value])
    /// A mapping with ordered keys.
    case map(Fields)
    /// `Ref` to a parameter, resource or pseudo parameter.
    case ref(String)
    /// `Fn::GetAtt` with literal logical ID and attribute name (`Endpoint.Address` style names kept whole).
    case getAtt(String, String)
    /// `Fn::Sub` with its template string and optional variable map.
    case sub(String, Fields?)
    /// Any other intrinsic function with its argument.
    case call(Intrinsic, Value)

    /// A number from an integer.
    public static func int(_ value: Int) -> Value { .number(String(value)) }

    /// A mapping from key/value pairs, in order.
    public static func object(_ pairs: KeyValuePairs<String, Value>) -> Value {
        .map(Fields(pairs.map { ($0.key, $0.value) }))
    }

    /// A list of strings.
    public static func strings(_ items: [String]) -> Value { .list(items.map(Value.string)) }

    /// The string, if this is a literal string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer, if this is a literal number or a string holding an integer.
    public var intValue: Int? {
        switch self {
        case .number(let text), .string(let text): return Int(text)
        default: return nil
        }
    }

    /// The fields, if this is a mapping.
    public var fields: Fields? {
        if case .map(let fields) = self { return fields }
        return nil
    }

    /// The items, if this is a list.
    public var items: [Value]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// Looks up `key` if this is a mapping.
    public subscript(key: String) -> Value? { fields?[key] }

    /// The `${...}` variables of a `Fn::Sub` string, `${!Literal}` excluded, spaces trimmed.
    public static func subVariables(_ text: String) -> [String] {
        var result: [String] = []
        let bytes = text.utf8
        var index = bytes.startIndex
        while let dollar = bytes[index...].firstIndex(of: UInt8(ascii: "$")) {
            let open = bytes.index(after: dollar)
            guard open < bytes.endIndex, bytes[open] == UInt8(ascii: "{") else {
                index = open
                continue
            }
            let nameStart = bytes.index(after: open)
            guard let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: "}")) else { break }
            if nameStart < close, bytes[nameStart] != UInt8(ascii: "!") {
                let name = bytes[nameStart..<close].drop { $0 == 0x20 }
                let trimmed = name.reversed().drop { $0 == 0x20 }
                result.append(String(decoding: trimmed.reversed(), as: UTF8.self))
            }
            index = bytes.index(after: close)
        }
        return result
    }
}

/// The intrinsic functions and condition functions other than `Ref`, literal `Fn::GetAtt` and `Fn::Sub`.
public enum Intrinsic: String, Hashable, Sendable, CaseIterable {
    case base64 = "Fn::Base64"
    case cidr = "Fn::Cidr"
    case findInMap = "Fn::FindInMap"
    case getAtt = "Fn::GetAtt"
    case getAZs = "Fn::GetAZs"
    case importValue = "Fn::ImportValue"
    case join = "Fn::Join"
    case select = "Fn::Select"
    case split = "Fn::Split"
    case transform = "Fn::Transform"
    case length = "Fn::Length"
    case toJsonString = "Fn::ToJsonString"
    /// An output of another stack, by name, Region and role ("Fn::GetStackOutput", CloudFormation Template
    /// Reference).
    case getStackOutput = "Fn::GetStackOutput"
    case ifThen = "Fn::If"
    case equals = "Fn::Equals"
    case not = "Fn::Not"
    case and = "Fn::And"
    case or = "Fn::Or"
    case condition = "Condition"
    /// The rule functions, valid in a template's `Rules` section.
    case contains = "Fn::Contains"
    case eachMemberEquals = "Fn::EachMemberEquals"
    case eachMemberIn = "Fn::EachMemberIn"
    case refAll = "Fn::RefAll"
    case valueOf = "Fn::ValueOf"
    case valueOfAll = "Fn::ValueOfAll"

    /// The long-form key, such as `Fn::Join`.
    public var longName: String { rawValue }

    /// The YAML short-form tag, such as `!Join`.
    public var tag: String {
        self == .condition ? "!Condition" : "!" + rawValue.dropFirst(4)
    }

    /// The function for a short-form tag, such as `!Join`.
    public static func from(tag: String) -> Intrinsic? { byTag[tag] }

    /// The function for a long-form key, such as `Fn::Join`.
    public static func from(longName: String) -> Intrinsic? { Intrinsic(rawValue: longName) }

    private static let byTag: [String: Intrinsic] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.tag, $0) })
}

/// An ordered mapping from string keys to values.
///
/// Order is kept for writing; equality and hashing ignore it, as CloudFormation does.
public struct Fields: Hashable, Sendable, Sequence {
    /// One key and its value.
    public struct Entry: Hashable, Sendable {
        /// The key.
        public var key: String
        /// The value.
        public var value: Value
    }

    /// The entries in order.
    public private(set) var entries: [Entry]

    /// Creates fields from key/value pairs in order.
    public init(_ pairs: [(String, Value)] = []) {
        entries = pairs.map { Entry(key: $0.0, value: $0.1) }
    }

    /// The number of entries.
    public var count: Int { entries.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys in order.
    public var keys: [String] { entries.map(\.key) }

    /// The value for `key`; setting appends a new key at the end or replaces an existing value in place;
    /// setting `nil` removes the key.
    public subscript(key: String) -> Value? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Appends `value` under `key` without checking for an existing key.
    public mutating func append(_ key: String, _ value: Value) {
        entries.append(Entry(key: key, value: value))
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    public static func == (lhs: Fields, rhs: Fields) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        if lhs.entries == rhs.entries { return true }
        return lhs.entries.sorted { $0.key < $1.key } == rhs.entries.sorted { $0.key < $1.key }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries.sorted(by: { $0.key < $1.key }) { hasher.combine(entry) }
    }
}
