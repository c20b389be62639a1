import StackDSL

/// The orders backend: API Gateway validates and enqueues orders, a Swift Lambda stores each one idempotently in
/// DynamoDB, and the table's change stream (the outbox) has it announced on SNS to the downstream services'
/// queues, so no stored order goes unannounced; alarms on every failure path.
///
/// Edit this file to change the architecture; stage differences live in `blueprints/stages/*.yaml`.
public enum OrdersBlueprint {
    /// The stack, described once for every stage.
    public static let stack = Stack("orders", description: "Orders service: accept, store and announce orders") {
        let orders = Table("Orders", partitionKey: "orderId")
        let events = Topic("OrderEvents", displayName: "Order events")
        let intake = Queue("OrderIntake")

        Function("OrderProcessor", handler: .orderProcessor)
            .consumes(intake)
            .writes(orders)
            .publishes(events, from: orders)

        RestAPI("OrdersApi") {
            Route.post("/orders", validatedBy: .order, enqueueTo: intake)
            Route.get("/orders/{orderId}", invoke: Function("OrderQuery", handler: .orderQuery).reads(orders))
        }

        Subscriber("InventoryFulfillment", to: events, filter: ["type": ["OrderAccepted"]])
        Subscriber("Accounting", to: events, filter: ["type": ["OrderAccepted"]])

        Monitoring("Operations")
    }
}

extension Handler {
    /// The SQS order processor: the `order-processor` executable of this package.
    public static let orderProcessor = Handler(artifact: "order-processor")
    /// The `GET /orders/{orderId}` handler: the `order-query` executable.
    public static let orderQuery = Handler(artifact: "order-query")
}

extension Schema {
    /// The order schema, `blueprints/schemas/order.json`.
    public static let order = Schema("order")
}
