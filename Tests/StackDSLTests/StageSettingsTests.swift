import Testing
import YAML

@testable import StackDSL

@Suite struct StageSettingsTests {
    @Test func readsEveryKey() throws {
        let text = """
            name: prod
            region: eu-west-1
            architecture: arm64
            processor: {memoryMB: 1024, timeoutSeconds: 20, reservedConcurrency: 30}
            consumer: {batchSize: 5, batchingWindowSeconds: 0, maxConcurrency: 30}
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
        #expect(stage.processor == .init(memoryMB: 1024, timeoutSeconds: 20, reservedConcurrency: 30))
        #expect(stage.consumer.batchSize == 5)
        #expect(stage.maxReceiveCount == 6)
        #expect(stage.logRetentionDays == 90)
        #expect(stage.api.authorization == "api-key")
        #expect(stage.alarms.email == "a@b.io")
        #expect(stage.alarms.queueAgeSeconds == 120)
    }

    @Test func unknownKeysAreLocatedAndListTheKnownOnes() {
        let loaded = StageSettings.load("name: dev\nregion: us-east-1\nprocessor:\n  memoryMb: 512\n", path: "dev.yaml")
        #expect(loaded.settings == nil)
        #expect(
            loaded.diagnostics.map(\.description) == [
                "dev.yaml:4:3: error: OS0102: unknown key 'processor.memoryMb'; expected one of: memoryMB, reservedConcurrency, timeoutSeconds"
            ])
    }

    @Test func wrongTypesNameTheExpectedType() {
        let loaded = StageSettings.load(
            "name: dev\nregion: us-east-1\ntracing: maybe\nprocessor:\n  timeoutSeconds: '30'\n", path: "dev.yaml")
        #expect(
            loaded.diagnostics.map(\.description) == [
                "dev.yaml:3:10: error: OS0103: 'tracing' must be a boolean (true or false), found 'maybe'",
                "dev.yaml:5:19: error: OS0103: 'processor.timeoutSeconds' must be an integer, found '30'",
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
            "name: d\nregion: us-east-1\nprocessor: {reservedConcurrency: 3}\nconsumer: {maxConcurrency: 10}\n",
            "exceeds 'processor.reservedConcurrency'"
        ),
        ("name: d\nregion: us-east-1\nprocessor: 5\n", "'processor' must be a mapping, found a scalar"),
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
}
