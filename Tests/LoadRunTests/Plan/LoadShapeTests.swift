import Testing

@testable import LoadRun

@Suite struct LoadShapeTests {
    @Test func theDefaultWindowIsTheLargestSpikeWithFiveMinutesEitherSide() {
        let shape = LoadShape(profile: Fixtures.spike(rate: 300, minutes: 120))
        #expect(abs(shape.window.lowerBound - (10 - 5.0 / 60)) < 1e-9)
        #expect(abs(shape.window.upperBound - (12 + 5.0 / 60)) < 1e-9)
        // 130 minutes of the month at 60x: 130 s.
        #expect(abs(shape.seconds - 130) < 1e-6)
    }

    @Test func speedupCompressesTimeAndScaleMultipliesRates() {
        let shape = LoadShape(profile: Fixtures.spike(rate: 300, minutes: 120), scale: 0.05, speedup: 60)
        // The first 5 s stand for the 5 minutes before the spike.
        #expect(shape.arrivalRate(at: 2) == 0)
        #expect(abs(shape.arrivalRate(at: 6) - 15) < 1e-9)
        #expect(abs(shape.arrivalRate(at: 124) - 15) < 1e-9)
        #expect(shape.arrivalRate(at: 126) == 0)
        #expect(abs(shape.expectedRequests - 15 * 120) < 2)
        #expect(abs(shape.peakRequestRate - 15) < 1e-9)
    }

    @Test func durationCapsTheRunAndQueriesAddRequests() {
        let shape = LoadShape(
            profile: Fixtures.spike(rate: 10, minutes: 60, queries: 0.5), window: 10..<11, speedup: 60,
            durationCap: 20)
        #expect(shape.seconds == 20)
        #expect(shape.arrivalRate(at: 25) == 0)
        #expect(abs(shape.requestRate(at: 5) - 15) < 1e-9)
        #expect(shape.arrivalRatePerSecond.count == 20)
        #expect(shape.arrivalRatePerSecond.allSatisfy { abs($0 - 10) < 1e-9 })
    }
}
