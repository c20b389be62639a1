import AWSClients
import AWSSigV4
import AsyncHTTPClient
import DeployClients
import Deployment
import Dispatch

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Credentials, region and endpoints for the commands that call AWS, from the sources AWS users already have.
struct AWSSession: Sendable {
    var resolved: ResolvedCredentials
    var environment: AWSEnvironment
    var transport: any AWSTransport

    /// Resolves credentials and region; prints one message and throws `BadInput` when a source is missing or
    /// broken (no secret is ever printed).
    static func resolve(
        environment variables: [String: String] = ProcessInfo.processInfo.environment,
        transport: any AWSTransport = HTTPClientTransport(), defaultRegion: String? = nil, console: Console
    ) throws -> AWSSession {
        var chain = CredentialChain(
            environment: variables,
            readFile: { path in FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            },
            sts: { credentials, region in
                let environment = AWSEnvironment(
                    region: region, credentials: credentials ?? Credentials(accessKeyId: "", secretAccessKey: ""),
                    environment: variables)
                return STSClient(caller: try Self.caller(environment, "sts", transport: transport))
            })
        chain.defaultRegion = defaultRegion
        let configured = chain
        do {
            let resolved = try blocking { try await configured.resolve() }
            return AWSSession(
                resolved: resolved,
                environment: AWSEnvironment(
                    region: resolved.region, credentials: resolved.credentials, environment: variables),
                transport: transport)
        } catch {
            console.err("error: \(Self.explain(error, what: "resolving AWS credentials"))")
            throw BadInput()
        }
    }

    static func caller(_ environment: AWSEnvironment, _ service: String, transport: any AWSTransport) throws
        -> AWSCaller
    {
        AWSCaller(
            transport: transport, environment: environment, endpoint: try environment.endpoint(for: service),
            service: service, now: { Int64(Date().timeIntervalSince1970 * 1000) })
    }

    /// A signed caller of `service`.
    func caller(_ service: String) throws -> AWSCaller {
        try Self.caller(environment, service, transport: transport)
    }

    /// A deployer over this session's CloudFormation and S3, real time, progress on standard error.
    func deployer(console: Console) throws -> Deployer {
        var deployer = Deployer(
            cloudFormation: CloudFormationClient(caller: try caller("cloudformation")),
            s3: S3Client(caller: try caller("s3")), now: { Int64(Date().timeIntervalSince1970 * 1000) },
            sleep: { try await Task.sleep(nanoseconds: UInt64($0) * 1_000_000) }, progress: { console.err($0) })
        deployer.region = resolved.region
        deployer.command = Stacks.executable
        return deployer
    }

    /// Codes that mean the credentials were refused.
    static let rejected: Set<String> = [
        "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "ExpiredToken",
        "ExpiredTokenException", "InvalidAccessKeyId", "AccessDenied", "AccessDeniedException", "AuthFailure",
    ]

    /// `the endpoint URL (AWS_ENDPOINT_URL) ` when the environment overrides the endpoints, else nothing.
    static func endpointNamed() -> String {
        guard let url = ProcessInfo.processInfo.environment["AWS_ENDPOINT_URL"], !url.isEmpty else { return "" }
        return "\(Redaction.redact(url)) (AWS_ENDPOINT_URL) "
    }

    /// One line for an error from the chain or a client, without type names.
    static func explain(_ error: any Error, what: String) -> String {
        switch error {
        case let error as CredentialError: return error.message
        case let error as ConfigurationError: return "\(error.variable): \(error.problem)"
        case let error as AWSServiceError where rejected.contains(error.code):
            return "\(error.service) refused the credentials while \(what) (\(error.code): \(error.message))"
        case let error as AWSServiceError where error.isBareHTTP:
            return
                "\(error.service) \(error.operation) failed while \(what): \(endpointNamed())answered HTTP \(error.status)"
                + (error.message.isEmpty ? " with no AWS error" : ", \(error.message)")
        case let error as AWSServiceError:
            return "\(error.service) \(error.operation) failed while \(what): \(error.code): \(error.message)"
        case let error as TransientFailure:
            return "cannot reach \(endpointNamed().isEmpty ? "AWS " : endpointNamed())while \(what): \(error.reason)"
        default: return "\(what) failed: \(error)"
        }
    }
}

/// Runs `body` to completion from synchronous code (the commands are synchronous; the clients are async).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// The result a `blocking` task hands back to the waiting thread (written once, read after the signal).
final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
