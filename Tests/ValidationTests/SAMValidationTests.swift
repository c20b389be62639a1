import Testing

@testable import Validation

/// SAM templates checked as CloudFormation sees them after the transform: the false errors of real templates stay
/// clean, and references to names SAM does not generate are errors.
@Suite struct SAMValidationTests {
    static func findings(_ text: String) -> [String] {
        Validator.validate(bytes: Array(text.utf8), path: "sam.yaml", today: "2026-12-01").map {
            "\($0.id) \($0.mark.line)"
        }
    }

    static let header = "Transform: AWS::Serverless-2016-10-31\nResources:\n"

    @Test func alarmDimensionsMayReferenceSAMFunctionsAndTables() {
        let found = Self.findings(
            Self.header + """
                  F:
                    Type: AWS::Serverless::Function
                    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}
                  T:
                    Type: AWS::Serverless::SimpleTable
                  FunctionErrors:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/Lambda
                      MetricName: Errors
                      Dimensions: [{Name: FunctionName, Value: !Ref F}]
                      Statistic: Sum
                      Period: 60
                      EvaluationPeriods: 1
                      Threshold: 1
                      ComparisonOperator: GreaterThanOrEqualToThreshold
                  TableThrottles:
                    Type: AWS::CloudWatch::Alarm
                    Properties:
                      Namespace: AWS/DynamoDB
                      MetricName: ThrottledRequests
                      Dimensions: [{Name: TableName, Value: !Ref T}]
                      Statistic: Sum
                      Period: 60
                      EvaluationPeriods: 1
                      Threshold: 1
                      ComparisonOperator: GreaterThanOrEqualToThreshold
                """)
        #expect(!found.contains { $0.hasPrefix("OS2018") }, "\(found)")
        #expect(!found.contains { $0.hasPrefix("OS10") }, "\(found)")
    }

    @Test func apiEventsDoNotMakeTheFunctionDependOnItsApi() {
        let found = Self.findings(
            Self.header + """
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      StageName: prod
                      DefinitionBody:
                        paths:
                          /:
                            get:
                              x-amazon-apigateway-integration:
                                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${F.Arn}/invocations
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      CodeUri: src/
                      Events:
                        Get:
                          Type: Api
                          Properties: {RestApiId: !Ref Api, Path: /, Method: get}
                """)
        #expect(!found.contains { $0.hasPrefix("OS1008") }, "\(found)")
    }

    /// The names of the issue's example: cfn-lint finds four errors, and so must validate.
    @Test func referencesToNamesSAMDoesNotGenerateAreErrors() {
        let text =
            Self.header + """
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      CodeUri: src/
                      Environment:
                        Variables:
                          A: !Ref Nonexistent
                          B: !GetAtt GhostRole.Arn
                          C: !Sub ${Ghost2}
                      Events:
                        Get: {Type: Api, Properties: {Path: /, Method: get}}
                  G:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      CodeUri: src/
                      AutoPublishAlias: live
                Outputs:
                  Arn: {Value: !GetAtt F.Arnn}
                  Role: {Value: !GetAtt FRole.Arn}
                  Api: {Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod"}
                  Stage: {Value: !Ref ServerlessRestApiProdStage}
                  Version: {Value: !Ref G.Version}
                  Alias: {Value: !Ref G.Alias}
                  NoVersion: {Value: !Ref F.Version}
                """
        let errors = Validator.validate(bytes: Array(text.utf8), path: "sam.yaml", today: "2026-12-01").filter {
            $0.severity == .error
        }
        #expect(
            errors.map { "\($0.id) \($0.mark.line)" }.sorted()
                == ["OS1001 11", "OS1001 30", "OS1002 12", "OS1003 24", "OS1004 13"].sorted(),
            "\(errors.map(\.description))")
        let message = Validator.validate(bytes: Array(text.utf8), path: "sam.yaml").first { $0.id == "OS1001" }
        #expect(message?.message.contains("the SAM transform generates:") == true, "\(String(describing: message))")
    }

    @Test func sqsEventIsCheckedAsTheMappingItBecomes() {
        let text =
            Self.header + """
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      VisibilityTimeout: 20
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      CodeUri: src/
                      Timeout: 30
                      Events:
                        Jobs:
                          Type: SQS
                          Properties:
                            Queue: !Ref Q
                """
        let found = Validator.validate(bytes: Array(text.utf8), path: "sam.yaml", today: "2026-12-01")
        let ids = found.map { "\($0.id) \($0.mark.line) \($0.subject ?? "-")" }.sorted()
        // The URL where an ARN is needed, the visibility timeout below the function's, no DLQ, no partial batch
        // responses, and no log group for the function.
        #expect(
            ids == ["OS2002 18 F", "OS2003 6 Q", "OS2005 3 Q", "OS2008 15 F", "OS2020 7 F"].sorted(),
            "\(found.map(\.description))")
    }

    @Test func aSuppressionOnTheSAMFunctionCoversWhatItGenerates() {
        let text =
            Self.header + """
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      VisibilityTimeout: 200
                      RedrivePolicy: {deadLetterTargetArn: !GetAtt D.Arn, maxReceiveCount: 5}
                  D:
                    Type: AWS::SQS::Queue
                    Properties: {MessageRetentionPeriod: 1209600}
                  F:
                    Type: AWS::Serverless::Function
                    Metadata:
                      orderstack:
                        ignore:
                          - {id: OS2008, reason: each message is one whole file; a batch is retried as one}
                          - {id: OS2020, reason: the log group is created by the platform team}
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      CodeUri: src/
                      Timeout: 30
                      Events:
                        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
                """
        #expect(Self.findings(text) == [])
    }
}
