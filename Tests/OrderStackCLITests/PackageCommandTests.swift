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
        let arguments = ["package", "--skip-build", "--binaries", binaries.path, "--output", output.path]
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

    @Test func missingBinariesAndUnknownStagesAreBadInput() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-empty-\(getpid())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let missing = try CommandRunner.orderstack(["package", "--skip-build", "--binaries", empty.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("order-processor does not exist"))
        let stage = try CommandRunner.orderstack(["package", "--skip-build", "--stage", "qa"])
        #expect(stage.status == 2)
        #expect(stage.stderr.contains("output/orders-qa.yaml"))
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
