import AWSClients
import AWSSigV4
import Testing

@testable import DeployClients

/// Answers every request with the next recorded answer for its operation, and records the requests.
final class ReplayTransport: AWSTransport, @unchecked Sendable {
    var answers: [String: [(Int, String)]]
    var requests: [AWSHTTPRequest] = []

    init(_ answers: [String: [(Int, String)]]) { self.answers = answers }

    func send(_ request: AWSHTTPRequest, timeoutMs: Int64) async throws -> AWSHTTPResponse {
        requests.append(request)
        guard var queue = answers[request.operation], !queue.isEmpty else {
            return AWSHTTPResponse(status: 500, body: Array("no answer recorded for \(request.operation)".utf8))
        }
        let (status, body) = queue.removeFirst()
        answers[request.operation] = queue.isEmpty ? [(status, body)] : queue
        return AWSHTTPResponse(status: status, body: Array(body.utf8))
    }

    func body(of operation: String) -> String? {
        requests.first { $0.operation == operation }.map { String(decoding: $0.body, as: UTF8.self) }
    }
}

func stsCredentials(_ action: String, key: String) -> String {
    """
    <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result><Credentials>
    <AccessKeyId>\(key)</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey>
    <SessionToken>token&amp;1</SessionToken></Credentials></\(action)Result></\(action)Response>
    """
}

@Suite struct CredentialChainTests {
    static func chain(
        _ environment: [String: String], files: [String: String] = [:],
        transport: ReplayTransport = ReplayTransport([:])
    ) -> CredentialChain {
        CredentialChain(
            environment: ["HOME": "/home/u"].merging(environment) { $1 }, readFile: { files[$0] },
            sts: { credentials, region in
                let environment = AWSEnvironment(
                    region: region, credentials: credentials ?? Credentials(accessKeyId: "", secretAccessKey: ""),
                    environment: [:])
                return STSClient(
                    caller: AWSCaller(
                        transport: transport, environment: environment,
                        endpoint: Endpoint(scheme: "http", host: "sts.test", port: 80), service: "sts",
                        now: { 1_796_000_000_000 }))
            })
    }

    @Test func environmentVariablesComeFirst() async throws {
        let resolved = try await Self.chain(
            [
                "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-west-1",
                "AWS_PROFILE": "ignored",
            ], files: ["/home/u/.aws/credentials": "[ignored]\naws_access_key_id = X\naws_secret_access_key = Y\n"]
        ).resolve()
        #expect(resolved.credentials.accessKeyId == "AKID")
        #expect(resolved.region == "eu-west-1")
        #expect(resolved.source == "environment variables")
    }

    @Test func aStagesRegionIsUsedOnlyWhenNothingElseNamesOne() async throws {
        var chain = Self.chain(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s"])
        chain.defaultRegion = "ap-southeast-2"
        #expect(try await chain.resolve().region == "ap-southeast-2")
        var named = Self.chain(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-west-1"])
        named.defaultRegion = "ap-southeast-2"
        #expect(try await named.resolve().region == "eu-west-1", "the caller then compares and refuses")
        await #expect(throws: CredentialError.self) {
            _ = try await Self.chain(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s"]).resolve()
        }
    }

    @Test func aProfileFromBothFiles() async throws {
        let files = [
            "/home/u/.aws/credentials": "# keys\n[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = secret\n",
            "/home/u/.aws/config": "[default]\nregion = us-west-2\n[profile ci]\nregion = eu-central-1 \n",
        ]
        let resolved = try await Self.chain(["AWS_PROFILE": "ci"], files: files).resolve()
        #expect(resolved.credentials == Credentials(accessKeyId: "AKIDCI", secretAccessKey: "secret"))
        #expect(resolved.region == "eu-central-1")
        #expect(resolved.source == "profile ci (/home/u/.aws/credentials)")
    }

    @Test func aRoleIsAssumedFromItsSourceProfile() async throws {
        let transport = ReplayTransport(["AssumeRole": [(200, stsCredentials("AssumeRole", key: "ASIAROLE"))]])
        let files = [
            "/home/u/.aws/credentials": "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n",
            "/home/u/.aws/config":
                "[profile deploy]\nrole_arn = arn:aws:iam::1:role/deploy\nsource_profile = base\nregion = us-east-1\n",
        ]
        let resolved = try await Self.chain(["AWS_PROFILE": "deploy"], files: files, transport: transport).resolve()
        #expect(resolved.credentials.accessKeyId == "ASIAROLE")
        #expect(resolved.credentials.sessionToken == "token&1")
        #expect(resolved.source == "profile deploy (role assumed from base)")
        let body = try #require(transport.body(of: "AssumeRole"))
        #expect(body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fdeploy"))
        // Signed with the source profile's keys.
        let authorization = transport.requests[0].headers.first { $0.0 == "Authorization" }?.1 ?? ""
        #expect(authorization.contains("Credential=AKIDBASE/"))
    }

    @Test func webIdentityIsSentUnsigned() async throws {
        let transport = ReplayTransport([
            "AssumeRoleWithWebIdentity": [(200, stsCredentials("AssumeRoleWithWebIdentity", key: "ASIAWEB"))]
        ])
        let resolved = try await Self.chain(
            [
                "AWS_WEB_IDENTITY_TOKEN_FILE": "/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/ci",
                "AWS_REGION": "us-east-1",
            ],
            files: ["/run/token": "jwt-token\n"], transport: transport
        ).resolve()
        #expect(resolved.credentials.accessKeyId == "ASIAWEB")
        #expect(resolved.source == "web identity (AWS_ROLE_ARN)")
        #expect(transport.requests[0].headers.allSatisfy { $0.0 != "Authorization" })
        #expect(transport.body(of: "AssumeRoleWithWebIdentity")?.hasSuffix("WebIdentityToken=jwt-token") == true)
    }

    @Test(arguments: [
        (["AWS_REGION": "us-east-1"], "no AWS credentials: set AWS_ACCESS_KEY_ID"),
        (
            ["AWS_ACCESS_KEY_ID": "A", "AWS_REGION": "us-east-1"],
            "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
        ),
        (
            ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s"],
            "no region: set AWS_REGION, or region in profile default of /home/u/.aws/config"
        ),
        (
            ["AWS_PROFILE": "gone"],
            "AWS_PROFILE is gone, but neither /home/u/.aws/credentials nor /home/u/.aws/config has a profile of that name"
        ),
        (
            ["AWS_WEB_IDENTITY_TOKEN_FILE": "/run/none", "AWS_ROLE_ARN": "r", "AWS_REGION": "us-east-1"],
            "AWS_WEB_IDENTITY_TOKEN_FILE names /run/none, which cannot be read or is empty"
        ),
        (
            ["AWS_WEB_IDENTITY_TOKEN_FILE": "/run/token", "AWS_REGION": "us-east-1"],
            "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"
        ),
    ])
    func brokenSourcesAreNamed(environment: [String: String], message: String) async throws {
        do {
            _ = try await Self.chain(environment).resolve()
            Issue.record("resolved without credentials")
        } catch let error as CredentialError {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test func aRoleWithoutASourceIsNamed() async throws {
        let files = ["/home/u/.aws/config": "[profile r]\nrole_arn = arn:aws:iam::1:role/x\nregion = us-east-1\n"]
        await #expect(throws: CredentialError.self) {
            try await Self.chain(["AWS_PROFILE": "r"], files: files).resolve()
        }
    }
}

@Suite struct XMLNodeTests {
    @Test func parsesNestedElementsWithEntitiesAndNamespaces() throws {
        let root = try #require(
            XMLNode.parse(Array("<a xmlns='x'><b><c>1 &amp; 2</c><c>3</c></b><d><![CDATA[<raw>]]></d></a>".utf8)))
        #expect(root.name == "a")
        #expect(root.at("b", "c")?.text == "1 & 2")
        #expect(root.child("b")?.children.map(\.text) == ["1 & 2", "3"])
        #expect(root.first("d")?.text == "<raw>")
        #expect(XMLNode.parse(Array("<a><b></a>".utf8)) == nil)
    }
}
