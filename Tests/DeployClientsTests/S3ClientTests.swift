import AWSClients
import AWSSigV4
import Testing

@testable import DeployClients

/// How S3 objects are addressed: virtual-hosted on AWS, path-style on an endpoint override and for bucket names
/// with dots (the wildcard certificate `*.s3.amazonaws.com` does not cover `a.b.s3.amazonaws.com`).
@Suite struct S3ClientTests {
    static func client(_ host: String, scheme: String = "https", port: Int = 443) -> S3Client {
        S3Client(
            caller: AWSCaller(
                transport: ReplayTransport([:]),
                environment: AWSEnvironment(
                    region: "eu-west-1", credentials: Credentials(accessKeyId: "A", secretAccessKey: "S"),
                    environment: [:]),
                endpoint: Endpoint(scheme: scheme, host: host, port: port), service: "s3", now: { 0 }))
    }

    @Test func bucketsAreAddressedAsTheirNamesAndEndpointsAllow() {
        let aws = Self.client("s3.eu-west-1.amazonaws.com")
        #expect(
            aws.url(bucket: "artifacts", key: "a/b c.zip") == "https://artifacts.s3.eu-west-1.amazonaws.com/a/b%20c.zip"
        )
        #expect(
            aws.url(bucket: "my.artifacts", key: "t.json") == "https://s3.eu-west-1.amazonaws.com/my.artifacts/t.json")
        let moto = Self.client("127.0.0.1", scheme: "http", port: 5000)
        #expect(moto.url(bucket: "artifacts", key: "t.json") == "http://127.0.0.1:5000/artifacts/t.json")
    }
}
