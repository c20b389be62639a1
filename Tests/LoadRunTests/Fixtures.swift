import Costing
import Foundation
import JSONDocument

/// Profiles and the project's schema for the tests.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The orders blueprint's request schema.
    static var orderSchema: JSONValue {
        let data = FileManager.default.contents(
            atPath: root.appendingPathComponent("blueprints/schemas/order.json").path)
        return JSONValue.parse(Array(data ?? Data()))!
    }

    /// A profile from YAML; fails the test's expectations loudly when it does not load.
    static func profile(_ yaml: String, name: String = "test") -> TrafficProfile {
        let loaded = TrafficProfile.load(yaml, path: "\(name).yaml", name: name)
        guard let profile = loaded.profile else { fatalError("fixture profile: \(loaded.diagnostics)") }
        return profile
    }

    /// One spike of `rate` orders/s for `minutes` minutes at hour 10 with `ramp` minutes of ramp, nothing else.
    static func spike(rate: Double, minutes: Double, ramp: Double = 0, queries: Double = 0) -> TrafficProfile {
        profile(
            """
            name: test
            description: one spike
            arrivals_per_month: 0
            shape: flat
            spikes:
              - {name: burst, start_hour: 10, duration_minutes: \(minutes), ramp_minutes: \(ramp), arrivals_per_second: \(rate)}
            body_bytes: 1024
            queries_per_arrival: \(queries)
            """)
    }
}
