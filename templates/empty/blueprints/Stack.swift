import StackDSL

/// The smallest stack with every hop: API Gateway checks each item against its schema and queues it, and a Swift
/// handler takes them off the queue in batches and keeps each one in a table, once. Alarms on every failure path.
///
/// Edit this file to change the architecture; stage differences live in `blueprints/stages/*.yaml`.
public enum {{Name}}Blueprint {
    /// The stack, described once for every stage.
    public static let stack = Stack("{{name}}", description: "{{name}}: accept, queue and keep items") {
        let items = Table("Items", partitionKey: "id")
        let intake = Queue("Intake")

        Function("Worker", handler: .worker)
            .consumes(intake)
            .writes(items)

        RestAPI("Api") {
            Route.post("/items", validatedBy: .item, enqueueTo: intake)
        }

        Monitoring("Operations")
    }
}

extension Handler {
    /// The `{{name}}-worker` executable of this package (`Sources/{{name}}-worker`).
    public static let worker = Handler(artifact: "{{name}}-worker")
}

extension Schema {
    /// `blueprints/schemas/item.json`.
    public static let item = Schema("item")
}
