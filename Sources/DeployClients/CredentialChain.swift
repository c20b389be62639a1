import AWSClients
import AWSSigV4

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Why no credentials or region could be found, naming the variable, file or profile at fault. It never holds a
/// secret.
public struct CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Credentials and region with where they came from (for the report; never the secret).
public struct ResolvedCredentials: Sendable, Equatable {
    public var credentials: Credentials
    public var region: String
    /// `environment variables`, `profile ci (~/.aws/credentials)`, `web identity (AWS_ROLE_ARN)`, ...
    public var source: String
}

/// The sources AWS users already have, in the SDKs' order: environment variables, web identity
/// (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`), then the profile (`AWS_PROFILE`, else `default`) from
/// `~/.aws/credentials` and `~/.aws/config`, whose `role_arn` with `source_profile` or `web_identity_token_file`
/// is assumed through STS.
public struct CredentialChain: Sendable {
    /// The process environment.
    public var environment: [String: String]
    /// Reads a file; `nil` when it does not exist or cannot be read.
    public var readFile: @Sendable (String) -> String?
    /// Calls STS with the given credentials (`nil`: unsigned) in the region.
    public var sts: @Sendable (Credentials?, String) throws -> STSClient

    public init(
        environment: [String: String], readFile: @escaping @Sendable (String) -> String?,
        sts: @escaping @Sendable (Credentials?, String) throws -> STSClient
    ) {
        self.environment = environment
        self.readFile = readFile
        self.sts = sts
    }

    /// The Region to use when neither the environment nor the profile names one (a stage's `region:`).
    public var defaultRegion: String?

    func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }

    var home: String { variable("HOME") ?? "~" }
    var credentialsFile: String { variable("AWS_SHARED_CREDENTIALS_FILE") ?? "\(home)/.aws/credentials" }
    var configFile: String { variable("AWS_CONFIG_FILE") ?? "\(home)/.aws/config" }

    /// Resolves credentials and region.
    public func resolve() async throws -> ResolvedCredentials {
        let profileName = variable("AWS_PROFILE") ?? "default"
        let profile = try self.profile(profileName, required: variable("AWS_PROFILE") != nil)
        let region = variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? profile["region"] ?? defaultRegion
        guard let region else {
            throw CredentialError(
                "no region: set AWS_REGION, or region in profile \(profileName) of \(configFile)")
        }
        let key = variable("AWS_ACCESS_KEY_ID"), secret = variable("AWS_SECRET_ACCESS_KEY")
        if key != nil || secret != nil {
            guard let key, let secret else {
                throw CredentialError(
                    key == nil
                        ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                        : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return ResolvedCredentials(
                credentials: Credentials(
                    accessKeyId: key, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN")),
                region: region, source: "environment variables")
        }
        if let tokenFile = variable("AWS_WEB_IDENTITY_TOKEN_FILE") {
            guard let role = variable("AWS_ROLE_ARN") else {
                throw CredentialError("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
            }
            let credentials = try await webIdentity(
                tokenFile: tokenFile, role: role, what: "AWS_WEB_IDENTITY_TOKEN_FILE", region: region)
            return ResolvedCredentials(credentials: credentials, region: region, source: "web identity (AWS_ROLE_ARN)")
        }
        guard !profile.isEmpty else {
            throw CredentialError(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, or AWS_PROFILE with a profile in \(credentialsFile) or \(configFile)"
            )
        }
        return try await credentials(ofProfile: profileName, profile, region: region, depth: 0)
    }

    /// A profile's keys from both files (the credentials file wins); empty when neither has it.
    /// - Throws: when `required` and no file has the profile.
    func profile(_ name: String, required: Bool) throws -> [String: String] {
        var merged: [String: String] = [:]
        if let text = readFile(configFile) {
            let sections = Self.ini(text)
            for (key, value) in sections[name == "default" ? "default" : "profile \(name)"] ?? sections[name] ?? [:] {
                merged[key] = value
            }
        }
        if let text = readFile(credentialsFile) {
            for (key, value) in Self.ini(text)[name] ?? [:] { merged[key] = value }
        }
        if required && merged.isEmpty {
            throw CredentialError(
                "AWS_PROFILE is \(name), but neither \(credentialsFile) nor \(configFile) has a profile of that name")
        }
        return merged
    }

    func credentials(ofProfile name: String, _ profile: [String: String], region: String, depth: Int) async throws
        -> ResolvedCredentials
    {
        guard depth < 5 else { throw CredentialError("profile \(name): source_profile chain is longer than 5") }
        if let role = profile["role_arn"] {
            if let tokenFile = profile["web_identity_token_file"] {
                let credentials = try await webIdentity(
                    tokenFile: tokenFile, role: role, what: "web_identity_token_file of profile \(name)", region: region
                )
                return ResolvedCredentials(
                    credentials: credentials, region: region, source: "profile \(name) (web identity)")
            }
            guard let sourceName = profile["source_profile"] else {
                throw CredentialError(
                    "profile \(name) has role_arn but neither source_profile nor web_identity_token_file (\(configFile))"
                )
            }
            let source = try self.profile(sourceName, required: false)
            guard !source.isEmpty else {
                throw CredentialError(
                    "profile \(name): its source_profile \(sourceName) is in neither \(credentialsFile) nor \(configFile)"
                )
            }
            let base = try await credentials(ofProfile: sourceName, source, region: region, depth: depth + 1)
            let assumed = try await sts(base.credentials, region).assumeRole(
                roleArn: role, sessionName: profile["role_session_name"] ?? "orderstack")
            return ResolvedCredentials(
                credentials: assumed, region: region, source: "profile \(name) (role assumed from \(sourceName))")
        }
        guard let key = profile["aws_access_key_id"], let secret = profile["aws_secret_access_key"] else {
            throw CredentialError(
                "profile \(name) has no aws_access_key_id and aws_secret_access_key, and no role_arn (\(credentialsFile), \(configFile))"
            )
        }
        return ResolvedCredentials(
            credentials: Credentials(
                accessKeyId: key, secretAccessKey: secret, sessionToken: profile["aws_session_token"]),
            region: region, source: "profile \(name) (\(credentialsFile))")
    }

    func webIdentity(tokenFile: String, role: String, what: String, region: String) async throws -> Credentials {
        guard let token = readFile(tokenFile)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw CredentialError("\(what) names \(tokenFile), which cannot be read or is empty")
        }
        return try await sts(nil, region).assumeRole(
            webIdentityToken: token, roleArn: role,
            sessionName: variable("AWS_ROLE_SESSION_NAME") ?? "orderstack")
    }

    /// `[section]` and `key = value` lines; `#` and `;` start comments.
    static func ini(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = String(raw).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            sections[current, default: [:]][key] = String(line[line.index(after: equals)...]).trimmingCharacters(
                in: .whitespacesAndNewlines)
        }
        return sections
    }
}
