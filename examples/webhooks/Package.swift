// swift-tools-version: 6.0
// A second system built with orderstack: partner webhooks accepted by API Gateway, queued, and stored by a
// Swift handler of this package. See docs/your-own-stack.md in the orderstack repository.
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, which differs between clones (in a project of your own,
/// depend on orderstack's repository URL and use `package: "orderstack"`).
let orderstack = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "webhooks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        // The blueprint: what you edit. The plugin records its sources' digest, so a stale binary is refused.
        .target(
            name: "WebhooksBlueprint",
            dependencies: [
                .product(name: "StackDSL", package: orderstack),
                .product(name: "CloudFormation", package: orderstack),
            ],
            path: "blueprints",
            exclude: ["stages", "schemas", "profiles", "samples"],
            sources: ["WebhooksStack.swift"],
            plugins: [.plugin(name: "BlueprintFingerprint", package: orderstack)]
        ),
        // The command line: orderstack's CLI, handed this package's stack.
        .executableTarget(
            name: "webhooks",
            dependencies: ["WebhooksBlueprint", .product(name: "OrderStackCLI", package: orderstack)]
        ),
        // The Lambda handler of this package (`Handler(artifact: "webhook-worker")` in the blueprint): it stores each
        // delivery in the table with orderstack's DynamoDB client (AWSClients). It parses JSON with FoundationEssentials, which needs glibc 2.35's hypot: CGlibcCompat and the two --wrap flags
        // bind it to the version provided.al2023 has (docs/packaging.md).
        .executableTarget(
            name: "webhook-worker",
            dependencies: [
                .product(name: "LambdaRuntime", package: orderstack),
                .product(name: "AWSClients", package: orderstack),
                .product(name: "JSONDocument", package: orderstack),
                .product(name: "JSONText", package: orderstack),
                .product(name: "CGlibcCompat", package: orderstack),
            ],
            linkerSettings: [
                .unsafeFlags(
                    ["-Xlinker", "--wrap=hypot", "-Xlinker", "--wrap=hypotf"], .when(platforms: [.linux]))
            ]
        ),
    ]
)
