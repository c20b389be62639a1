import Costing
import YAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Project {
    /// `blueprints/profiles`.
    public var profilesDirectory: String { path("blueprints/profiles") }
    /// `blueprints/pricing`.
    public var pricingDirectory: String { path("blueprints/pricing") }

    /// Profile names, from `blueprints/profiles/*.yaml`, sorted.
    public func profileNames() -> [String] {
        yamlNames(in: profilesDirectory)
    }

    /// Regions with a price file, sorted.
    public func pricedRegions() -> [String] {
        yamlNames(in: pricingDirectory)
    }

    private func yamlNames(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }
            .map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads the named profiles (`all`: every profile, in the order baseline, then the rest sorted).
    public func loadProfiles(_ name: String) -> Result<[TrafficProfile], Failure> {
        let available = profileNames()
        guard !available.isEmpty else {
            return .failure(
                Failure(
                    message:
                        "no traffic profiles in \(profilesDirectory); add one, e.g. baseline.yaml with name, description, orders_per_month, shape, order_bytes and queries_per_order"
                ))
        }
        let names: [String]
        if name == "all" {
            names = available
        } else {
            guard available.contains(name) else {
                return .failure(
                    Failure(
                        message:
                            "unknown profile '\(name)'; available profiles: \(available.joined(separator: ", ")) (or all)"
                    ))
            }
            names = [name]
        }
        var profiles: [TrafficProfile] = []
        var diagnostics: [Diagnostic] = []
        for profileName in names {
            let file = "\(profilesDirectory)/\(profileName).yaml"
            guard let text = read(file) else { return .failure(Failure(message: "cannot read \(file)")) }
            let loaded = TrafficProfile.load(text, path: file, name: profileName)
            diagnostics += loaded.diagnostics
            if let profile = loaded.profile { profiles.append(profile) }
        }
        if diagnostics.hasErrors { return .failure(Failure(diagnostics: diagnostics)) }
        return .success(profiles)
    }

    /// Loads the price file of `region`.
    public func loadPrices(_ region: String) -> Result<PriceCatalogue, Failure> {
        let file = "\(pricingDirectory)/\(region).yaml"
        guard let text = read(file) else {
            let available = pricedRegions()
            return .failure(
                Failure(
                    message: "no prices for region '\(region)'; priced regions: \(available.joined(separator: ", ")). "
                        + "Import one from the AWS Price List bulk offer files: orderstack pricing import --region \(region) FILE..."
                ))
        }
        let loaded = PriceCatalogue.load(text, path: file)
        guard let catalogue = loaded.catalogue else { return .failure(Failure(diagnostics: loaded.diagnostics)) }
        return .success(catalogue)
    }
}
