import JSONDocument
import JSONSchema
import Testing

@testable import LoadRun

@Suite struct PatternSampleTests {
    @Test(arguments: ["^[A-Za-z0-9_-]{8,64}$", "^[A-Z]{3}$", "^[A-Z]{2}$", "^\\d{5}(?:-\\d{4})?$", "^ORD-\\d+$"])
    func samplesMatchTheirPattern(_ pattern: String) throws {
        guard let sample = PatternSample(pattern) else {
            // Groups are not generated: the one pattern here with a group must be refused, not mis-generated.
            #expect(pattern.contains("("))
            return
        }
        var generator = SeededGenerator(seed: 9)
        let regex = try Regex(pattern)
        for _ in 0..<50 {
            let text = sample.sample(using: &generator)
            #expect(try regex.wholeMatch(in: text) != nil, "\(text) for \(pattern)")
        }
    }

    @Test func richPatternsAreRefused() {
        #expect(PatternSample("^(a|b)$") == nil)
        #expect(PatternSample("^[^x]$") == nil)
        #expect(PatternSample("abc") == nil)
    }
}

@Suite struct RequestMixTests {
    static let routes = LoadRoutes(post: "/orders", get: "/orders/{orderId}", key: "orderId")

    static func mix(invalid: Double, duplicate: Double, queries: Double, seed: UInt64 = 5) throws -> RequestMix {
        try RequestMix(
            schema: Fixtures.orderSchema, base: nil, routes: routes,
            shares: .init(invalid: invalid, duplicate: duplicate, queriesPerArrival: queries), runTag: "ldtest",
            seed: seed)
    }

    @Test func everyKindIsWhatItClaims() throws {
        var mix = try Self.mix(invalid: 0.1, duplicate: 0.1, queries: 0.5)
        let validator = SchemaValidator(schema: Fixtures.orderSchema)
        var made: [RequestKind: Int] = [:]
        var sentKeys: Set<String> = []
        for index in 0..<2000 {
            let request = mix.next(at: Double(index) * 0.01)
            made[request.kind, default: 0] += 1
            switch request.kind {
            case .new:
                let body = try #require(JSONValue.parse(request.body))
                #expect(validator.problems(body).isEmpty, "\(validator.problems(body))")
                #expect(body["orderId"]?.string == request.key)
                #expect(!sentKeys.contains(request.key!), "keys are unique")
                sentKeys.insert(request.key!)
            case .invalid:
                #expect(!validator.problems(try #require(JSONValue.parse(request.body))).isEmpty)
                #expect(request.key == nil)
            case .duplicate:
                #expect(sentKeys.contains(request.key!))
                #expect(JSONValue.parse(request.body)?["orderId"]?.string == request.key)
            case .query:
                #expect(request.method == "GET")
                #expect(request.path == "/orders/\(request.key!)")
            }
        }
        // Queries are a third of the requests (0.5 per order); of the orders 10 % invalid, 10 % duplicates.
        #expect(abs(Double(made[.query] ?? 0) - 2000.0 / 3) < 90)
        let orders = 2000.0 * 2 / 3
        #expect(abs(Double(made[.invalid] ?? 0) - orders * 0.1) < 50)
        #expect(abs(Double(made[.duplicate] ?? 0) - orders * 0.1) < 50)
        #expect(mix.keys == sentKeys)
    }

    @Test func queriesAskForOrdersDueTwoSecondsEarlier() throws {
        var mix = try Self.mix(invalid: 0, duplicate: 0, queries: 1)
        var due: [String: Double] = [:]
        for index in 0..<400 {
            let time = Double(index) * 0.05
            let request = mix.next(at: time)
            if request.kind == .new { due[request.key!] = time }
            if request.kind == .query, let sent = due[request.key!] { #expect(sent <= time - 2) }
            if request.kind == .query && time < 2 { #expect(request.key == "ldtest-absent") }
        }
    }

    @Test func aSchemaWithNothingRequiredCannotBeBroken() {
        let schema = JSONValue.object(["type": .string("object"), "properties": .object([:])])
        #expect(throws: RequestMix.Problem.self) {
            try RequestMix(
                schema: schema, base: nil, routes: Self.routes,
                shares: .init(invalid: 0.1, duplicate: 0, queriesPerArrival: 0), runTag: "t", seed: 1)
        }
    }

    @Test func aBodyTheSchemaRefusesIsReportedWithTheReason() {
        // A base body whose currency breaks the pattern: every body made from it is invalid.
        let base = JSONValue.object(["currency": .string("euro")])
        #expect {
            try RequestMix(
                schema: Fixtures.orderSchema, base: base, routes: Self.routes,
                shares: .init(invalid: 0, duplicate: 0, queriesPerArrival: 0), runTag: "t", seed: 1)
        } throws: { error in
            "\(error)".contains("missing required properties") || "\(error)".contains("euro")
        }
    }
}
