import AWSClients
import Logging
import OrderDomain

/// The events topic over SNS.
public struct SNSEventPublisher: EventPublisher {
    public var client: SNSClient
    public var topicArn: String
    /// Where each sent event is logged (`outcome: sent`, the SNS message ID, the topic and the attributes
    /// subscriptions filter on), so `trace` can follow an order to each subscriber.
    public var logger: Logger?

    public init(client: SNSClient, topicArn: String, logger: Logger? = nil) {
        self.client = client
        self.topicArn = topicArn
        self.logger = logger
    }

    public func publish(_ event: OrderAcceptedEvent) async throws {
        let id = try await TransientFailure.asTransientError {
            try await client.publish(topicArn: topicArn, message: event.json, attributes: event.attributes)
        }
        logger?.info(
            "event sent",
            metadata: [
                "outcome": "sent", "orderId": .string(event.order.orderId), "snsMessageId": .string(id),
                "topicArn": .string(topicArn), "attributes": .dictionary(event.attributes.mapValues { .string($0) }),
            ])
    }
}
