import Costing
import Testing
import YAML

@Suite struct TrafficProfileTests {
    @Test func shippedProfilesHaveTheDocumentedTotals() throws {
        #expect(try Files.profile("baseline").totalOrders == 100_000)
        // 100,000 + 2 h × 3,600 s × 300/s = 100,000 + 2,160,000
        #expect(try Files.profile("sale-spike").totalOrders == 2_260_000)
        #expect(try Files.profile("quiet").totalOrders == 0)
        // 8,000,000 + 8 h × 3,600 × 300 (8,640,000) + 140 min × 60 × 400 (3,360,000)
        #expect(try Files.profile("black-friday").totalOrders == 20_000_000)
    }

    @Test func partnerLimitsComeFromThePeakMinuteAndTheMonthWithHeadroom() throws {
        let profile = try Files.profile(
            yaml: """
                name: test
                description: one hour at 100/s
                orders_per_month: 0
                spikes:
                  - {name: s, start_hour: 10, duration_minutes: 60, ramp_minutes: 0, orders_per_second: 100}
                order_bytes: 1000
                queries_per_order: 1
                """)
        #expect(profile.peakRate == 100)
        // half of 2 requests per order at 100 orders/s, plus 25 %: 125/s; the month: 360,000 orders × 2 × 0.5 × 1.25
        #expect(
            profile.partnerLimits(share: 0.5) == PartnerLimits(rateLimit: 125, burstLimit: 250, quotaPerMonth: 450_000))
        #expect(profile.partnerLimits(share: 0.0001).rateLimit == 1)  // 0.025/s rounded up: never zero
    }

    @Test func rampsMakeATrapezoid() throws {
        let profile = try Files.profile(
            yaml: """
                name: test
                description: ramped
                orders_per_month: 0
                spikes:
                  - {name: s, start_hour: 10, duration_minutes: 60, ramp_minutes: 10, orders_per_second: 100}
                order_bytes: 1000
                queries_per_order: 0
                """)
        // plateau 40 min + two 10-min ramps at half the rate on average = 50 min × 60 s × 100/s
        #expect(profile.totalOrders == 300_000)
        #expect(profile.rate(atMinute: 600) == 5)  // first minute of the ramp, sampled at its middle: 0.5/10 of 100
        #expect(profile.rate(atMinute: 630) == 100)
        #expect(profile.rate(atMinute: 660) == 0)
        let integrated = (0..<TrafficProfile.minutesPerMonth).reduce(0.0) { $0 + profile.rate(atMinute: $1) * 60 }
        #expect(abs(integrated - 300_000) < 1e-6)
    }

    @Test func diurnalShapeKeepsTheMonthlyTotal() throws {
        let profile = try Files.profile("black-friday")
        let integrated = (0..<TrafficProfile.minutesPerMonth).reduce(0.0) { $0 + profile.rate(atMinute: $1) * 60 }
        #expect(abs(integrated - 20_000_000) < 1)
        #expect(profile.rate(atMinute: 20 * 60) > profile.rate(atMinute: 8 * 60), "evening peak above the morning")
    }

    @Test(arguments: [
        (
            "name: test\ndescription: d\norders_per_month: 1\norder_bytes: 1\nqueries_per_order: 0\nspeed: 3\n",
            "test.yaml:6:1: error: OS0102: unknown key 'speed'"
        ),
        (
            "name: test\ndescription: d\norders_per_month: lots\norder_bytes: 1\nqueries_per_order: 0\n",
            "test.yaml:3:19: error: OS0103: 'orders_per_month' must be a number, found 'lots'"
        ),
        (
            "name: test\ndescription: d\norders_per_month: -5\norder_bytes: 1\nqueries_per_order: 0\n",
            "test.yaml:3:19: error: OS0104: 'orders_per_month' must be between"
        ),
        (
            "name: test\ndescription: d\norders_per_month: 1\norder_bytes: 1\nqueries_per_order: 0\nspikes:\n  - {name: s, start_hour: 729, duration_minutes: 120, orders_per_second: 1}\n",
            "test.yaml:7:50: error: OS0104: spike 's' ends at minute 43860, past the month's end (minute 43800)"
        ),
        (
            "name: test\ndescription: d\norders_per_month: 1\norder_bytes: 1\nqueries_per_order: 0\nspikes:\n  - {name: s, start_hour: 1, duration_minutes: 10, ramp_minutes: 6, orders_per_second: 1}\n",
            "spike 's' ramps up and down for 12 minutes, longer than its 10"
        ),
        (
            "name: test\ndescription: d\norders_per_month: 1\norder_bytes: 1\nqueries_per_order: 0\nspikes:\n  - {name: s, start_hour: 1, duration_minutes: 10, orders_per_second: -1}\n",
            "'spikes[0].orders_per_second' must be between 0.0 and 1000000.0, found -1"
        ),
        (
            "name: test\ndescription: d\norder_bytes: 1\nqueries_per_order: 0\n",
            "missing required key 'orders_per_month'"
        ),
        (
            "name: other\ndescription: d\norders_per_month: 1\norder_bytes: 1\nqueries_per_order: 0\n",
            "'name' is 'other' but the file is test.yaml"
        ),
        (
            "name: test\ndescription: d\norders_per_month: 1\norder_bytes: 1\nqueries_per_order: 0\nassumptions: {stored_order: 5}\n",
            "unknown key 'assumptions.stored_order'"
        ),
    ])
    func badProfilesAreLocatedErrors(text: String, message: String) {
        let loaded = TrafficProfile.load(text, path: "test.yaml", name: "test")
        #expect(loaded.profile == nil)
        #expect(
            loaded.diagnostics.contains { $0.description.contains(message) }, "\(loaded.diagnostics.map(\.description))"
        )
    }
}
