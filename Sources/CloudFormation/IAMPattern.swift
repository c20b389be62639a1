/// IAM's wildcard matching of actions and names, shared by the checks and the wiring graph.
public enum IAMPattern {
    /// Whether the glob `pattern` (`sqs:*`, `sqs:Receive*`, `*`; `*` any run of characters, `?` one) matches
    /// `action`; compare lowercased text, as IAM actions are case-insensitive.
    public static func matches(_ pattern: String, _ action: String) -> Bool {
        if pattern == "*" || pattern == action { return true }
        guard pattern.contains("*") || pattern.contains("?") else { return false }
        let p = Array(pattern)
        let a = Array(action)
        var pi = 0
        var ai = 0
        var star = -1
        var mark = 0
        while ai < a.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == a[ai]) {
                pi += 1
                ai += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                mark = ai
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ai = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
