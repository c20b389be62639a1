/// The architecture an ELF executable was built for, read from its header (`e_machine`, bytes 18-19), named as
/// Lambda's `Architectures` names it. A binary for the other architecture deploys without complaint and fails
/// every invocation, so `package` compares the two before zipping.
public enum ELFHeader {
    /// What the header says.
    public enum Machine: Sendable, Equatable {
        /// `x86_64` or `arm64`, as in a function's `Architectures`.
        case lambda(String)
        /// Another ELF machine number (`EM_*`).
        case other(Int)
        /// A script (`#!`): it runs on either architecture.
        case script
        /// Not an ELF file.
        case notELF
    }

    /// Reads the machine of `bytes`' ELF header (either byte order).
    public static func machine(_ bytes: [UInt8]) -> Machine {
        if bytes.starts(with: [0x23, 0x21]) { return .script }
        guard bytes.count >= 20, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            return .notELF
        }
        let littleEndian = bytes[5] != 2
        let value =
            littleEndian ? Int(bytes[18]) | Int(bytes[19]) << 8 : Int(bytes[18]) << 8 | Int(bytes[19])
        switch value {
        case 62: return .lambda("x86_64")  // EM_X86_64
        case 183: return .lambda("arm64")  // EM_AARCH64
        default: return .other(value)
        }
    }

    /// Why a binary with `machine` cannot run as a function of `architecture`, or `nil` when it can.
    public static func mismatch(_ machine: Machine, architecture: String) -> String? {
        switch machine {
        case .lambda(let built) where built == architecture: nil
        case .script: nil
        case .lambda(let built):
            "built for \(built), but its function's Architectures is \(architecture): every invocation would fail"
                + " with an exec format error"
        case .other(let number): "an ELF binary for machine \(number), which Lambda does not run"
        case .notELF: "neither an ELF executable nor a script"
        }
    }
}
