import JSONDocument
import JSONSchema

/// What one arrival sends.
public enum RequestKind: String, Sendable, CaseIterable {
    /// A valid body with a key never sent before.
    case new
    /// A body that breaks the schema (a required property left out): the API must answer 400.
    case invalid
    /// A valid body sent again with the same key (a client's retry): accepted, stored and announced once.
    case duplicate
    /// A `GET` of a key sent earlier.
    case query
}

/// One request of the run, before its target address and signature.
public struct PlannedRequest: Sendable, Equatable {
    public var kind: RequestKind
    public var method: String
    /// The route's path with the key filled in (`/orders`, `/orders/ld5x-000001`).
    public var path: String
    public var body: [UInt8]
    /// The order's key, for orders, duplicates and queries.
    public var key: String?
    /// Seconds from the start of the run at which it is due.
    public var scheduled: Double
}

/// The routes a run uses: found in the template by the caller.
public struct LoadRoutes: Sendable, Equatable {
    /// The route orders are POSTed to (`/orders`).
    public var post: String
    /// The route below it that reads one back (`/orders/{orderId}`); `nil`: no queries, verification through the
    /// table only.
    public var get: String?
    /// The key's property name: the GET route's parameter, else `keyName` given by the caller.
    public var key: String

    public init(post: String, get: String?, key: String) {
        self.post = post
        self.get = get
        self.key = key
    }
}

/// Turns arrivals into requests: new orders made from the schema with unique keys, a share of schema-invalid ones
/// and of duplicates, and the profile's queries, all drawn from one seeded generator.
public struct RequestMix: Sendable {
    /// Shares and rates of the mix.
    public struct Shares: Sendable, Equatable {
        public var invalid: Double
        public var duplicate: Double
        /// `GET`s per order (the profile's `queries_per_order`).
        public var queriesPerArrival: Double

        public init(invalid: Double, duplicate: Double, queriesPerArrival: Double) {
            self.invalid = invalid
            self.duplicate = duplicate
            self.queriesPerArrival = queriesPerArrival
        }
    }

    /// Why the schema cannot drive the run.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    public let routes: LoadRoutes
    public let shares: Shares
    /// A prefix unique to the run, so that keys never meet those of an earlier run.
    public let runTag: String
    var sample: SchemaSample
    /// A valid body to start from where the schema cannot be generated from (`--sample`).
    let base: JSONValue?
    var generator: SeededGenerator
    /// Encoded valid bodies without the key, each starting with `{`: a new order is one of them with its key put
    /// first (making every body from the schema anew cost more than sending it).
    var pool: [[UInt8]] = []
    /// The same, each breaking the schema.
    var brokenPool: [[UInt8]] = []
    var sent: [(key: String, body: [UInt8], scheduled: Double)] = []
    var counter = 0
    /// Keys of the run's new orders.
    public var keys: Set<String> { Set(sent.map(\.key)) }

    /// A mix; checks that the bodies it makes are valid for `schema` and the invalid ones are not, and names the
    /// schema's constructs it cannot make values for.
    public init(
        schema: JSONValue?, base: JSONValue?, routes: LoadRoutes, shares: Shares, runTag: String, seed: UInt64
    ) throws {
        self.routes = routes
        self.shares = shares
        self.runTag = runTag
        self.sample = SchemaSample(schema: schema ?? .object([:]))
        self.base = base
        self.generator = SeededGenerator(seed: seed ^ 0x5EED)
        guard schema != nil || base != nil else {
            throw Problem(description: "the POST route has no request model and no --sample body was given")
        }
        for _ in 0..<(base == nil ? Self.poolSize : 1) {
            let body = validBody(key: "")
            pool.append(Self.withoutKey(body, key: routes.key))
            brokenPool.append(
                Self.withoutKey(Self.broken(body, schema: sample.schema, key: routes.key), key: routes.key))
        }
        try check(schema)
    }

    /// Bodies made from the schema per run.
    static let poolSize = 64

    /// `value` encoded without its `key` field.
    static func withoutKey(_ value: JSONValue, key: String) -> [UInt8] {
        guard case .object(var fields) = value else { return bytes(value) }
        fields[key] = nil
        return bytes(.object(fields))
    }

    /// `encoded` (an object without the key) with `"key":"value"` as its first field.
    static func splice(_ value: String, as key: String, into encoded: [UInt8]) -> [UInt8] {
        guard encoded.first == UInt8(ascii: "{") else { return encoded }
        var body = Array("{\(JSONValue.string(key).text):\(JSONValue.string(value).text)".utf8)
        if encoded.count > 2 { body.append(UInt8(ascii: ",")) }
        body += encoded.dropFirst()
        return body
    }

    /// Makes a few bodies and holds them to the schema.
    func check(_ schema: JSONValue?) throws {
        guard let schema else { return }
        let validator = SchemaValidator(schema: schema)
        for (index, encoded) in pool.enumerated() {
            let body = JSONValue.parse(Self.splice("\(runTag)-000001", as: routes.key, into: encoded)) ?? .null
            let problems = validator.problems(body)
            guard problems.isEmpty else {
                let skipped =
                    sample.unsupported.isEmpty
                    ? "" : " (not generated: \(sample.unsupported.joined(separator: ", ")))"
                throw Problem(
                    description:
                        "a body made from the POST route's model is not valid for it\(skipped): \(problems.joined(separator: "; ")); give a valid one with --sample FILE"
                )
            }
            let broken = JSONValue.parse(Self.splice("\(runTag)-000001", as: routes.key, into: brokenPool[index]))
            if shares.invalid > 0, validator.problems(broken ?? .null).isEmpty {
                throw Problem(
                    description:
                        "cannot make a body that breaks the POST route's model (it requires nothing); use --invalid-share 0"
                )
            }
        }
    }

    /// The request for the arrival at `scheduled`.
    public mutating func next(at scheduled: Double) -> PlannedRequest {
        let queryShare = shares.queriesPerArrival / (1 + shares.queriesPerArrival)
        if routes.get != nil, queryShare > 0, generator.unit() <= queryShare {
            return query(at: scheduled)
        }
        let draw = generator.unit()
        if draw <= shares.invalid {
            let body = Self.splice(newKey(), as: routes.key, into: brokenPool[pick(brokenPool.count)])
            return PlannedRequest(
                kind: .invalid, method: "POST", path: routes.post, body: body, key: nil, scheduled: scheduled)
        }
        if draw <= shares.invalid + shares.duplicate, !sent.isEmpty {
            let earlier = sent[pick(sent.count)]
            return PlannedRequest(
                kind: .duplicate, method: "POST", path: routes.post, body: earlier.body, key: earlier.key,
                scheduled: scheduled)
        }
        let key = newKey()
        let body = Self.splice(key, as: routes.key, into: pool[pick(pool.count)])
        sent.append((key, body, scheduled))
        return PlannedRequest(
            kind: .new, method: "POST", path: routes.post, body: body, key: key, scheduled: scheduled)
    }

    /// A GET of an order made at least two seconds earlier (likely stored by now), else of a key never sent.
    mutating func query(at scheduled: Double) -> PlannedRequest {
        // `sent` is in schedule order: the orders due two seconds ago or earlier are a prefix.
        var low = 0
        var high = sent.count
        while low < high {
            let middle = (low + high) / 2
            if sent[middle].scheduled <= scheduled - 2 { low = middle + 1 } else { high = middle }
        }
        let key = low == 0 ? "\(runTag)-absent" : sent[Int(generator.next() % UInt64(low))].key
        let path = routes.get!.replacingOccurrences(of: "{\(routes.key)}", with: key)
        return PlannedRequest(kind: .query, method: "GET", path: path, body: [], key: key, scheduled: scheduled)
    }

    mutating func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }

    mutating func newKey() -> String {
        counter += 1
        let digits = String(counter)
        return runTag + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    mutating func validBody(key: String) -> JSONValue {
        var made = base ?? sample.make(using: &generator)
        if case .object(var fields) = made {
            fields[routes.key] = .string(key)
            made = .object(fields)
        }
        return made
    }

    /// `body` without its first required property other than the key; with none, the key as a number.
    static func broken(_ body: JSONValue, schema: JSONValue, key: String) -> JSONValue {
        guard case .object(var fields) = body else { return .string("not an object") }
        var required: [String] = []
        if case .array(let names)? = schema["required"] { required = names.compactMap(\.string) }
        if let victim = required.first(where: { $0 != key && fields[$0] != nil }) {
            fields[victim] = nil
        } else {
            fields[key] = .number(0)
        }
        return .object(fields)
    }

    static func bytes(_ value: JSONValue) -> [UInt8] { Array(value.text.utf8) }
}
