import JSONDocument

/// An order as `POST /orders` accepts it (`blueprints/schemas/order.json`).
public struct Order: Sendable, Equatable, Codable {
    /// One line of the order.
    public struct LineItem: Sendable, Equatable, Codable {
        public var sku: String
        public var quantity: Int
        public var unitPriceCents: Int

        public init(sku: String, quantity: Int, unitPriceCents: Int) {
            self.sku = sku
            self.quantity = quantity
            self.unitPriceCents = unitPriceCents
        }
    }

    /// Where the order ships.
    public struct Address: Sendable, Equatable, Codable {
        public var name: String
        public var line1: String
        public var line2: String?
        public var city: String
        public var postalCode: String
        public var country: String

        public init(name: String, line1: String, line2: String?, city: String, postalCode: String, country: String) {
            self.name = name
            self.line1 = line1
            self.line2 = line2
            self.city = city
            self.postalCode = postalCode
            self.country = country
        }
    }

    /// The client's idempotency key: 8 to 64 of `[A-Za-z0-9_-]`.
    public var orderId: String
    /// `web`, `app` or `wholesale`.
    public var channel: String
    public var customerId: String
    /// ISO 4217 code, three capital letters.
    public var currency: String
    public var items: [LineItem]
    public var shippingAddress: Address
    public var couponCode: String?

    public init(
        orderId: String, channel: String, customerId: String, currency: String, items: [LineItem],
        shippingAddress: Address, couponCode: String?
    ) {
        self.orderId = orderId
        self.channel = channel
        self.customerId = customerId
        self.currency = currency
        self.items = items
        self.shippingAddress = shippingAddress
        self.couponCode = couponCode
    }

    /// The sum of quantity × unit price, or `nil` on overflow.
    public var totalCents: Int? {
        var total = 0
        for item in items {
            let (line, overflowLine) = item.quantity.multipliedReportingOverflow(by: item.unitPriceCents)
            let (sum, overflowSum) = total.addingReportingOverflow(line)
            if overflowLine || overflowSum { return nil }
            total = sum
        }
        return total
    }
}

/// Why a message cannot become an accepted order.
public enum Rejection: Error, Sendable, Equatable {
    /// Not JSON, or no usable `orderId`: nothing can be stored under a key, so the message is reported as a batch
    /// item failure and reaches the DLQ after `maxReceiveCount` receives.
    case malformed(String)
    /// A valid `orderId` but an order that breaks the schema: stored as `REJECTED` with the reason, never retried.
    case invalid(orderId: String, reason: String)
}

/// The order rules of `blueprints/schemas/order.json`, checked field by field with a precise reason.
public enum OrderValidation {
    static let channels: Set<String> = ["web", "app", "wholesale"]
    static let known: Set<String> = [
        "orderId", "channel", "customerId", "currency", "items", "shippingAddress", "couponCode",
    ]

    /// Whether `id` is 8 to 64 of `[A-Za-z0-9_-]`.
    public static func isValidOrderId(_ id: String) -> Bool {
        (8...64).contains(id.utf8.count)
            && id.utf8.allSatisfy {
                ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95
            }
    }

    /// Decodes and checks a message body.
    public static func validate(_ body: [UInt8]) -> Result<Order, Rejection> {
        guard let json = JSONValue.parse(body), case .object(let fields) = json else {
            return .failure(.malformed("the body is not a JSON object"))
        }
        guard let orderId = fields["orderId"]?.string, isValidOrderId(orderId) else {
            return .failure(.malformed("orderId is missing or not 8-64 characters of [A-Za-z0-9_-]"))
        }
        func invalid(_ reason: String) -> Result<Order, Rejection> {
            .failure(.invalid(orderId: orderId, reason: reason))
        }
        if let extra = fields.keys.sorted().first(where: { !known.contains($0) }) {
            return invalid("unknown field \(extra)")
        }
        guard let channel = fields["channel"]?.string, channels.contains(channel) else {
            return invalid("channel must be web, app or wholesale")
        }
        guard let customerId = fields["customerId"]?.string, (1...64).contains(customerId.unicodeScalars.count) else {
            return invalid("customerId must be 1-64 characters")
        }
        guard let currency = fields["currency"]?.string, currency.utf8.count == 3,
            currency.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 })
        else { return invalid("currency must be three capital letters (ISO 4217)") }
        guard case .array(let rawItems)? = fields["items"], (1...100).contains(rawItems.count) else {
            return invalid("items must list 1-100 lines")
        }
        var items: [Order.LineItem] = []
        for (index, raw) in rawItems.enumerated() {
            guard case .object(let line) = raw else { return invalid("items[\(index)] must be an object") }
            if let extra = line.keys.sorted().first(where: { !["sku", "quantity", "unitPriceCents"].contains($0) }) {
                return invalid("items[\(index)] has unknown field \(extra)")
            }
            guard let sku = line["sku"]?.string, (1...64).contains(sku.unicodeScalars.count) else {
                return invalid("items[\(index)].sku must be 1-64 characters")
            }
            guard let quantity = line["quantity"]?.integer, (1...10_000).contains(quantity) else {
                return invalid("items[\(index)].quantity must be an integer from 1 to 10000")
            }
            guard let price = line["unitPriceCents"]?.integer, price >= 0 else {
                return invalid("items[\(index)].unitPriceCents must be an integer of 0 or more")
            }
            items.append(Order.LineItem(sku: sku, quantity: quantity, unitPriceCents: price))
        }
        guard case .object(let address)? = fields["shippingAddress"] else {
            return invalid("shippingAddress is required")
        }
        func text(_ key: String, _ limit: Int, required: Bool = true) -> String?? {
            guard let value = address[key] else { return required ? nil : .some(nil) }
            guard let string = value.string, string.unicodeScalars.count <= limit, !required || !string.isEmpty else {
                return nil
            }
            return .some(string)
        }
        if let extra = address.keys.sorted().first(where: {
            !["name", "line1", "line2", "city", "postalCode", "country"].contains($0)
        }) {
            return invalid("shippingAddress has unknown field \(extra)")
        }
        guard let name = text("name", 200) ?? nil else {
            return invalid("shippingAddress.name must be 1-200 characters")
        }
        guard let line1 = text("line1", 200) ?? nil else {
            return invalid("shippingAddress.line1 must be 1-200 characters")
        }
        guard let line2 = text("line2", 200, required: false) else {
            return invalid("shippingAddress.line2 must be at most 200 characters")
        }
        guard let city = text("city", 100) ?? nil else {
            return invalid("shippingAddress.city must be 1-100 characters")
        }
        guard let postal = text("postalCode", 20) ?? nil else {
            return invalid("shippingAddress.postalCode must be 1-20 characters")
        }
        guard let country = address["country"]?.string, country.utf8.count == 2,
            country.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 })
        else {
            return invalid("shippingAddress.country must be two capital letters (ISO 3166)")
        }
        var coupon: String?
        if let raw = fields["couponCode"] {
            guard let code = raw.string, (1...32).contains(code.unicodeScalars.count) else {
                return invalid("couponCode must be 1-32 characters")
            }
            coupon = code
        }
        let order = Order(
            orderId: orderId, channel: channel, customerId: customerId, currency: currency, items: items,
            shippingAddress: Order.Address(
                name: name, line1: line1, line2: line2, city: city, postalCode: postal, country: country),
            couponCode: coupon)
        guard order.totalCents != nil else { return invalid("the order total overflows") }
        return .success(order)
    }
}
