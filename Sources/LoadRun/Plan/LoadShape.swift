import Costing

/// A traffic profile replayed in a short run: hours `window` of its month played `speedup` times faster, each rate
/// multiplied by `scale`, for at most `durationCap` seconds.
///
/// Second `t` of the run stands for second `window.start + t × speedup` of the month, and its rate is
/// `scale × profile.rate` there: `--speedup 60` plays an hour of the month in a minute at the rate the profile has
/// in that hour (times `scale`). The run sends `scale / speedup` of the window's orders.
public struct LoadShape: Sendable, Equatable {
    public var profile: TrafficProfile
    /// Hours of the month, `start..<end`.
    public var window: Range<Double>
    public var scale: Double
    public var speedup: Double
    /// Stop sending after this many seconds even if the window is longer.
    public var durationCap: Double?

    /// A shape; `window` defaults to `LoadShape.defaultWindow(profile)`.
    public init(
        profile: TrafficProfile, window: Range<Double>? = nil, scale: Double = 1, speedup: Double = 60,
        durationCap: Double? = nil
    ) {
        self.profile = profile
        self.window = window ?? Self.defaultWindow(profile)
        self.scale = scale
        self.speedup = speedup
        self.durationCap = durationCap
    }

    /// The largest spike (by orders), ramps included, with five minutes of the month before and after it; without
    /// spikes, the busiest hour.
    public static func defaultWindow(_ profile: TrafficProfile) -> Range<Double> {
        if let spike = profile.spikes.max(by: { $0.arrivals < $1.arrivals }) {
            let start = max(0, spike.startHour - 5.0 / 60)
            let end = min(730, spike.startHour + (spike.durationMinutes + 5) / 60)
            return start..<end
        }
        let busiest = (0..<730).max { profile.rate(atMinute: $0 * 60 + 30) < profile.rate(atMinute: $1 * 60 + 30) }
        return Double(busiest ?? 0)..<Double((busiest ?? 0) + 1)
    }

    /// Seconds the run sends for.
    public var seconds: Double {
        let whole = (window.upperBound - window.lowerBound) * 3600 / speedup
        return min(whole, durationCap ?? whole)
    }

    /// Orders per second at second `t` of the run.
    public func arrivalRate(at t: Double) -> Double {
        guard t >= 0, t < seconds else { return 0 }
        return scale * profile.rate(atSecond: window.lowerBound * 3600 + t * speedup)
    }

    /// Requests per second (orders and the profile's queries) at `t`.
    public func requestRate(at t: Double) -> Double { arrivalRate(at: t) * (1 + profile.queriesPerArrival) }

    /// The highest request rate of the run, looked at every tenth of a second (spikes start and end on minutes
    /// of the month, which a speedup up to 600 keeps at least a tenth of a second apart).
    public var peakRequestRate: Double {
        stride(from: 0.0, to: seconds, by: 0.1).reduce(0) { max($0, requestRate(at: $1)) }
    }

    /// Requests the run is expected to send: the integral of the request rate.
    public var expectedRequests: Double {
        stride(from: 0.05, to: seconds, by: 0.1).reduce(0) { $0 + requestRate(at: $1) * 0.1 }
    }

    /// The mean order rate of each whole second of the run, for the simulator.
    public var arrivalRatePerSecond: [Double] {
        (0..<Int(seconds.rounded(.up))).map { second in
            (0..<10).reduce(0) { $0 + arrivalRate(at: Double(second) + (Double($1) + 0.5) / 10) } / 10
        }
    }
}
