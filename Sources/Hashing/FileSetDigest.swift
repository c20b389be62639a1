/// One SHA-256 over a set of named files: each file's path, a zero byte, its length and its bytes, in path
/// order. Renaming, editing, adding or removing a file changes it; the order files are given in does not.
public enum FileSetDigest {
    /// The digest as 64 lowercase hex digits.
    public static func hex(_ files: [(path: String, bytes: [UInt8])]) -> String {
        var hash = SHA256()
        for file in files.sorted(by: { $0.path < $1.path }) {
            hash.update(Array(file.path.utf8) + [0])
            hash.update(Array(String(file.bytes.count).utf8) + [0])
            hash.update(file.bytes)
        }
        return hexString(hash.finalize())
    }
}
