import JSONDocument

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A DynamoDB item: attribute name to attribute value in DynamoDB's JSON form (`{"S": "..."}`, `{"N": "1"}`, ...).
public typealias DynamoDBItem = [String: JSONValue]

/// The DynamoDB JSON 1.0 protocol (`X-Amz-Target: DynamoDB_20120810.<Operation>`), for the three calls the
/// handlers make.
public struct DynamoDBClient: Sendable {
    public var caller: AWSCaller

    public init(caller: AWSCaller) { self.caller = caller }

    /// `PutItem`; a failed condition throws `AWSServiceError` with code `ConditionalCheckFailedException`.
    public func putItem(table: String, item: DynamoDBItem, condition: String? = nil) async throws {
        var request: [String: JSONValue] = ["TableName": .string(table), "Item": .object(item)]
        if let condition { request["ConditionExpression"] = .string(condition) }
        _ = try await call("PutItem", request)
    }

    /// `GetItem`; `nil` when there is no item with that key.
    public func getItem(table: String, key: DynamoDBItem, consistent: Bool) async throws -> DynamoDBItem? {
        let answer = try await call(
            "GetItem", ["TableName": .string(table), "Key": .object(key), "ConsistentRead": .bool(consistent)])
        guard case .object(let item)? = answer["Item"] else { return nil }
        return item
    }

    /// `UpdateItem` with an update expression, an optional condition and the `:name` values they use.
    public func updateItem(
        table: String, key: DynamoDBItem, update: String, condition: String? = nil, values: DynamoDBItem
    ) async throws {
        var request: [String: JSONValue] = [
            "TableName": .string(table), "Key": .object(key), "UpdateExpression": .string(update),
            "ExpressionAttributeValues": .object(values),
        ]
        if let condition { request["ConditionExpression"] = .string(condition) }
        _ = try await call("UpdateItem", request)
    }

    func call(_ operation: String, _ request: [String: JSONValue]) async throws -> JSONValue {
        try await JSONProtocol(caller: caller, targetPrefix: "DynamoDB_20120810").call(operation, request)
    }

    /// Decodes `{"__type": "com.amazonaws.dynamodb.v20120810#Code", "message": "..."}`, falling back to the
    /// `x-amzn-ErrorType` header and the HTTP status.
    public static func decodeError(_ response: AWSHTTPResponse, operation: String) -> AWSServiceError {
        JSONProtocol.decodeError(response, service: "dynamodb", operation: operation)
    }
}

/// Attribute-value helpers.
public enum AttributeValue {
    public static func s(_ text: String) -> JSONValue { .object(["S": .string(text)]) }
    public static func n(_ number: Int) -> JSONValue { .object(["N": .string(String(number))]) }
    public static func bool(_ flag: Bool) -> JSONValue { .object(["BOOL": .bool(flag)]) }
    public static func list(_ values: [JSONValue]) -> JSONValue { .object(["L": .array(values)]) }
    public static func map(_ item: DynamoDBItem) -> JSONValue { .object(["M": .object(item)]) }

    public static func string(_ value: JSONValue?) -> String? { value?["S"]?.string }
    public static func int(_ value: JSONValue?) -> Int? { value?["N"]?.string.flatMap { Int($0) } }
    public static func bool(_ value: JSONValue?) -> Bool? {
        if case .bool(let flag)? = value?["BOOL"] { return flag }
        return nil
    }
    public static func list(_ value: JSONValue?) -> [JSONValue]? {
        if case .array(let values)? = value?["L"] { return values }
        return nil
    }
    public static func map(_ value: JSONValue?) -> DynamoDBItem? {
        if case .object(let item)? = value?["M"] { return item }
        return nil
    }
}
