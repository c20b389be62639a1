/// How a stage shifts traffic to a new version of each function: CodeDeploy's Lambda deployment configurations
/// (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html): all at once, a canary
/// share for some minutes then the rest, or equal steps every few minutes.
public enum Rollout: Sendable, Hashable, CustomStringConvertible {
    case allAtOnce
    case canary(percent: Int, minutes: Int)
    case linear(percent: Int, everyMinutes: Int)

    /// Reads `all-at-once`, `canary 10% 5m` or `linear 10% every 1m`; `nil` for anything else.
    public init?(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        func percent(_ word: String) -> Int? {
            guard word.hasSuffix("%"), let value = Int(word.dropLast()), (1...99).contains(value) else { return nil }
            return value
        }
        func minutes(_ word: String) -> Int? {
            guard word.hasSuffix("m"), let value = Int(word.dropLast()), (1...2880).contains(value) else { return nil }
            return value
        }
        switch words.count {
        case 1 where words[0] == "all-at-once": self = .allAtOnce
        case 3 where words[0] == "canary":
            guard let share = percent(words[1]), let wait = minutes(words[2]) else { return nil }
            self = .canary(percent: share, minutes: wait)
        case 4 where words[0] == "linear" && words[2] == "every":
            guard let share = percent(words[1]), let wait = minutes(words[3]) else { return nil }
            self = .linear(percent: share, everyMinutes: wait)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .allAtOnce: "all-at-once"
        case .canary(let percent, let minutes): "canary \(percent)% \(minutes)m"
        case .linear(let percent, let every): "linear \(percent)% every \(every)m"
        }
    }

    /// CodeDeploy's predefined configuration of the same shape, or `nil` when the stack needs its own
    /// `AWS::CodeDeploy::DeploymentConfig`.
    public var predefinedName: String? {
        switch self {
        case .allAtOnce: return "CodeDeployDefault.LambdaAllAtOnce"
        case .canary(10, let minutes) where [5, 10, 15, 30].contains(minutes):
            return "CodeDeployDefault.LambdaCanary10Percent\(minutes)Minutes"
        case .linear(10, let every) where [1, 2, 3, 10].contains(every):
            return "CodeDeployDefault.LambdaLinear10PercentEvery\(every)Minute\(every == 1 ? "" : "s")"
        default: return nil
        }
    }

    /// How long a deployment takes before every request runs the new version, in minutes.
    public var minutes: Int {
        switch self {
        case .allAtOnce: 0
        case .canary(_, let minutes): minutes
        case .linear(let percent, let every): (100 + percent - 1) / percent * every - every
        }
    }

    /// The forms the stage key accepts, for messages.
    public static let forms = "all-at-once, canary P% Mm (canary 10% 5m) or linear P% every Mm (linear 10% every 1m)"
}
