import CloudFormation
import Costing
import Foundation
import StackDSL
import TemplateYAML
import TestSupport
import Testing

/// Estimates of stacks other than the orders blueprint, checked line by line against figures worked out here by
/// hand from the profile, the template and the us-east-1 price file.
@Suite struct WiringEstimateTests {
    /// One arrival per second all month: 43,800 minutes × 60 = 2,628,000; 1 KB bodies, no queries.
    static let steady = """
        name: test
        description: one per second
        arrivals_per_month: 2628000
        shape: flat
        body_bytes: 1024
        queries_per_arrival: 0
        assumptions:
          table_writes_per_message: 1
        """

    static let arrivals = 2_628_000.0
    static let gib = 1_073_741_824.0

    @Test(Requirement.corpus("corpus-real")) func corpusSAMTemplateAgainstAHandCalculation() throws {
        let path = Requirement.shared.appendingPathComponent("corpus-real/sp__apigw-sqs-lambda-ddb__template.yaml")
        let template = try #require(
            TemplateReader.read(try String(contentsOf: path, encoding: .utf8), path: "template.yaml").template)
        let profile = try Files.profile(yaml: Self.steady)
        let estimate = Estimator.estimate(template: template, profile: profile, prices: try Files.prices())
        let n = Self.arrivals
        // HTTP API: $1.00 per million.
        #expect(close(estimate.line("HTTP API requests")?.cost, n * 0.000001))
        // At 1/s and 228 ms per batch (120 ms at 512 MB scaled to 128 MB: 120 × (0.3 × 4 + 0.7)), every batch
        // holds one message: n batches, n deletes, and per minute max(15, 60) = 60 receives.
        #expect(close(estimate.line("ReceiveMessage (BufferingQueue, Lambda pollers)")?.quantity, n))
        #expect(close(estimate.line("DeleteMessageBatch (BufferingQueue)")?.quantity, n))
        #expect(close(estimate.line("SendMessage (BufferingQueue)")?.cost, n * 0.0000004))
        let handler = try #require(estimate.line("duration (SqsHandlerFunction, x86_64)"))
        #expect(close(handler.quantity, n * 0.228 * 128 / 1024, 0.01))
        #expect(close(estimate.line("requests (SqsHandlerFunction)")?.cost, n * 0.0000002))
        // The authorizer runs for every request at the query handler's 25 ms at 256 MB, scaled to 128 MB:
        // 25 × (0.3 × 2 + 0.7) = 32.5, billed as 33 ms.
        #expect(close(estimate.line("requests (GatewayAuthorizerFunction)")?.quantity, n))
        #expect(
            close(estimate.line("duration (GatewayAuthorizerFunction, x86_64)")?.quantity, n * 0.033 * 128 / 1024, 0.01)
        )
        // One write of ⌈(1024 + 300) / 1024⌉ = 2 WRU per message; storage on (1.2 M + n / 2) items of 1,324 B.
        #expect(close(estimate.line("write request units")?.quantity, n * 2))
        #expect(close(estimate.line("storage")?.quantity, (1_200_000 + n / 2) * 1324 / Self.gib, 0.0001))
        #expect(estimate.line("point-in-time recovery") == nil)
        // Access log lines of 450 B; the handler's own group is the one Lambda creates (1,024 B per message and
        // 350 B of platform lines per invocation), never expiring.
        #expect(close(estimate.line("log ingestion (ApiGatewayAccessLogs)")?.quantity, n * 450 / Self.gib, 0.0001))
        let implicit = try #require(estimate.lines.first { $0.item.contains("SqsHandlerFunction's group") })
        #expect(close(implicit.quantity, n * 1374 / Self.gib, 0.0001))
        let stored = (n * 450 / Self.gib) * (1 / 30.42) * 0.15 + (n * 1374 / Self.gib) * (3653 / 30.42) * 0.15
        #expect(close(estimate.line("log storage")?.quantity, stored, 0.001))
        #expect(close(estimate.line("out to the internet (API responses)")?.quantity, n * 400 / Self.gib, 0.0001))
        #expect(
            estimate.assumptions.contains("not priced (no price in this estimate): AWS::SecretsManager::Secret × 2"))
        let expected =
            n * 0.000001 + 3 * n * 0.0000004 + 2 * n * 0.0000002 + n * 0.228 * 0.125 * 0.0000166667
            + n * 0.033 * 0.125 * 0.0000166667 + 2 * n * 0.000000625 + (1_200_000 + n / 2) * 1324 / Self.gib * 0.25
            + (n * 450 + n * 1374) / Self.gib * 0.5 + stored * 0.03 + n * 400 / Self.gib * 0.09
        #expect(close(estimate.total, expected, 0.01), "\(estimate.total) vs \(expected)")
    }

    /// The orders shape plus a ledger service inside the stack that consumes its own subscriber queue.
    static let twoConsumers = Stack("shop", description: "two consumers") {
        let orders = Table("Orders", partitionKey: "orderId")
        let ledger = Table("Ledger", partitionKey: "orderId")
        let events = Topic("Events")
        let intake = Queue("Intake")
        let ledgerFeed = Subscriber("LedgerFeed", to: events)
        Function("Processor", handler: Handler(artifact: "processor")).consumes(intake).writes(orders).publishes(events)
        Function("LedgerWriter", handler: Handler(artifact: "ledger"), memoryMB: 256).consumes(ledgerFeed, batchSize: 5)
            .writes(ledger)
        RestAPI("Api") { Route.post("/orders", validatedBy: Schema("order"), enqueueTo: intake) }
        Subscriber("Shipping", to: events)
    }

    static func synthesizeTwoConsumers() throws -> Template {
        var stage = StageSettings(name: "test", region: "us-east-1")
        stage.functionDefaults.reservedConcurrency = 20
        return try Synthesizer.synthesize(
            Self.twoConsumers, stage: stage, schemas: ["order": .object(["type": .string("object")])]
        ).template
    }

    @Test func twoConsumersArePricedLineByLine() throws {
        let template = try Self.synthesizeTwoConsumers()
        let model = StackUsageModel(template)
        #expect(model.processor?.logicalId == "ProcessorFunction")
        #expect(model.consumers.map(\.function.logicalId) == ["LedgerWriterFunction"])
        #expect(model.subscriberFlows.map(\.queue) == ["ShippingQueue"])
        let estimate = Estimator.estimate(
            template: template, profile: try Files.profile(yaml: Self.steady), prices: try Files.prices())
        let n = Self.arrivals
        // Both queues that the topic feeds receive every event; only Shipping is consumed outside the stack.
        #expect(close(estimate.line("subscriber queues: SNS deliveries")?.quantity, 2 * n))
        #expect(close(estimate.line("subscriber queues: consumers' receives and deletes")?.quantity, 2 * n))
        // The ledger writer: at 1/s, its handler (120 ms at 512 MB, scaled to 256 MB: 120 × (0.3 × 2 + 0.7) =
        // 156 ms) and its 0 s window make batches of one: n invocations and deletes, 60 receives a minute.
        #expect(close(estimate.line("requests (LedgerWriterFunction)")?.quantity, n))
        #expect(close(estimate.line("duration (LedgerWriterFunction, x86_64)")?.quantity, n * 0.156 * 256 / 1024, 0.01))
        #expect(close(estimate.line("ReceiveMessage (LedgerFeedQueue, Lambda pollers)")?.quantity, n))
        #expect(close(estimate.line("DeleteMessageBatch (LedgerFeedQueue)")?.quantity, n))
        // Each consumer writes its own table once per message: 2 WRU each.
        #expect(close(estimate.line("write request units (OrdersTable)")?.quantity, 2 * n))
        #expect(close(estimate.line("write request units (LedgerTable)")?.quantity, 2 * n))
        #expect(close(estimate.line("storage (LedgerTable)")?.quantity, (1_200_000 + n / 2) * 1324 / Self.gib, 0.0001))
        // The ledger writer's log group is priced with its own messages and invocations.
        #expect(
            close(estimate.line("log ingestion (LedgerWriterLogGroup)")?.quantity, n * 1024 / Self.gib, 0.0001)
                || close(estimate.line("log ingestion (LedgerWriterLogGroup)")?.quantity, n * 1374 / Self.gib, 0.0001))
        let ledgerLines = estimate.lines.filter {
            $0.item.contains("LedgerWriter") || $0.item.contains("LedgerFeedQueue")
        }
        let ledgerCost = ledgerLines.reduce(0) { $0 + $1.cost }
        let handCost = n * 0.0000002 + n * 0.156 * 0.25 * 0.0000166667 + 2 * n * 0.0000004
        #expect(close(ledgerCost - (estimate.line("log ingestion (LedgerWriterLogGroup)")?.cost ?? 0), handCost, 0.01))
    }

    @Test func twoConsumersAreSimulatedBoth() throws {
        let template = try Self.synthesizeTwoConsumers()
        let profile = try Files.profile(
            yaml: """
                name: test
                description: a burst
                arrivals_per_month: 0
                shape: flat
                spikes:
                  - {name: burst, start_hour: 1, duration_minutes: 10, arrivals_per_second: 200}
                body_bytes: 1024
                queries_per_arrival: 0
                """)
        let parameters = SimulationParameters(template: template, profile: profile)
        #expect(parameters.downstream.map(\.function) == ["LedgerWriterFunction"])
        #expect(parameters.downstream.first?.parameters.batchSize == 5)
        let result = Simulator.run(profile, parameters, minutes: 240)
        let ledger = try #require(result.downstream.first)
        #expect(result.acceptedArrivals > 50_000)
        #expect(close(result.processedArrivals, result.acceptedArrivals, 1))
        // Every order the processor finished reaches the ledger's queue and is processed there too.
        #expect(close(ledger.received, result.processedArrivals, 1))
        #expect(close(ledger.processed, ledger.received, 1))
        // Batches of 5 at 156 ms within its reserved concurrency of 20: 20 / 0.156 × 5 = 641 messages/s, so
        // 200/s flows without throttles.
        #expect(ledger.lambdaThrottles == 0)
        #expect(ledger.invocations >= ledger.processed / 5 - 1)
    }
}
