// swift-tools-version: 6.0
import PackageDescription

/// The handlers link the `CGlibcCompat` wrappers in place of glibc 2.35's `hypot`/`hypotf`.
let handlerLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--wrap=hypot", "-Xlinker", "--wrap=hypotf"], .when(platforms: [.linux]))
]

let package = Package(
    name: "orderstack",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "orderstack", targets: ["orderstack"]),
        .executable(name: "order-processor", targets: ["order-processor"]),
        .executable(name: "order-query", targets: ["order-query"]),
        .library(name: "StackDSL", targets: ["StackDSL"]),
        .library(name: "CloudFormation", targets: ["CloudFormation"]),
        .library(name: "TemplateYAML", targets: ["TemplateYAML"]),
        .library(name: "Validation", targets: ["Validation"]),
        .library(name: "OrderStackCLI", targets: ["OrderStackCLI"]),
        // Assertions on a synthesized stack for a project's own tests.
        .library(name: "StackTesting", targets: ["StackTesting"]),
        .library(name: "LambdaRuntime", targets: ["LambdaRuntime"]),
        // The orders stack's handlers, for packages made with `orderstack init --template orders`.
        .library(name: "OrderHandlers", targets: ["OrderHandlers"]),
        // For a project's own handlers: DynamoDB and SNS clients with SigV4, endpoints and credentials from the
        // Lambda environment, and `CallDeadline`.
        .library(name: "AWSClients", targets: ["AWSClients"]),
        .library(name: "JSONText", targets: ["JSONText"]),
        .library(name: "JSONDocument", targets: ["JSONDocument"]),
        .library(name: "CGlibcCompat", targets: ["CGlibcCompat"]),
        .plugin(name: "BlueprintFingerprint", targets: ["BlueprintFingerprint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already in the build through AsyncHTTPClient; named for the local gateway's and Runtime API's server.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        // HDR latency histograms for `orderstack load` (the port package-benchmark uses; one file over swift-numerics).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "JSONText"),
        // A parsed JSON document (FoundationEssentials' decoder); JSONText stays Foundation-free.
        .target(name: "JSONDocument", dependencies: ["JSONText"]),
        // JSON Schema (draft 4) validation of parsed documents: API Gateway's request models, for local and load.
        .target(name: "JSONSchema", dependencies: ["JSONDocument", "JSONText"]),
        // Source locations and diagnostics, shared by the YAML reader and the CloudFormation model, and the one
        // catalogue of diagnostic IDs (validate's rules, configuration files, packaging).
        .target(name: "SourceDiagnostics"),
        .target(name: "YAML", dependencies: ["CLibYAML", "JSONText", "SourceDiagnostics"]),
        // The template model, the resource catalogue and the SAM expansion: no parser.
        // The resource catalogue (every CloudFormation type, compressed) is inflated with zlib.
        .target(name: "CloudFormation", dependencies: ["SourceDiagnostics", "ZlibStream"]),
        .target(name: "ZlibStream", dependencies: ["CZlib"]),
        // Templates read from YAML or JSON into the model, and written back as YAML.
        .target(name: "TemplateYAML", dependencies: ["CloudFormation", "YAML"]),
        .target(name: "StackDSL", dependencies: ["CloudFormation", "StackGraph", "TemplateYAML", "YAML"]),
        .target(name: "Validation", dependencies: ["CloudFormation", "SourceDiagnostics", "TemplateYAML", "YAML"]),
        .target(name: "Diff", dependencies: ["CloudFormation", "JSONText", "Hashing"]),
        // The stack's wiring read once from a template (routes, queues, consumers, tables, topics, roles in the
        // traffic's path): what cost, simulate, local, load and trace read.
        .target(name: "StackGraph", dependencies: ["CloudFormation"]),
        .target(name: "Costing", dependencies: ["CloudFormation", "StackGraph", "YAML"]),
        // RFC 3339 timestamps without Foundation's calendars, for logs, items and request dates.
        .target(name: "Timestamps"),
        .target(name: "OrderDomain", dependencies: ["JSONText", "JSONDocument", "Timestamps"]),
        .target(name: "LambdaRuntime", dependencies: ["JSONText"]),
        .target(name: "Hashing"),
        .target(name: "AWSSigV4", dependencies: ["Hashing"]),
        .target(
            name: "AWSClients",
            dependencies: [
                "AWSSigV4", "JSONDocument", "Timestamps",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The clients only the CLI needs (CloudFormation, S3, STS) and the credential chain; the handlers do not
        // link them. XML through Foundation's XMLParser (libxml2), which the toolchain ships.
        .target(
            name: "DeployClients", dependencies: ["AWSClients", "AWSSigV4", "Hashing", "JSONDocument", "JSONText"]),
        // deploy: artifacts, change set, the review through Diff's gate, progress; clients and clock injected.
        .target(
            name: "Deployment",
            dependencies: ["DeployClients", "AWSClients", "Diff", "CloudFormation", "TemplateYAML", "Hashing"]),
        // local: the template run on loopback (moto_server, the gateway, bootstraps under a local Runtime API,
        // event source pollers). Pure cores (names, schema, mapping templates, throttle, SigV4 check) beside the
        // servers.
        .target(
            name: "LocalRun",
            dependencies: [
                "CloudFormation", "StackGraph", "AWSClients", "AWSSigV4", "DeployClients", "JSONDocument", "JSONSchema",
                "JSONText", "Hashing", "Timestamps", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // load: a traffic profile replayed against a running API (seeded Poisson arrivals, requests from the
        // route's schema, an open-model sender over the transport seam), every accepted order verified, the run held
        // against the simulator's prediction. Clock and transport injected.
        .target(
            name: "LoadRun",
            dependencies: [
                "Costing", "StackGraph", "CloudFormation", "AWSClients", "AWSSigV4", "JSONDocument", "JSONSchema",
                "JSONText",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "OrderHandlers",
            dependencies: [
                "OrderDomain", "AWSClients", "LambdaRuntime", "JSONText", "JSONDocument", "Timestamps",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // glibc 2.34 compatibility for provided.al2023 (docs/packaging.md): `hypot`/`hypotf` bound to their
        // GLIBC_2.2.5 versions, used through `--wrap` on the handler executables only.
        .target(name: "CGlibcCompat"),
        .executableTarget(
            name: "order-processor",
            dependencies: ["OrderHandlers", "LambdaRuntime", "CGlibcCompat"],
            linkerSettings: handlerLinkerSettings
        ),
        .executableTarget(
            name: "order-query",
            dependencies: ["OrderHandlers", "LambdaRuntime", "CGlibcCompat"],
            linkerSettings: handlerLinkerSettings
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(name: "Packaging", dependencies: ["CZlib", "ZlibStream", "Hashing"]),
        // Records a digest of a blueprint's sources at build time (`BlueprintSources.fingerprint`), so that a binary
        // built from other sources never reports a project's templates up to date.
        .executableTarget(name: "BlueprintFingerprintTool", dependencies: ["Hashing"]),
        .plugin(
            name: "BlueprintFingerprint", capability: .buildTool(), dependencies: ["BlueprintFingerprintTool"]
        ),
        .target(
            name: "OrdersBlueprint",
            dependencies: ["StackDSL"],
            path: "blueprints",
            exclude: ["stages", "schemas", "profiles", "pricing", "samples", "README.md"],
            sources: ["OrdersStack.swift"],
            plugins: ["BlueprintFingerprint"]
        ),
        .target(
            name: "OrderStackCLI",
            dependencies: [
                "CloudFormation", "SourceDiagnostics", "TemplateYAML", "StackDSL", "YAML", "Validation", "Diff",
                "Costing",
                "Packaging",
                "Hashing",
                "Deployment", "DeployClients", "AWSClients", "AWSSigV4", "LocalRun", "LoadRun", "StackLogs",
                "StackTrace", "StackGraph", "Timestamps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "orderstack", dependencies: ["OrderStackCLI", "OrdersBlueprint"]),
        // Template assertions for tests (a resource with properties, counts, what a role allows, nothing public).
        .target(name: "StackTesting", dependencies: ["CloudFormation", "StackDSL", "OrderStackCLI"]),
        // A stack's logs merged by time: local files and CloudWatch Logs (`logs`).
        .target(name: "StackLogs", dependencies: ["AWSClients", "JSONDocument"]),
        // One key's journey through a stack, from its log lines and its wiring (`trace`).
        .target(
            name: "StackTrace",
            dependencies: ["StackLogs", "StackGraph", "CloudFormation", "JSONDocument", "JSONText", "Timestamps"]),
        // What tests need beyond the package (the corpora beside it, Python tools): skipped with a reason when
        // absent, required in CI.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "JSONDocument"]),
        .testTarget(
            name: "StackGraphTests", dependencies: ["TestSupport", "StackGraph", "CloudFormation", "TemplateYAML"]),
        .testTarget(name: "DiffTests", dependencies: ["TestSupport", "Diff", "CloudFormation", "TemplateYAML"]),
        .testTarget(
            name: "CostingTests",
            dependencies: ["TestSupport", "Costing", "CloudFormation", "TemplateYAML", "YAML", "StackDSL"]),
        .testTarget(name: "OrderDomainTests", dependencies: ["OrderDomain", "Timestamps"]),
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["TestSupport", "LambdaRuntime"]),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(
            name: "AWSClientsTests",
            dependencies: ["TestSupport", "AWSClients", "AWSSigV4", "OrderDomain", "OrderHandlers", "JSONDocument"]),
        .testTarget(
            name: "OrderHandlersTests",
            dependencies: ["TestSupport", "OrderHandlers", "OrderDomain", "LambdaRuntime", "JSONDocument"]),
        .testTarget(name: "PackagingTests", dependencies: ["Packaging"]),
        .testTarget(name: "DeployClientsTests", dependencies: ["DeployClients", "AWSClients", "AWSSigV4"]),
        .testTarget(
            name: "DeploymentTests",
            dependencies: ["Deployment", "DeployClients", "AWSClients", "AWSSigV4", "CloudFormation", "TemplateYAML"]),
        .testTarget(
            name: "LocalRunTests",
            dependencies: [
                "TestSupport", "LocalRun", "CloudFormation", "TemplateYAML", "JSONDocument", "JSONSchema", "AWSSigV4",
            ]),
        .testTarget(
            name: "StackTraceTests",
            dependencies: ["StackTrace", "StackLogs", "CloudFormation", "TemplateYAML", "Timestamps", "JSONDocument"]),
        .testTarget(
            name: "StackLogsTests", dependencies: ["StackLogs", "AWSClients", "JSONDocument", "Timestamps"]),
        .testTarget(
            name: "LoadRunTests",
            dependencies: ["LoadRun", "Costing", "StackGraph", "AWSClients", "JSONDocument", "JSONSchema", "YAML"]),
        .testTarget(
            name: "CloudFormationTests", dependencies: ["TestSupport", "CloudFormation", "TemplateYAML", "YAML"]),
        .testTarget(
            name: "TemplateYAMLTests", dependencies: ["TestSupport", "TemplateYAML", "CloudFormation", "YAML"]),
        .testTarget(
            name: "StackTestingTests",
            dependencies: ["StackTesting", "StackDSL", "CloudFormation", "TemplateYAML", "OrdersBlueprint"]),
        .testTarget(
            name: "StackDSLTests",
            dependencies: [
                "StackDSL", "CloudFormation", "OrdersBlueprint", "StackTesting", "Costing", "StackGraph", "YAML",
            ]),
        // A construct written outside StackDSL, in one file, through synth, validate, cost and diff.
        .testTarget(
            name: "ConstructTests",
            dependencies: ["StackDSL", "CloudFormation", "TemplateYAML", "Validation", "Costing", "Diff"]),
        .testTarget(
            name: "ValidationTests",
            dependencies: [
                "TestSupport", "Validation", "CloudFormation", "TemplateYAML", "YAML", "StackDSL", "OrdersBlueprint",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "OrderStackCLITests",
            dependencies: [
                "TestSupport", "SourceDiagnostics",
                "OrderStackCLI", "Costing", "CloudFormation", "StackDSL", "OrdersBlueprint", "AWSClients",
                "DeployClients", "StackGraph", "TemplateYAML",
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
