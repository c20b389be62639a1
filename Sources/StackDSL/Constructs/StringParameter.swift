import CloudFormation

/// A configuration value in SSM Parameter Store (a standard `String` parameter, free of charge), named
/// `/<stack>/<Name>`, for functions that read it at start-up: `Function.uses(parameter)` grants `ssm:GetParameter`
/// on it alone and names it in `<NAME>_PARAMETER_NAME`. A stage sets its own value (`constructs.<Name>.value`).
public struct StringParameter: FunctionResource {
    public static let kind = "parameter"
    public static let settingKeys = ["value"]

    /// The construct name; the logical ID is `<name>Parameter`.
    public let name: String
    /// The value, unless the stage sets one.
    public let value: String

    /// A parameter holding `value`.
    public init(_ name: String, value: String) {
        self.name = name
        self.value = value
    }

    var logicalId: String { "\(name)Parameter" }
    /// `/<stack name>/<Name>`.
    var parameterName: Value { .sub("/${AWS::StackName}/\(name)", nil) }

    public var nodeId: String { logicalId }
    public var edgeLabel: String { "reads" }

    public var statements: [Statement] {
        [
            .allow(
                ["ssm:GetParameter"],
                on: [
                    .sub(
                        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${AWS::StackName}/\(name)",
                        nil)
                ],
                sid: "Read\(name)Parameter")
        ]
    }

    public var environment: [(name: String, value: Value)] {
        [("\(Names.upperSnake(name))_PARAMETER_NAME", parameterName)]
    }

    public func expand(in context: inout ExpansionContext) throws(SynthesisError) {
        var value = self.value
        if let setting = context.setting("value", of: self) {
            switch setting {
            case .string(let text), .number(let text): value = text
            case .bool(let flag): value = flag ? "true" : "false"
            default: throw context.settingError("value", of: self, "must be a string")
            }
        }
        guard !value.isEmpty, value.utf8.count <= 4096 else {
            throw context.settingError("value", of: self, "must hold 1 to 4,096 bytes (a standard parameter)")
        }
        context.add(
            Resource(
                logicalId, type: "AWS::SSM::Parameter",
                properties: Fields([
                    ("Name", parameterName), ("Type", .string("String")), ("Tier", .string("Standard")),
                    ("Value", .string(value)), ("Description", .string("\(name) of stack \(context.stack.name)")),
                ])))
        context.graph.node(logicalId, "\(name) (parameter)", .other)
    }
}
