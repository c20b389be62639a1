import ArgumentParser
import CloudFormation
import Foundation
import Packaging
import TemplateYAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#endif

extension OrderStack {
    /// `orderstack package`: builds the Lambda handlers for `provided.al2023` and writes their zips.
    public struct Package: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Build the Lambda handlers in release and write provided.al2023 zips with a bootstrap.",
            discussion: """
                Builds every handler the stage's template takes code for (a function whose Code.S3Key is a \
                parameter; the executable is the parameter's default, <executable>.zip) with the static Swift standard \
                library, strips it, refuses it if it needs a glibc symbol newer than 2.34 or a shared library \
                provided.al2023 lacks, and writes output/artifacts/<name>.zip with an executable bootstrap and \
                fixed timestamps (the same source gives the same bytes). Prints size, SHA-256 and the upload and \
                deploy commands with content-addressed S3 keys.

                Examples:
                  orderstack package
                  orderstack package --stage dev
                  orderstack package --binaries .build/release --skip-build
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @OptionGroup var stageOption: StageOption

        @Option(name: .long, help: "Where the zips go (default: output/artifacts).")
        var output: String?

        @Option(name: .long, help: "Folder holding the built executables (default: the release build's).")
        var binaries: String?

        @Flag(name: .long, help: "Use the executables in --binaries as they are; do not run swift build.")
        var skipBuild = false

        public init() {}

        public func run() throws {
            let console = Console()
            let project = try options.location
            let stageName = stageOption.resolve(project)
            guard project.stageNames().contains(stageName) else {
                console.err(
                    "error: unknown stage '\(stageName)'; available stages: \(project.stageNames().joined(separator: ", "))"
                )
                throw BadInput()
            }
            let stack = try stacks.single(console: console)
            let templatePath = "output/\(stack.name)-\(stageName).yaml"
            guard let text = project.read(project.path(templatePath)) else {
                console.err("error: cannot read \(templatePath); run `\(Stacks.executable) synth` first")
                throw BadInput()
            }
            let read = TemplateReader.read(text, path: templatePath)
            guard let template = read.template else {
                for diagnostic in read.diagnostics { console.err(diagnostic.description) }
                throw BadInput()
            }
            let wanted = Self.artifacts(in: template)
            guard !wanted.isEmpty else {
                console.err(
                    "error: \(templatePath) has no function whose Code.S3Key is a parameter; nothing to package")
                throw BadInput()
            }
            let directory = output ?? "output/artifacts"
            var builder = HandlerBuild(
                project: project, console: console, binaries: binaries ?? project.path(".build/release"),
                outputPath: output ?? project.path(directory), outputName: directory)
            builder.architectures = Self.architectures(in: template)
            if !skipBuild {
                try HandlerBuild.checkHostCanBuild(Set(builder.architectures.values), console: console)
                try builder.build(wanted.map(\.executable))
            }
            let artifacts = try builder.zip(wanted)
            console.out(
                "\n"
                    + DeployCommands.text(
                        artifacts: artifacts, directory: directory, template: templatePath,
                        stackName: "\(stack.name)-\(stageName)", bucketParameter: "ArtifactBucket"))
        }

        /// Executable name and key parameter of every function whose code key is a template parameter, in template
        /// order: the parameter's default names the executable (`order-processor.zip` → `order-processor`); without
        /// one, the parameter's name does (`OrderProcessorCodeKey` → `order-processor`).
        static func artifacts(in template: Template) -> [(executable: String, parameter: String)] {
            template.resources.compactMap { handler(of: $0, in: template) }
        }

        /// The `Architectures` of each handler's function, by executable (`x86_64`, Lambda's default, when absent).
        static func architectures(in template: Template) -> [String: String] {
            var result: [String: String] = [:]
            for resource in template.resources {
                guard let found = handler(of: resource, in: template) else { continue }
                result[found.executable] = resource.properties["Architectures"]?.items?.first?.stringValue ?? "x86_64"
            }
            return result
        }

        /// The executable of each function that runs a handler of this project, by logical ID.
        static func executables(in template: Template) -> [String: String] {
            var result: [String: String] = [:]
            for resource in template.resources {
                if let found = handler(of: resource, in: template) { result[resource.logicalId] = found.executable }
            }
            return result
        }

        /// The executable and code-key parameter of `resource` when it is such a function.
        static func handler(of resource: Resource, in template: Template) -> (executable: String, parameter: String)? {
            guard resource.type == "AWS::Lambda::Function",
                case .ref(let parameter)? = resource.properties["Code"]?["S3Key"],
                let declared = template.parameter(parameter)
            else { return nil }
            // The blueprint's handler: the parameter's default is `<executable>.zip`.
            if case .string(let key)? = declared.defaultValue, key.hasSuffix(".zip"), key.count > 4,
                !key.contains("/")
            {
                return (String(key.dropLast(4)), parameter)
            }
            let base =
                parameter.hasSuffix("CodeKey") && parameter.count > 7
                ? String(parameter.dropLast(7))
                : resource.logicalId.hasSuffix("Function")
                    ? String(resource.logicalId.dropLast(8)) : resource.logicalId
            return (kebabCase(base), parameter)
        }

        /// `OrderProcessor` → `order-processor`.
        static func kebabCase(_ name: String) -> String {
            var result = ""
            for character in name {
                if character.isUppercase, !result.isEmpty { result.append("-") }
                result.append(Character(character.lowercased()))
            }
            return result
        }
    }
}
