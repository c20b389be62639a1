import PackagePlugin

/// Records a digest of the target's Swift sources in a generated `BlueprintSources.fingerprint`, so that an
/// `orderstack` binary knows which blueprint it was built from and never calls another one's templates up to date.
@main
struct BlueprintFingerprint: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let sources = target.sourceFiles(withSuffix: "swift").map(\.url)
        let output = context.pluginWorkDirectoryURL.appending(path: "BlueprintSources.swift")
        return [
            .buildCommand(
                displayName: "Fingerprinting the blueprint sources of \(target.name)",
                executable: try context.tool(named: "BlueprintFingerprintTool").url,
                arguments: [
                    output.path(percentEncoded: false), context.package.directoryURL.path(percentEncoded: false),
                ]
                    + sources.map { $0.path(percentEncoded: false) },
                inputFiles: sources,
                outputFiles: [output])
        ]
    }
}
