import ArgumentParser

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Scaffold.Template: ExpressibleByArgument {}

extension OrderStack {
    /// `orderstack init NAME`: writes a new package that depends on orderstack by its repository URL and version.
    public struct Init: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Create a new package with a stack of its own: blueprint, stages, profile, handlers, a test.",
            discussion: """
                The package depends on orderstack by its repository URL and this release's version, and builds,
                synthesizes, validates and runs `local --smoke` as created.

                Templates:
                  orders     this repository's orders stack (API, queue, processor, table, outbox, topic, subscribers)
                  webhooks   partner webhooks: an API without a GET route and a worker of the package's own
                  empty      the smallest stack with every hop: an API, a queue, a worker, a table

                Examples:
                  orderstack init shop                       # ./shop from the orders template
                  orderstack init hooks --template webhooks --path ~/src/hooks
                """)

        @Argument(help: "The package's name: lowercase letters, digits and hyphens (its stack's name too).")
        var name: String

        @Option(name: .long, help: "What the package starts from: orders, webhooks or empty.")
        var template: Scaffold.Template = .orders

        @Option(name: .long, help: "The folder to create (default: ./NAME); it must not exist or be empty.")
        var path: String?

        public init() {}

        public func run() throws {
            let console = Console()
            if let problem = Scaffold.problem(with: name) {
                console.err("error: \(problem)")
                throw BadInput()
            }
            let folder = path ?? name
            if let entries = try? FileManager.default.contentsOfDirectory(atPath: folder), !entries.isEmpty {
                console.err("\(folder): error: the folder exists and is not empty; init writes into a new or empty one")
                throw BadInput()
            }
            let files = Scaffold.files(name: name, template: template, version: OrderStack.version)
            do {
                for file in files {
                    let target = "\(folder)/\(file.path)"
                    if let slash = target.lastIndex(of: "/") {
                        try FileSystem.createDirectory(String(target[..<slash]))
                    }
                    try FileSystem.write(Array(file.text.utf8), to: target)
                }
            } catch {
                throw error.report(to: console)
            }
            console.out(
                """
                created \(folder) from the \(template.rawValue) template (\(files.count) files; orderstack \(OrderStack.version) from \(Scaffold.repository))
                next:
                  cd \(folder)
                  swift build && swift run \(name) synth
                  swift test
                  swift run \(name) local --smoke

                """)
        }
    }
}
