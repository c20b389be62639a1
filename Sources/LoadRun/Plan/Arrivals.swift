#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SplitMix64: a small, fast, seedable generator (Steele, Lea and Flood 2014), so that a seed replays the same run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1]: never 0, so its logarithm is finite.
    public mutating func unit() -> Double { (Double(next() >> 11) + 1) / 9_007_199_254_740_992 }
}

/// Arrival times of a non-homogeneous Poisson process with rate `rate(t)`, by inversion of its cumulative
/// intensity: the gap to the next arrival is where the intensity integrated from now reaches an exponential draw.
/// The rate is taken as constant over slices of `slice` seconds (its value at each slice's middle). An open model:
/// the times do not depend on any answer.
public struct ArrivalSchedule: Sequence, IteratorProtocol, Sendable {
    let rate: @Sendable (Double) -> Double
    let end: Double
    let slice: Double
    var generator: SeededGenerator
    var now = 0.0

    /// Arrivals in `0..<end` seconds.
    public init(end: Double, seed: UInt64, slice: Double = 0.1, rate: @escaping @Sendable (Double) -> Double) {
        self.rate = rate
        self.end = end
        self.slice = slice
        self.generator = SeededGenerator(seed: seed)
    }

    /// The next arrival's time in seconds from the start, `nil` after `end`.
    public mutating func next() -> Double? {
        var budget = -log(generator.unit())
        while now < end {
            let start = (now / slice + 1e-9).rounded(.down) * slice
            let sliceEnd = Swift.min(end, start + slice)
            let intensity = rate(start + slice / 2)
            let available = intensity * (sliceEnd - now)
            if intensity > 0 && budget <= available {
                now += budget / intensity
                return now
            }
            budget -= available
            now = sliceEnd
        }
        return nil
    }
}
