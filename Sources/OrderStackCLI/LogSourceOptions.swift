import ArgumentParser

/// Where `logs` and `trace` read: a local stage's files or a deployed stack's log groups, from how far back.
struct LogSourceOptions: ParsableArguments {
    @OptionGroup var stageOption: StageOption
    /// The local stage named, if any.
    var stage: String? { stageOption.stage }

    @Option(name: .customLong("stack-name"), help: "A deployed stack to read from CloudWatch Logs instead.")
    var stackName: String?

    @Option(name: .long, help: "How far back: 30s, 15m, 1h, 2d (default: 1h for logs, 1d for trace).")
    var since: String?

    func validate() throws {
        if let since, Self.milliseconds(since) == nil {
            throw ValidationError(
                "--since takes a number and a unit, s, m, h or d, at most a century: 30s, 15m, 1h, 2d")
        }
        if stage != nil && stackName != nil {
            throw ValidationError("give --stage (a local stage's logs) or --stack-name (a deployed stack's), not both")
        }
    }

    /// The earliest time read, in milliseconds since 1970: `now` less `--since`, or less `fallback`.
    func start(now: Int64, fallback: String) -> Int64 {
        now - (since.flatMap(Self.milliseconds) ?? Self.milliseconds(fallback) ?? 3_600_000)
    }

    /// `30s`, `15m`, `1h`, `2d` in milliseconds.
    static func milliseconds(_ text: String) -> Int64? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        default: return nil
        }
        // More than a century back is refused, not overflowed.
        let (milliseconds, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow || milliseconds > 100 * 365 * 86_400_000 ? nil : milliseconds
    }
}
