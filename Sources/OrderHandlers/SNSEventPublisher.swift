import AWSClients
import OrderDomain

/// The events topic over SNS.
public struct SNSEventPublisher: EventPublisher {
    public var client: SNSClient
    public var topicArn: String

    public init(client: SNSClient, topicArn: String) {
        self.client = client
        self.topicArn = topicArn
    }

    public func publish(_ event: OrderAcceptedEvent) async throws {
        try await TransientFailure.asTransientError {
            _ = try await client.publish(topicArn: topicArn, message: event.json, attributes: event.attributes)
        }
    }
}
