// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "orderstack",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "orderstack", targets: ["orderstack"]),
        .library(name: "StackDSL", targets: ["StackDSL"]),
        .library(name: "CloudFormation", targets: ["CloudFormation"]),
        .library(name: "Validation", targets: ["Validation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "JSONText"),
        .target(name: "YAML", dependencies: ["CLibYAML", "JSONText"]),
        .target(name: "CloudFormation", dependencies: ["YAML"]),
        .target(name: "StackDSL", dependencies: ["CloudFormation", "YAML"]),
        .target(name: "Validation", dependencies: ["CloudFormation", "YAML"]),
        .target(name: "Diff", dependencies: ["CloudFormation", "YAML"]),
        .target(name: "Costing", dependencies: ["CloudFormation", "YAML"]),
        .target(name: "OrderDomain"),
        .target(name: "LambdaRuntime", dependencies: ["JSONText"]),
        .target(name: "AWSSigV4", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "OrdersBlueprint",
            dependencies: ["StackDSL"],
            path: "blueprints",
            exclude: ["stages", "schemas", "README.md"],
            sources: ["OrdersStack.swift"]
        ),
        .target(
            name: "OrderStackCLI",
            dependencies: [
                "CloudFormation", "StackDSL", "OrdersBlueprint", "YAML", "Validation", "Diff", "Costing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "orderstack", dependencies: ["OrderStackCLI"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "DiffTests", dependencies: ["Diff", "CloudFormation"]),
        .testTarget(name: "CostingTests", dependencies: ["Costing", "CloudFormation", "YAML"]),
        .testTarget(name: "OrderDomainTests", dependencies: ["OrderDomain"]),
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime"]),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4"]),
        .testTarget(name: "CloudFormationTests", dependencies: ["CloudFormation", "YAML"]),
        .testTarget(name: "StackDSLTests", dependencies: ["StackDSL", "CloudFormation", "OrdersBlueprint"]),
        .testTarget(
            name: "ValidationTests",
            dependencies: ["Validation", "CloudFormation", "YAML", "StackDSL", "OrdersBlueprint"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "OrderStackCLITests",
            dependencies: ["OrderStackCLI", "CloudFormation", "StackDSL", "OrdersBlueprint"],
            exclude: ["Fixtures"]
        ),
    ]
)
