import CloudFormation
import Costing
import Foundation
import TemplateYAML
import Testing

enum Files {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func prodTemplate() throws -> Template {
        try #require(TemplateReader.read(try text("output/orders-prod.yaml"), path: "orders-prod.yaml").template)
    }

    static func prices() throws -> PriceCatalogue {
        let loaded = PriceCatalogue.load(try text("blueprints/pricing/us-east-1.yaml"), path: "us-east-1.yaml")
        return try #require(loaded.catalogue, "\(loaded.diagnostics)")
    }

    static func profile(_ name: String) throws -> TrafficProfile {
        let loaded = TrafficProfile.load(try text("blueprints/profiles/\(name).yaml"), path: name, name: name)
        return try #require(loaded.profile, "\(loaded.diagnostics)")
    }

    static func profile(yaml: String) throws -> TrafficProfile {
        let loaded = TrafficProfile.load(yaml, path: "test.yaml", name: "test")
        return try #require(loaded.profile, "\(loaded.diagnostics)")
    }
}

extension Estimate {
    func line(_ item: String) -> CostLine? { lines.first { $0.item == item } }
}

/// `a` and `b` agree to `places` decimals.
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 0.005) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}
