import SourceDiagnostics

/// Reads a YAML configuration mapping into typed values, collecting located diagnostics.
///
/// Every key read is marked as known; `finish()` reports the keys nobody asked for as unknown, naming the ones
/// that are allowed. Wrong types name the expected type and what was found. Reading never throws: a bad value
/// yields `nil` and a diagnostic, so one pass reports every problem of a file.
public struct ConfigReader {
    /// Diagnostic IDs of configuration files (from the catalogue, `DiagnosticID`).
    public enum ID {
        /// The file is not valid YAML.
        public static let syntax = DiagnosticID.configSyntax
        /// A key the file format does not have.
        public static let unknownKey = DiagnosticID.unknownKey
        /// A value of the wrong type.
        public static let wrongType = DiagnosticID.wrongType
        /// A value outside its allowed range or set.
        public static let invalidValue = DiagnosticID.invalidValue
        /// A required key is missing.
        public static let missingKey = DiagnosticID.missingKey
        /// A key given twice in one mapping: the same ID as in templates.
        public static let duplicateKey = DiagnosticID.duplicateKey
        /// A key under its former name: still read, with a note naming the new one.
        public static let renamedKey = DiagnosticID.renamedKey
    }

    /// The file name used in diagnostics.
    public let path: String
    /// What was found so far.
    public private(set) var diagnostics: [Diagnostic] = []
    /// Keys read under their former names: (former qualified name, new name, where).
    var renamed: [(old: String, new: String, mark: Mark)] = []

    /// Creates a reader for diagnostics about `path`.
    public init(path: String) { self.path = path }

    /// Parses `text` and returns its single root mapping, or `nil` with a diagnostic.
    public mutating func root(_ text: String) -> Node? {
        do {
            let documents = try Parser.parse(text)
            guard let root = documents.first else {
                report(.start, ID.missingKey, "the file is empty")
                return nil
            }
            guard case .mapping = root.content else {
                report(root.mark, ID.wrongType, "expected a mapping at the top level, found a \(root.kindName)")
                return nil
            }
            return root
        } catch {
            report(error.mark, ID.syntax, "\(error.problem)\(error.context.map { " (\($0))" } ?? "")")
            return nil
        }
    }

    /// Records an error.
    public mutating func report(_ mark: Mark, _ id: String, _ message: String) {
        diagnostics.append(Diagnostic(path: path, mark: mark, severity: .error, id: id, message: message))
    }

    /// A mapping being read, with the keys consumed so far.
    public struct Mapping {
        /// The mapping node.
        public let node: Node
        /// The dotted path of the mapping, for messages (`processor`, `alarms`).
        public let path: String
        fileprivate var consumed: Set<String> = []
        /// Former names read in place of their keys: not offered as suggestions.
        fileprivate var former: Set<String> = []

        fileprivate init(node: Node, path: String) {
            self.node = node
            self.path = path
        }

        fileprivate func pair(_ key: String) -> Node.Pair? {
            guard case .mapping(let pairs) = node.content else { return nil }
            return pairs.last { $0.key.scalarText == key }
        }

        fileprivate func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }

    /// Starts reading `node` as a mapping at `path`.
    public func mapping(_ node: Node, path: String = "") -> Mapping { Mapping(node: node, path: path) }

    /// Reads a nested mapping `key`; `nil` if absent (reported when `required`) or not a mapping.
    public mutating func mapping(_ key: String, in parent: inout Mapping, required: Bool = false) -> Mapping? {
        parent.consumed.insert(key)
        guard let pair = parent.pair(key) else {
            if required { missing(key, in: parent) }
            return nil
        }
        guard case .mapping = pair.value.content else {
            report(
                pair.value.mark, ID.wrongType,
                "'\(parent.qualified(key))' must be a mapping, found a \(pair.value.kindName)")
            return nil
        }
        return Mapping(node: pair.value, path: parent.qualified(key))
    }

    /// Reads a string `key`.
    public mutating func string(_ key: String, in parent: inout Mapping, required: Bool = false) -> String? {
        guard let node = scalarNode(key, in: &parent, required: required, expected: "a string") else { return nil }
        return node.scalarText
    }

    /// The mark of `key`'s value in `mapping`, or of the mapping itself.
    public func mark(of key: String, in mapping: Mapping) -> Mark {
        mapping.pair(key)?.value.mark ?? mapping.node.mark
    }

    /// Reads an integer `key` within `range`.
    public mutating func int(_ key: String, in parent: inout Mapping, range: ClosedRange<Int>, required: Bool = false)
        -> Int?
    {
        guard let node = scalarNode(key, in: &parent, required: required, expected: "an integer"),
            let text = node.scalarText
        else { return nil }
        guard case .scalar(_, .plain) = node.content, let value = Int(text) else {
            report(node.mark, ID.wrongType, "'\(parent.qualified(key))' must be an integer, found '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            report(
                node.mark, ID.invalidValue,
                "'\(parent.qualified(key))' must be between \(range.lowerBound) and \(range.upperBound), found \(value)"
            )
            return nil
        }
        return value
    }

    /// Reads a number `key` (integer or decimal) within `range`.
    public mutating func double(
        _ key: String, in parent: inout Mapping, range: ClosedRange<Double>, required: Bool = false
    ) -> Double? {
        guard let node = scalarNode(key, in: &parent, required: required, expected: "a number"),
            let text = node.scalarText
        else { return nil }
        guard case .scalar(_, .plain) = node.content, case .number = ScalarResolution.resolvePlain(text),
            let value = Double(text)
        else {
            report(node.mark, ID.wrongType, "'\(parent.qualified(key))' must be a number, found '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            report(
                node.mark, ID.invalidValue,
                "'\(parent.qualified(key))' must be between \(range.lowerBound) and \(range.upperBound), found \(text)")
            return nil
        }
        return value
    }

    /// Reads a sequence `key` of mappings, calling `item` for each with its own reader mapping.
    public mutating func sequence(
        _ key: String, in parent: inout Mapping, required: Bool = false,
        _ item: (inout ConfigReader, inout Mapping) -> Void
    ) {
        parent.consumed.insert(key)
        guard let pair = parent.pair(key) else {
            if required { missing(key, in: parent) }
            return
        }
        guard case .sequence(let items) = pair.value.content else {
            if case .scalar(let text, .plain) = pair.value.content, case .null = ScalarResolution.resolvePlain(text) {
                return
            }
            report(
                pair.value.mark, ID.wrongType,
                "'\(parent.qualified(key))' must be a list, found a \(pair.value.kindName)")
            return
        }
        for (index, node) in items.enumerated() {
            guard case .mapping = node.content else {
                report(
                    node.mark, ID.wrongType,
                    "'\(parent.qualified(key))[\(index)]' must be a mapping, found a \(node.kindName)")
                continue
            }
            var mapping = Mapping(node: node, path: "\(parent.qualified(key))[\(index)]")
            item(&self, &mapping)
            finish(mapping)
        }
    }

    /// Reads a boolean `key` (`true` or `false`).
    public mutating func bool(_ key: String, in parent: inout Mapping, required: Bool = false) -> Bool? {
        guard let node = scalarNode(key, in: &parent, required: required, expected: "a boolean"),
            let text = node.scalarText
        else { return nil }
        guard case .scalar(_, .plain) = node.content, case .bool(let value) = ScalarResolution.resolvePlain(text) else {
            report(
                node.mark, ID.wrongType, "'\(parent.qualified(key))' must be a boolean (true or false), found '\(text)'"
            )
            return nil
        }
        return value
    }

    /// Reads a string `key` that must be one of `choices`.
    public mutating func choice(_ key: String, in parent: inout Mapping, _ choices: [String], required: Bool = false)
        -> String?
    {
        guard let value = string(key, in: &parent, required: required) else { return nil }
        guard choices.contains(value) else {
            report(
                parent.pair(key)?.value.mark ?? parent.node.mark, ID.invalidValue,
                "'\(parent.qualified(key))' must be one of \(choices.joined(separator: ", ")), found '\(value)'")
            return nil
        }
        return value
    }

    /// The name to read `key` under: its former name `old` when the file still uses it (noted once per file by
    /// `noteRenamed()`), else `key`. Both given is an error naming them.
    public mutating func current(_ key: String, formerly old: String, in parent: inout Mapping) -> String {
        parent.consumed.insert(old)
        parent.former.insert(old)
        guard let pair = parent.pair(old) else { return key }
        if parent.pair(key) != nil {
            report(
                pair.key.mark, ID.duplicateKey,
                "'\(parent.qualified(old))' is the former name of '\(parent.qualified(key))'; give only '\(key)'")
            return key
        }
        renamed.append((parent.qualified(old), key, pair.key.mark))
        return old
    }

    /// One note for every key read under its former name, at the first of them.
    public mutating func noteRenamed() {
        guard let first = renamed.first else { return }
        let list = renamed.map { "\($0.old) -> \($0.new)" }.joined(separator: ", ")
        diagnostics.append(
            Diagnostic(
                path: path, mark: first.mark, severity: .note, id: ID.renamedKey,
                message: "former key names, still read: \(list); rename them"))
    }

    /// Reports every key of `mapping` that was not read, with the nearest known key and the list of known keys
    /// (but `retired` ones, which were read only to be refused).
    public mutating func finish(_ mapping: Mapping, retired: Set<String> = []) {
        guard case .mapping(let pairs) = mapping.node.content else { return }
        let names = mapping.consumed.subtracting(retired).subtracting(mapping.former)
        let known = names.sorted().joined(separator: ", ")
        var seen: [String: Mark] = [:]
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            if let first = seen[key] {
                report(pair.key.mark, ID.duplicateKey, "duplicate key '\(mapping.qualified(key))' (first at \(first))")
            } else {
                seen[key] = pair.key.mark
            }
            if !mapping.consumed.contains(key) {
                report(
                    pair.key.mark, ID.unknownKey,
                    "unknown key '\(mapping.qualified(key))'\(Spelling.suggestion(for: key, in: names.sorted())); expected one of: \(known)"
                )
            }
        }
    }

    private mutating func scalarNode(_ key: String, in parent: inout Mapping, required: Bool, expected: String) -> Node?
    {
        parent.consumed.insert(key)
        guard let pair = parent.pair(key) else {
            if required { missing(key, in: parent) }
            return nil
        }
        guard case .scalar = pair.value.content else {
            report(
                pair.value.mark, ID.wrongType,
                "'\(parent.qualified(key))' must be \(expected), found a \(pair.value.kindName)")
            return nil
        }
        return pair.value
    }

    private mutating func missing(_ key: String, in parent: Mapping) {
        report(parent.node.mark, ID.missingKey, "missing required key '\(parent.qualified(key))'")
    }
}
