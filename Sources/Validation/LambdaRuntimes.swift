/// Lambda runtimes with the dates AWS deprecates them and blocks creating and updating functions on them
/// (`LambdaRuntimes+Data.swift`, imported by `scripts/import-runtimes.py`).
enum LambdaRuntimes {
    /// One runtime's lifecycle; dates are ISO `YYYY-MM-DD` strings, so they compare as text.
    struct Lifecycle: Equatable {
        var deprecated: String?
        var createBlock: String?
        var updateBlock: String?
        var successor: String?
    }

    private static let table: [String: Lifecycle] = {
        var result: [String: Lifecycle] = [:]
        for line in data.split(separator: "\n") {
            let fields = line.drop { $0 == " " }.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.isEmpty ? nil : String($0)
            }
            guard fields.count == 5, let name = fields[0] else { continue }
            result[name] = Lifecycle(
                deprecated: fields[1], createBlock: fields[2], updateBlock: fields[3], successor: fields[4])
        }
        return result
    }()

    /// The lifecycle of `runtime`, or `nil` for runtimes without an end date (and unknown names).
    static func lifecycle(_ runtime: String) -> Lifecycle? { table[runtime] }
}
