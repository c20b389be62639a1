import Costing
import StackDSL
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

    /// Regions with prices, sorted: the project's price files and those that ship with orderstack.
    public func pricedRegions() -> [String] {
        Array(Set(yamlNames(in: pricingDirectory)).union(BundledPrices.files.keys)).sorted()
    }

    private func yamlNames(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }
            .map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads the named profiles (`all`: every profile, in the order baseline, then the rest sorted).
    public func loadProfiles(_ name: String) -> Result<[TrafficProfile], Failure> {
        readProfiles(name).map(\.profiles)
    }

    /// The profiles named (`all`: every one) with what reading them found (notes such as former key names, too).
    func readProfiles(_ name: String) -> Result<(profiles: [TrafficProfile], diagnostics: [Diagnostic]), Failure> {
        let available = profileNames()
        guard !available.isEmpty else {
            return .failure(
                Failure(
                    message:
                        "no traffic profiles in \(profilesDirectory); add one, e.g. baseline.yaml with name, description, arrivals_per_month, shape, body_bytes and queries_per_arrival"
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
        return .success((profiles, diagnostics))
    }

    /// Sizes the stage's partners that name a profile (`sizedFrom`) from it: rate, burst and monthly quota for
    /// their share of the profile's requests; the sized limits are checked against the stage's like written ones.
    func sizePartners(_ stage: inout StageSettings, path file: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for index in stage.api.partners.indices {
            let partner = stage.api.partners[index]
            guard let name = partner.sizedFrom else { continue }
            let located = { (message: String) in
                Diagnostic(
                    path: file, mark: partner.mark, severity: .error, id: ConfigReader.ID.invalidValue, message: message
                )
            }
            guard profileNames().contains(name), case .success(let profiles) = loadProfiles(name),
                let profile = profiles.first
            else {
                let available = profileNames().joined(separator: ", ")
                diagnostics.append(
                    located(
                        "'api.partners.\(partner.name).sizedFrom' names profile '\(name)', which \(profileNames().contains(name) ? "has errors (\(Stacks.executable) cost --profile \(name) shows them)" : "does not exist; profiles: \(available)")"
                    ))
                continue
            }
            let limits = profile.partnerLimits(share: partner.share)
            stage.api.partners[index].rateLimit = limits.rateLimit
            stage.api.partners[index].burstLimit = limits.burstLimit
            stage.api.partners[index].quotaPerMonth = limits.quotaPerMonth
            stage.api.partners[index].sizedFrom = nil
            diagnostics += stage.api.problems(with: stage.api.partners[index]).map {
                located("sized from profile '\(name)' (share \(partner.share)): \($0)")
            }
        }
        return diagnostics
    }

    /// Loads the prices of `region`: the project's `blueprints/pricing/<region>.yaml` when it has one (from
    /// `pricing import`), else the price file that ships with orderstack for that region.
    public func loadPrices(_ region: String) -> Result<PriceCatalogue, Failure> {
        var file = "\(pricingDirectory)/\(region).yaml"
        var text = read(file)
        if text == nil, let bundled = BundledPrices.files[region] {
            (file, text) = ("orderstack's bundled prices for \(region)", bundled)
        }
        guard let text else {
            let available = pricedRegions()
            return .failure(
                Failure(
                    message: "no prices for region '\(region)'; priced regions: \(available.joined(separator: ", ")). "
                        + "Import one from the AWS Price List bulk offer files: \(Stacks.executable) pricing import --region \(region) FILE..."
                ))
        }
        let loaded = PriceCatalogue.load(text, path: file)
        guard let catalogue = loaded.catalogue else { return .failure(Failure(diagnostics: loaded.diagnostics)) }
        return .success(catalogue)
    }
}
