import ArgumentParser
import Hashing
import StackDSL

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The stacks the CLI was started with, by `OrderStack.main(stacks:)`: the user's package owns them, the CLI
/// knows none of its own. Bound for the run of one command line (a task-local value, no global state): commands
/// run in process side by side each see their own.
enum Stacks {
    /// What one command line runs with.
    struct Registry: Sendable {
        /// Every registered stack, in the order given.
        var stacks: [Stack] = []
        /// What the stacks' blueprint was compiled from, when the executable says (`BlueprintSources.fingerprint`).
        var fingerprint: BlueprintFingerprint?
        /// The name the executable was started by (`orderstack`, or a project's own, e.g. `webhooks`): messages
        /// that suggest a command name it.
        var executable = "orderstack"
    }

    /// The registry of the command line running in this task.
    @TaskLocal static var current = Registry()

    static var all: [Stack] { current.stacks }
    static var fingerprint: BlueprintFingerprint? { current.fingerprint }
    static var executable: String { current.executable }

    /// Refuses to synthesize from a binary whose blueprint differs from the project's blueprint sources: its
    /// templates would not be the project's, and `synth --check` would call stale files up to date.
    /// - Throws: `ExitCode.failure` after saying which file differs and how to rebuild.
    static func checkFingerprint(project: Project, console: Console) throws {
        guard let fingerprint else { return }
        var files: [(path: String, bytes: [UInt8])] = []
        for file in fingerprint.files {
            guard let data = FileManager.default.contents(atPath: project.path(file)) else {
                console.err(
                    "error: this \(executable) was built from \(file), which \(project.root == "." ? "this project" : project.root) does not have; "
                        + "run the project's own build (`swift run <its executable> ...` in the project)")
                throw ExitCode.failure
            }
            files.append((file, Array(data)))
        }
        guard FileSetDigest.hex(files) != fingerprint.sha256 else { return }
        console.err(
            "error: this \(executable) binary was built from other blueprint sources than \(fingerprint.files.map(project.path).joined(separator: ", ")) "
                + "(edited since the build); its templates would not be the project's. Rebuild it: "
                + "`swift build --product \(executable)`, or run `swift run \(executable) ...`")
        throw ExitCode.failure
    }
}

/// `--stack NAME`, shared by the commands that synthesize.
public struct StackOptions: ParsableArguments {
    /// The stacks asked for.
    @Option(
        name: .long,
        help:
            "The stack, by name, where the project has several (synth, validate and diff take it repeatedly; default: every stack, or the only one)."
    )
    public var stack: [String] = []

    public init() {}

    /// The stacks asked for, every stack when none is named.
    /// - Throws: `BadInput` after listing the stacks, when a name is unknown or no stack is registered.
    func selected(console: Console) throws -> [Stack] {
        let all = Stacks.all
        guard !all.isEmpty else {
            console.err("error: no stack is registered; the executable's main must call OrderStack.main(stacks: [...])")
            throw BadInput()
        }
        guard !stack.isEmpty else { return all }
        return try stack.map { name in
            guard let found = all.first(where: { $0.name == name }) else {
                console.err(
                    "error: unknown stack '\(name)'; the stacks are: \(all.map(\.name).joined(separator: ", "))")
                throw BadInput()
            }
            return found
        }
    }

    /// The one stack a command works on: the named one, or the only one.
    /// - Throws: `BadInput` naming the stacks when there are several and none is chosen.
    func single(console: Console) throws -> Stack {
        let chosen = try selected(console: console)
        guard chosen.count == 1 else {
            console.err(
                "error: this command works on one stack and there are \(chosen.count): "
                    + "\(chosen.map(\.name).joined(separator: ", ")); choose one with --stack NAME")
            throw BadInput()
        }
        return chosen[0]
    }
}
