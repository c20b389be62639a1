import CloudFormation
import Costing
import Foundation
import StackDSL
import StackGraph
import StackTesting
import Testing

/// `EventBus` as the event router in place of a topic: the publisher's grant, the subscriber's rule, queue and
/// DLQ, the graph cost reads, and the price of both routers for one profile.
@Suite struct EventBusTests {
    /// One worker storing what arrives and announcing it on `router`'s topic or bus to one subscriber.
    static func stack(bus: Bool) -> Stack {
        Stack("shop", description: "A worker announcing what it stores") {
            let intake = Queue("Intake")
            let items = Table("Items", partitionKey: "id")
            let api = RestAPI("ShopApi") { Route.post("/items", validatedBy: Schema("item"), enqueueTo: intake) }
            if bus {
                let events = EventBus("ItemEvents")
                Function("Worker", handler: Handler(artifact: "worker")).consumes(intake).writes(items).publishes(
                    events)
                let audit = Subscriber("Audit", to: events, pattern: ["detail-type": ["ItemStored"]])
                Function("Auditor", handler: Handler(artifact: "auditor")).consumes(audit)
            } else {
                let events = Topic("ItemEvents")
                Function("Worker", handler: Handler(artifact: "worker")).consumes(intake).writes(items).publishes(
                    events)
                let audit = Subscriber("Audit", to: events, filter: ["type": ["ItemStored"]])
                Function("Auditor", handler: Handler(artifact: "auditor")).consumes(audit)
            }
            api
        }
    }

    static func synthesize(_ stack: Stack) throws -> Template {
        var stage = StageSettings(name: "dev", region: "us-east-1")
        stage.functionDefaults.reservedConcurrency = 20
        let schema = Value.map(Fields([("type", .string("object")), ("required", .strings(["id"]))]))
        return try Synthesizer.synthesize(stack, stage: stage, schemas: ["item": schema]).template
    }

    @Test func thePublisherMayPutEventsOnTheBusAlone() throws {
        let stack = StackAssertions(try Self.synthesize(Self.stack(bus: true)))
        try stack.hasResource(
            "AWS::Events::EventBus", properties: Fields([("Name", .sub("${AWS::StackName}-ItemEvents", nil))]))
        try stack.allows(
            exactly: ["events:PutEvents"], on: .getAtt("ItemEventsEventBus", "Arn"), role: "WorkerFunction")
        let worker = try #require(stack.template.resource("WorkerFunction"))
        #expect(
            worker["Environment"]?["Variables"]?["ITEM_EVENTS_EVENT_BUS_NAME"] == .getAtt("ItemEventsEventBus", "Name"))
        try stack.resourceCount("AWS::SNS::Topic", is: 0)
        try stack.noResourceIsPublic()
    }

    /// The subscriber's rule matches its pattern and delivers to its queue, retried for a day before the DLQ; the
    /// queue policy admits that rule alone; the consumer needs no key grant (SQS-managed encryption).
    @Test func aSubscriberTakesWhatItsRuleMatches() throws {
        let stack = StackAssertions(try Self.synthesize(Self.stack(bus: true)))
        let rule = try stack.hasResource(
            "AWS::Events::Rule",
            properties: Fields([
                ("EventBusName", .getAtt("ItemEventsEventBus", "Name")),
                ("EventPattern", .map(Fields([("detail-type", .strings(["ItemStored"]))]))),
            ]))
        let target = try #require(rule["Targets"]?.items?.first)
        #expect(target["Arn"] == .getAtt("AuditQueue", "Arn"))
        #expect(target["DeadLetterConfig"]?["Arn"] == .getAtt("AuditDeadLetterQueue", "Arn"))
        #expect(target["RetryPolicy"]?["MaximumEventAgeInSeconds"] == .int(86_400))
        let policy = try stack.hasResource(
            "AWS::SQS::QueuePolicy",
            properties: Fields([("Queues", .list([.ref("AuditQueue"), .ref("AuditDeadLetterQueue")]))]))
        let statement = try #require(policy["PolicyDocument"]?["Statement"]?.items?.first)
        #expect(statement["Principal"]?["Service"] == .string("events.amazonaws.com"))
        #expect(statement["Condition"]?["ArnEquals"]?["aws:SourceArn"] == .getAtt("AuditRule", "Arn"))
        try stack.hasResource(
            "AWS::SQS::Queue",
            properties: Fields([
                ("QueueName", .sub("${AWS::StackName}-Audit", nil)), ("SqsManagedSseEnabled", .bool(true)),
            ]))
        try stack.allows(
            exactly: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            on: .getAtt("AuditQueue", "Arn"), role: "AuditorFunction")
        #expect(
            !StackDSLTestsSupport.actions(of: "AuditorFunction", in: stack).contains("kms:decrypt"),
            "a rule's queue needs no key grant")
    }

    /// The graph reads the bus as the router: the worker publishes to it and the rule's queue is its subscriber,
    /// with the consumer downstream.
    @Test func theGraphFollowsTheBus() throws {
        let path = TrafficPath(StackGraph(try Self.synthesize(Self.stack(bus: true))))
        #expect(path.publishes.map(\.topic) == ["ItemEventsEventBus"])
        #expect(path.downstream.map(\.function.logicalId) == ["AuditorFunction"])
        #expect(path.graph.eventBuses == ["ItemEventsEventBus"])
        let subscription = try #require(path.graph.subscriptions.first)
        #expect(subscription.topic == "ItemEventsEventBus" && subscription.endpoint == "AuditQueue")
        #expect(subscription.deadLetterQueue == "AuditDeadLetterQueue")
    }

    /// SNS against EventBridge for 100,000 arrivals of 2,048 B (one 64 KB chunk each), checked by hand against
    /// blueprints/pricing/us-east-1.yaml: sns_publish_requests $0.0000005 x 100,000 = $0.05;
    /// eventbridge_custom_events $0.000001 x 100,000 = $0.10. Deliveries to the subscriber queue cost the same
    /// SendMessage either way.
    @Test func bothRoutersArePricedFromTheSameProfile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let pricing = try String(
            contentsOf: root.appendingPathComponent("blueprints/pricing/us-east-1.yaml"), encoding: .utf8)
        let prices = try #require(PriceCatalogue.load(pricing, path: "us-east-1.yaml").catalogue)
        let profile = try #require(
            TrafficProfile.load(
                "name: flat\ndescription: flat\narrivals_per_month: 100000\nshape: flat\nbody_bytes: 2048\nqueries_per_arrival: 0\n",
                path: "flat.yaml", name: "flat"
            ).profile)
        func lines(bus: Bool) throws -> [CostLine] {
            Estimator.estimate(template: try Self.synthesize(Self.stack(bus: bus)), profile: profile, prices: prices)
                .lines
        }
        let sns = try #require(try lines(bus: false).first { $0.service == "Amazon SNS" })
        let eventBridge = try #require(try lines(bus: true).first { $0.service == "Amazon EventBridge" })
        #expect(abs(sns.quantity - 100_000) < 0.001 && abs(sns.cost - 0.05) < 0.000_001)
        #expect(abs(eventBridge.quantity - 100_000) < 0.001 && abs(eventBridge.cost - 0.10) < 0.000_001)
        #expect(eventBridge.item == "custom events" && eventBridge.unit == "events")
        let deliveries = try lines(bus: true).first { $0.item == "subscriber queues: EventBridge deliveries" }
        let snsDeliveries = try lines(bus: false).first { $0.item == "subscriber queues: SNS deliveries" }
        #expect(deliveries?.cost == snsDeliveries?.cost && deliveries != nil)
    }
}

/// Helpers for reading synthesized templates in these tests.
enum StackDSLTestsSupport {
    /// Every action a function's role allows, lowercased.
    static func actions(of function: String, in stack: StackAssertions) -> Set<String> {
        guard case .getAtt(let role, _)? = stack.template.resource(function)?["Role"] else { return [] }
        let statements = (stack.template.resource(role)?["Policies"]?.items ?? []).flatMap {
            $0["PolicyDocument"]?["Statement"]?.items ?? []
        }
        return Set(
            statements.flatMap { statement -> [String] in
                switch statement["Action"] {
                case .string(let action)?: return [action.lowercased()]
                case .list(let items)?: return items.compactMap { $0.stringValue?.lowercased() }
                default: return []
                }
            })
    }
}
