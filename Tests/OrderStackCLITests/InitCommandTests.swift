import Foundation
import Testing

@testable import OrderStackCLI

/// `orderstack init`: the package each template writes, and what it refuses. (CI builds, tests, synthesizes,
/// validates and smoke-runs the packages themselves: `Tests/Integration/init_package.sh`.)
@Suite struct InitCommandTests {
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderstack-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func files(under folder: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var found: [String] = []
        while let next = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(next).path, isDirectory: &isFolder),
                !isFolder.boolValue
            {
                found.append(next)
            }
        }
        return found.sorted()
    }

    @Test(arguments: Scaffold.Template.allCases) func eachTemplateWritesAPackageOfItsOwn(template: Scaffold.Template)
        throws
    {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.orderstack(
            ["init", "partner-hooks", "--template", template.rawValue], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("created partner-hooks from the \(template.rawValue) template"))
        let package = folder.appendingPathComponent("partner-hooks")
        let files = Self.files(under: package)
        for required in [
            "Package.swift", "README.md", ".gitignore", "Sources/partner-hooks/main.swift",
            "blueprints/PartnerHooksStack.swift", "blueprints/stages/dev.yaml", "blueprints/stages/prod.yaml",
            "Tests/PartnerHooksTests/StackTests.swift",
        ] {
            #expect(files.contains(required), "\(required) missing from \(files)")
        }
        #expect(files.contains { $0.hasPrefix("blueprints/profiles/") && $0.hasSuffix(".yaml") })
        #expect(files.contains { $0.hasPrefix("blueprints/schemas/") && $0.hasSuffix(".json") })
        for handler in template.handlers {
            #expect(files.contains("Sources/partner-hooks-\(handler.suffix)/main.swift"))
        }
        for file in files {
            let text = try String(contentsOf: package.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("{{"), "\(file) has a placeholder left")
        }
        let manifest = try String(contentsOf: package.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(
            manifest.contains(
                #".package(url: "https://github.com/orderstack/orderstack", from: "\#(OrderStack.version)")"#))
        #expect(!manifest.contains(".package(path:"))
        let blueprint = try String(
            contentsOf: package.appendingPathComponent("blueprints/PartnerHooksStack.swift"), encoding: .utf8)
        #expect(blueprint.contains("public enum PartnerHooksBlueprint"))
        #expect(blueprint.contains(#"Stack("partner-hooks","#))
        for handler in template.handlers {
            #expect(blueprint.contains(#"artifact: "partner-hooks-\#(handler.suffix)""#))
        }
    }

    @Test func badNamesAreRefusedSayingWhy() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, message) in [
            ("Shop", "'Shop' cannot name a package: use lowercase letters"),
            ("9lives", "'9lives' cannot name a package"),
            ("shop-", "'shop-' cannot name a package"),
            ("shop_1", "'shop_1' cannot name a package"),
            ("order", "'order' would name a target order-processor, as orderstack's own"),
            ("orderstack", "'orderstack' would name a target orderstack"),
        ] {
            let result = try CommandRunner.orderstack(["init", name], in: folder)
            #expect(result.status == 2 && result.stderr.contains(message), "\(name): \(result.stderr)")
        }
        #expect(Self.files(under: folder).isEmpty)
        let unknown = try CommandRunner.orderstack(["init", "shop", "--template", "minimal"], in: folder)
        #expect(unknown.status != 0 && unknown.stderr.contains("minimal"))
    }

    /// A folder with something in it is never written into.
    @Test func aFolderInUseIsLeftAlone() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let used = folder.appendingPathComponent("shop")
        try FileManager.default.createDirectory(at: used, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: used.appendingPathComponent("notes.txt"))
        let result = try CommandRunner.orderstack(["init", "shop"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("shop: error: the folder exists and is not empty"))
        #expect(Self.files(under: used) == ["notes.txt"])
        let elsewhere = try CommandRunner.orderstack(["init", "shop", "--path", "elsewhere/shop"], in: folder)
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("elsewhere/shop/Package.swift").path))
    }
}
