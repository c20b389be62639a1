import Costing
import Testing

@Suite struct PriceCatalogueTests {
    @Test func tiersApplyAtTheirBoundaries() throws {
        let rest = try Files.prices()[.apiRestRequests]
        // 333M at $3.50/M = $1,165.50 exactly at the first boundary
        #expect(close(rest.cost(333_000_000), 1_165.50))
        // one million more: 333M × 3.50/M + 1M × 2.80/M = 1,165.50 + 2.80
        #expect(close(rest.cost(334_000_000), 1_168.30))
        // 25B: 333M × 3.5 + 667M × 2.8 + 19B × 2.38 + 5B × 1.51 (all per M)
        #expect(close(rest.cost(25_000_000_000), 1_165.5 + 1_867.6 + 45_220 + 7_550))
        let lambda = try Files.prices()[.lambdaGBSecondsX86]
        #expect(close(lambda.cost(6_000_000_000), 100_000.2))
        #expect(close(lambda.cost(7_000_000_000), 100_000.2 + 15_000))
    }

    @Test func everyPriceHasASourceAndDate() throws {
        let prices = try Files.prices()
        #expect(prices.prices.count == PriceCatalogue.Key.allCases.count)
        #expect(prices.prices.values.allSatisfy { !$0.source.isEmpty && $0.asOf.count == 10 })
        #expect(prices[.dynamodbWriteUnits].firstPrice == 0.000000625, "the price after the 1 November 2024 cut")
    }

    @Test(arguments: [
        ("region: r\ncurrency: USD\nas_of: x\nprices: {}\n", "missing required key 'prices.api_rest_requests'"),
        (
            "region: r\ncurrency: USD\nas_of: x\nprices:\n  api_rest_requests: {unit: r, as_of: x, source: s, price: cheap}\n",
            "must be a number, found 'cheap'"
        ),
        (
            "region: r\ncurrency: USD\nas_of: x\nprices:\n  api_rest_requests: {unit: r, as_of: x, price: 1}\n",
            "missing required key 'prices.api_rest_requests.source'"
        ),
        (
            "region: r\ncurrency: USD\nas_of: x\nprices:\n  api_rest_requests: {unit: r, as_of: x, source: s, tiers: [{price: 1}, {up_to: 5, price: 2}]}\n",
            "tiers must rise"
        ),
    ])
    func badPriceFilesAreLocatedErrors(text: String, message: String) {
        let loaded = PriceCatalogue.load(text, path: "p.yaml")
        #expect(loaded.catalogue == nil)
        #expect(
            loaded.diagnostics.contains { $0.message.contains(message) && $0.path == "p.yaml" },
            "\(loaded.diagnostics.map(\.description))")
    }
}
