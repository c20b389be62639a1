import ArgumentParser
import Foundation
import Packaging
import SourceDiagnostics

#if canImport(Glibc)
    import Glibc
#endif

/// Builds the Lambda handlers in release, strips them, checks them for `provided.al2023` and zips them with a
/// bootstrap: what `orderstack package` does, and what `orderstack deploy` does for a missing or stale zip.
struct HandlerBuild {
    var project: Project
    var console: Console
    /// Folder holding the built executables.
    var binaries: String
    /// Where the zips go (absolute or relative to the working directory), and how messages name it.
    var outputPath: String
    var outputName: String
    /// Where each zip's line goes (standard output for `package`; `deploy` keeps it for the review).
    var report: (String) -> Void
    /// The `Architectures` of each executable's function (`x86_64` when the template names none).
    var architectures: [String: String] = [:]

    init(project: Project, console: Console, binaries: String, outputPath: String, outputName: String) {
        self.project = project
        self.console = console
        self.binaries = binaries
        self.outputPath = outputPath
        self.outputName = outputName
        self.report = { console.out($0) }
    }

    /// Builds each executable with `swift build` (release, static Swift standard library).
    func build(_ executables: [String]) throws {
        for (index, executable) in executables.enumerated() {
            console.err(
                "handler \(index + 1) of \(executables.count): building \(executable) (release, static Swift standard library)"
            )
            let status = try Subprocess.run(
                "swift",
                [
                    "build", "-c", "release", "--product", executable, "--static-swift-stdlib", "--package-path",
                    project.root,
                ] + Self.sizeFlags, passthrough: true)
            guard status.code == 0 else {
                console.err("error: swift build of \(executable) failed (exit \(status.code))")
                throw ExitCode(1)
            }
        }
    }

    /// Strips, checks and zips each built executable; refuses (exit 1) when one would not start on the runtime.
    func zip(_ wanted: [(executable: String, parameter: String)]) throws -> [Artifact] {
        try FileSystem.createDirectory(outputPath)
        var artifacts: [Artifact] = []
        var refused = false
        for (index, (executable, parameter)) in wanted.enumerated() {
            console.err(
                "handler \(index + 1) of \(wanted.count): stripping \(executable) and checking it for provided.al2023")
            guard let binary = try checkedBinary(executable) else {
                refused = true
                continue
            }
            let artifact = Artifact(
                executable: executable, keyParameter: parameter, zip: try Artifact.bootstrapZip(binary))
            try FileSystem.write(artifact.zip, to: "\(outputPath)/\(executable).zip")
            report(
                "\(outputName)/\(executable).zip  \(artifact.zip.count) bytes (bootstrap \(binary.count) bytes)  sha256 \(artifact.sha256)\n"
            )
            artifacts.append(artifact)
        }
        guard !refused else {
            console.err(
                "error: refused: the binaries above would not start on their functions (provided.al2023, glibc 2.34, the function's architecture); see docs/packaging.md"
            )
            throw ExitCode(1)
        }
        return artifacts
    }

    /// The stripped binary, or `nil` after printing why it would not start on `provided.al2023`.
    func checkedBinary(_ executable: String) throws -> [UInt8]? {
        let binaryPath = "\(binaries)/\(executable)"
        guard FileManager.default.isExecutableFile(atPath: binaryPath) else {
            console.err("error: \(binaryPath) does not exist or is not executable")
            throw BadInput()
        }
        // The architecture first: strip and objdump may not read a binary for another machine.
        let header = FileHandle(forReadingAtPath: binaryPath).flatMap { try? $0.read(upToCount: 64) } ?? Data()
        let architecture = architectures[executable] ?? "x86_64"
        if let mismatch = ELFHeader.mismatch(ELFHeader.machine(Array(header)), architecture: architecture) {
            console.err("\(binaryPath): error: \(DiagnosticID.architectureMismatch): \(mismatch)")
            return nil
        }
        let stripped = NSTemporaryDirectory() + "orderstack-\(getpid())-\(executable)"
        defer { try? FileManager.default.removeItem(atPath: stripped) }
        guard try Subprocess.run("strip", ["--strip-all", "-o", stripped, binaryPath]).code == 0 else {
            console.err("error: strip failed on \(binaryPath)")
            throw ExitCode(1)
        }
        let privateHeaders = try Subprocess.run("objdump", ["-p", stripped])
        let dynamicSymbols = try Subprocess.run("objdump", ["-T", stripped])
        guard privateHeaders.code == 0 else {
            console.err("error: \(binaryPath) is not an ELF binary objdump can read")
            throw ExitCode(1)
        }
        let requirements = BinaryRequirements(
            objdumpPrivate: privateHeaders.output, objdumpDynamicSymbols: dynamicSymbols.output)
        let problems = RuntimePolicy.providedAL2023.problems(requirements)
        guard problems.isEmpty else {
            for problem in problems {
                console.err("\(binaryPath): error: \(DiagnosticID.runtimeIncompatible): \(problem)")
            }
            return nil
        }
        guard let binary = FileManager.default.contents(atPath: stripped) else {
            console.err("error: cannot read \(stripped)")
            throw ExitCode(1)
        }
        return Array(binary)
    }

    /// This machine's architecture as Lambda names it.
    static var hostArchitecture: String {
        #if arch(arm64)
            "arm64"
        #else
            "x86_64"
        #endif
    }

    /// Refuses (exit 2) before building when a function needs another architecture than this machine builds:
    /// `swift build` makes binaries for the machine it runs on.
    static func checkHostCanBuild(_ architectures: Set<String>, console: Console) throws {
        let foreign = architectures.subtracting([hostArchitecture]).sorted()
        guard !foreign.isEmpty else { return }
        console.err(
            "error: the stage's functions run on \(foreign.joined(separator: ", ")) and this machine builds \(hostArchitecture) binaries; "
                + "package on a \(foreign[0]) machine (or CI runner), or set `architecture: \(hostArchitecture)` in the stage file"
        )
        throw ExitCode(2)
    }

    /// Smaller zips: optimize for size, and do not export every symbol of the executable (the static standard
    /// library's link arguments say `-export-dynamic`, which keeps all of NIO's and AsyncHTTPClient's functions
    /// alive through `--gc-sections`). Together about 3.5 MB off the stripped binary.
    static let sizeFlags = ["-Xswiftc", "-Osize", "-Xlinker", "--no-export-dynamic"]

    /// Why the zip at `path` must be packaged again: missing, or older than the newest file among the project's
    /// `Package.swift` and `Sources/` (what the handlers are built from); `nil` when it is current.
    static func staleness(of path: String, project: Project) -> String? {
        guard let zipTime = modified(project.path(path)) else { return "\(path) does not exist" }
        guard let (source, sourceTime) = newestSource(project), sourceTime > zipTime else { return nil }
        return "\(path) is older than \(source)"
    }

    /// The newest of the project's `Package.swift` and the files under `Sources/`, relative to the project.
    static func newestSource(_ project: Project) -> (String, Double)? {
        var newest: (String, Double)? = modified(project.path("Package.swift")).map { ("Package.swift", $0) }
        let sources = project.path("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources) else { return newest }
        while let relative = walker.nextObject() as? String {
            guard let time = modified("\(sources)/\(relative)"), time > (newest?.1 ?? 0) else { continue }
            newest = ("Sources/\(relative)", time)
        }
        return newest
    }

    /// Modification time in seconds, `nil` when `path` does not exist.
    static func modified(_ path: String) -> Double? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
    }
}
