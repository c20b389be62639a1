import Hashing

/// A packaged handler: its zip, where it goes in S3 and which template parameter names that key.
public struct Artifact: Sendable, Equatable {
    /// The executable's name (`order-processor`).
    public var executable: String
    /// The template parameter holding the S3 key (`OrderProcessorCodeKey`).
    public var keyParameter: String
    public var zip: [UInt8]

    public init(executable: String, keyParameter: String, zip: [UInt8]) {
        self.executable = executable
        self.keyParameter = keyParameter
        self.zip = zip
    }

    /// Lowercase hex SHA-256 of the zip.
    public var sha256: String {
        hexString(SHA256.hash(zip))
    }

    /// The content-addressed S3 key (`order-processor/<sha256>.zip`): new code is a new key, so CloudFormation
    /// updates the function exactly when the code changed.
    public var s3Key: String { "\(executable)/\(sha256).zip" }

    /// The zip holding `binary` as `bootstrap` (mode 0755, fixed timestamps).
    public static func bootstrapZip(_ binary: [UInt8]) throws(ZipError) -> [UInt8] {
        try ZipWriter.archive([ZipEntry(name: "bootstrap", contents: binary, mode: 0o755)])
    }
}

/// The commands that upload the zips and deploy a template that takes them.
public enum DeployCommands {
    /// `aws s3 cp` per artifact, then `aws cloudformation deploy` with every key parameter overridden.
    public static func text(
        artifacts: [Artifact], directory: String, template: String, stackName: String, bucketParameter: String
    ) -> String {
        var lines = ["BUCKET=my-artifact-bucket   # an S3 bucket in the stack's region"]
        for artifact in artifacts {
            lines.append("aws s3 cp \(directory)/\(artifact.executable).zip \"s3://$BUCKET/\(artifact.s3Key)\"")
        }
        let overrides =
            ["\(bucketParameter)=\"$BUCKET\""] + artifacts.map { "\($0.keyParameter)=\($0.s3Key)" }
        lines.append(
            "aws cloudformation deploy --stack-name \(stackName) --template-file \(template) \\\n"
                + "    --capabilities CAPABILITY_IAM --parameter-overrides \\\n    "
                + overrides.joined(separator: " \\\n    "))
        return lines.joined(separator: "\n") + "\n"
    }
}
