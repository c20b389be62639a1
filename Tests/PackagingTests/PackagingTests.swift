import Foundation
import Testing

@testable import Packaging

/// Runs a program and returns its exit status and standard output.
func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func scratch(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct ZipWriterTests {
    @Test func crcIsZipsCRC32() {
        #expect(ZipWriter.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func archiveIsReadByUnzipWithModeAndContents() throws {
        let directory = try scratch("zip")
        let binary = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }
        let zip = try Artifact.bootstrapZip(binary)
        let second = try Artifact.bootstrapZip(binary)
        #expect(zip == second, "the same input gives the same bytes")
        #expect(zip.count < binary.count / 2, "deflated")
        try Data(zip).write(to: directory.appendingPathComponent("a.zip"))
        let listing = try run(["unzip", "-Z", "a.zip"], in: directory)
        #expect(listing.status == 0, "\(listing.output)")
        #expect(listing.output.contains("-rwxr-xr-x"), "\(listing.output)")
        #expect(listing.output.contains("bootstrap"))
        #expect(listing.output.contains("80-Jan-01 00:00"), "fixed timestamp: \(listing.output)")
        let test = try run(["unzip", "-t", "a.zip"], in: directory)
        #expect(test.status == 0 && test.output.contains("No errors"), "\(test.output)")
        let python = try run(
            [
                "python3", "-c",
                "import zipfile,hashlib;z=zipfile.ZipFile('a.zip');i=z.getinfo('bootstrap');"
                    + "print(oct(i.external_attr>>16), i.compress_type, hashlib.sha256(z.read(i)).hexdigest())",
            ], in: directory)
        #expect(python.output.hasPrefix("0o100755 8 "), "\(python.output)")
        let digest = python.output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let local = Artifact(executable: "x", keyParameter: "X", zip: binary).sha256
        #expect(digest == local, "the extracted bootstrap is the binary")
    }

    @Test func incompressibleEntriesAreStored() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let zip = try ZipWriter.archive([ZipEntry(name: "noise", contents: noise)])
        #expect(zip[8] == 0 && zip[9] == 0, "method 0 (stored) when deflate does not help")
    }
}

@Suite struct BinaryCheckTests {
    static let dynamicSymbols = """

        bootstrap:     file format elf64-x86-64

        DYNAMIC SYMBOL TABLE:
        0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.2.5) getenv
        0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.35) hypot
        0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.35) hypotf
        0000000000000000      DF *UND*\t0000000000000000 (GLIBCXX_3.4.30) _ZSt28__throw_bad_array_new_lengthv
        0000000000000000  w   D  *UND*\t0000000000000000  Base        __gmon_start__
        0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.34) __libc_start_main
        00000000004011d0 g    DF .text\t0000000000000020  Base        main
        """
    static let privateHeaders = """
        Dynamic Section:
          NEEDED               libm.so.6
          NEEDED               libcurl.so.4
          NEEDED               libc.so.6
          RUNPATH              /opt/swift/usr/lib/swift/linux
        """

    @Test func readsLibrariesAndVersionedImports() {
        let requirements = BinaryRequirements(
            objdumpPrivate: Self.privateHeaders, objdumpDynamicSymbols: Self.dynamicSymbols)
        #expect(requirements.libraries == ["libm.so.6", "libcurl.so.4", "libc.so.6"])
        #expect(
            requirements.symbols.map(\.version) == [
                "GLIBC_2.2.5", "GLIBC_2.35", "GLIBC_2.35", "GLIBCXX_3.4.30", "GLIBC_2.34",
            ])
        #expect(requirements.symbols[1].name == "hypot")
    }

    @Test func al2023PolicyNamesEveryProblem() {
        let requirements = BinaryRequirements(
            objdumpPrivate: Self.privateHeaders, objdumpDynamicSymbols: Self.dynamicSymbols)
        #expect(
            RuntimePolicy.providedAL2023.problems(requirements) == [
                "needs libcurl.so.4, which provided.al2023 does not have",
                "needs GLIBCXX_3.4.30 (_ZSt28__throw_bad_array_new_lengthv); provided.al2023 has GLIBCXX 3.4.29",
                "needs GLIBC_2.35 (hypot, hypotf); provided.al2023 has GLIBC 2.34",
            ])
        let fine = BinaryRequirements(
            libraries: ["libc.so.6", "libstdc++.so.6"],
            symbols: [
                .init(name: "__libc_start_main", version: "GLIBC_2.34"), .init(name: "x", version: "GLIBC_2.2.5"),
            ])
        #expect(RuntimePolicy.providedAL2023.problems(fine).isEmpty)
    }

    /// The real toolchain: a C program calling hypot needs GLIBC_2.35 on this Debian; linked with the wrap the
    /// handlers use, it needs 2.34 at most.
    @Test func hypotWrapBringsARealBinaryDownTo234() throws {
        #if os(Linux)
            let directory = try scratch("glibc")
            try """
            #include <math.h>
            #include <stdio.h>
            #include <stdlib.h>
            int main(int argc, char **argv) { printf("%f %f\\n", hypot(atof(argv[0]), 4.0), (double)hypotf(3.0f, (float)argc)); return 0; }
            """.write(to: directory.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
            let compat = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/CGlibcCompat")
            func check(_ binary: String) throws -> [String] {
                let path = directory.appendingPathComponent(binary).path
                return RuntimePolicy.providedAL2023.problems(
                    BinaryRequirements(
                        objdumpPrivate: try run(["objdump", "-p", path]).output,
                        objdumpDynamicSymbols: try run(["objdump", "-T", path]).output))
            }
            let plain = try run(["cc", "-O1", "-o", "plain", "main.c", "-lm"], in: directory)
            try #require(plain.status == 0, "\(plain.output)")
            let glibc = try run(["ldd", "--version"]).output
            if glibc.contains("2.35") || glibc.contains("2.36") || glibc.contains("2.37") {
                #expect(try check("plain").contains { $0.contains("GLIBC_2.35") && $0.contains("hypot") })
            }
            let wrapped = try run(
                [
                    "cc", "-O1", "-o", "wrapped", "main.c", "\(compat.path)/compat.c", "-I\(compat.path)/include",
                    "-Wl,--wrap=hypot", "-Wl,--wrap=hypotf", "-lm",
                ], in: directory)
            try #require(wrapped.status == 0, "\(wrapped.output)")
            #expect(try check("wrapped") == [])
            let output = try run([directory.appendingPathComponent("wrapped").path])
            #expect(
                output.output.contains("4.") && output.status == 0, "the wrapped hypot still computes: \(output.output)"
            )
        #endif
    }

    @Test func deployCommandsUseContentAddressedKeys() {
        let artifact = Artifact(executable: "order-query", keyParameter: "OrderQueryCodeKey", zip: [1, 2, 3])
        #expect(artifact.s3Key == "order-query/039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81.zip")
        let text = DeployCommands.text(
            artifacts: [artifact], directory: "output/artifacts", template: "output/orders-prod.yaml",
            stackName: "orders-prod", bucketParameter: "ArtifactBucket")
        #expect(text.contains("aws s3 cp output/artifacts/order-query.zip \"s3://$BUCKET/\(artifact.s3Key)\""))
        #expect(text.contains("OrderQueryCodeKey=\(artifact.s3Key)"))
        #expect(text.contains("--template-file output/orders-prod.yaml"))
    }
}
