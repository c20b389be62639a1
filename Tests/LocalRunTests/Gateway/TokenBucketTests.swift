import Testing

@testable import LocalRun

@Suite struct TokenBucketTests {
    @Test func theBurstPassesThenTheRateRefills() {
        var bucket = TokenBucket(rate: 20, burst: 40)
        let first = (0..<50).map { _ in bucket.take(nowMs: 1_000) }
        #expect(first.filter { $0 }.count == 40)
        // 100 ms at 20/s refills two tokens.
        let later = (0..<5).map { _ in bucket.take(nowMs: 1_100) }
        #expect(later == [true, true, false, false, false])
        // Never more than the burst, however long it was idle.
        let rested = (0..<45).map { _ in bucket.take(nowMs: 100_000) }
        #expect(rested.filter { $0 }.count == 40)
    }
}
