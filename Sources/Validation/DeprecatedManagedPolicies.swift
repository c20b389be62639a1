import CloudFormation

/// AWS managed policies AWS has deprecated: a deprecated policy "can't be attached to any new IAM users, groups,
/// or roles" (IAM User Guide, "Deprecated AWS managed policies"). Dates and replacements from AWS's
/// documentation, cited per entry.
enum DeprecatedManagedPolicies {
    struct Entry {
        /// `YYYY-MM-DD`.
        var deprecated: String
        var replacement: String
        /// Where AWS says so.
        var source: String
    }

    static let table: [String: Entry] = [
        // "After March 1, 2021, the AWS managed policies AWSLambdaReadOnlyAccess and AWSLambdaFullAccess will be
        // deprecated and can no longer be attached to new IAM users."
        "AWSLambdaFullAccess": Entry(
            deprecated: "2021-03-01", replacement: "AWSLambda_FullAccess",
            source: "AWS Lambda Developer Guide, \"Troubleshooting AWS Lambda identity and access\""),
        "AWSLambdaReadOnlyAccess": Entry(
            deprecated: "2021-03-01", replacement: "AWSLambda_ReadOnlyAccess",
            source: "AWS Lambda Developer Guide, \"Troubleshooting AWS Lambda identity and access\""),
        // "phased out as of January 29, 2021 ... you can't attach the policy to any new users or roles"
        "AmazonEC2ContainerServiceFullAccess": Entry(
            deprecated: "2021-01-29", replacement: "AmazonECS_FullAccess",
            source: "Amazon ECS Developer Guide, \"Phased out Amazon ECS managed IAM policies\""),
        // "will no longer be available for attachment to new IAM users, groups, or roles after April 16, 2021"
        // (commercial Regions; June 2021 in China and GovCloud)
        "AWSElasticBeanstalkFullAccess": Entry(
            deprecated: "2021-04-16", replacement: "AdministratorAccess-AWSElasticBeanstalk",
            source: "AWS Elastic Beanstalk Developer Guide, \"AWS managed policies for AWS Elastic Beanstalk\""),
        "AWSElasticBeanstalkReadOnlyAccess": Entry(
            deprecated: "2021-04-16", replacement: "AWSElasticBeanstalkReadOnly",
            source: "AWS Elastic Beanstalk Developer Guide, \"AWS managed policies for AWS Elastic Beanstalk\""),
    ]

    /// The policy name of an AWS managed policy ARN (`arn:aws:iam::aws:policy/Name`, any partition, `${AWS::Partition}`
    /// in a Sub, a `service-role/` or other path), or `nil`.
    static func name(in value: Value) -> String? {
        let text: String
        switch value {
        case .string(let literal): text = literal
        case .sub(let template, _): text = template
        default: return nil
        }
        guard let marker = text.range(of: ":iam::aws:policy/") else { return nil }
        return text[marker.upperBound...].split(separator: "/").last.map(String.init)
    }
}
