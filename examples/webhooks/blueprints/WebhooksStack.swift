import CloudFormation
import StackDSL

/// Partner webhooks: API Gateway checks each delivery against its schema and queues it; a Swift handler takes
/// them off the queue in batches, keeps each delivery in a table, announces it on a topic and reports the ones it
/// cannot take; the partner team's audit queue subscribes to the topic.
public enum WebhooksBlueprint {
    /// The stack, described once for every stage.
    public static let stack = Stack("webhooks", description: "Partner webhooks: accept, queue and keep deliveries") {
        let deliveries = Table("Deliveries", partitionKey: "deliveryId")
        let inbox = Queue("WebhookInbox")
        let events = Topic("DeliveryEvents", displayName: "Delivery events")

        Function("WebhookWorker", handler: .webhookWorker)
            .consumes(inbox)
            .writes(deliveries)
            .publishes(events)

        Subscriber("PartnerAudit", to: events)

        RestAPI("WebhooksApi") {
            Route.post("/webhooks", validatedBy: .delivery, enqueueTo: inbox)
        }

        Monitoring("Operations")

        // What no construct covers, written as CloudFormation: the inbox URL for the partner team's tooling.
        RawResource(
            "WebhookInboxUrlParameter", type: "AWS::SSM::Parameter",
            properties: [
                ("Name", .sub("/${AWS::StackName}/webhook-inbox-url", nil)), ("Type", .string("String")),
                ("Value", .ref("WebhookInboxQueue")), ("Description", .string("URL of the webhook inbox queue")),
            ])
        // A generated resource changed at a path: the partner team's cost-allocation tag on the inbox.
        Override(
            "WebhookInboxQueue", add: "Properties.Tags",
            .list([.object(["Key": .string("team"), "Value": .string("partners")])]))
    }
}

extension Handler {
    /// The `webhook-worker` executable of this package.
    public static let webhookWorker = Handler(artifact: "webhook-worker")
}

extension Schema {
    /// `blueprints/schemas/delivery.json`.
    public static let delivery = Schema("delivery")
}
