/// "Did you mean": the valid name nearest a misspelt one.
public enum Spelling {
    /// The valid name closest to `key`: the same letters in another case, or within a small edit distance (one
    /// edit per four letters, at least one and at most three).
    public static func nearest(_ key: String, in names: some Sequence<String>) -> String? {
        let lower = key.lowercased()
        var best: (name: String, distance: Int)?
        for name in names {
            if name.lowercased() == lower { return name }
            let distance = editDistance(Array(lower.utf8), Array(name.lowercased().utf8))
            if distance <= max(1, min(3, key.count / 4)), distance < (best?.distance ?? .max) {
                best = (name, distance)
            }
        }
        return best?.name
    }

    /// `; did you mean 'NAME'?` for the name nearest `key`, or nothing.
    public static func suggestion(for key: String, in names: some Sequence<String>) -> String {
        nearest(key, in: names).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance, two rows.
    public static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
