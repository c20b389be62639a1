import CloudFormation
import StackDSL

/// A secret in AWS Secrets Manager whose value Secrets Manager generates, for functions that read it: a new kind
/// of construct written in this one file, with its expansion, the statements and environment a function using it
/// gets, its graph node, and its price.
struct Secret: FunctionResource {
    static let kind = "secret"
    static let settingKeys = ["length"]
    /// $0.40 per secret per month (https://aws.amazon.com/secrets-manager/pricing/); its API calls, $0.05 per
    /// 10,000, are not priced here.
    static let prices = [
        ResourcePrice(
            "AWS::SecretsManager::Secret", service: "AWS Secrets Manager", item: "secrets", unit: "secret-months",
            unitPrice: 0.40, source: "aws.amazon.com/secrets-manager/pricing")
    ]

    let name: String
    /// Characters of the generated value (Secrets Manager accepts 1 to 4,096); a stage may set its own
    /// (`constructs.<Name>.length`).
    var length = 32
    /// Kept when removed from the stack or replaced (its value cannot be recovered otherwise).
    var retained = true

    var logicalId: String { "\(name)Secret" }
    var nodeId: String { logicalId }
    var edgeLabel: String { "reads" }

    var statements: [Statement] {
        // `Ref` of a secret is its ARN (AWS::SecretsManager::Secret, return values).
        [.allow(["secretsmanager:GetSecretValue"], on: [.ref(logicalId)], sid: "Read\(name)Secret")]
    }

    var environment: [(name: String, value: Value)] {
        [("\(Names.upperSnake(name))_SECRET_ARN", .ref(logicalId))]
    }

    func expand(in context: inout ExpansionContext) throws(SynthesisError) {
        let policy: Value? = retained ? .string("Retain") : nil
        var length = self.length
        if let setting = context.setting("length", of: self) {
            guard case .number(let text) = setting, let value = Int(text), (1...4096).contains(value) else {
                throw context.settingError("length", of: self, "must be a whole number from 1 to 4,096")
            }
            length = value
        }
        context.add(
            Resource(
                logicalId, type: "AWS::SecretsManager::Secret",
                properties: Fields([
                    ("Description", .sub("${AWS::StackName} \(name)", nil)),
                    (
                        "GenerateSecretString",
                        .object(["PasswordLength": .int(length), "ExcludePunctuation": .bool(true)])
                    ),
                ]),
                deletionPolicy: policy, updateReplacePolicy: policy))
        context.graph.node(logicalId, "\(name) (secret)", .other)
        context.output("\(name)SecretArn", .ref(logicalId), "ARN of the \(name) secret")
    }
}
