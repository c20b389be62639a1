import CloudFormation
import Costing
import Diff
import Foundation
import StackDSL
import TemplateYAML
import Testing
import Validation

/// A construct written in a test target (`Secret.swift`, one file) goes through synth, graph, validate, cost and the
/// diff gate without a change anywhere else.
@Suite struct SecretConstructTests {
    static let table = Table("Items", partitionKey: "id")
    static let intake = Queue("Intake")
    static let token = Secret(name: "PartnerToken")
    static let worker = Function("Worker", handler: Handler(artifact: "worker"))
        .consumes(intake).writes(table).uses(token)

    static func stack(_ secret: Secret? = token) -> Stack {
        Stack("shop", description: "A worker with a secret") {
            if let secret {
                Function("Worker", handler: Handler(artifact: "worker")).consumes(intake).writes(table).uses(secret)
            } else {
                Function("Worker", handler: Handler(artifact: "worker")).consumes(intake).writes(table)
            }
        }
    }

    static func synthesize(_ stack: Stack = stack()) throws -> Synthesis {
        var stage = StageSettings(name: "dev", region: "eu-west-1")
        stage.functionDefaults.reservedConcurrency = 20
        return try Synthesizer.synthesize(stack, stage: stage, schemas: [:])
    }

    @Test func itSynthesizesWithWhatTheFunctionUsingItNeeds() throws {
        let synthesis = try Self.synthesize()
        let template = synthesis.template
        let secret = try #require(template.resource("PartnerTokenSecret"))
        #expect(secret.type == "AWS::SecretsManager::Secret")
        #expect(secret.deletionPolicy == .string("Retain") && secret.updateReplacePolicy == .string("Retain"))
        let statements =
            template.resource("WorkerRole")?["Policies"]?.items?.first?["PolicyDocument"]?["Statement"]?
            .items ?? []
        let read = try #require(statements.first { $0["Sid"] == .string("ReadPartnerTokenSecret") })
        #expect(
            read["Action"] == .strings(["secretsmanager:GetSecretValue"])
                || read["Action"] == .string("secretsmanager:GetSecretValue"))
        #expect(
            read["Resource"] == .ref("PartnerTokenSecret") || read["Resource"] == .list([.ref("PartnerTokenSecret")]))
        let variables = template.resource("WorkerFunction")?["Environment"]?["Variables"]
        #expect(variables?["PARTNER_TOKEN_SECRET_ARN"] == .ref("PartnerTokenSecret"))
        #expect(synthesis.graph.nodes.contains { $0.id == "PartnerTokenSecret" && $0.kind == .other })
        #expect(synthesis.graph.edges.contains { $0.from == "WorkerFunction" && $0.to == "PartnerTokenSecret" })
        #expect(synthesis.graph.mermaid().contains("PartnerTokenSecret[/\"PartnerToken (secret)\"/]"))
    }

    /// A construct reads its own settings from the stage file (`constructs.<Name>`), located errors included.
    @Test func itReadsItsOwnStageSettings() throws {
        func stage(_ entry: String) throws -> StageSettings {
            let text = "name: dev\nregion: eu-west-1\nfunctions:\n  defaults: {reservedConcurrency: 20}\n\(entry)"
            let loaded = StageSettings.load(text, path: "stages/dev.yaml")
            return try #require(loaded.settings, "\(loaded.diagnostics)")
        }
        let longer = try Synthesizer.synthesize(
            Self.stack(), stage: try stage("constructs:\n  PartnerToken: {length: 64}\n"), schemas: [:])
        #expect(
            longer.template.resource("PartnerTokenSecret")?["GenerateSecretString"]?["PasswordLength"] == .number("64"))
        #expect(
            throws: SynthesisError([
                Diagnostic(
                    path: "stages/dev.yaml", mark: Mark(line: 6, column: 18), severity: .error, id: "OS0104",
                    message: "'constructs.PartnerToken.length' must be a whole number from 1 to 4,096")
            ])
        ) {
            try Synthesizer.synthesize(
                Self.stack(), stage: try stage("constructs:\n  PartnerToken: {length: lots}\n"), schemas: [:])
        }
        for (entry, expected) in [
            (
                "constructs:\n  PartnerToken: {lenght: 64}\n",
                "unknown key 'constructs.PartnerToken.lenght'; expected one of: length"
            ),
            ("constructs:\n  Intake: {visibilityTimeout: 5}\n", "Intake reads no settings here"),
        ] {
            do {
                _ = try Synthesizer.synthesize(Self.stack(), stage: try stage(entry), schemas: [:])
                Issue.record("\(entry) must be refused")
            } catch let error as SynthesisError {
                #expect(error.message.contains(expected), "\(error)")
            }
        }
        do {
            _ = try Synthesizer.synthesize(
                Self.stack(), stage: try stage("constructs:\n  Nothing: {length: 8}\n"), schemas: [:])
            Issue.record("an entry for a construct the stack does not have must be refused")
        } catch let error as SynthesisError {
            #expect(error.message.contains("'constructs.Nothing' names no construct of the stack"), "\(error)")
            #expect(error.message.contains("PartnerToken"))
        }
    }

    /// A construct that adds a logical ID another construct adds is refused, not written twice.
    struct Shadow: Construct {
        static let kind = "shadow"
        let name: String
        func expand(in context: inout ExpansionContext) {
            context.add(Resource("IntakeQueue", type: "AWS::SQS::Queue"))
        }
    }

    @Test func aLogicalIdAddedTwiceIsRefused() throws {
        let stack = Stack("shop", description: "a shadow of the intake queue") {
            Self.worker
            Shadow(name: "Shade")
        }
        #expect(
            throws: SynthesisError(
                "two resources have the logical ID 'IntakeQueue' (AWS::SQS::Queue): a construct added one another construct adds too; rename the construct"
            )
        ) { try Self.synthesize(stack) }
    }

    @Test func monitoringsNameIsNoLogicalIdPrefix() throws {
        let stack = Stack("shop", description: "an API named like the monitoring") {
            RestAPI("Operations") {
                Route.get("/items/{id}", invoke: Function("Reader", handler: Handler(artifact: "r")))
            }
            Monitoring()
        }
        var stage = StageSettings(name: "dev", region: "eu-west-1")
        stage.alarms.email = "ops@example.org"
        #expect(try Synthesizer.synthesize(stack, stage: stage, schemas: [:]).template.resource("Operations") != nil)
        let twice = Stack("shop", description: "two") {
            Monitoring()
            Monitoring("Other")
        }
        #expect(throws: SynthesisError("a stack has at most one Monitoring construct")) {
            try Synthesizer.synthesize(twice, stage: stage, schemas: [:])
        }
    }

    @Test func itIsOneOfAKindByNameLikeEveryConstruct() throws {
        let clash = Stack("shop", description: "two secrets, one name") {
            Function("A", handler: Handler(artifact: "a")).uses(Secret(name: "Token"))
            Function("B", handler: Handler(artifact: "b")).uses(Secret(name: "Token", length: 64))
        }
        #expect(throws: SynthesisError("two different secrets are named 'Token'; give each construct its own name")) {
            try Self.synthesize(clash)
        }
        let same = Stack("shop", description: "one secret, used twice") {
            Function("A", handler: Handler(artifact: "a")).uses(Secret(name: "Token"))
            Function("B", handler: Handler(artifact: "b")).uses(Secret(name: "Token"))
        }
        let template = try Self.synthesize(same).template
        #expect(template.resources.filter { $0.type == "AWS::SecretsManager::Secret" }.count == 1)
        let lower = Stack("shop", description: "a bad name") { Secret(name: "token") }
        #expect(
            throws: SynthesisError(
                "secret name 'token' must be UpperCamelCase letters and digits (it prefixes logical IDs)")
        ) { try Self.synthesize(lower) }
    }

    @Test func validateJudgesItAsAnyResource() throws {
        let clean = try Validator.validate(
            bytes: Array(TemplateWriter.yaml(try Self.synthesize().template).utf8), path: "shop-dev.yaml")
        #expect(!clean.contains { $0.severity == .error }, "\(clean.map(\.description))")
        let misspelt = try Self.synthesize(
            Stack("shop", description: "a misspelt property") {
                Self.worker
                Override("PartnerTokenSecret", add: "Properties.GenerateSecretString.PasswordLenght", .int(40))
            }
        ).template
        let found = Validator.validate(bytes: Array(try TemplateWriter.yaml(misspelt).utf8), path: "shop-dev.yaml")
        #expect(
            found.contains { $0.severity == .error && $0.description.contains("PasswordLenght") },
            "the secret's schema is the resource catalogue's: \(found.map(\.description))")
    }

    @Test func costPricesItFromItsOwnFile() throws {
        let template = try Self.synthesize().template
        let profile = try #require(
            TrafficProfile.load(
                "name: flat\ndescription: d\narrivals_per_month: 1000\nbody_bytes: 500\nqueries_per_arrival: 0\n",
                path: "flat.yaml", name: "flat"
            ).profile)
        let prices = try #require(
            PriceCatalogue.load(
                try String(
                    contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                        .deletingLastPathComponent().appendingPathComponent("blueprints/pricing/us-east-1.yaml"),
                    encoding: .utf8), path: "us-east-1.yaml"
            ).catalogue)
        let unpriced = Estimator.estimate(template: template, profile: profile, prices: prices)
        #expect(
            unpriced.assumptions.contains {
                $0.contains("not priced") && $0.contains("AWS::SecretsManager::Secret × 1")
            })
        var options = EstimateOptions()
        options.resourcePrices = Self.stack().resourcePrices
        let priced = Estimator.estimate(template: template, profile: profile, prices: prices, options: options)
        let line = try #require(priced.lines.first { $0.service == "AWS Secrets Manager" })
        #expect(line.quantity == 1 && line.cost == 0.40 && line.unit == "secret-months")
        #expect(abs(priced.total - unpriced.total - 0.40) < 1e-9)
        #expect(!priced.assumptions.contains { $0.contains("AWS::SecretsManager::Secret") })
    }

    @Test func theDiffGateKnowsWhatRemovingItLoses() throws {
        let retained = try Self.synthesize().template
        let without = try Self.synthesize(Self.stack(nil)).template
        let kept = Differ.diff(old: retained, new: without, name: "shop-dev")
        #expect(!FailOn.dataLoss.fails([kept]), "a retained secret stays behind")
        let deleting = try Self.synthesize(Self.stack(Secret(name: "PartnerToken", retained: false))).template
        let lost = Differ.diff(old: deleting, new: without, name: "shop-dev")
        #expect(FailOn.dataLoss.fails([lost]), "removing a secret that is not retained deletes its value")
    }
}
