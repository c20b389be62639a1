import ArgumentParser
import Costing
import YAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension OrderStack {
    /// `orderstack pricing`: manage the price files of blueprints/pricing.
    public struct Pricing: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Manage unit prices: import AWS Price List bulk offer files into blueprints/pricing.",
            subcommands: [Import.self])

        public init() {}

        /// `orderstack pricing import FILE...`.
        public struct Import: ParsableCommand {
            public static let configuration = CommandConfiguration(
                abstract: "Write or refresh blueprints/pricing/<region>.yaml from AWS Price List bulk offer files.",
                discussion: """
                    Give the offer files (products + terms.OnDemand JSON) of the services the estimate prices: \
                    the nine AmazonApiGateway, AWSQueueService, AWSLambda, AmazonDynamoDB, AmazonSNS, \
                    AmazonCloudWatch, awskms, AWSXRay and AWSDataTransfer (a new region needs all nine). They are served per service and region at \
                    /offers/v1.0/aws/<offer>/current/<region>/index.json on the AWS price list endpoint. \
                    Prices already in the region's file are kept unless an offer file replaces them.

                    Example:
                      orderstack pricing import --region eu-west-1 offers/*.json
                    """)

            @OptionGroup var options: ProjectOptions

            @Argument(help: "Offer files (JSON).")
            var files: [String]

            @Option(name: .long, help: "The region (default: the regionCode of the offers' products).")
            var region: String?

            public init() {}

            public func run() throws {
                let console = Console()
                var extracts: [PriceListImport.Extract] = []
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        console.err("\(file): error: cannot read the file")
                        throw BadInput()
                    }
                    do {
                        let extract = try PriceListImport.extract(Array(data), path: file)
                        console.err("\(file): \(extract.offer): \(Money.count(extract.prices.count, "price"))")
                        extracts.append(extract)
                    } catch let error as ImportError {
                        console.print([error.diagnostic])
                        throw BadInput()
                    }
                }
                let regions = Set(extracts.compactMap(\.region))
                guard let target = region ?? (regions.count == 1 ? regions.first : nil) else {
                    console.err(
                        "error: the offers cover \(regions.isEmpty ? "no region" : regions.sorted().joined(separator: ", ")); name one with --region"
                    )
                    throw BadInput()
                }
                if let other = regions.first(where: { $0 != target }) {
                    console.err("error: an offer file is for \(other), not \(target)")
                    throw BadInput()
                }
                let project = try options.location
                let file = "\(project.pricingDirectory)/\(target).yaml"
                var existing: PriceCatalogue?
                if let text = project.read(file) { existing = PriceCatalogue.load(text, path: file).catalogue }
                let asOf = extracts.map { $0.prices.values.map(\.asOf).max() ?? "" }.max() ?? ""
                do {
                    let catalogue = try PriceListImport.catalogue(
                        extracts, region: target, asOf: asOf, existing: existing, path: file)
                    let text = try PriceListImport.yaml(catalogue)
                    guard PriceCatalogue.load(text, path: file).catalogue == catalogue else {
                        console.err("error: the written price file would not read back the same; nothing written")
                        throw BadInput()
                    }
                    try FileSystem.createDirectory(project.pricingDirectory)
                    try FileSystem.write(text, to: file)
                    console.out("wrote \(file): \(Money.count(catalogue.prices.count, "price")) as of \(asOf)\n")
                } catch let error as ImportError {
                    console.print([error.diagnostic])
                    throw BadInput()
                }
            }
        }
    }
}
