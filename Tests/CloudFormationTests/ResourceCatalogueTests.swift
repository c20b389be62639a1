import Testing

@testable import CloudFormation

/// The catalogue imported from cfn-lint's schemas and aws-sam-translator: its counts, a few types spot-checked
/// against their schemas, and every type's lines readable.
@Suite struct ResourceCatalogueTests {
    @Test func everyTypeOfTheSpecificationIsThereAndReadable() {
        #expect(ResourceCatalogue.source.hasPrefix("cfn-lint 1.51.0 us-east-1, aws-sam-translator 1.110.0"))
        let types = ResourceCatalogue.types
        // 1,584 CloudFormation types in cfn-lint 1.51.0's us-east-1 schemas, plus 11 SAM types.
        #expect(types.count == 1_595)
        #expect(types.filter { $0.hasPrefix("AWS::Serverless::") }.count == 11)
        let unreadable = types.filter { ResourceCatalogue.schema($0) == nil }
        #expect(unreadable.isEmpty, "\(unreadable.prefix(5))")
        let properties = types.reduce(0) { $0 + (ResourceCatalogue.schema($1)?.properties.count ?? 0) }
        #expect(properties == 10_707)
    }

    @Test func spotChecksAgainstTheSchemas() throws {
        let queue = try #require(ResourceCatalogue.schema("AWS::SQS::Queue"))
        #expect(
            Set(["Arn", "QueueName", "QueueUrl", "RedrivePolicy.deadLetterTargetArn"]).isSubset(of: queue.attributes))
        #expect(queue.createOnly == ["FifoQueue", "QueueName"])
        #expect(queue.properties["VisibilityTimeout"]?.shape == .integer)
        let endpoint = try #require(ResourceCatalogue.schema("AWS::DMS::Endpoint"))
        #expect(endpoint.required == ["EndpointType", "EngineName"])
        #expect(endpoint.properties["MasterUsername"] == nil && endpoint.properties["Username"] != nil)
        let bucket = try #require(ResourceCatalogue.schema("AWS::S3::Bucket"))
        #expect(bucket.properties["Tags"]?.shape == .list(.object("Tag")))
        #expect(bucket.definitions["Tag"]?.fields["Key"]?.required == true)
        #expect(bucket.properties["AccessControl"]?.shape == .string(formats: []))
        let function = try #require(ResourceCatalogue.schema("AWS::Lambda::Function"))
        #expect(function.required == ["Code", "Role"])
        #expect(function.properties["KmsKeyArn"]?.shape == .string(formats: ["AWS::KMS::Key.Arn"]))
        let table = try #require(ResourceCatalogue.schema("AWS::DynamoDB::Table"))
        #expect(table.conditionalCreateOnly.contains("KeySchema"))
        let project = try #require(ResourceCatalogue.schema("AWS::Evidently::Project"))
        #expect(project.lifecycle?.status == "shutdown" && project.lifecycle?.date == "2025-10-17")
        let sam = try #require(ResourceCatalogue.schema("AWS::Serverless::Function"))
        #expect(sam.properties["Tags"]?.shape == .anyObject)
        #expect(sam.properties["Runtime"]?.shape == .borrowed(type: "AWS::Lambda::Function", property: "Runtime"))
        #expect(sam.attributes.isEmpty)
        #expect(ResourceCatalogue.schema("AWS::Nothing::Here") == nil)
    }

    @Test func shapesReadBackAsWritten() {
        #expect(
            PropertyShape("s%AWS::IAM::Role.Arn|@Policy")
                == .either([.string(formats: ["AWS::IAM::Role.Arn"]), .object("Policy")]))
        #expect(PropertyShape("{[i]}") == .map(.list(.integer)))
        #expect(
            PropertyShape("=AWS::Lambda::Function.Runtime")
                == .borrowed(type: "AWS::Lambda::Function", property: "Runtime"))
        #expect(PropertyShape("[s") == nil)
        #expect(PropertyShape("x") == nil)
        #expect(PropertyShape("s]") == nil)
    }

    @Test func base64ReadsWhatPythonWrites() {
        #expect(Base64.decode("aGVs\nbG8=") == Array("hello".utf8))
        #expect(Base64.decode("") == [])
    }
}
