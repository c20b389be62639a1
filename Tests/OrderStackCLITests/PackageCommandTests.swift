import Foundation
import Testing

/// `orderstack package` on stand-in binaries built here with cc: the glibc gate refuses what provided.al2023 could
/// not load and zips what it could, byte-identically. (The real handlers are packaged by `.ci/run`.)
@Suite(.serialized) struct PackageCommandTests {
    static let compat = CommandRunner.packageRoot.appendingPathComponent("Sources/CGlibcCompat")

    /// Builds `order-processor` and `order-query` stand-ins into a new folder; `wrapped` links the hypot wrappers.
    static func binaries(wrapped: Bool) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderstack-package-\(wrapped)-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        int main(int argc, char **argv) { printf("%f\\n", hypot(atof(argv[0]), (double)argc)); return 0; }
        """.write(to: directory.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
        for name in ["order-processor", "order-query"] {
            var arguments = ["cc", "-O1", "-o", name, "main.c"]
            if wrapped {
                arguments += [
                    "\(compat.path)/compat.c", "-I\(compat.path)/include", "-Wl,--wrap=hypot", "-Wl,--wrap=hypotf",
                ]
            }
            let built = try CommandRunner.run("/usr/bin/env", arguments + ["-lm"], in: directory)
            try #require(built.status == 0, "\(built.stderr)")
        }
        return directory
    }

    @Test func refusesABinaryThatNeedsANewerGlibc() throws {
        let glibc = try CommandRunner.run("ldd", ["--version"]).stdout
        guard glibc.contains("2.35") || glibc.contains("2.36") || glibc.contains("2.37") else { return }
        let binaries = try Self.binaries(wrapped: false)
        let output = binaries.appendingPathComponent("zips")
        let result = try CommandRunner.orderstack([
            "package", "--skip-build", "--binaries", binaries.path, "--output", output.path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: OS3001: needs GLIBC_2.35 (hypot); provided.al2023 has GLIBC 2.34"))
        #expect(result.stderr.contains("refused"))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("order-processor.zip").path))
    }

    @Test func zipsLoadableBinariesReproduciblyAndPrintsTheDeployCommands() throws {
        let binaries = try Self.binaries(wrapped: true)
        let output = binaries.appendingPathComponent("zips")
        let arguments = [
            "package", "--stage", "prod", "--skip-build", "--binaries", binaries.path, "--output", output.path,
        ]
        let first = try CommandRunner.orderstack(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let zip = try Data(contentsOf: output.appendingPathComponent("order-processor.zip"))
        let second = try CommandRunner.orderstack(arguments)
        #expect(second.status == 0)
        #expect(try Data(contentsOf: output.appendingPathComponent("order-processor.zip")) == zip)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("order-query.zip"))
        #expect(first.stdout.contains("OrderProcessorCodeKey=order-processor/"))
        #expect(first.stdout.contains("aws cloudformation deploy --stack-name orders-prod"))
        let listing = try CommandRunner.run("unzip", ["-Z", output.appendingPathComponent("order-query.zip").path])
        #expect(listing.stdout.contains("-rwxr-xr-x") && listing.stdout.contains("bootstrap"))
    }

    @Test func refusesABinaryBuiltForTheOtherArchitecture() throws {
        // Stand-ins whose ELF header says aarch64 (e_machine 183), as a build on an ARM laptop would be: the
        // template's functions say x86_64, so the zip would deploy and every invocation fail.
        let binaries = try Self.binaries(wrapped: true)
        for name in ["order-processor", "order-query"] {
            let path = binaries.appendingPathComponent(name)
            var bytes = try [UInt8](Data(contentsOf: path))
            bytes[18] = 183
            bytes[19] = 0
            try Data(bytes).write(to: path)
        }
        let output = binaries.appendingPathComponent("zips")
        let result = try CommandRunner.orderstack([
            "package", "--skip-build", "--binaries", binaries.path, "--output", output.path,
        ])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "order-processor: error: OS3002: built for arm64, but its function's Architectures is x86_64"))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("order-processor.zip").path))
    }

    @Test func missingBinariesAndUnknownStagesAreBadInput() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-empty-\(getpid())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let missing = try CommandRunner.orderstack(["package", "--skip-build", "--binaries", empty.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("order-processor does not exist"))
        let stage = try CommandRunner.orderstack(["package", "--skip-build", "--stage", "qa"])
        #expect(stage.status == 2)
        #expect(stage.stderr == "error: unknown stage 'qa'; available stages: dev, prod\n")
    }

    /// The handler targets stay lean: FoundationEssentials, never full Foundation (FoundationNetworking would pull
    /// libcurl), libyaml or ArgumentParser. Checked on the built executables' libraries and symbols.
    @Test(arguments: ["order-processor", "order-query"])
    func handlersLinkNeitherFoundationNorLibYAMLNorArgumentParser(executable: String) throws {
        let path = CommandRunner.productsDirectory.appendingPathComponent(executable).path
        let libraries = try CommandRunner.run("objdump", ["-p", path]).stdout
        try #require(libraries.contains("NEEDED"), "objdump read \(path)")
        for forbidden in ["libFoundation.so", "libFoundationNetworking", "libFoundationXML", "libyaml", "libcurl"] {
            #expect(!libraries.contains(forbidden), "\(executable) needs \(forbidden)")
        }
        let symbols = try CommandRunner.run("nm", [path]).stdout
        #expect(symbols.contains("FoundationEssentials") || libraries.contains("libFoundationEssentials"))
        #expect(!symbols.contains("s14ArgumentParser"), "\(executable) links ArgumentParser")
        #expect(!symbols.contains("yaml_parser_"), "\(executable) links libyaml")
        #expect(!symbols.contains("$s10Foundation"), "\(executable) links full Foundation")
    }
}

/// `orderstack package` stopped while `swift build` runs: the build, and what it started, stop with it.
@Suite struct PackageInterruptTests {
    /// Whether a process with `pid` still exists (a zombie counts as gone).
    static func alive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !status.contains(") Z ")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func noChildIsLeftWhenPackageIsStopped(signal: Int32) throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try CommandRunner.orderstack(["synth", "--project", project.path]).status == 0)
        // A stand-in `swift` first on PATH: it records its pid and a child's, and waits.
        let bin = project.appendingPathComponent("fake-bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let pids = project.appendingPathComponent("pids")
        let script = bin.appendingPathComponent("swift")
        try "#!/bin/sh\nsleep 60 &\necho $$ $! > \(pids.path)\nwait\n".write(
            to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("orderstack")
        process.arguments = ["package", "--project", project.path]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var recorded: [Int32] = []
        for _ in 0..<200 where recorded.count < 2 {
            usleep(50_000)
            recorded = ((try? String(contentsOf: pids, encoding: .utf8)) ?? "").split(separator: " ").compactMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        if recorded.count != 2 { kill(process.processIdentifier, SIGKILL) }
        try #require(recorded.count == 2, "the stand-in build started")
        #expect(recorded.allSatisfy(Self.alive))
        kill(process.processIdentifier, signal)
        // Never hang the suite: past 10 s, everything is killed and the test fails.
        var waited = 0
        while process.isRunning && waited < 200 {
            usleep(50_000)
            waited += 1
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            for pid in recorded { kill(pid, SIGKILL) }
            Issue.record("orderstack did not stop within 10 s of the signal")
        }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("handler 1 of 2: building order-processor"), "\(stderr)")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        usleep(100_000)
        for pid in recorded {
            #expect(!Self.alive(pid), "process \(pid) was left running")
            kill(pid, SIGKILL)
        }
    }

    /// The processes whose command line mentions `text` (a scratch folder's path), but this test's own.
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != getpid(), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return false
            }
            return String(decoding: data, as: UTF8.self).contains(text) && alive(pid)
        }
    }

    /// A real `swift build -c release` of a handler that takes half a minute to compile, interrupted once the
    /// compiler runs: orderstack exits on the signal and no process of the build is left (SwiftPM runs the
    /// compiler in process groups of its own, which a signal to the build's group alone does not reach).
    @Test func aRealCompileStopsWithPackage() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try CommandRunner.orderstack(["synth", "--project", project.path]).status == 0)
        try """
        // swift-tools-version: 6.0
        import PackageDescription
        let package = Package(
            name: "slow", targets: [.executableTarget(name: "order-processor"), .executableTarget(name: "order-query")])
        """.write(to: project.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        for (name, count) in [("order-processor", 4000), ("order-query", 1)] {
            let folder = project.appendingPathComponent("Sources/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let functions = (0..<count).map {
                "func f\($0)(_ x: [Int]) -> Int { x.map { $0 &* \($0) &+ 1 }.filter { $0 % 3 != 0 }.reduce(0, &+) }"
            }
            try (functions + ["print(f0([1, 2, 3]))"]).joined(separator: "\n").write(
                to: folder.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("orderstack")
        process.arguments = ["package", "--project", project.path]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Until the compiler works on the handler's module (the manifest is compiled first); at most 5 minutes.
        var compiling = false
        for _ in 0..<3000 where !compiling && process.isRunning {
            usleep(100_000)
            compiling = Self.processes(mentioning: project.path).contains { pid in
                let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                return String(decoding: command, as: UTF8.self).contains("order_processor")
                    && (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("swift-frontend")
                        == true
            }
        }
        guard compiling else {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("the compiler never started on order-processor")
            return
        }
        let before = Self.processes(mentioning: project.path)
        kill(process.processIdentifier, SIGINT)
        // The promise is 2 s (the design takes about 1: a second's grace for SwiftPM to cancel, then the tree is
        // killed); 3 s here, so a loaded machine's scheduling does not decide the verdict.
        var left = before
        for _ in 0..<30 where process.isRunning || !left.isEmpty {
            usleep(100_000)
            left = Self.processes(mentioning: project.path)
        }
        let stopped = !process.isRunning
        for pid in left { kill(pid, SIGKILL) }
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(!before.isEmpty)
        #expect(stopped, "orderstack still ran 3 s after the signal")
        #expect(left.isEmpty, "left running 3 s after the signal: \(left)")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
    }
}
