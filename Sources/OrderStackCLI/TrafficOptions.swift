import ArgumentParser
import Costing
import Foundation

/// `--profile` for the commands that take traffic (cost, simulate, load), with one reader: a profile of
/// blueprints/profiles by name, `all` where the command takes several, or a profile file (`.yaml`). What reading
/// finds is printed, notes included (a profile still using former key names says so once).
struct TrafficOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "A traffic profile: a name of blueprints/profiles, a profile file (.yaml), or all (cost).")
    var profile: String

    /// Whether `--profile` names a file rather than a profile of the project.
    var namesFile: Bool { profile.hasSuffix(".yaml") || profile.contains("/") }

    /// The profiles asked for; `several`: `all` is allowed.
    /// - Throws: `BadInput` after printing why.
    func profiles(_ project: Project, several: Bool, console: Console) throws -> [TrafficProfile] {
        if profile == "all" && !several {
            console.err("error: this command takes one profile; run it once per profile")
            throw BadInput()
        }
        if namesFile { return [try file(console: console)] }
        switch project.readProfiles(profile) {
        case .success(let read):
            console.print(read.diagnostics)
            return read.profiles
        case .failure(let failure): throw failure.report(to: console)
        }
    }

    /// The one profile asked for.
    func single(_ project: Project, console: Console) throws -> TrafficProfile {
        try profiles(project, several: false, console: console)[0]
    }

    /// A profile read from the file `--profile` names.
    private func file(console: Console) throws -> TrafficProfile {
        guard let data = FileManager.default.contents(atPath: profile) else {
            console.err("\(profile): error: cannot read the profile file")
            throw BadInput()
        }
        let name = String((profile.split(separator: "/").last ?? "").dropLast(".yaml".count))
        let loaded = TrafficProfile.load(String(decoding: data, as: UTF8.self), path: profile, name: name)
        console.print(loaded.diagnostics)
        guard let found = loaded.profile else { throw BadInput() }
        return found
    }
}
