import Testing

@testable import AWSSigV4

/// Official vectors (aws-c-auth's aws-signing-test-suite, `get-vanilla`; the AWS general reference's key
/// derivation example) and goldens signed by botocore 1.43 (`scripts/sigv4-goldens.py` reproduces them).
@Suite struct SigV4Tests {
    static let example = Credentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    @Test func getVanilla() {
        let request = SignableRequest(
            method: "GET", headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")])
        let (canonical, signed) = SigV4.canonicalRequest(request)
        #expect(
            canonical
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        #expect(signed == "host;x-amz-date")
        let toSign = SigV4.stringToSign(
            canonicalRequest: canonical, amzDate: "20150830T123600Z", scope: "20150830/us-east-1/service/aws4_request")
        #expect(toSign.hasSuffix("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"))
        let headers = SigV4.sign(
            SignableRequest(method: "GET", headers: [("Host", "example.amazonaws.com")]), credentials: Self.example,
            region: "us-east-1", service: "service", amzDate: "20150830T123600Z")
        #expect(
            headers.last?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    @Test func keyDerivationExample() {
        let key = SigV4.signingKey(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20120215", region: "us-east-1", service: "iam")
        #expect(SigV4.hex(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    static let session = Credentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "SESSIONTOKEN123")

    @Test func dynamoDBGetItemMatchesBotocore() {
        let request = SignableRequest(
            method: "POST",
            headers: [
                ("Host", "dynamodb.us-east-1.amazonaws.com"), ("Content-Type", "application/x-amz-json-1.0"),
                ("X-Amz-Target", "DynamoDB_20120810.GetItem"),
            ],
            body: Array(#"{"TableName":"orders","Key":{"orderId":{"S":"order-0001"}}}"#.utf8))
        let headers = SigV4.sign(
            request, credentials: Self.session, region: "us-east-1", service: "dynamodb", amzDate: "20261128T040506Z")
        #expect(headers.map(\.0) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(
            headers.last?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=95b36434895641d6ee01a7ebee603e6b378d5b02679660a7eb2d9a196acb3361"
        )
    }

    @Test func snsPublishMatchesBotocore() {
        let body =
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aevents&Message=hi"
        let request = SignableRequest(
            method: "POST",
            headers: [
                ("Host", "sns.us-east-1.amazonaws.com"),
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ],
            body: Array(body.utf8))
        let headers = SigV4.sign(
            request, credentials: Self.session, region: "us-east-1", service: "sns", amzDate: "20261128T040506Z")
        #expect(
            headers.last?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=51ccf10704072008d955e23f21da39e76e9b2814ea6c7be1a4418fc86c37902a"
        )
    }

    @Test func canonicalFormEncodesQueryAndCollapsesSpaces() {
        let request = SignableRequest(
            method: "get", path: "/a b/ü", query: [("b", "2"), ("a", "x y"), ("a", "1")],
            headers: [("Host", "h"), ("X-Multi", "  a   b  "), ("User-Agent", "ignored")])
        let (canonical, signed) = SigV4.canonicalRequest(request)
        let lines = canonical.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "GET")
        #expect(lines[1] == "/a%20b/%C3%BC")
        #expect(lines[2] == "a=1&a=x%20y&b=2")
        #expect(lines[4] == "x-multi:a b")
        #expect(signed == "host;x-multi")
    }
}
