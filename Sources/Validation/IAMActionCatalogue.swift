/// IAM's actions per service and whether each can name a resource, imported from the Service Authorization
/// Reference by `scripts/import-iam-actions.py` (see `IAMActionCatalogue+Data.swift` for the version).
enum IAMActionCatalogue {
    /// Whether an action pattern can be scoped.
    enum Scope: Equatable {
        /// At least one action the pattern matches has a resource type: `Resource: '*'` could be narrowed.
        case scopable
        /// Every action it matches accepts only `Resource: '*'`.
        case unscopable
        /// The service or action is not in the catalogue (a newer action, a typo): no verdict.
        case unknown
    }

    /// Split on UTF-8 bytes (the data is ASCII): splitting 20,000 actions by Character cost tens of milliseconds
    /// at every start.
    private static let services: [Substring: (scoped: [Substring], unscoped: [Substring])] = {
        var index: [Substring: (scoped: [Substring], unscoped: [Substring])] = [:]
        index.reserveCapacity(512)
        func split(_ text: Substring, _ separator: Character) -> [Substring] {
            text.utf8.split(separator: UInt8(ascii: separator.unicodeScalars.first!), omittingEmptySubsequences: false)
                .map { Substring($0) }
        }
        for line in data.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = split(Substring(line).drop { $0 == " " }, "|")
            guard fields.count == 3 else { continue }
            index[fields[0]] = (
                split(fields[1], ",").filter { !$0.isEmpty }, split(fields[2], ",").filter { !$0.isEmpty }
            )
        }
        return index
    }()

    /// The scope of `action` (`service:Name`, case-insensitive, `*` and `?` wildcards allowed in the name).
    static func scope(of action: String) -> Scope {
        let lowered = action.lowercased()
        let parts = lowered.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let service = services[parts[0]] else { return .unknown }
        let name = parts[1]
        if !name.contains("*") && !name.contains("?") {
            if service.scoped.contains(name) { return .scopable }
            return service.unscoped.contains(name) ? .unscopable : .unknown
        }
        if service.scoped.contains(where: { IAMModel.matches(String(name), String($0)) }) { return .scopable }
        return service.unscoped.contains(where: { IAMModel.matches(String(name), String($0)) }) ? .unscopable : .unknown
    }
}
