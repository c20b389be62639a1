/// API usage-plan limits sized from a traffic profile, for a caller that sends a share of its requests.
public struct PartnerLimits: Sendable, Equatable {
    /// Requests per second: the busiest minute's rate with `headroom`, rounded up.
    public var rateLimit: Int
    /// Twice the rate: a token bucket that absorbs a second of double traffic.
    public var burstLimit: Int
    /// Requests per month with `headroom`, rounded up.
    public var quotaPerMonth: Int

    /// Creates limits.
    public init(rateLimit: Int, burstLimit: Int, quotaPerMonth: Int) {
        self.rateLimit = rateLimit
        self.burstLimit = burstLimit
        self.quotaPerMonth = quotaPerMonth
    }

    /// Headroom over the profile's own figures, so a partner sending exactly its share is never refused.
    public static let headroom = 1.25
}

extension TrafficProfile {
    /// Requests per arrival: the entry request and the queries that follow it.
    var requestsPerArrival: Double { 1 + queriesPerArrival }

    /// The busiest minute's arrivals per second over the month.
    public var peakRate: Double {
        (0..<Self.minutesPerMonth).reduce(0) { Swift.max($0, rate(atMinute: $1)) }
    }

    /// The limits of a caller sending `share` (0 to 1) of this profile's requests.
    public func partnerLimits(share: Double) -> PartnerLimits {
        let rate = Swift.max(1, Int((peakRate * requestsPerArrival * share * PartnerLimits.headroom).rounded(.up)))
        let quota = Swift.max(
            1, Int((totalArrivals * requestsPerArrival * share * PartnerLimits.headroom).rounded(.up)))
        return PartnerLimits(rateLimit: rate, burstLimit: rate * 2, quotaPerMonth: quota)
    }
}
