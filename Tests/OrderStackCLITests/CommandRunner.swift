import Foundation
import Testing

/// Runs the built `orderstack` executable and other programs as child processes.
enum CommandRunner {
    /// The repository root.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The folder holding the built products (beside the test bundle).
    static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("orderstack").path),
                !url.path.hasSuffix(".xctest")
            {
                return url
            }
            url.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `orderstack` with `arguments` in `directory`.
    static func orderstack(_ arguments: [String], in directory: URL = packageRoot) throws -> Outcome {
        try run(productsDirectory.appendingPathComponent("orderstack").path, arguments, in: directory)
    }

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`.
    static func run(_ executable: String, _ arguments: [String], in directory: URL = packageRoot) throws -> Outcome {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A scratch copy of the project's `blueprints/` in a new temporary folder.
    /// A scratch project's `output/local/logs`, created (where `local` writes its logs).
    static func localLogs(of project: URL) throws -> URL {
        let logs = project.appendingPathComponent("output/local/logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        return logs
    }

    static func scratchProject() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: packageRoot.appendingPathComponent("blueprints"), to: directory.appendingPathComponent("blueprints"))
        return directory
    }

    /// A scratch project in a new git repository whose one commit holds `output/` as synthesized and then
    /// changed by `deployed(stage, text)`: what the base branch would hold when the blueprint has moved on.
    static func scratchRepository(deployed: (String, String) -> String) throws -> URL {
        let project = try scratchProject()
        let synth = try orderstack(["synth", "--project", project.path])
        guard synth.status == 0 else { throw RunnerError(message: synth.stderr) }
        for stage in ["dev", "prod"] {
            let file = project.appendingPathComponent("output/orders-\(stage).yaml")
            try deployed(stage, try String(contentsOf: file, encoding: .utf8)).write(
                to: file, atomically: true, encoding: .utf8)
        }
        for arguments in [["init", "-q"], ["add", "."], ["commit", "-q", "-m", "deployed"]] {
            try git(arguments, in: project)
        }
        return project
    }

    /// Runs git in `project` with a fixed identity.
    static func git(_ arguments: [String], in project: URL) throws {
        let result = try run(
            "git", ["-C", project.path, "-c", "user.email=ci@example.com", "-c", "user.name=CI"] + arguments)
        guard result.status == 0 else { throw RunnerError(message: "git \(arguments): \(result.stderr)") }
    }

    struct RunnerError: Error { var message: String }
}
