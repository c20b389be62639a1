import CloudFormation
import Diff
import TemplateYAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The project's `output/` as committed at a git revision: the old side of `diff` and `cost --base`.
///
/// What is committed is what was reviewed and deployed; the files on disk may already hold a fresh synth.
struct CommittedOutput {
    /// The project whose repository is read.
    let project: Project
    /// The revision as given (`HEAD`, `origin/main`, a commit).
    let revision: String

    /// Checks that the project is in a git repository and that `revision` names a commit of it.
    /// - Throws: `BadInput` after printing what is wrong.
    init(project: Project, revision: String, console: Console) throws {
        self.project = project
        self.revision = revision
        let inside = try Self.git(project, ["rev-parse", "--is-inside-work-tree"])
        guard inside.code != 127 else {
            console.err("error: git is not installed; the committed output/ is read with git (or give two files)")
            throw BadInput()
        }
        guard inside.code == 0 else {
            console.err(
                "error: \(project.root) is not in a git repository, so there is no committed output/ to compare with; "
                    + "give two files (OLD NEW) instead")
            throw BadInput()
        }
        guard try Self.git(project, ["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"]).code == 0 else {
            guard try Self.git(project, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).code == 0 else {
                console.err(
                    "error: this repository has no commits yet, so there is no committed output/ to compare with; "
                        + "commit output/ first, or give two files (OLD NEW)")
                throw BadInput()
            }
            console.err(
                "error: --base '\(revision)' is not a commit of this repository (try HEAD, origin/main or a hash)")
            throw BadInput()
        }
    }

    /// The committed text of `relative` (a path under the project root, such as `output/orders-prod.yaml`), or
    /// `nil` when the revision does not have the file (a new stack or stage).
    func text(_ relative: String) throws -> String? {
        let object = "\(revision):./\(relative)"
        guard try Self.git(project, ["cat-file", "-e", object]).code == 0 else { return nil }
        let shown = try Self.git(project, ["show", object])
        return shown.code == 0 ? shown.output : nil
    }

    /// The committed template at `relative`, parsed; `nil` when the revision does not have the file.
    /// - Throws: `BadInput` after printing the diagnostics of a committed file that does not parse.
    func template(_ relative: String, console: Console) throws -> Template? {
        guard let text = try text(relative) else { return nil }
        return try TemplateFile.parse(text, path: "\(revision):\(relative)", console: console)
    }

    private static func git(_ project: Project, _ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run("git", ["-C", project.root] + arguments, quiet: true)
    }
}

/// Reads templates for the commands that compare them.
enum TemplateFile {
    /// Reads and parses the file at `path`.
    /// - Throws: `BadInput` after printing why it cannot be read or parsed.
    static func read(_ path: String, console: Console) throws -> Template {
        guard let data = FileManager.default.contents(atPath: path) else {
            console.err("\(path): error: cannot read the file")
            throw BadInput()
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, console: console)
    }

    /// Parses `text`, reported as `path`.
    static func parse(_ text: String, path: String, console: Console) throws -> Template {
        let result = TemplateReader.readWithoutLocations(bytes: Array(text.utf8), path: path)
        guard let template = result.template, !result.diagnostics.hasErrors else {
            console.print(result.diagnostics)
            throw BadInput()
        }
        return template
    }
}

/// The project's acknowledged losses (`blueprints/acknowledged-losses.yaml`), honoured by `diff` and `deploy`.
enum AcknowledgedLosses {
    /// The acknowledgements of `project`; none when it has no file.
    /// - Throws: `BadInput` after printing each located problem of the file.
    static func load(_ project: Project?, console: Console) throws -> [Acknowledgement] {
        guard let project else { return [] }
        let path =
            project.root == "."
            ? AcknowledgementFile.relativePath : "\(project.root)/\(AcknowledgementFile.relativePath)"
        guard let text = project.read(path) else { return [] }
        let (acknowledgements, diagnostics) = AcknowledgementFile.read(text, path: path)
        guard diagnostics.isEmpty else {
            console.print(diagnostics)
            throw BadInput()
        }
        return acknowledgements
    }

    /// `output/orders-prod.yaml` as `orders-prod`, the name an acknowledgement's `stack` gives it.
    static func stackName(of outputPath: String) -> String {
        let file = outputPath.split(separator: "/").last.map(String.init) ?? outputPath
        return file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file
    }
}
