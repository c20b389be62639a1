// swift-tools-version: 6.0
// libFuzzer target over the template reader and every validate check. Build and run with Fuzz/run.sh.
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, which differs between clones.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "orderstack-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "ValidateFuzzer",
            dependencies: [.product(name: "Validation", package: root)]
        )
    ]
)
