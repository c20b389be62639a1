import Testing

@testable import AWSSigV4

@Suite struct RedactionTests {
    static let token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletoken+abc/def=="
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    /// The shape AWS answers a request whose signature it cannot match: the canonical request it expected, headers
    /// and their values included, inside the message.
    static let signatureDoesNotMatch = """
        <ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature \
        we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing \
        method. Consult the service documentation for details.

        The Canonical String for this request should have been
        'POST
        /

        content-type:application/x-www-form-urlencoded; charset=utf-8
        host:cloudformation.us-east-1.amazonaws.com
        x-amz-date:20261203T101500Z
        x-amz-security-token:\(token)

        content-type;host;x-amz-date;x-amz-security-token
        4f2a0c0c5a3d0c2f2d5a8e0b3c9a6d1e4f2a0c0c5a3d0c2f2d5a8e0b3c9a6d1e'

        The String-to-Sign should have been
        'AWS4-HMAC-SHA256
        20261203T101500Z
        20261203/us-east-1/cloudformation/aws4_request
        9a8b7c6d5e4f3a2b1c0d9a8b7c6d5e4f3a2b1c0d9a8b7c6d5e4f3a2b1c0d9a8b'
        </Message></Error><RequestId>5f1e</RequestId></ErrorResponse>
        """

    @Test func theSessionTokenAWSEchoesInSignatureDoesNotMatchIsRedacted() {
        let text = Redaction.redact(Self.signatureDoesNotMatch)
        #expect(!text.contains(Self.token))
        #expect(!text.contains("IQoJb3JpZ2luX2VjEJr"))
        #expect(text.contains("x-amz-security-token:[redacted]"))
        #expect(text.contains("SignatureDoesNotMatch"), "the code stays, so the reader knows what happened")
        #expect(text.contains("host:cloudformation.us-east-1.amazonaws.com"))
    }

    @Test(arguments: [
        ("AWS_SESSION_TOKEN=\(token) aws ...", "AWS_SESSION_TOKEN=[redacted] aws ..."),
        ("aws_secret_access_key = \(secret)\n", "aws_secret_access_key = [redacted]\n"),
        (#"{"SecretAccessKey": "\#(secret)", "x": 1}"#, #"{"SecretAccessKey": "[redacted]", "x": 1}"#),
        (
            "?X-Amz-Security-Token=\(token)&X-Amz-Signature=abcdef0123",
            "?X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]"
        ),
        (
            "Credential=AKIAIOSFODNN7EXAMPLE/20261203/us-east-1/s3/aws4_request, Signature=fe5f80f77d5fa3be",
            "Credential=AKIA[redacted]/20261203/us-east-1/s3/aws4_request, Signature=[redacted]"
        ),
        (
            "AWS_ENDPOINT_URL: 'https://ops:hunter2-long@moto.internal:5000' is not an http(s)://host[:port] URL",
            "AWS_ENDPOINT_URL: 'https://[redacted]@moto.internal:5000' is not an http(s)://host[:port] URL"
        ),
        ("key ASIAY34FZKBOKMUTVV7A in use", "key ASIA[redacted] in use"),
    ])
    func eachShapeOfACredentialIsRedacted(text: String, expected: String) {
        #expect(Redaction.redact(text) == expected)
    }

    @Test(arguments: [
        "SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.",
        "NextToken=abc123456 and ContinuationToken: xyz98765",
        "http://127.0.0.1:4566/orders?x=1 and https://example.com/a@b",
        "arn:aws:sqs:us-east-1:123456789012:orders-OrderIntake",
        "ops@example.com gets the alarms; AKIAshort stays; XAKIAIOSFODNN7EXAMPLEX stays",
        "the password policy (no value) and signatures: none",
    ])
    func ordinaryTextIsLeftAlone(text: String) {
        #expect(Redaction.redact(text) == text)
    }

    @Test func knownSecretsAreRedactedWhereverTheyAppearAndShortOnesAreIgnored() {
        let text = "prefix\(Self.secret)suffix and again \(Self.secret); tiny: abc"
        #expect(
            Redaction.redact(text, secrets: [Self.secret, "abc"])
                == "prefix[redacted]suffix and again [redacted]; tiny: abc")
        #expect(
            Redaction.secrets(in: ["AWS_SESSION_TOKEN": "t", "HOME": "/root", "AWS_SECRET_ACCESS_KEY": "s"]).sorted()
                == ["s", "t"])
    }
}
