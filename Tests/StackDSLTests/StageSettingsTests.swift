import Testing
import YAML

@testable import StackDSL

@Suite struct StageSettingsTests {
    @Test func readsEveryKey() throws {
        let text = """
            name: prod
            region: eu-west-1
            architecture: arm64
            functions:
              defaults: {memoryMB: 256, timeoutSeconds: 10}
              Worker: {memoryMB: 1024, timeoutSeconds: 20, reservedConcurrency: 30}
              Reader: {timeoutSeconds: 3}
            consumers:
              defaults: {maxConcurrency: 4}
              Worker/Jobs: {batchSize: 5, batchingWindowSeconds: 0, maxConcurrency: 30}
            queue: {maxReceiveCount: 6, retentionDays: 7}
            logs: {retentionDays: 90}
            api: {rateLimit: 10, burstLimit: 20, authorization: api-key}
            alarms: {email: a@b.io, queueAgeSeconds: 120}
            """
        let loaded = StageSettings.load(text, path: "prod.yaml")
        #expect(loaded.diagnostics.isEmpty)
        let stage = try #require(loaded.settings)
        #expect(stage.region == "eu-west-1")
        #expect(stage.architecture == "arm64")
        #expect(stage.function("Worker") == .init(memoryMB: 1024, timeoutSeconds: 20, reservedConcurrency: 30))
        #expect(stage.function("Reader") == .init(memoryMB: 256, timeoutSeconds: 3, reservedConcurrency: nil))
        #expect(stage.function("Other") == .init(memoryMB: 256, timeoutSeconds: 10, reservedConcurrency: nil))
        #expect(
            stage.consumer(function: "Worker", queue: "Jobs")
                == .init(batchSize: 5, batchingWindowSeconds: 0, maxConcurrency: 30))
        #expect(
            stage.consumer(function: "Reader", queue: "Jobs")
                == .init(batchSize: 10, batchingWindowSeconds: 1, maxConcurrency: 4))
        #expect(stage.maxReceiveCount == 6)
        #expect(stage.logRetentionDays == 90)
        #expect(stage.api.authorization == "api-key")
        #expect(stage.alarms.email == "a@b.io")
        #expect(stage.alarms.queueAgeSeconds == 120)
    }

    @Test func productionMarksAStageThatRefusesHotswap() throws {
        let prod = StageSettings.load("name: prod\nregion: us-east-1\nproduction: true\n", path: "prod.yaml")
        #expect(prod.settings?.production == true)
        #expect(StageSettings.load("name: dev\nregion: us-east-1\n", path: "dev.yaml").settings?.production == false)
        let wrong = StageSettings.load("name: dev\nregion: us-east-1\nproduction: maybe\n", path: "dev.yaml")
        #expect(wrong.settings == nil || wrong.diagnostics.contains { $0.severity == .error })
    }

    @Test func unknownKeysAreLocatedAndListTheKnownOnes() {
        let loaded = StageSettings.load(
            "name: dev\nregion: us-east-1\nfunctions:\n  Worker:\n    memoryMb: 512\n", path: "dev.yaml")
        #expect(loaded.settings == nil)
        #expect(
            loaded.diagnostics.map(\.description) == [
                "dev.yaml:5:5: error: OS0102: unknown key 'functions.Worker.memoryMb'; did you mean 'memoryMB'?; expected one of: memoryMB, reservedConcurrency, timeoutSeconds"
            ])
        let old = StageSettings.load("name: dev\nregion: us-east-1\nprocessor:\n  memoryMB: 512\n", path: "dev.yaml")
        #expect(
            old.diagnostics.map(\.description) == [
                "dev.yaml:4:3: error: OS0102: 'processor' is no longer a section: settings are per construct, under functions.<Function>"
            ])
    }

    /// A misspelt key says what it is near, the retired sections are not offered, and a misspelt `rateLimit`
    /// does not make the written `burstLimit` look wrong: the knock-on error names the default it compares with.
    @Test func aMisspeltKeyIsNamedFirstAndItsDefaultIsSaidToBeOne() {
        let top = StageSettings.load("name: dev\nregion: us-east-1\nfunctons: {}\n", path: "dev.yaml")
        let message = top.diagnostics.map(\.description).joined(separator: "\n")
        #expect(
            message.hasPrefix(
                "dev.yaml:3:1: error: OS0102: unknown key 'functons'; did you mean 'functions'?; expected one of: alarms, api, architecture, constructs, consumers, functions,"
            ), "\(message)")
        #expect(!message.contains("processor") && !message.contains(" query,") && !message.contains(" consumer,"))
        let api = StageSettings.load(
            "name: dev\nregion: us-east-1\napi:\n  rateLimt: 20\n  burstLimit: 40\n", path: "dev.yaml")
        #expect(
            api.diagnostics.map(\.description).sorted() == [
                "dev.yaml:4:3: error: OS0102: unknown key 'api.rateLimt'; did you mean 'rateLimit'?; expected one of: authorization, burstLimit, createAccountLoggingRole, detailedMetrics, partners, rateLimit",
                "dev.yaml:5:3: error: OS0104: 'api.burstLimit' (40) must be at least 'api.rateLimit' (100, the default: the file sets none)",
            ])
        let written = StageSettings.load(
            "name: dev\nregion: us-east-1\napi: {rateLimit: 50, burstLimit: 40}\n", path: "dev.yaml")
        #expect(
            written.diagnostics.map(\.description) == [
                "dev.yaml:3:22: error: OS0104: 'api.burstLimit' (40) must be at least 'api.rateLimit' (50)"
            ])
    }

    @Test func wrongTypesNameTheExpectedType() {
        let loaded = StageSettings.load(
            "name: dev\nregion: us-east-1\ntracing: maybe\nfunctions:\n  W:\n    timeoutSeconds: '30'\n",
            path: "dev.yaml")
        #expect(
            loaded.diagnostics.map(\.description) == [
                "dev.yaml:3:10: error: OS0103: 'tracing' must be a boolean (true or false), found 'maybe'",
                "dev.yaml:6:21: error: OS0103: 'functions.W.timeoutSeconds' must be an integer, found '30'",
            ])
    }

    @Test(arguments: [
        (
            "name: d\nregion: us-east-1\nqueue: {maxReceiveCount: 2}\n",
            "'queue.maxReceiveCount' must be between 5 and 1000, found 2"
        ),
        ("name: d\nregion: us-east-1\nlogs: {retentionDays: 8}\n", "'logs.retentionDays' must be one of"),
        (
            "name: d\nregion: us-east-1\narchitecture: sparc\n",
            "'architecture' must be one of x86_64, arm64, found 'sparc'"
        ),
        ("name: d\nregion: nowhere\n", "'region' must look like us-east-1"),
        ("region: us-east-1\n", "missing required key 'name'"),
        (
            "name: d\nregion: us-east-1\nconsumers: {W/Q: {batchSize: 20, batchingWindowSeconds: 0}}\n",
            "'consumers.W/Q.batchSize' above 10 needs a 'batchingWindowSeconds' of at least 1"
        ),
        ("name: d\nregion: us-east-1\nfunctions: {W: 5}\n", "'functions.W' must be a mapping, found a scalar"),
        ("name: [d\n", "did not find expected"),
        ("- a\n", "expected a mapping at the top level"),
        ("", "the file is empty"),
    ])
    func invalidFilesAreRejectedWithAReason(text: String, message: String) {
        let loaded = StageSettings.load(text, path: "s.yaml")
        #expect(loaded.settings == nil)
        #expect(loaded.diagnostics.contains { $0.message.contains(message) }, "\(loaded.diagnostics)")
        #expect(loaded.diagnostics.allSatisfy { $0.path == "s.yaml" && $0.severity == .error })
    }

    @Test func constructNamesAreCheckedAgainstTheStack() {
        let text = """
            name: dev
            region: us-east-1
            functions:
              OrderProcesor: {memoryMB: 1024}
              Query: {reservedConcurrency: 2}
            consumers:
              Query/Intake: {maxConcurrency: 5}
              OrderProcessor/Intak: {batchSize: 5}
            """
        let stage = StageSettings.load(text, path: "dev.yaml").settings!
        let problems = stage.problems(
            functions: ["OrderProcessor", "Query"], mappings: [("OrderProcessor", "Intake"), ("Query", "Intake")])
        #expect(
            problems.map(\.description) == [
                "dev.yaml:4:3: error: OS0102: 'functions.OrderProcesor' names no function of the stack; its functions are: OrderProcessor, Query",
                "dev.yaml:8:3: error: OS0102: 'consumers.OrderProcessor/Intak' names no queue-to-function mapping of the stack; its mappings are: OrderProcessor/Intake, Query/Intake",
                "dev.yaml:7:3: error: OS0104: the maximum concurrency of 'Query/Intake' (5) exceeds the reserved concurrency of 'Query' (2): the function would be throttled and messages would reach the DLQ",
            ])
    }
}
