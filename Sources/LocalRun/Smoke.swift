import AWSClients
import AWSSigV4
import Foundation
import JSONDocument
import JSONText

/// A signed HTTP call to the local gateway, as a client of the API makes it.
public struct GatewayClient: Sendable {
    public var baseURL: String
    public var port: Int
    public var credentials: Credentials?
    public var region: String
    /// Sent as `x-api-key` (and signed) when set.
    public var apiKey: String?
    let transport = Callers.transport

    public init(port: Int, credentials: Credentials?, region: String, apiKey: String? = nil) {
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
        self.credentials = credentials
        self.region = region
        self.apiKey = apiKey
    }

    /// Sends `method` `path` with `body`, signed for `execute-api` when credentials are set.
    public func send(_ method: String, _ path: String, body: [UInt8] = []) async throws -> (Int, String) {
        var headers = [("Host", "127.0.0.1:\(port)"), ("Content-Type", "application/json")]
        if let apiKey { headers.append(("x-api-key", apiKey)) }
        if let credentials {
            let milliseconds = Int64(Date().timeIntervalSince1970 * 1000)
            headers += SigV4.sign(
                SignableRequest(method: method, path: path, headers: headers, body: body), credentials: credentials,
                region: region, service: "execute-api", amzDate: AWSCaller.amzDate(milliseconds))
        }
        let response = try await transport.send(
            AWSHTTPRequest(
                endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: port, path: path), method: method,
                headers: headers, body: body, service: "execute-api", operation: "\(method) \(path)"),
            timeoutMs: 30_000)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}

/// `orderstack local --smoke`: a valid request, a schema-invalid one and a duplicate through the gateway, the
/// item read back through the GET route below the POST (or, for a stack without one, from the table keyed by the
/// request's key), one event looked for on each subscriber queue. Generic: the routes, the key, the table and the
/// queues come from the template; the sample body from the project.
public struct Smoke: Sendable {
    public var session: LocalSession
    public var client: GatewayClient
    /// The POST route's path (`/orders`).
    public var postPath: String
    /// How the stored item is read back.
    public var readBack: ReadBack
    /// The body property holding the key; replaced by a fresh value in the sample.
    public var key: String
    /// A valid request body.
    public var sample: JSONValue
    public var say: @Sendable (String) -> Void

    /// Where the smoke test looks for the item it sent.
    public enum ReadBack: Sendable, Equatable {
        /// The GET route below the POST (`/orders/{orderId}`), until it answers 200.
        case route(String)
        /// The table (its physical name) keyed by the key, read with `GetItem` until the item is there.
        case table(String)
    }

    public init(
        session: LocalSession, client: GatewayClient, postPath: String, readBack: ReadBack, key: String,
        sample: JSONValue, say: @escaping @Sendable (String) -> Void
    ) {
        self.session = session
        self.client = client
        self.postPath = postPath
        self.readBack = readBack
        self.key = key
        self.sample = sample
        self.say = say
    }

    /// Runs every hop; `true` when each behaved as on AWS.
    public func run() async throws -> Bool {
        // An HTTP API's `$default` stage has no path prefix.
        let stage = session.api.map { $0.stage.isEmpty ? "" : "/" + $0.stage } ?? ""
        let id = "smoke-\(UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970 * 1000)))"
        guard case .object(var fields) = sample else {
            throw ProvisionError(description: "the sample is not an object")
        }
        fields[key] = .string(id)
        let body = Array(LocalJSON.text(.object(fields)).utf8)
        var ok = true
        func hop(_ passed: Bool, _ text: String) {
            say("\(passed ? "ok  " : "FAIL") \(text)")
            ok = ok && passed
        }
        let (accepted, acceptedBody) = try await client.send("POST", stage + postPath, body: body)
        hop(accepted / 100 == 2, "POST \(postPath) (\(key) \(id)): \(accepted) \(acceptedBody)")
        let validated = session.api?.routes.contains {
            $0.method == "POST" && $0.path == postPath && !$0.models.isEmpty
        }
        if validated == true {
            let (invalid, invalidBody) = try await client.send("POST", stage + postPath, body: Array("{}".utf8))
            hop(invalid == 400, "POST \(postPath) with {}: \(invalid) \(invalidBody)")
        } else {
            say("skip POST \(postPath) with {}: the API validates no body at the edge (an HTTP API); its consumer must")
        }
        let (stored, what) = try await readBack(id, stage: stage)
        hop(stored, what)
        // After the first is stored: a client's retry. (Two copies in flight at once, in two concurrent batches,
        // can both publish; the event's key lets consumers deduplicate. See docs/local.md.)
        let (duplicate, _) = try await client.send("POST", stage + postPath, body: body)
        hop(duplicate / 100 == 2, "POST \(postPath) again with the same \(key), once it is stored: \(duplicate)")
        try await session.waitUntilIdle(seconds: 20)
        for (queue, url) in session.subscriberQueues {
            let messages = try await session.drain(url)
            let events = messages.filter { $0.body.contains(id) }.count
            hop(events == 1, "\(queue): \(events) event(s) for \(id) (the duplicate announced once)")
        }
        return ok
    }

    /// Polls for the stored item for up to 20 s; whether it was found and the hop's line.
    func readBack(_ id: String, stage: String) async throws -> (Bool, String) {
        let deadline = Date().addingTimeInterval(20)
        switch readBack {
        case .route(let getPath):
            let itemPath = stage + getPath.replacingOccurrences(of: "{\(key)}", with: id)
            var (found, foundBody) = (0, "")
            repeat {
                (found, foundBody) = try await client.send("GET", itemPath)
                if found == 200 { break }
                try await Task.sleep(nanoseconds: 200_000_000)
            } while Date() < deadline
            return (found == 200, "GET \(getPath) until stored: \(found) \(foundBody.prefix(160))")
        case .table(let table):
            let request = LocalJSON.object([
                ("TableName", JSONText.quote(table)),
                ("Key", LocalJSON.object([(key, LocalJSON.object([("S", JSONText.quote(id))]))])),
            ])
            var item: JSONValue?
            repeat {
                item = try await session.dynamodb.call("GetItem", request)["Item"]
                if item != nil { break }
                try await Task.sleep(nanoseconds: 200_000_000)
            } while Date() < deadline
            let shown = item.map { String(LocalJSON.text($0).prefix(160)) } ?? "not there after 20 s"
            return (item != nil, "\(table) until stored (GetItem \(key) \(id)): \(shown)")
        }
    }
}
