/// What a Linux binary needs from the system it runs on, read from `objdump -p` (the `NEEDED` libraries) and
/// `objdump -T` (the versioned dynamic symbols it imports).
public struct BinaryRequirements: Sendable, Equatable {
    /// Shared libraries named in `NEEDED` entries.
    public var libraries: [String]
    /// Imported symbols with their version (`hypot`, `GLIBC_2.35`).
    public var symbols: [VersionedSymbol]

    public init(libraries: [String], symbols: [VersionedSymbol]) {
        self.libraries = libraries
        self.symbols = symbols
    }

    /// One imported symbol and the version it binds to.
    public struct VersionedSymbol: Sendable, Equatable {
        public var name: String
        public var version: String
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    /// Reads both dumps.
    public init(objdumpPrivate: String, objdumpDynamicSymbols: String) {
        var libraries: [String] = []
        for line in objdumpPrivate.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count == 2, fields[0] == "NEEDED" { libraries.append(String(fields[1])) }
        }
        var symbols: [VersionedSymbol] = []
        for line in objdumpDynamicSymbols.split(separator: "\n") where line.contains("*UND*") {
            // 0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.35) hypot
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let undefined = fields.firstIndex(of: "*UND*"), undefined + 3 < fields.count else { continue }
            let version = fields[undefined + 2].trimmingCharacters(in: "()")
            guard version.contains("_"), version.last?.isNumber == true else { continue }
            let index = undefined + 2
            symbols.append(VersionedSymbol(name: String(fields[index + 1]), version: version))
        }
        self.init(libraries: libraries, symbols: symbols)
    }
}

/// What a Lambda runtime provides: its glibc and libstdc++ symbol versions and the shared libraries a bootstrap
/// may need.
public struct RuntimePolicy: Sendable, Equatable {
    public var name: String
    /// Highest version per symbol-version namespace (`GLIBC` 2.34, `GLIBCXX` 3.4.29, `CXXABI` 1.3.13).
    public var maximumVersions: [String: [Int]]
    /// Libraries the image has.
    public var libraries: Set<String>

    /// `provided.al2023`: glibc 2.34 and the GCC 11 runtime; the loader, glibc's libraries, libstdc++, libgcc_s and
    /// zlib (docs/packaging.md).
    public static let providedAL2023 = RuntimePolicy(
        name: "provided.al2023",
        maximumVersions: ["GLIBC": [2, 34], "GLIBCXX": [3, 4, 29], "CXXABI": [1, 3, 13]],
        libraries: [
            "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
            "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
        ])

    /// Every reason the binary would not load on this runtime, one line each; empty when it would.
    public func problems(_ binary: BinaryRequirements) -> [String] {
        var problems: [String] = []
        for library in binary.libraries where !libraries.contains(library) {
            problems.append("needs \(library), which \(name) does not have")
        }
        var worst: [String: (version: [Int], symbols: [String])] = [:]
        for symbol in binary.symbols {
            guard let underscore = symbol.version.firstIndex(of: "_") else { continue }
            let namespace = String(symbol.version[..<underscore])
            let version = symbol.version[symbol.version.index(after: underscore)...].split(separator: ".")
                .compactMap { Int($0) }
            guard let maximum = maximumVersions[namespace], version.lexicographicallyPrecedes(maximum) == false,
                version != maximum
            else { continue }
            worst[symbol.version, default: (version, [])].symbols.append(symbol.name)
        }
        for version in worst.keys.sorted() {
            let namespace = String(version[..<version.firstIndex(of: "_")!])
            let maximum = maximumVersions[namespace]!.map(String.init).joined(separator: ".")
            problems.append(
                "needs \(version) (\(worst[version]!.symbols.sorted().joined(separator: ", "))); \(name) has "
                    + "\(namespace) \(maximum)")
        }
        return problems
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
