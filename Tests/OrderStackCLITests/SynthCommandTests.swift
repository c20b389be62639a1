import Foundation
import Testing

@Suite(.serialized) struct SynthCommandTests {
    @Test func twoRunsWriteByteIdenticalFiles() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let first = try CommandRunner.orderstack(["synth", "--project", project.path])
        #expect(first.status == 0, "\(first.stderr)")
        let dev = project.appendingPathComponent("output/orders-dev.yaml")
        let prod = project.appendingPathComponent("output/orders-prod.yaml")
        let firstBytes = try [Data(contentsOf: dev), Data(contentsOf: prod)]
        let second = try CommandRunner.orderstack(["synth", "--project", project.path])
        #expect(second.status == 0)
        #expect(try [Data(contentsOf: dev), Data(contentsOf: prod)] == firstBytes)
        #expect(firstBytes[0] != firstBytes[1], "dev and prod differ")
    }

    @Test func checkPassesWhenCurrentAndFailsAfterAOneByteChange() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        _ = try CommandRunner.orderstack(["synth", "--project", project.path])
        let clean = try CommandRunner.orderstack(["synth", "--check", "--project", project.path])
        #expect(clean.status == 0, "\(clean.stderr)")
        let file = project.appendingPathComponent("output/orders-prod.yaml")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count - 2] = bytes[bytes.count - 2] == 0x41 ? 0x42 : 0x41
        try bytes.write(to: file)
        let stale = try CommandRunner.orderstack(["synth", "--check", "--project", project.path])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("output/orders-prod.yaml: stale"))
        #expect(!stale.stderr.contains("orders-dev.yaml"))
        #expect(try Data(contentsOf: file) == bytes, "--check writes nothing")
        try FileManager.default.removeItem(at: project.appendingPathComponent("output/orders-dev.yaml"))
        let missing = try CommandRunner.orderstack(["synth", "--check", "--project", project.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("output/orders-dev.yaml: missing"))
    }

    @Test func committedOutputIsInSyncWithTheBlueprint() throws {
        let result = try CommandRunner.orderstack(["synth", "--check"])
        #expect(result.status == 0, "output/ is stale: run `swift run orderstack synth`\n\(result.stderr)")
    }

    @Test func everyExitTwoPathPrintsOnlyItsMessage() throws {
        let cases: [([String], String)] = [
            (["synth", "--stage", "staging"], "error: unknown stage 'staging'; available stages: dev, prod\n"),
            (
                ["synth", "--output", "/proc/nope"],
                "/proc/nope: error: cannot create the folder: No such file or directory\n"
            ),
            (["synth", "--output", "README.md"], "README.md: error: cannot create the folder: README.md is a file\n"),
            (
                ["simulate", "--profile", "sale-spike", "--svg", "missing-dir/x.svg"],
                "missing-dir/x.svg: error: cannot write the file: the folder missing-dir does not exist; create it first\n"
            ),
            (
                ["cost", "--profile", "nope"],
                "error: unknown profile 'nope'; available profiles: baseline, black-friday, quiet, sale-spike (or all)\n"
            ),
            (
                ["pricing", "import", "--project", "/nonexistent", "blueprints/stages/dev.yaml"],
                "blueprints/stages/dev.yaml:2:1: error: OS0105: no 'offerCode'; expected an AWS Price List bulk offer file (products and terms.OnDemand)\n"
            ),
        ]
        for (arguments, stderr) in cases {
            let result = try CommandRunner.orderstack(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr == stderr, "\(arguments)")
            #expect(!result.stderr.contains("Error:") && !result.stderr.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func duplicateKeysInAStageFileHaveTheTemplateID() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let stage = project.appendingPathComponent("blueprints/stages/dev.yaml")
        let text = try String(contentsOf: stage, encoding: .utf8)
        try (text + "region: us-east-1\n").write(to: stage, atomically: true, encoding: .utf8)
        let result = try CommandRunner.orderstack(["synth", "--project", project.path, "--stage", "dev"])
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "\(project.path)/blueprints/stages/dev.yaml:\(line):1: error: OS0003: duplicate key 'region' (first at 3:1)\n"
        )
    }

    @Test func theProjectIsFoundFromASubfolderAndOtherwiseNamesTheOption() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let inside = project.appendingPathComponent("blueprints/stages")
        let synth = try CommandRunner.orderstack(["synth", "--stage", "dev"], in: inside)
        #expect(synth.status == 0, "\(synth.stderr)")
        #expect(synth.stdout.hasPrefix("wrote ../../output/orders-dev.yaml ("))
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("output/orders-dev.yaml").path))
        let check = try CommandRunner.orderstack(["synth", "--check", "--stage", "dev"], in: inside)
        #expect(check.status == 0 && check.stdout == "up to date: ../../output/orders-dev.yaml\n")
        let nowhere = try CommandRunner.orderstack(["synth"], in: URL(fileURLWithPath: "/"))
        #expect(nowhere.status == 2)
        #expect(
            nowhere.stderr
                == "error: no orderstack project in / or any folder above it (a project is the folder that holds blueprints/stages); run from inside one or pass --project DIR\n"
        )
    }

    @Test func aBinaryBuiltFromOtherBlueprintSourcesIsRefused() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try CommandRunner.orderstack(["synth", "--project", project.path]).status == 0)
        let blueprint = project.appendingPathComponent("blueprints/OrdersStack.swift")
        let source = try String(contentsOf: blueprint, encoding: .utf8)
        try (source + "// one more line\n").write(to: blueprint, atomically: true, encoding: .utf8)
        let check = try CommandRunner.orderstack(["synth", "--check", "--project", project.path])
        #expect(check.status == 1)
        #expect(check.stdout.isEmpty, "never 'up to date'")
        #expect(
            check.stderr
                == "error: this orderstack binary was built from other blueprint sources than \(blueprint.path) (edited since the build); its templates would not be the project's. Rebuild it: `swift build --product orderstack`, or run `swift run orderstack ...`\n"
        )
        #expect(try CommandRunner.orderstack(["cost", "--profile", "quiet", "--project", project.path]).status == 1)
        try FileManager.default.removeItem(at: blueprint)
        let missing = try CommandRunner.orderstack(["synth", "--check", "--project", project.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("this orderstack was built from blueprints/OrdersStack.swift, which"))
        try source.write(to: blueprint, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.orderstack(["synth", "--check", "--project", project.path]).status == 0)
    }

    @Test func unknownStageListsTheAvailableOnes() throws {
        let result = try CommandRunner.orderstack(["synth", "--stage", "qa", "--output", "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown stage 'qa'; available stages: dev, prod"))
    }

    @Test func badStageFileIsLocatedAndExitsTwo() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let stage = project.appendingPathComponent("blueprints/stages/dev.yaml")
        let text = try String(contentsOf: stage, encoding: .utf8).replacingOccurrences(
            of: "memoryMB: 256", with: "memoryMB: lots")
        try text.write(to: stage, atomically: true, encoding: .utf8)
        let result = try CommandRunner.orderstack(["synth", "--project", project.path])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "blueprints/stages/dev.yaml:8:15: error: OS0103: 'functions.OrderProcessor.memoryMB' must be an integer, found 'lots'"
            ),
            "\(result.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: project.appendingPathComponent("output").path),
            "nothing written on bad input")
    }

    @Test func aStageEntryForAConstructTheBlueprintLacksIsLocatedAndListsTheConstructs() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let stage = project.appendingPathComponent("blueprints/stages/dev.yaml")
        let text = try String(contentsOf: stage, encoding: .utf8).replacingOccurrences(
            of: "  OrderQuery:\n", with: "  OrderQeury:\n")
        try text.write(to: stage, atomically: true, encoding: .utf8)
        let result = try CommandRunner.orderstack(["synth", "--project", project.path, "--stage", "dev"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "\(stage.path):11:3: error: OS0102: 'functions.OrderQeury' names no function of the stack; its functions are: OrderProcessor, OrderQuery\n"
        )
    }

    @Test func malformedSchemaIsLocated() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        try "{\"type\": \"object\",\n  \"required\": [\"a\"\n}".write(
            to: project.appendingPathComponent("blueprints/schemas/order.json"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.orderstack(["synth", "--project", project.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("blueprints/schemas/order.json:3:1: error: OS0101"), "\(result.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        let result = try CommandRunner.orderstack(["synth", "--no-such-flag"])
        #expect(result.status == 2)
        let help = try CommandRunner.orderstack(["synth", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("orderstack synth --check"))
    }
}

@Suite struct GraphCommandTests {
    @Test func mermaidShowsTheWiring() throws {
        let result = try CommandRunner.orderstack(["graph"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("flowchart LR\n"))
        #expect(result.stdout.contains("OrdersApi -->|\"POST /orders (validated: order)\"| OrderIntakeQueue"))
        #expect(
            result.stdout.contains("OrderIntakeQueue -->|\"batches of 10, partial failures\"| OrderProcessorFunction"))
        #expect(result.stdout.contains("OrderProcessorFunction -->|\"publish\"| OrderEventsTopic"))
        #expect(result.stdout.contains("OrderEventsTopic -->|\"raw delivery\"| AccountingQueue"))
    }

    @Test func dotIsADigraph() throws {
        let result = try CommandRunner.orderstack(["graph", "--format", "dot"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("digraph architecture {"))
        #expect(result.stdout.contains("OrderProcessorFunction -> OrdersTable [label=\"writes\"];"))
        let bad = try CommandRunner.orderstack(["graph", "--format", "svg"])
        #expect(bad.status == 2)
    }
}
