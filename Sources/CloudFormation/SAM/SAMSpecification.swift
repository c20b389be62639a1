/// What the SAM transform (`AWS::Serverless-2016-10-31`) turns each serverless resource type and event source
/// into: the CloudFormation type that keeps the logical ID, and the resources generated beside it.
///
/// Written from the AWS SAM specification ("Generated AWS CloudFormation resources",
/// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html)
/// and checked against the reference implementation, aws-sam-translator 1.110.0, on every SAM template of the two
/// real-world corpora (`scripts/sam-reference-names.py`, run by the test suite). Logical IDs that carry a content
/// hash (`<Api>Deployment1a2b3c4d5e`, `<Function>Version...`, layer versions) cannot be written in a template and are
/// not listed; SAM resolves `Ref` to them through the names in `referenceSuffixes`.
public enum SAMSpecification {
    /// The version of aws-sam-translator the table was checked against.
    public static let translatorVersion = "1.110.0"

    /// The CloudFormation type each SAM type becomes under the same logical ID (`nil`: the logical ID disappears;
    /// a layer version's ID gains a hash, and SAM resolves `Ref` to the written one).
    public static let becomes: [String: String?] = [
        "AWS::Serverless::Function": "AWS::Lambda::Function",
        "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
        "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
        "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
        "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
        "AWS::Serverless::Application": "AWS::CloudFormation::Stack",
        "AWS::Serverless::GraphQLApi": "AWS::AppSync::GraphQLApi",
        "AWS::Serverless::CapacityProvider": "AWS::Lambda::CapacityProvider",
        "AWS::Serverless::Connector": nil,
    ]

    /// What one event source of a function or state machine generates, by event `Type`: the suffixes appended to
    /// `<Resource><EventName>` and their types. `Permission` entries of `Api` events also carry the stage name.
    public static let functionEvents: [String: [(suffix: String, type: String)]] = [
        "SQS": [("", "AWS::Lambda::EventSourceMapping")],
        "Kinesis": [("", "AWS::Lambda::EventSourceMapping")],
        "DynamoDB": [("", "AWS::Lambda::EventSourceMapping")],
        "MQ": [("", "AWS::Lambda::EventSourceMapping")],
        "MSK": [("", "AWS::Lambda::EventSourceMapping")],
        "SelfManagedKafka": [("", "AWS::Lambda::EventSourceMapping")],
        "DocumentDB": [("", "AWS::Lambda::EventSourceMapping")],
        "SNS": [("", "AWS::SNS::Subscription"), ("Permission", "AWS::Lambda::Permission")],
        "S3": [("Permission", "AWS::Lambda::Permission")],
        "Schedule": [("", "AWS::Events::Rule"), ("Permission", "AWS::Lambda::Permission")],
        "ScheduleV2": [("", "AWS::Scheduler::Schedule"), ("Role", "AWS::IAM::Role")],
        "CloudWatchEvent": [("", "AWS::Events::Rule"), ("Permission", "AWS::Lambda::Permission")],
        "EventBridgeRule": [("", "AWS::Events::Rule"), ("Permission", "AWS::Lambda::Permission")],
        "CloudWatchLogs": [("", "AWS::Logs::SubscriptionFilter"), ("Permission", "AWS::Lambda::Permission")],
        "IoTRule": [("", "AWS::IoT::TopicRule"), ("Permission", "AWS::Lambda::Permission")],
        "Cognito": [("CognitoPermission", "AWS::Lambda::Permission")],
        "AlexaSkill": [("AlexaSkillPermission", "AWS::Lambda::Permission")],
        "HttpApi": [("Permission", "AWS::Lambda::Permission")],
        "Api": [("Permission", "AWS::Lambda::Permission")],
    ]

    /// The same for the event sources of `AWS::Serverless::StateMachine`.
    public static let stateMachineEvents: [String: [(suffix: String, type: String)]] = [
        "Schedule": [("", "AWS::Events::Rule"), ("Role", "AWS::IAM::Role")],
        "ScheduleV2": [("", "AWS::Scheduler::Schedule"), ("Role", "AWS::IAM::Role")],
        "CloudWatchEvent": [("", "AWS::Events::Rule"), ("Role", "AWS::IAM::Role")],
        "EventBridgeRule": [("", "AWS::Events::Rule"), ("Role", "AWS::IAM::Role")],
        "Api": [("Role", "AWS::IAM::Role")],
    ]

    /// Event types whose source is a poller: the property that names the source.
    public static let pollerSource: [String: String] = [
        "SQS": "Queue", "Kinesis": "Stream", "DynamoDB": "Stream", "MQ": "Broker", "MSK": "Stream",
        "DocumentDB": "Cluster",
    ]

    /// The AWS-managed policy SAM attaches to a generated function role for an event type.
    public static let pollerPolicies: [String: String] = [
        "SQS": "service-role/AWSLambdaSQSQueueExecutionRole",
        "Kinesis": "service-role/AWSLambdaKinesisExecutionRole",
        "DynamoDB": "service-role/AWSLambdaDynamoDBExecutionRole",
    ]

    /// The `Globals` section that applies to each SAM type.
    public static let globalsSection: [String: String] = [
        "AWS::Serverless::Function": "Function", "AWS::Serverless::Api": "Api",
        "AWS::Serverless::HttpApi": "HttpApi", "AWS::Serverless::SimpleTable": "SimpleTable",
        "AWS::Serverless::StateMachine": "StateMachine", "AWS::Serverless::LayerVersion": "LayerVersion",
    ]

    /// Properties of a SAM function that SAM moves to other resources: they do not make the function itself
    /// depend on what they reference.
    public static let functionPropertiesMovedElsewhere: Set<String> = [
        "Events", "DeploymentPreference", "AutoPublishAlias", "AutoPublishCodeSha256", "AutoPublishAliasAllProperties",
        "FunctionUrlConfig", "EventInvokeConfig", "Policies", "Connectors", "ProvisionedConcurrencyConfig",
        "VersionDescription", "VersionDeletionPolicy",
    ]
}
