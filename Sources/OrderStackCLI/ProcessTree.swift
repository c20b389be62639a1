import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process and everything it started, found through `/proc` (Linux): what `swift build` runs may sit in process
/// groups of its own, so a signal to the child's group alone can leave compilers running, re-parented to init.
enum ProcessTree {
    /// The living descendants of `root` (children first found first), `root` not included.
    static func descendants(of root: pid_t) -> [pid_t] {
        let parents = parentsByPID()
        var children: [pid_t: [pid_t]] = [:]
        for (pid, parent) in parents { children[parent, default: []].append(pid) }
        var found: [pid_t] = []
        var queue = [root]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where !found.contains(child) {
                found.append(child)
                queue.append(child)
            }
        }
        return found
    }

    /// Stops `root` and all it started: `first` (SIGINT lets `swift build` cancel its jobs) to its process group,
    /// up to `grace` for the tree to end, then each remaining process is frozen (SIGSTOP, so none starts another)
    /// and killed (SIGKILL), repeated until no descendant is found.
    static func stop(_ root: pid_t, first: Int32 = SIGINT, grace: Double = 1.0) {
        var seen = Set(descendants(of: root)).union([root])
        kill(-root, first)
        kill(root, first)
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline, seen.contains(where: isRunning) {
            usleep(20_000)
            seen.formUnion(descendants(of: root))
        }
        for _ in 0..<20 {
            let left = seen.union(descendants(of: root)).filter(isRunning)
            if left.isEmpty { return }
            for pid in left { kill(pid, SIGSTOP) }
            seen.formUnion(left.flatMap { descendants(of: $0) })
            for pid in seen { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }

    /// Whether `pid` exists and is not a zombie.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[close...].hasPrefix(") Z")
    }

    /// Every process's parent, from `/proc/<pid>/stat` (the field after the state, past the command in parentheses).
    static func parentsByPID() -> [pid_t: pid_t] {
        var result: [pid_t: pid_t] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, let parent = pid_t(fields[1]) { result[pid] = parent }
        }
        return result
    }
}
