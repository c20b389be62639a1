import AWSClients
import LambdaRuntime
import Logging
import OrderDomain

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `order-query`: `GET /orders/{orderId}` through the Lambda proxy integration. 200 with the stored order, 404
/// when there is none, 400 for an invalid id, 503 when the table cannot be read now; never a 500 for bad input.
public struct QueryHandler: Sendable {
    public var reader: any OrderReader
    public var logger: Logger

    public init(reader: any OrderReader, logger: Logger) {
        self.reader = reader
        self.logger = logger
    }

    /// Time kept back from the deadline to answer before Lambda cuts the invocation off.
    public var safetyMarginMs: Int64 = 300

    /// Handles one invocation.
    public func handle(_ invocation: Invocation) async throws -> [UInt8] {
        var logger = logger
        logger[metadataKey: "requestId"] = .string(invocation.requestId)
        let orderId: String?
        do {
            orderId = try APIGatewayProxy.orderId(invocation.event)
        } catch {
            logger.warning("unreadable request: \(error)")
            return APIGatewayProxy.message(status: 400, "the request has no orderId path parameter")
        }
        guard let orderId, OrderValidation.isValidOrderId(orderId) else {
            logger.info("invalid orderId")
            return APIGatewayProxy.message(status: 400, "orderId must be 8-64 characters of [A-Za-z0-9_-]")
        }
        logger[metadataKey: "orderId"] = .string(orderId)
        do {
            // Bounded by the invocation's deadline less a margin: a hung read ends in time to answer 503.
            let deadline = invocation.deadlineMs - safetyMarginMs
            let found = try await CallDeadline.$milliseconds.withValue(deadline) { try await reader.order(orderId) }
            guard let stored = found else {
                logger.info("order not found")
                return APIGatewayProxy.message(status: 404, "order not found")
            }
            return APIGatewayProxy.response(status: 200, body: Self.json(stored))
        } catch let error as TransientError {
            logger.error("table unavailable: \(error.reason)")
            return APIGatewayProxy.message(status: 503, "the order cannot be read right now; retry")
        } catch {
            logger.error("read failed: \(error)")
            return APIGatewayProxy.message(status: 500, "the order cannot be read")
        }
    }

    /// The order as the API returns it: its fields, `status`, `totalCents`, `acceptedAt` and, for rejects,
    /// `rejectionReason` (bookkeeping such as `published` stays internal).
    public static func json(_ stored: StoredOrder) -> String {
        struct Body: Encodable {
            var orderId: String
            var status: String
            var acceptedAt: String
            var totalCents: Int?
            var rejectionReason: String?
            var channel: String?
            var customerId: String?
            var currency: String?
            var items: [Order.LineItem]?
            var shippingAddress: Order.Address?
            var couponCode: String?
        }
        let order = stored.order
        let body = Body(
            orderId: stored.orderId, status: stored.status.rawValue, acceptedAt: stored.acceptedAt,
            totalCents: stored.totalCents, rejectionReason: stored.rejectionReason, channel: order?.channel,
            customerId: order?.customerId, currency: order?.currency, items: order?.items,
            shippingAddress: order?.shippingAddress, couponCode: order?.couponCode)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(body)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
