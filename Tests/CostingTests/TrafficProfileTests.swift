import Costing
import Testing
import YAML

@Suite struct TrafficProfileTests {
    @Test func shippedProfilesHaveTheDocumentedTotals() throws {
        #expect(try Files.profile("baseline").totalArrivals == 100_000)
        // 100,000 + 2 h × 3,600 s × 300/s = 100,000 + 2,160,000
        #expect(try Files.profile("sale-spike").totalArrivals == 2_260_000)
        #expect(try Files.profile("quiet").totalArrivals == 0)
        // 8,000,000 + 8 h × 3,600 × 300 (8,640,000) + 140 min × 60 × 400 (3,360,000)
        #expect(try Files.profile("black-friday").totalArrivals == 20_000_000)
    }

    @Test func partnerLimitsComeFromThePeakMinuteAndTheMonthWithHeadroom() throws {
        let profile = try Files.profile(
            yaml: """
                name: test
                description: one hour at 100/s
                arrivals_per_month: 0
                spikes:
                  - {name: s, start_hour: 10, duration_minutes: 60, ramp_minutes: 0, arrivals_per_second: 100}
                body_bytes: 1000
                queries_per_arrival: 1
                """)
        #expect(profile.peakRate == 100)
        // half of 2 requests per order at 100 orders/s, plus 25 %: 125/s; the month: 360,000 orders × 2 × 0.5 × 1.25
        #expect(
            profile.partnerLimits(share: 0.5) == PartnerLimits(rateLimit: 125, burstLimit: 250, quotaPerMonth: 450_000))
        #expect(profile.partnerLimits(share: 0.0001).rateLimit == 1)  // 0.025/s rounded up: never zero
    }

    @Test func formerOrderKeysAreStillReadWithOneNote() throws {
        let loaded = TrafficProfile.load(
            """
            name: test
            description: written before the keys were renamed
            orders_per_month: 1000
            spikes:
              - {name: s, start_hour: 10, duration_minutes: 60, orders_per_second: 2}
            order_bytes: 900
            queries_per_order: 0.5
            assumptions: {stored_orders: 7, log_bytes_per_order: 100}
            """, path: "old.yaml", name: "test")
        let profile = try #require(loaded.profile)
        #expect(profile.arrivalsPerMonth == 1000 && profile.spikes.first?.arrivalsPerSecond == 2)
        #expect(profile.bodyBytes == 900 && profile.queriesPerArrival == 0.5)
        #expect(profile.assumptions.storedItems == 7 && profile.assumptions.logBytesPerMessage == 100)
        #expect(profile.noun == TrafficProfile.Noun(singular: "arrival", plural: "arrivals"))
        #expect(loaded.diagnostics.count == 1, "one note for the file: \(loaded.diagnostics)")
        let note = try #require(loaded.diagnostics.first)
        #expect(note.severity == .note && note.id == "OS0106")
        #expect(
            note.description.hasPrefix(
                "old.yaml:3:1: note: OS0106: former key names, still read: orders_per_month -> arrivals_per_month, spikes[0].orders_per_second -> arrivals_per_second"
            ), "\(note)")
        #expect(note.message.contains("assumptions.stored_orders -> stored_items"))
    }

    @Test func bothNamesOfAKeyAreRefusedAndFormerNamesAreNotSuggested() {
        let both = TrafficProfile.load(
            "name: t\ndescription: d\narrivals_per_month: 1\norders_per_month: 2\nbody_bytes: 1\nqueries_per_arrival: 0\n",
            path: "t.yaml", name: "t")
        #expect(both.profile == nil)
        #expect(
            both.diagnostics.map(\.description).contains {
                $0.contains("t.yaml:4:1: error: OS0003: 'orders_per_month' is the former name of 'arrivals_per_month'")
            })
        let typo = TrafficProfile.load(
            "name: t\ndescription: d\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\nbody_byte: 3\n",
            path: "t.yaml", name: "t")
        let text = typo.diagnostics.map(\.description).joined()
        #expect(text.contains("unknown key 'body_byte'") && !text.contains("order_bytes"), "\(text)")
    }

    @Test func theProfileNamesItsArrivalsForTheReports() throws {
        let profile = try Files.profile("sale-spike")
        #expect(profile.noun == TrafficProfile.Noun(singular: "order", plural: "orders"))
        let named = try Files.profile(
            yaml:
                "name: test\ndescription: d\narrival_name: delivery\narrival_plural: deliveries\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\n"
        )
        #expect(named.noun.plural == "deliveries" && named.noun.singular == "delivery")
    }

    @Test func rampsMakeATrapezoid() throws {
        let profile = try Files.profile(
            yaml: """
                name: test
                description: ramped
                arrivals_per_month: 0
                spikes:
                  - {name: s, start_hour: 10, duration_minutes: 60, ramp_minutes: 10, arrivals_per_second: 100}
                body_bytes: 1000
                queries_per_arrival: 0
                """)
        // plateau 40 min + two 10-min ramps at half the rate on average = 50 min × 60 s × 100/s
        #expect(profile.totalArrivals == 300_000)
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
            "name: test\ndescription: d\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\nspeed: 3\n",
            "test.yaml:6:1: error: OS0102: unknown key 'speed'"
        ),
        (
            "name: test\ndescription: d\narrivals_per_month: lots\nbody_bytes: 1\nqueries_per_arrival: 0\n",
            "test.yaml:3:21: error: OS0103: 'arrivals_per_month' must be a number, found 'lots'"
        ),
        (
            "name: test\ndescription: d\narrivals_per_month: -5\nbody_bytes: 1\nqueries_per_arrival: 0\n",
            "test.yaml:3:21: error: OS0104: 'arrivals_per_month' must be between"
        ),
        (
            "name: test\ndescription: d\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\nspikes:\n  - {name: s, start_hour: 729, duration_minutes: 120, arrivals_per_second: 1}\n",
            "test.yaml:7:50: error: OS0104: spike 's' ends at minute 43860, past the month's end (minute 43800)"
        ),
        (
            "name: test\ndescription: d\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\nspikes:\n  - {name: s, start_hour: 1, duration_minutes: 10, ramp_minutes: 6, arrivals_per_second: 1}\n",
            "spike 's' ramps up and down for 12 minutes, longer than its 10"
        ),
        (
            "name: test\ndescription: d\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\nspikes:\n  - {name: s, start_hour: 1, duration_minutes: 10, arrivals_per_second: -1}\n",
            "'spikes[0].arrivals_per_second' must be between 0.0 and 1000000.0, found -1"
        ),
        (
            "name: test\ndescription: d\nbody_bytes: 1\nqueries_per_arrival: 0\n",
            "missing required key 'arrivals_per_month'"
        ),
        (
            "name: other\ndescription: d\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\n",
            "'name' is 'other' but the file is test.yaml"
        ),
        (
            "name: test\ndescription: d\narrivals_per_month: 1\nbody_bytes: 1\nqueries_per_arrival: 0\nassumptions: {stored_order: 5}\n",
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
