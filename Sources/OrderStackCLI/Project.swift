import CloudFormation
import StackDSL
import YAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A command failed on bad input; its diagnostics were printed. Exit status 2.
struct BadInput: Error {}

/// The user's project on disk: `blueprints/` (stages, schemas) and `output/`.
///
/// All file access of the CLI goes through here, so the engine libraries stay free of I/O.
public struct Project: Sendable {
    /// The project root (the folder holding `blueprints/`).
    public let root: String

    /// Creates a project rooted at `root`.
    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    /// The nearest folder from `directory` upward that holds `blueprints/stages`, as a path relative to
    /// `directory` (`.`, `..`, `../..`), so that printed paths stay short; `nil` when there is none.
    public static func discover(from directory: String) -> Project? {
        var absolute = directory
        var relative = "."
        while true {
            let stages = (absolute == "/" ? "" : absolute) + "/blueprints/stages"
            if (try? FileManager.default.contentsOfDirectory(atPath: stages)) != nil {
                return Project(root: relative)
            }
            guard absolute != "/", let slash = absolute.lastIndex(of: "/") else { return nil }
            absolute = slash == absolute.startIndex ? "/" : String(absolute[..<slash])
            relative = relative == "." ? ".." : relative + "/.."
        }
    }

    /// `blueprints/stages`.
    public var stagesDirectory: String { path("blueprints/stages") }
    /// `blueprints/schemas`.
    public var schemasDirectory: String { path("blueprints/schemas") }

    /// `root/relative`, or `relative` itself when the root is `.`.
    public func path(_ relative: String) -> String {
        root == "." ? relative : "\(root)/\(relative)"
    }

    /// The stage names, from `blueprints/stages/*.yaml`, sorted.
    public func stageNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stagesDirectory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Reads a file as UTF-8 text, or `nil` if it cannot be read.
    public func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Loads the stages named (all stages when `names` is empty).
    /// - Returns: the settings, or the diagnostics that stopped them.
    public func loadStages(_ names: [String]) -> Result<[StageSettings], Failure> {
        let available = stageNames()
        guard !available.isEmpty else {
            return .failure(Failure(message: "no stage files in \(stagesDirectory); add e.g. dev.yaml"))
        }
        var settings: [StageSettings] = []
        var diagnostics: [Diagnostic] = []
        for name in names.isEmpty ? available : names {
            guard available.contains(name) else {
                return .failure(
                    Failure(message: "unknown stage '\(name)'; available stages: \(available.joined(separator: ", "))"))
            }
            let file = "\(stagesDirectory)/\(name).yaml"
            guard let text = read(file) else { return .failure(Failure(message: "cannot read \(file)")) }
            let loaded = StageSettings.load(text, path: file)
            diagnostics += loaded.diagnostics
            if var stage = loaded.settings {
                diagnostics += sizePartners(&stage, path: file)
                if stage.name != name {
                    diagnostics.append(
                        Diagnostic(
                            path: file, mark: .start, severity: .error, id: ConfigReader.ID.invalidValue,
                            message: "'name' is '\(stage.name)' but the file is \(name).yaml; they must match"))
                }
                settings.append(stage)
            }
        }
        if diagnostics.hasErrors { return .failure(Failure(diagnostics: diagnostics)) }
        return .success(settings)
    }

    /// Loads every `blueprints/schemas/*.json` as a template value (keys in file order).
    public func loadSchemas() -> Result<[String: Value], Failure> {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: schemasDirectory)) ?? []).filter {
            $0.hasSuffix(".json")
        }.sorted()
        var schemas: [String: Value] = [:]
        var diagnostics: [Diagnostic] = []
        for name in names {
            let file = "\(schemasDirectory)/\(name)"
            guard let text = read(file) else { return .failure(Failure(message: "cannot read \(file)")) }
            let document = SchemaDocument.read(text, path: file)
            diagnostics += document.diagnostics
            if let value = document.value { schemas[String(name.dropLast(5))] = value }
        }
        if diagnostics.hasErrors { return .failure(Failure(diagnostics: diagnostics)) }
        return .success(schemas)
    }

    /// The stage every command takes when none is named (`StageOption`): `dev` when it exists, else the first
    /// stage not named `prod` or `production`; one of those only when it is the only stage.
    public var defaultStage: String {
        let names = stageNames()
        if names.contains("dev") { return "dev" }
        return names.first { !Self.productionNames.contains($0) } ?? names.first ?? "dev"
    }

    /// Stage names taken for production: never a default while another stage exists.
    static let productionNames: Set<String> = ["prod", "production"]

    /// Why loading failed: diagnostics with locations, or one message.
    public struct Failure: Error, Sendable {
        /// Located problems.
        public var diagnostics: [Diagnostic] = []
        /// A problem without a location.
        public var message: String?

        init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
        init(message: String) { self.message = message }

        /// Prints the failure and returns the error that ends the command with status 2.
        func report(to console: Console) -> BadInput {
            console.print(diagnostics)
            if let message { console.err("error: \(message)") }
            return BadInput()
        }
    }
}

/// Reads a JSON schema file into a template value.
enum SchemaDocument {
    static func read(_ text: String, path: String) -> (value: Value?, diagnostics: [Diagnostic]) {
        do {
            guard let root = try Parser.parse(text).first else {
                return (
                    nil,
                    [
                        Diagnostic(
                            path: path, mark: .start, severity: .error, id: DiagnosticID.configSyntax,
                            message: "the schema file is empty")
                    ]
                )
            }
            guard case .mapping = root.content else {
                return (
                    nil,
                    [
                        Diagnostic(
                            path: path, mark: root.mark, severity: .error, id: DiagnosticID.wrongType,
                            message: "a schema is a JSON object")
                    ]
                )
            }
            return (plainValue(root), [])
        } catch {
            return (
                nil,
                [
                    Diagnostic(
                        path: path, mark: error.mark, severity: .error, id: DiagnosticID.configSyntax,
                        message: error.problem)
                ]
            )
        }
    }

    /// Converts JSON nodes to values without interpreting intrinsic functions (a schema is data).
    private static func plainValue(_ node: Node) -> Value {
        switch node.content {
        case .scalar(let text, let style):
            guard style.isPlain else { return .string(text) }
            switch ScalarResolution.resolvePlain(text) {
            case .bool(let flag): return .bool(flag)
            case .null: return .null
            case .number(let number): return .number(number)
            case .string(let string): return .string(string)
            }
        case .sequence(let items): return .list(items.map(plainValue))
        case .mapping(let pairs): return .map(Fields(pairs.map { ($0.key.scalarText ?? "", plainValue($0.value)) }))
        }
    }
}
