import Testing

@testable import Packaging

@Suite struct ELFHeaderTests {
    /// A 64-byte ELF64 header for `machine`, little-endian unless `bigEndian`.
    static func header(machine: UInt16, bigEndian: Bool = false) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[0...3] = [0x7F, 0x45, 0x4C, 0x46]
        bytes[4] = 2
        bytes[5] = bigEndian ? 2 : 1
        bytes[18] = UInt8(bigEndian ? machine >> 8 : machine & 0xFF)
        bytes[19] = UInt8(bigEndian ? machine & 0xFF : machine >> 8)
        return bytes
    }

    @Test func machinesAreNamedAsLambdaNamesThem() {
        #expect(ELFHeader.machine(Self.header(machine: 62)) == .lambda("x86_64"))
        #expect(ELFHeader.machine(Self.header(machine: 183)) == .lambda("arm64"))
        #expect(ELFHeader.machine(Self.header(machine: 183, bigEndian: true)) == .lambda("arm64"))
        #expect(ELFHeader.machine(Self.header(machine: 40)) == .other(40))
        #expect(ELFHeader.machine(Array("#!/bin/sh\necho hi\n".utf8)) == .script)
        #expect(ELFHeader.machine(Array("MZ\u{90}\u{0}".utf8)) == .notELF)
        #expect(ELFHeader.machine([0x7F, 0x45]) == .notELF)
    }

    @Test func aMismatchIsSaidAndAMatchIsNot() {
        #expect(ELFHeader.mismatch(.lambda("x86_64"), architecture: "x86_64") == nil)
        #expect(ELFHeader.mismatch(.lambda("arm64"), architecture: "arm64") == nil)
        #expect(ELFHeader.mismatch(.lambda("arm64"), architecture: "x86_64")?.hasPrefix("built for arm64") == true)
        #expect(ELFHeader.mismatch(.notELF, architecture: "x86_64") == "neither an ELF executable nor a script")
        #expect(ELFHeader.mismatch(.script, architecture: "arm64") == nil, "a script runs on either architecture")
    }

    @Test func theBootstrapsHeaderIsReadBackFromItsZip() throws {
        // Whether the writer deflated or stored the entry, its first bytes come back.
        let arm = Self.header(machine: 183) + [UInt8](repeating: 0, count: 4_000)
        let deflated = try Artifact.bootstrapZip(arm)
        #expect(ZipReader.firstEntryPrefix(deflated).map(ELFHeader.machine) == .lambda("arm64"))
        var noise: [UInt8] = []
        var state: UInt32 = 12_345
        for _ in 0..<2_000 {
            state = state &* 1_103_515_245 &+ 12_345
            noise.append(UInt8(truncatingIfNeeded: state >> 16))
        }
        let stored = try Artifact.bootstrapZip(Self.header(machine: 62) + noise)
        #expect(ZipReader.firstEntryPrefix(stored).map(ELFHeader.machine) == .lambda("x86_64"))
        #expect(ZipReader.firstEntryPrefix(Array("not a zip".utf8)) == nil)
    }
}
