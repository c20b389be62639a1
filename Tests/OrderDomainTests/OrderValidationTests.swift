import Foundation
import Testing

@testable import OrderDomain

/// Every rule of `blueprints/schemas/order.json`, on both sides.
@Suite struct OrderValidationTests {
    static let valid = #"""
        {"orderId": "7f3c2a9e-0001", "channel": "web", "customerId": "c-1029", "currency": "EUR",
         "items": [{"sku": "FLOOR-CLEANER-5L", "quantity": 2, "unitPriceCents": 1299},
                   {"sku": "SPONGE", "quantity": 10, "unitPriceCents": 0}],
         "shippingAddress": {"name": "Ada", "line1": "Main St 1", "city": "Berlin", "postalCode": "10115", "country": "DE"},
         "couponCode": "SPRING25"}
        """#

    static func body(_ replace: String, _ with: String) -> [UInt8] {
        Array(valid.replacingOccurrences(of: replace, with: with).utf8)
    }

    @Test func validOrderDecodesWithItsTotal() throws {
        let order = try OrderValidation.validate(Array(Self.valid.utf8)).get()
        #expect(order.orderId == "7f3c2a9e-0001")
        #expect(order.items.count == 2)
        #expect(order.totalCents == 2_598)
        #expect(order.couponCode == "SPRING25")
        #expect(order.shippingAddress.line2 == nil)
    }

    @Test(arguments: [
        ("not json at all", "the body is not a JSON object"),
        ("[1, 2]", "the body is not a JSON object"),
        (#"{"channel": "web"}"#, "orderId is missing"),
        (#"{"orderId": "short"}"#, "orderId is missing"),
        (#"{"orderId": "has space in it"}"#, "orderId is missing"),
        (#"{"orderId": 12345678}"#, "orderId is missing"),
    ])
    func malformedMessagesHaveNoKey(text: String, reason: String) {
        guard case .failure(.malformed(let message)) = OrderValidation.validate(Array(text.utf8)) else {
            Issue.record("expected malformed for \(text)")
            return
        }
        #expect(message.contains(reason))
    }

    @Test(arguments: [
        (#""channel": "web""#, #""channel": "fax""#, "channel must be web, app or wholesale"),
        (#""customerId": "c-1029""#, #""customerId": """#, "customerId must be 1-64 characters"),
        (#""currency": "EUR""#, #""currency": "eur""#, "currency must be three capital letters"),
        (#""currency": "EUR""#, #""currency": "EURO""#, "currency must be three capital letters"),
        (#""quantity": 2"#, #""quantity": 0"#, "items[0].quantity must be an integer from 1 to 10000"),
        (#""quantity": 2"#, #""quantity": 10001"#, "items[0].quantity must be an integer from 1 to 10000"),
        (#""quantity": 2"#, #""quantity": 2.5"#, "items[0].quantity must be an integer from 1 to 10000"),
        (
            #""unitPriceCents": 1299"#, #""unitPriceCents": -1"#,
            "items[0].unitPriceCents must be an integer of 0 or more"
        ),
        (#""sku": "SPONGE""#, #""sku": """#, "items[1].sku must be 1-64 characters"),
        (#""country": "DE""#, #""country": "Germany""#, "shippingAddress.country must be two capital letters"),
        (#""city": "Berlin""#, #""city": """#, "shippingAddress.city must be 1-100 characters"),
        (#""couponCode": "SPRING25""#, #""couponCode": """#, "couponCode must be 1-32 characters"),
        (#""couponCode": "SPRING25""#, #""coupon": "SPRING25""#, "unknown field coupon"),
        (#""unitPriceCents": 1299"#, #""unitPriceCents": 1299, "color": "red""#, "items[0] has unknown field color"),
    ])
    func invalidOrdersKeepTheirIdAndAReason(replace: String, with: String, reason: String) {
        guard case .failure(.invalid(let orderId, let message)) = OrderValidation.validate(Self.body(replace, with))
        else {
            Issue.record("expected invalid for \(with)")
            return
        }
        #expect(orderId == "7f3c2a9e-0001")
        #expect(message.contains(reason), "\(message)")
    }

    @Test func boundariesAreInclusive() {
        #expect(OrderValidation.isValidOrderId("12345678"))
        #expect(!OrderValidation.isValidOrderId("1234567"))
        #expect(OrderValidation.isValidOrderId(String(repeating: "a", count: 64)))
        #expect(!OrderValidation.isValidOrderId(String(repeating: "a", count: 65)))
        #expect((try? OrderValidation.validate(Self.body(#""quantity": 2"#, #""quantity": 10000"#)).get()) != nil)
        #expect((try? OrderValidation.validate(Self.body(#""quantity": 2"#, #""quantity": 1"#)).get()) != nil)
        let hundred = (0..<100).map { _ in #"{"sku": "S", "quantity": 1, "unitPriceCents": 1}"# }.joined(separator: ",")
        let many = Self.valid.replacingOccurrences(
            of: #"[{"sku": "FLOOR-CLEANER-5L", "quantity": 2, "unitPriceCents": 1299},"#, with: "[\(hundred),")
        guard case .failure(.invalid(_, let reason)) = OrderValidation.validate(Array(many.utf8)) else {
            Issue.record("101 items must be rejected")
            return
        }
        #expect(reason == "items must list 1-100 lines")
    }

    @Test func totalOverflowIsRejected() {
        let huge = Self.body(#""unitPriceCents": 1299"#, #""unitPriceCents": 4611686018427387904"#)
        if case .failure(.invalid(_, let reason)) = OrderValidation.validate(huge) {
            #expect(reason.contains("overflow") || reason.contains("unitPriceCents"))
        } else {
            Issue.record("expected a rejection")
        }
    }
}
