import AWSSigV4

/// Where one AWS service is reached: scheme, host, port and the `Host` header that is signed.
public struct Endpoint: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int
    /// The path every request goes to (`/` unless the override URL names one).
    public var path: String

    public init(scheme: String, host: String, port: Int, path: String = "/") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// `host` or `host:port` when the port is not the scheme's default, as HTTP clients send it.
    public var hostHeader: String {
        (scheme == "https" && port == 443) || (scheme == "http" && port == 80) ? host : "\(host):\(port)"
    }

    /// The URL requests are sent to.
    public var url: String { "\(scheme)://\(hostHeader)\(path)" }

    /// Parses `http(s)://host[:port][/path]`, as `AWS_ENDPOINT_URL` takes it; `nil` for anything else.
    public init?(url: String) {
        let scheme: String
        var rest: Substring
        if url.hasPrefix("https://") {
            scheme = "https"
            rest = url.dropFirst(8)
        } else if url.hasPrefix("http://") {
            scheme = "http"
            rest = url.dropFirst(7)
        } else {
            return nil
        }
        var path = "/"
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        var host = String(rest)
        var port = scheme == "https" ? 443 : 80
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let parsed = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(parsed) else { return nil }
            port = parsed
            host = String(rest[..<colon])
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "@" }) else { return nil }
        self.init(scheme: scheme, host: host, port: port, path: path)
    }
}

/// A configuration variable that is missing or unusable; the handler reports it as an init error.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable at fault.
    public var variable: String
    public var problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = Redaction.redact(problem)  // an endpoint URL may carry user:password@
    }

    public var description: String { "\(variable): \(problem)" }
}

/// Region, credentials and endpoints from the environment Lambda provides, with the standard
/// `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` overrides (the service-specific one wins).
public struct AWSEnvironment: Sendable, Equatable {
    public var region: String
    public var credentials: Credentials
    public var environment: [String: String]

    /// Region and credentials found elsewhere (the CLI's credential chain); `environment` still gives the
    /// endpoint overrides.
    public init(region: String, credentials: Credentials, environment: [String: String]) {
        self.region = region
        self.credentials = credentials
        self.environment = environment
    }

    /// Reads region and credentials; every missing variable is named.
    public init(_ environment: [String: String]) throws(ConfigurationError) {
        self.environment = environment
        guard let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"], !region.isEmpty else {
            throw ConfigurationError(variable: "AWS_REGION", problem: "is not set")
        }
        guard region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ConfigurationError(variable: "AWS_REGION", problem: "'\(region)' is not a region name")
        }
        self.region = region
        guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty else {
            throw ConfigurationError(variable: "AWS_ACCESS_KEY_ID", problem: "is not set")
        }
        guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
            throw ConfigurationError(variable: "AWS_SECRET_ACCESS_KEY", problem: "is not set")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        credentials = Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token)
    }

    /// The endpoint of `service` (`dynamodb`, `sns`): `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then
    /// the regional HTTPS endpoint.
    public func endpoint(for service: String) throws(ConfigurationError) -> Endpoint {
        for variable in ["AWS_ENDPOINT_URL_\(service.uppercased())", "AWS_ENDPOINT_URL"] {
            guard let value = environment[variable], !value.isEmpty else { continue }
            guard let endpoint = Endpoint(url: value) else {
                throw ConfigurationError(variable: variable, problem: "'\(value)' is not an http(s)://host[:port] URL")
            }
            return endpoint
        }
        return Endpoint(scheme: "https", host: "\(service).\(region).amazonaws.com", port: 443)
    }

    /// A required variable of the handler's own (`ORDERS_TABLE_NAME`, ...).
    public func required(_ variable: String) throws(ConfigurationError) -> String {
        guard let value = environment[variable], !value.isEmpty else {
            throw ConfigurationError(variable: variable, problem: "is not set")
        }
        return value
    }
}
