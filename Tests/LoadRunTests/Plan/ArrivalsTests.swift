import Testing

@testable import LoadRun

@Suite struct ArrivalsTests {
    static func times(rate: Double, seconds: Double, seed: UInt64) -> [Double] {
        Array(ArrivalSchedule(end: seconds, seed: seed) { _ in rate })
    }

    @Test func theSameSeedReplaysTheSameRunAndAnotherDoesNot() {
        let first = Self.times(rate: 20, seconds: 10, seed: 7)
        #expect(first == Self.times(rate: 20, seconds: 10, seed: 7))
        #expect(first != Self.times(rate: 20, seconds: 10, seed: 8))
        #expect(first == first.sorted())
        #expect(first.allSatisfy { $0 >= 0 && $0 < 10 })
    }

    @Test func aConstantRateGivesPoissonCountsAndExponentialGaps() {
        let rate = 50.0, seconds = 400.0
        let arrivals = Self.times(rate: rate, seconds: seconds, seed: 42)
        let expected = rate * seconds
        // Count: Poisson with mean 20,000, standard deviation 141.
        #expect(abs(Double(arrivals.count) - expected) < 4 * expected.squareRoot())
        // Gaps: exponential, so their coefficient of variation is 1 (0.007 standard error at this size); evenly
        // spaced arrivals would give 0.
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)
        #expect(abs(mean - 1 / rate) < 0.0006)
        #expect(abs(variance.squareRoot() / mean - 1) < 0.03)
        // Counts per second: variance equal to the mean (index of dispersion 1 ± 0.28 at 4 standard errors).
        var bins = [Double](repeating: 0, count: Int(seconds))
        for time in arrivals { bins[Int(time)] += 1 }
        let binMean = bins.reduce(0, +) / Double(bins.count)
        let binVariance = bins.reduce(0) { $0 + ($1 - binMean) * ($1 - binMean) } / Double(bins.count - 1)
        #expect(abs(binVariance / binMean - 1) < 0.28)
    }

    @Test func arrivalsFollowTheProfilesRampsAndPlateau() {
        // 30 minutes of the month with 10-minute ramps up and down, at 6x: a 300 s run, 0 -> 100/s -> 0.
        let profile = Fixtures.spike(rate: 100, minutes: 30, ramp: 10)
        let shape = LoadShape(profile: profile, window: 10..<10.5, speedup: 6)
        #expect(shape.seconds == 300)
        let arrivals = Array(ArrivalSchedule(end: shape.seconds, seed: 3) { shape.requestRate(at: $0) })
        // Chi-square of counts in 10 s buckets against the integral of the rate over each: 30 buckets.
        var chiSquare = 0.0
        for bucket in 0..<30 {
            let start = Double(bucket) * 10
            let expected = stride(from: start + 0.05, to: start + 10, by: 0.1).reduce(0) {
                $0 + shape.requestRate(at: $1) * 0.1
            }
            let observed = Double(arrivals.filter { $0 >= start && $0 < start + 10 }.count)
            chiSquare += (observed - expected) * (observed - expected) / expected
        }
        // 30 degrees of freedom: the 99.9th percentile is 59.7.
        #expect(chiSquare < 59.7)
        // The ramp: its first 10 s rise from 0 to 10/s (about 50 orders), a plateau second holds 100.
        let total = Double(arrivals.count)
        let firstTen = Double(arrivals.filter { $0 < 10 }.count)
        let middleTen = Double(arrivals.filter { $0 >= 145 && $0 < 155 }.count)
        #expect(abs(total - shape.expectedRequests) < 4 * shape.expectedRequests.squareRoot())
        #expect(firstTen < middleTen / 5)
        #expect(abs(middleTen - 1000) < 4 * 1000.0.squareRoot())
    }

    @Test func noRateNoArrivals() {
        #expect(Self.times(rate: 0, seconds: 100, seed: 1).isEmpty)
    }
}
