extension Scaffold {
    /// `Package.swift`: the blueprint (with the fingerprint plugin), the command line, the handlers (linked for
    /// provided.al2023's glibc) and the test, orderstack by its repository URL and `version`.
    static func manifest(name: String, template: Template, version: String) -> String {
        let upper = upperCamel(name)
        let handlers = template.handlers.map { handler in
            let products = (handler.libraries + ["CGlibcCompat"]).map {
                ".product(name: \"\($0)\", package: \"orderstack\")"
            }
            return """
                        // A Lambda handler (`Handler(artifact: "\(name)-\(handler.suffix)")` in the blueprint): `swift run \(name)
                        // package` builds it for provided.al2023; CGlibcCompat and the two --wrap flags bind glibc's hypot to
                        // the version that runtime has.
                        .executableTarget(
                            name: "\(name)-\(handler.suffix)",
                            dependencies: [
                                \(products.joined(separator: ",\n                "))
                            ],
                            linkerSettings: [
                                .unsafeFlags(["-Xlinker", "--wrap=hypot", "-Xlinker", "--wrap=hypotf"], .when(platforms: [.linux]))
                            ]
                        ),
                """
        }
        return """
            // swift-tools-version: 6.0
            // \(name): a stack built with orderstack (`orderstack init \(name) --template \(template.rawValue)`).
            import PackageDescription

            let package = Package(
                name: "\(name)",
                platforms: [.macOS(.v14)],
                dependencies: [
                    // orderstack's releases are tagged with their version; `from:` takes the newest compatible one.
                    .package(url: "\(repository)", from: "\(version)")
                ],
                targets: [
                    // The blueprint: what you edit. The plugin records its sources' digest, so a stale binary is refused.
                    .target(
                        name: "\(upper)Blueprint",
                        dependencies: [
                            .product(name: "StackDSL", package: "orderstack"),
                            .product(name: "CloudFormation", package: "orderstack"),
                        ],
                        path: "blueprints",
                        exclude: ["stages", "schemas", "profiles", "samples"],
                        sources: ["\(upper)Stack.swift"],
                        plugins: [.plugin(name: "BlueprintFingerprint", package: "orderstack")]
                    ),
                    // The command line: orderstack's CLI, handed this package's stack (`swift run \(name) synth`).
                    .executableTarget(
                        name: "\(name)",
                        dependencies: ["\(upper)Blueprint", .product(name: "OrderStackCLI", package: "orderstack")]
                    ),
            \(handlers.joined(separator: "\n"))
                    // Assertions on the synthesized stack (`swift test`).
                    .testTarget(
                        name: "\(upper)Tests",
                        dependencies: [
                            "\(upper)Blueprint",
                            .product(name: "StackTesting", package: "orderstack"),
                            .product(name: "CloudFormation", package: "orderstack"),
                        ]
                    ),
                ]
            )

            """
    }

    /// The package's README: what is where and the commands, with orderstack's documentation by URL.
    static func readme(name: String, template: Template, version: String) -> String {
        """
        # \(name)

        A stack built with [orderstack](\(repository)) \(version), from `orderstack init \(name) --template \(template.rawValue)`.

        - `blueprints/\(upperCamel(name))Stack.swift`: the architecture, in Swift. IAM, alarms and logs follow from its wiring.
        - `blueprints/stages/*.yaml`: what differs between stages (sizes, retention, alarms).
        - `blueprints/profiles/*.yaml`: traffic for `cost` and `simulate`; `blueprints/schemas`: request models.
        - `Sources/\(name)-*/`: the Lambda handlers; `Sources/\(name)/`: the command line.
        - `Tests/\(upperCamel(name))Tests`: assertions on the synthesized stack (StackTesting).

        ```sh
        swift build                          # the first build fetches and compiles orderstack
        swift run \(name) synth                # writes output/\(name)-<stage>.yaml
        swift run \(name) validate             # references, IAM, SAM, wiring
        swift test                           # the stack's assertions
        swift run \(name) local --smoke        # the dev stage on this machine (needs moto_server: pip install 'moto[server]')
        swift run \(name) cost --profile all   # monthly cost per profile
        ```

        Commit `output/` with the blueprint: `swift run \(name) synth --check` fails when they differ, and
        `swift run \(name) diff` reviews every change for data loss before a deploy. See orderstack's
        docs/your-own-stack.md for everything else, and its section on versions for upgrading.

        """
    }
}
