import Foundation
import TestSupport
import Testing

/// What some tests need beyond the package itself: the real-world template corpora beside the repository
/// (`../shared/corpus-real`, `../shared/corpus-real-2`) and Python tools (cfn-lint, checkov, moto_server,
/// aws-sam-translator). On a plain clone without them, the tests that need them are skipped, each with one line
/// saying what is missing and how to get it. In CI (`ORDERSTACK_CI=1`, which `.ci/run` sets) they always run, so a
/// requirement that went missing there fails instead of hiding.
public enum Requirement {
    /// Whether the suite runs in CI, where nothing may be skipped.
    public static let inCI = ProcessInfo.processInfo.environment["ORDERSTACK_CI"] == "1"

    /// The repository's root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `../shared` beside the repository, or the folder `ORDERSTACK_SHARED` names (CI points it at an empty folder
    /// to run the suite as on a plain clone).
    public static let shared =
        ProcessInfo.processInfo.environment["ORDERSTACK_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? root.deletingLastPathComponent().appendingPathComponent("shared")

    /// Runs only where `../shared/<corpus>` exists (always in CI).
    public static func corpus(_ names: String...) -> ConditionTrait {
        let missing = names.filter { !FileManager.default.fileExists(atPath: shared.appendingPathComponent($0).path) }
        return .enabled(
            if: missing.isEmpty || inCI,
            "needs the template corpora beside the repository, missing here: \(missing.map { "../shared/\($0)" }.joined(separator: ", ")) (CI has them)"
        )
    }

    /// Runs only where every tool is on PATH (always in CI).
    public static func tools(_ names: String...) -> ConditionTrait {
        let missing = names.filter { !onPath($0) }
        return .enabled(
            if: missing.isEmpty || inCI,
            "needs \(missing.joined(separator: ", ")) on PATH: python3 -m venv .venv && .venv/bin/pip install -r scripts/requirements-ci.txt, then put .venv/bin on PATH"
        )
    }

    /// Runs only where `python3` can import `module` (always in CI).
    public static func pythonModule(_ module: String) -> ConditionTrait {
        .enabled(
            if: importable(module) || inCI,
            "needs the Python module \(module): pip install -r scripts/requirements-ci.txt (in a virtual environment)")
    }

    /// Whether an executable named `name` is in a folder of `PATH`.
    public static func onPath(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }

    static func importable(_ module: String) -> Bool {
        guard onPath("python3") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
