import CloudFormation
import DeployClients
import TemplateYAML

/// The one small stack per account and Region that every app stack deployed with orderstack shares: the artifact
/// bucket, and the API Gateway CloudWatch Logs role where the account has none. Never part of an app stack, so
/// `destroy` of an app never touches it; idempotent.
public enum Bootstrap {
    /// The stack's default name.
    public static let stackName = "orderstack-bootstrap"

    /// The output naming the artifact bucket (`deploy` reads it when `--bucket` is not given).
    public static let bucketOutput = "ArtifactBucket"

    /// The output naming the logging role, when the stack holds one.
    public static let roleOutput = "ApiGatewayCloudWatchRoleArn"

    /// The bootstrap template. The bucket: SSE-S3 encrypted, versioned, public access blocked, owner-enforced,
    /// TLS-only; noncurrent versions expire after 30 days and incomplete uploads after 7 (current objects stay:
    /// a stack's rollback needs the code it ran). The logging role only with `loggingRole`, retained if the stack
    /// is deleted, since the account setting keeps pointing at it.
    public static func templateBody(loggingRole: Bool) -> String {
        var text = """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: orderstack bootstrap - what the stacks of this account and Region share
            Resources:
              ArtifactBucket:
                Type: AWS::S3::Bucket
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Properties:
                  BucketEncryption:
                    ServerSideEncryptionConfiguration:
                      - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
                  VersioningConfiguration: {Status: Enabled}
                  PublicAccessBlockConfiguration:
                    BlockPublicAcls: true
                    BlockPublicPolicy: true
                    IgnorePublicAcls: true
                    RestrictPublicBuckets: true
                  OwnershipControls:
                    Rules: [{ObjectOwnership: BucketOwnerEnforced}]
                  LifecycleConfiguration:
                    Rules:
                      - Id: ExpireOldVersions
                        Status: Enabled
                        NoncurrentVersionExpiration: {NoncurrentDays: 30}
                        AbortIncompleteMultipartUpload: {DaysAfterInitiation: 7}
              ArtifactBucketPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref ArtifactBucket
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                      - Sid: TLSOnly
                        Effect: Deny
                        Principal: '*'
                        Action: 's3:*'
                        Resource:
                          - !GetAtt ArtifactBucket.Arn
                          - !Sub '${ArtifactBucket.Arn}/*'
                        Condition:
                          Bool: {'aws:SecureTransport': 'false'}

            """
        if loggingRole {
            text += """
                  ApiGatewayCloudWatchRole:
                    Type: AWS::IAM::Role
                    DeletionPolicy: Retain
                    UpdateReplacePolicy: Retain
                    Properties:
                      Description: API Gateway writes this account's stage logs to CloudWatch Logs (set by orderstack bootstrap)
                      AssumeRolePolicyDocument:
                        Version: '2012-10-17'
                        Statement:
                          - Effect: Allow
                            Principal: {Service: apigateway.amazonaws.com}
                            Action: 'sts:AssumeRole'
                      ManagedPolicyArns:
                        - !Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'

                """
        }
        text += """
            Outputs:
              \(bucketOutput):
                Description: S3 bucket for the handler zips of this account and Region's stacks
                Value: !Ref ArtifactBucket

            """
        if loggingRole {
            text += """
                  \(roleOutput):
                    Description: The role API Gateway's account setting points at
                    Value: !GetAtt ApiGatewayCloudWatchRole.Arn

                """
        }
        return text
    }

    /// The bootstrap template, parsed.
    public static func template(loggingRole: Bool) -> Template {
        TemplateReader.read(templateBody(loggingRole: loggingRole), path: "bootstrap").template ?? Template()
    }

    /// The artifact bucket of a deployed bootstrap stack (its output, else its resource's physical ID: moto lists
    /// no outputs for a stack created through a change set), or `nil` when there is none.
    public static func bucket(in stack: StackDescription?, physicalIds: [String: String]) -> String? {
        guard let stack else { return nil }
        return stack.outputs.first { $0.key == bucketOutput }?.value ?? physicalIds["ArtifactBucket"]
    }

    /// The logging role's ARN held by a deployed bootstrap stack: its output, else built from the role's physical
    /// ID (its name) and the stack's ARN (partition and account).
    public static func roleArn(in stack: StackDescription?, physicalIds: [String: String]) -> String? {
        guard let stack else { return nil }
        if let output = stack.outputs.first(where: { $0.key == roleOutput })?.value { return output }
        guard let name = physicalIds["ApiGatewayCloudWatchRole"] else { return nil }
        let arn = stack.stackId.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard arn.count > 4 else { return nil }
        return "arn:\(arn[1]):iam::\(arn[4]):role/\(name)"
    }
}
