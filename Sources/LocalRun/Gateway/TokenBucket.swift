/// API Gateway's stage throttle: a bucket of `burst` tokens refilled at `rate` per second; a request without a
/// token gets 429. The clock is passed in (milliseconds), so the bucket is pure.
public struct TokenBucket: Sendable, Equatable {
    public var rate: Double
    public var burst: Double
    var tokens: Double
    var lastMs: Int64?

    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(max(burst, 1))
        self.tokens = Double(max(burst, 1))
    }

    /// Takes a token at `nowMs`; `false` when none is left.
    public mutating func take(nowMs: Int64) -> Bool {
        if let lastMs { tokens = min(burst, tokens + Double(max(0, nowMs - lastMs)) * rate / 1000) }
        lastMs = nowMs
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
