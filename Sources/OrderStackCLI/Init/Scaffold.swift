/// The package `orderstack init` writes: a blueprint, stages, a profile, a schema and a sample, the handlers, the
/// command line and a test, depending on orderstack by its repository URL and this release's version.
///
/// The copied files come from this repository (`templates/README.md`); the manifest, the command line's
/// `main.swift`, the README and `.gitignore` are written here.
public enum Scaffold {
    /// What the new package starts from.
    public enum Template: String, CaseIterable, Sendable {
        /// This repository's orders stack, with its handlers (through the `OrderHandlers` library).
        case orders
        /// The partner webhooks example: an API without a GET route, a worker of the package's own.
        case webhooks
        /// The smallest stack with every hop: an API, a queue, a worker, a table.
        case empty

        /// The package's handler executables, after its name (`shop-worker`), and the orderstack libraries each uses.
        var handlers: [(suffix: String, libraries: [String])] {
            switch self {
            case .orders:
                return [
                    ("processor", ["OrderHandlers", "LambdaRuntime"]), ("query", ["OrderHandlers", "LambdaRuntime"]),
                ]
            case .webhooks, .empty:
                return [("worker", ["LambdaRuntime", "AWSClients", "JSONDocument", "JSONText"])]
            }
        }
    }

    /// Where a package depends on orderstack from: the repository releases are tagged in.
    public static let repository = "https://github.com/orderstack/orderstack"

    /// Names orderstack's own targets and products take: a package with a target of the same name does not build.
    static let takenNames: Set<String> = [
        "orderstack", "order-processor", "order-query", "OrdersBlueprint", "OrderHandlers", "OrderDomain",
    ]

    /// Why `name` cannot name a package (a stack name and the prefix of its targets), or `nil`: lowercase letters,
    /// digits and hyphens, starting with a letter, at most 40 characters (a stack name, with `-<stage>`, stays
    /// within CloudFormation's 128), and none of its targets named as one of orderstack's.
    public static func problem(with name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), allowed, !name.hasSuffix("-"),
            name.count <= 40
        else {
            return "'\(name)' cannot name a package: use lowercase letters, digits and hyphens, starting with a letter "
                + "(at most 40), e.g. shop or partner-hooks"
        }
        let targets =
            [name, "\(upperCamel(name))Blueprint", "\(upperCamel(name))Tests"]
            + Template.allCases.flatMap { $0.handlers.map { "\(name)-\($0.suffix)" } }
        if let taken = targets.first(where: takenNames.contains) {
            return "'\(name)' would name a target \(taken), as orderstack's own: choose another name"
        }
        return nil
    }

    /// `partner-hooks` as `PartnerHooks`.
    public static func upperCamel(_ name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Every file of the package `name` from `template`, relative to its folder, in a stable order.
    public static func files(name: String, template: Template, version: String) -> [(path: String, text: String)] {
        let upper = upperCamel(name)
        func filled(_ text: String) -> String {
            text.replacingOccurrences(of: "{{name}}", with: name).replacingOccurrences(of: "{{Name}}", with: upper)
        }
        var files = (copied[template] ?? []).map { (filled($0.path), filled($0.text) + "\n") }
        files.append(("Package.swift", manifest(name: name, template: template, version: version)))
        files.append(("Sources/\(name)/main.swift", commandLine(name: name)))
        files.append(("README.md", readme(name: name, template: template, version: version)))
        files.append((".gitignore", ".build/\n.swiftpm/\n.venv/\noutput/artifacts/\noutput/local/\n"))
        return files.sorted { $0.0 < $1.0 }
    }

    static func commandLine(name: String) -> String {
        """
        // The project's command line: `swift run \(name) synth`, `validate`, `diff`, `cost`, `local`, `deploy`, ...
        import OrderStackCLI
        import \(upperCamel(name))Blueprint

        OrderStack.main(stacks: [\(upperCamel(name))Blueprint.stack], blueprint: BlueprintSources.fingerprint)

        """
    }
}
