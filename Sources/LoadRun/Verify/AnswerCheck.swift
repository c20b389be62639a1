/// What the answers alone say about a run, before any order is looked for: a run in which the API refused or
/// failed the valid orders proves nothing about the stack and must not pass (`load` against a closed port, with
/// every order answered 403, or with every order a 5xx).
public enum AnswerCheck {
    /// The share of valid orders that may get a 5xx or no answer before the run fails: AWS's services fail a
    /// small fraction of calls (a client retries those); more than this is the target failing, not noise.
    public static let toleratedFailureShare = 0.05

    /// The findings on the valid orders' answers (new orders and retries of one; invalid ones and queries are
    /// judged elsewhere); empty when the answers are what a working stack gives.
    /// `byKind` holds the count of each status per request kind (0: no answer).
    public static func findings(_ byKind: [RequestKind: [Int: Int]]) -> [String] {
        var statuses: [Int: Int] = [:]
        for kind in [RequestKind.new, .duplicate] {
            for (status, count) in byKind[kind] ?? [:] { statuses[status, default: 0] += count }
        }
        let sent = statuses.values.reduce(0, +)
        guard sent > 0 else { return [] }
        let accepted = statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +)
        let refused = statuses.filter { (400..<500).contains($0.key) && $0.key != 429 }
        let failing = statuses.filter { $0.key == 0 || $0.key >= 500 }.values.reduce(0, +)
        var lines: [String] = []
        if accepted == 0 {
            lines.append(
                "NOTHING ACCEPTED: none of \(sent) valid requests was accepted (\(describe(statuses))); the run proves nothing about the stack"
            )
        }
        if !refused.isEmpty {
            let count = refused.values.reduce(0, +)
            lines.append(
                "REFUSED: \(count) of \(sent) valid requests answered \(describe(refused)): a valid request is accepted (2xx) or throttled (429), never refused"
            )
        }
        if accepted > 0, Double(failing) > Double(sent) * toleratedFailureShare {
            lines.append(
                "FAILING: \(failing) of \(sent) valid requests got a 5xx or no answer, more than \(Int(toleratedFailureShare * 100)) %"
            )
        }
        return lines
    }

    /// `403: 12, none: 3`.
    static func describe(_ statuses: [Int: Int]) -> String {
        statuses.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "no answer" : String($0.key)): \($0.value)" }
            .joined(separator: ", ")
    }
}

extension LoadResult {
    /// The answers' findings (``AnswerCheck``).
    public var answerFindings: [String] { AnswerCheck.findings(counts.byKind) }

    /// Whether the run fails: answers that prove nothing, or anything lost, unannounced or announced twice.
    public var failed: Bool { verification.failed || !answerFindings.isEmpty }
}
