/// A monthly price for a resource type the estimate has no model of, given by whoever adds the type (a
/// construct's own file): an amount per resource and month, and where the price comes from.
public struct ResourcePrice: Sendable, Hashable {
    /// The CloudFormation type priced (`AWS::SecretsManager::Secret`).
    public var resourceType: String
    /// The service and the item, as cost lines name them (`AWS Secrets Manager`, `secrets`).
    public var service: String
    public var item: String
    /// The unit billed (`secret-months`), how many each resource makes in a month, and the price of one, in USD.
    public var unit: String
    public var unitsPerResource: Double
    public var unitPrice: Double
    /// Where the price comes from (the service's pricing page).
    public var source: String

    /// A price of `unitPrice` per `unit`, `unitsPerResource` units per resource and month.
    public init(
        _ resourceType: String, service: String, item: String, unit: String, unitsPerResource: Double = 1,
        unitPrice: Double, source: String
    ) {
        self.resourceType = resourceType
        self.service = service
        self.item = item
        self.unit = unit
        self.unitsPerResource = unitsPerResource
        self.unitPrice = unitPrice
        self.source = source
    }
}
