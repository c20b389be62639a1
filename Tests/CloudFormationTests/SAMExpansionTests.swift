import Foundation
import TemplateYAML
import TestSupport
import Testing

@testable import CloudFormation

/// `SAMExpansion` against hand-written cases and against the SAM reference implementation (aws-sam-translator,
/// through `scripts/sam-reference-names.py`) on every SAM template of both shared corpora.
@Suite struct SAMExpansionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = Requirement.shared

    static func expand(_ text: String) throws -> SAMExpansion {
        SAMExpansion(try #require(TemplateReader.read(text, path: "t.yaml").template))
    }

    static func types(_ expansion: SAMExpansion) -> [String: String] {
        Dictionary(expansion.resources.map { ($0.logicalId, $0.type) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func functionBecomesLambdaWithRoleMappingAndImplicitApi() throws {
        let expansion = try Self.expand(
            """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Timeout: 30
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
                  Events:
                    Jobs:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt Queue.Arn
                        BatchSize: 5
                    Get:
                      Type: Api
                      Properties:
                        Path: /
                        Method: get
            """)
        let types = Self.types(expansion)
        #expect(types["Worker"] == "AWS::Lambda::Function")
        #expect(types["WorkerRole"] == "AWS::IAM::Role")
        #expect(types["WorkerJobs"] == "AWS::Lambda::EventSourceMapping")
        #expect(types["WorkerGetPermissionProd"] == "AWS::Lambda::Permission")
        #expect(types["ServerlessRestApi"] == "AWS::ApiGateway::RestApi")
        #expect(types["ServerlessRestApiProdStage"] == "AWS::ApiGateway::Stage")
        let function = try #require(expansion.resources.first { $0.logicalId == "Worker" })
        #expect(function["Timeout"] == .int(30))
        #expect(function["Role"] == .getAtt("WorkerRole", "Arn"))
        #expect(function["Events"] == nil)
        let mapping = try #require(expansion.resources.first { $0.logicalId == "WorkerJobs" })
        #expect(mapping["EventSourceArn"] == .getAtt("Queue", "Arn"))
        #expect(mapping["BatchSize"] == .int(5))
        let origin = try #require(expansion.origins["WorkerJobs"])
        #expect(origin.source == "Worker")
        #expect(
            origin.properties["EventSourceArn"]?.description
                == "Resources/Worker/Properties/Events/Jobs/Properties/Queue")
        #expect(expansion.origins["Worker"]?.properties["Timeout"]?.description == "Globals/Function/Timeout")
        #expect(expansion.referenceAliases["Worker.Version"] == nil)
    }

    @Test func aliasAndVersionOnlyWithAutoPublishAlias() throws {
        let expansion = try Self.expand(
            """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties:
                  Role: arn:aws:iam::123456789012:role/x
                  AutoPublishAlias: live
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: v1
            """)
        let types = Self.types(expansion)
        #expect(types["FRole"] == nil)
        #expect(types["FAliaslive"] == "AWS::Lambda::Alias")
        #expect(types["Apiv1Stage"] == "AWS::ApiGateway::Stage")
        #expect(expansion.referenceAliases["F.Version"] == "AWS::Lambda::Version")
        #expect(expansion.referenceAliases["F.Alias"] == "AWS::Lambda::Alias")
        #expect(expansion.referenceAliases["Api.Stage"] == "AWS::ApiGateway::Stage")
    }

    @Test func templateWithoutTheTransformIsUnchanged() throws {
        let text = "Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
        let template = try #require(TemplateReader.read(text, path: "t.yaml").template)
        let expansion = SAMExpansion(template)
        #expect(expansion.resources == template.resources)
        #expect(expansion.origins.isEmpty)
    }

    /// Logical IDs carrying a content hash, which no template can write.
    static func isHashed(_ name: String) -> Bool {
        let tail = name.suffix(10)
        return tail.count == 10 && tail.allSatisfy(\.isHexDigit) && tail.contains(where: \.isNumber)
    }

    /// Generated names the table does not reproduce, each for a stated reason.
    static func isKnownOmission(_ name: String, _ type: String) -> Bool {
        // A connector's permission for a Lambda destination, and AppSync's logging role.
        if name.hasSuffix("WriteLambdaPermission") || name.hasSuffix("CloudWatchRole") { return true }
        // Connectors' policies and permissions, custom domains' record sets and mappings, and AppSync's
        // resolvers, data sources and functions are named from nested settings the checks do not use.
        return [
            "AWS::IAM::ManagedPolicy", "AWS::Route53::RecordSetGroup", "AWS::ApiGatewayV2::DomainName",
            "AWS::ApiGateway::DomainName", "AWS::ApiGateway::BasePathMapping", "AWS::AppSync::DataSource",
            "AWS::AppSync::Resolver", "AWS::AppSync::FunctionConfiguration", "AWS::AppSync::ApiKey",
            "AWS::AppSync::GraphQLSchema", "AWS::SQS::Queue",
            "AWS::SQS::QueuePolicy", "AWS::ApiGatewayV2::ApiMapping", "AWS::StepFunctions::StateMachineVersion",
        ].contains(type)
    }

    @Test(Requirement.corpus("corpus-real", "corpus-real-2"), Requirement.pythonModule("samtranslator"))
    func generatedNamesMatchTheReferenceImplementation() throws {
        var files: [String] = []
        for corpus in ["corpus-real", "corpus-real-2"] {
            let folder = Self.shared.appendingPathComponent(corpus)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.map {
                folder.appendingPathComponent($0).path
            }
        }
        let reference = try Self.reference(files)
        #expect(reference.count > 100, "the reference implementation expanded \(reference.count) templates")
        var compared = 0
        for (file, generated) in reference.sorted(by: { $0.key < $1.key }) where generated["error"] == nil {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            guard let template = TemplateReader.read(bytes: Array(data), path: file).template else { continue }
            let ours = Self.types(SAMExpansion(template))
            let theirs = generated.filter { !Self.isHashed($0.key) }
            for (name, type) in ours where !Self.isHashed(name) {
                #expect(
                    theirs[name] == type,
                    "\(file): we generate \(name) (\(type)), SAM has \(theirs[name] ?? "no such resource")")
            }
            for (name, type) in theirs where ours[name] == nil && !Self.isKnownOmission(name, type) {
                Issue.record("\(file): SAM generates \(name) (\(type)), the expansion does not")
            }
            compared += 1
        }
        #expect(compared > 100)
    }

    static func reference(_ files: [String]) throws -> [String: [String: String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/sam-reference-names.py").path] + files
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "scripts/sam-reference-names.py failed")
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return object.mapValues { value in
            guard let map = value as? [String: Any] else { return [:] }
            return map.compactMapValues { $0 as? String }
        }
    }
}
