import AWSClients
import JSONDocument
import OrderDomain
import Timestamps

/// The orders table over DynamoDB: one item per `orderId` (the partition key).
///
/// The put is conditional (`attribute_not_exists(orderId)`); when it fails the existing item is read back with a
/// strongly consistent read, so the processor decides on the first order stored, never on the duplicate.
public struct DynamoDBOrderStore: OrderStore, OrderReader {
    public var client: DynamoDBClient
    public var table: String

    public init(client: DynamoDBClient, table: String) {
        self.client = client
        self.table = table
    }

    public func putIfAbsent(_ order: StoredOrder) async throws -> PutOutcome {
        try await TransientFailure.asTransientError { try await put(order) }
    }

    func put(_ order: StoredOrder) async throws -> PutOutcome {
        do {
            try await client.putItem(
                table: table, item: OrderItemCodec.item(order), condition: "attribute_not_exists(orderId)")
            return .created
        } catch let error as AWSServiceError where error.code == "ConditionalCheckFailedException" {
            guard let item = try await client.getItem(table: table, key: key(order.orderId), consistent: true) else {
                throw TransientError("\(order.orderId) failed the put condition but could not be read back")
            }
            return .exists(try OrderItemCodec.storedOrder(item))
        }
    }

    /// Records the publish; an item deleted since it was read has nothing to record (the condition fails), and
    /// that is not an error to retry.
    public func markPublished(_ orderId: String) async throws {
        do {
            try await TransientFailure.asTransientError { try await mark(orderId) }
        } catch let error as AWSServiceError where error.code == "ConditionalCheckFailedException" {
            return
        }
    }

    func mark(_ orderId: String) async throws {
        try await client.updateItem(
            table: table, key: key(orderId), update: "SET published = :published, publishedAt = :at",
            condition: "attribute_exists(orderId)",
            values: [
                ":published": AttributeValue.bool(true),
                ":at": AttributeValue.s(RFC3339.format(client.caller.now())),
            ])
    }

    public func order(_ orderId: String) async throws -> StoredOrder? {
        try await TransientFailure.asTransientError { try await read(orderId, consistent: false) }
    }

    public func current(_ orderId: String) async throws -> StoredOrder? {
        try await TransientFailure.asTransientError { try await read(orderId, consistent: true) }
    }

    func read(_ orderId: String, consistent: Bool) async throws -> StoredOrder? {
        guard let item = try await client.getItem(table: table, key: key(orderId), consistent: consistent) else {
            return nil
        }
        return try OrderItemCodec.storedOrder(item)
    }

    func key(_ orderId: String) -> DynamoDBItem { ["orderId": AttributeValue.s(orderId)] }
}

/// An item that does not have the shape the processor writes.
public struct CorruptItemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var orderId: String
    public var field: String
    public var description: String { "the item \(orderId) has no valid \(field)" }

    /// Names the field of item `orderId` that is missing or malformed.
    public init(orderId: String, field: String) {
        self.orderId = orderId
        self.field = field
    }
}

/// The item layout: the order's fields as top-level attributes (items as a list of maps, the address as a map),
/// plus `status`, `totalCents`, `acceptedAt`, `published`, `apiRequestId` when the message carried one and, for
/// rejects, `rejectionReason` and `receivedBody`.
public enum OrderItemCodec {
    /// The item for `stored`.
    public static func item(_ stored: StoredOrder) -> DynamoDBItem {
        var item: DynamoDBItem = [
            "orderId": AttributeValue.s(stored.orderId), "status": AttributeValue.s(stored.status.rawValue),
            "acceptedAt": AttributeValue.s(stored.acceptedAt), "published": AttributeValue.bool(stored.published),
        ]
        if let total = stored.totalCents { item["totalCents"] = AttributeValue.n(total) }
        if let reason = stored.rejectionReason { item["rejectionReason"] = AttributeValue.s(reason) }
        if let body = stored.receivedBody, !body.isEmpty { item["receivedBody"] = AttributeValue.s(body) }
        if let request = stored.apiRequestId, !request.isEmpty { item["apiRequestId"] = AttributeValue.s(request) }
        if let order = stored.order {
            item["channel"] = AttributeValue.s(order.channel)
            item["customerId"] = AttributeValue.s(order.customerId)
            item["currency"] = AttributeValue.s(order.currency)
            item["items"] = AttributeValue.list(
                order.items.map {
                    AttributeValue.map([
                        "sku": AttributeValue.s($0.sku), "quantity": AttributeValue.n($0.quantity),
                        "unitPriceCents": AttributeValue.n($0.unitPriceCents),
                    ])
                })
            let address = order.shippingAddress
            var map: DynamoDBItem = [
                "name": AttributeValue.s(address.name), "line1": AttributeValue.s(address.line1),
                "city": AttributeValue.s(address.city), "postalCode": AttributeValue.s(address.postalCode),
                "country": AttributeValue.s(address.country),
            ]
            if let line2 = address.line2, !line2.isEmpty { map["line2"] = AttributeValue.s(line2) }
            item["shippingAddress"] = AttributeValue.map(map)
            if let coupon = order.couponCode { item["couponCode"] = AttributeValue.s(coupon) }
        }
        return item
    }

    /// The stored order an item holds; an item of another shape is an error naming the field.
    public static func storedOrder(_ item: DynamoDBItem) throws -> StoredOrder {
        let orderId = AttributeValue.string(item["orderId"]) ?? ""
        func fail(_ field: String) -> CorruptItemError { CorruptItemError(orderId: orderId, field: field) }
        guard !orderId.isEmpty else { throw fail("orderId") }
        guard let status = AttributeValue.string(item["status"]).flatMap(StoredOrder.Status.init(rawValue:)) else {
            throw fail("status")
        }
        guard let acceptedAt = AttributeValue.string(item["acceptedAt"]) else { throw fail("acceptedAt") }
        var order: Order?
        if status == .accepted {
            guard let channel = AttributeValue.string(item["channel"]) else { throw fail("channel") }
            guard let customerId = AttributeValue.string(item["customerId"]) else { throw fail("customerId") }
            guard let currency = AttributeValue.string(item["currency"]) else { throw fail("currency") }
            guard let rawItems = AttributeValue.list(item["items"]) else { throw fail("items") }
            var lines: [Order.LineItem] = []
            for (index, raw) in rawItems.enumerated() {
                guard let line = AttributeValue.map(raw), let sku = AttributeValue.string(line["sku"]),
                    let quantity = AttributeValue.int(line["quantity"]),
                    let price = AttributeValue.int(line["unitPriceCents"])
                else { throw fail("items[\(index)]") }
                lines.append(Order.LineItem(sku: sku, quantity: quantity, unitPriceCents: price))
            }
            guard let address = AttributeValue.map(item["shippingAddress"]),
                let name = AttributeValue.string(address["name"]), let line1 = AttributeValue.string(address["line1"]),
                let city = AttributeValue.string(address["city"]),
                let postal = AttributeValue.string(address["postalCode"]),
                let country = AttributeValue.string(address["country"])
            else { throw fail("shippingAddress") }
            order = Order(
                orderId: orderId, channel: channel, customerId: customerId, currency: currency, items: lines,
                shippingAddress: Order.Address(
                    name: name, line1: line1, line2: AttributeValue.string(address["line2"]), city: city,
                    postalCode: postal, country: country),
                couponCode: AttributeValue.string(item["couponCode"]))
            guard AttributeValue.int(item["totalCents"]) != nil else { throw fail("totalCents") }
        }
        return StoredOrder(
            orderId: orderId, status: status, order: order, totalCents: AttributeValue.int(item["totalCents"]),
            acceptedAt: acceptedAt, rejectionReason: AttributeValue.string(item["rejectionReason"]),
            published: AttributeValue.bool(item["published"]) ?? false,
            receivedBody: AttributeValue.string(item["receivedBody"]),
            apiRequestId: AttributeValue.string(item["apiRequestId"]))
    }
}

extension TransientFailure {
    /// Runs `body`, turning the clients' transient failures into the domain's `TransientError` (retry the
    /// message) and leaving every other error as it is.
    static func asTransientError<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as TransientFailure {
            throw TransientError(failure.reason)
        }
    }
}
