import Costing
import Foundation
import TestSupport
import Testing

@Suite struct CostCommandTests {
    /// One default stage for every command that takes one: dev (the project has dev, qa and prod); prod only when
    /// named.
    @Test func theDefaultStageIsNeverProd() throws {
        let cost = try CommandRunner.orderstack(["cost", "--profile", "baseline"])
        #expect(cost.status == 0 && cost.stdout.hasPrefix("stage dev,"), "\(cost.stdout.prefix(80))")
        let simulate = try CommandRunner.orderstack(["simulate", "--profile", "baseline"])
        #expect(simulate.status == 0 && simulate.stdout.hasPrefix("stage dev,"), "\(simulate.stdout.prefix(80))")
        let named = try CommandRunner.orderstack(["cost", "--stage", "prod", "--profile", "baseline"])
        #expect(named.stdout.hasPrefix("stage prod,"))
        let help = try CommandRunner.orderstack(["load", "--help"])
        #expect(help.stdout.contains("default: dev, or the first stage"))
    }

    @Test func tableForOneProfile() throws {
        let result = try CommandRunner.orderstack(["cost", "--stage", "prod", "--profile", "sale-spike"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("stage prod, profile sale-spike (2,260,000 orders), us-east-1"))
        #expect(result.stdout.contains("Amazon API Gateway  REST API requests"))
        #expect(result.stdout.contains("$36.09\n"))
        #expect(result.stdout.contains("assumptions:\n"))
        let explained = try CommandRunner.orderstack([
            "cost", "--stage", "prod", "--profile", "sale-spike", "--explain", "--suggest",
        ])
        #expect(explained.stdout.contains("      = 2,260,000 messages × 2 writes × ⌈2348 B / 1 KB⌉"))
        #expect(
            explained.stdout.contains(
                "cheaper variants:\n  - HTTP API instead of the REST API (one line of the blueprint: RestAPI(\"OrdersApi\") -> HTTPAPI(\"OrdersApi\")): saves $5.65/month"
            ))
    }

    @Test func allProfilesSideBySideAndJSON() throws {
        let table = try CommandRunner.orderstack(["cost", "--stage", "prod", "--profile", "all"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("baseline  black-friday  quiet  sale-spike"))
        let json = try CommandRunner.orderstack(["cost", "--stage", "prod", "--profile", "all", "--format", "json"])
        let estimates = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(estimates.map { $0["profile"] as? String } == ["baseline", "black-friday", "quiet", "sale-spike"])
        #expect(estimates[3]["arrivals"] as? Int == 2_260_000)
        #expect(estimates[3]["currency"] as? String == "USD")
        let lines = try #require(estimates[3]["lines"] as? [[String: Any]])
        #expect(lines.first?["service"] as? String == "Amazon API Gateway")
        #expect(lines.allSatisfy { ($0["formula"] as? String)?.isEmpty == false })
        for (field, places) in [("quantity", 4), ("cost", 6), ("total", 6), ("unit_price", 10)] {
            let overlong = try Regex("\"\(field)\": -?[0-9]+\\.[0-9]{\(places + 1),}")
            #expect(json.stdout.firstMatch(of: overlong) == nil, "\(field) rounded to \(places) places")
        }
        let markdown = try CommandRunner.orderstack([
            "cost", "--stage", "prod", "--profile", "all", "--format", "markdown",
        ])
        #expect(markdown.stdout.contains("| sale-spike | 2,260,000 | $36.09 |"))
    }

    @Test func profilesListsTotals() throws {
        let result = try CommandRunner.orderstack(["profiles"])
        #expect(result.stdout.contains("black-friday    20,000,000 orders"))
        #expect(result.stdout.contains("sale-spike       2,260,000 orders"))
        #expect(
            result.stdout.contains("1 spike peaking at 300/s") && result.stdout.contains("2 spikes peaking at 400/s"))
    }

    /// A project without a price file of its own (a user's package) prices with the prices orderstack ships, and
    /// a project's own file for the region takes precedence over them.
    @Test func bundledPricesUnlessTheProjectHasItsOwn() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let pricing = project.appendingPathComponent("blueprints/pricing")
        let committed = try String(contentsOf: pricing.appendingPathComponent("us-east-1.yaml"), encoding: .utf8)
        #expect(BundledPrices.files["us-east-1"] == committed, "run scripts/bundle-prices.py")
        try FileManager.default.removeItem(at: pricing)
        let arguments = ["cost", "--profile", "baseline", "--project", project.path]
        let bundled = try CommandRunner.orderstack(arguments)
        let repository = try CommandRunner.orderstack(["cost", "--profile", "baseline"])
        #expect(bundled.status == 0, "\(bundled.stderr)")
        #expect(bundled.stdout == repository.stdout)
        try FileManager.default.createDirectory(at: pricing, withIntermediateDirectories: true)
        try committed.replacingOccurrences(of: "as_of: '2026-11-28'", with: "as_of: '2031-01-01'").write(
            to: pricing.appendingPathComponent("us-east-1.yaml"), atomically: true, encoding: .utf8)
        let own = try CommandRunner.orderstack(arguments)
        #expect(own.stdout.contains("prices as of 2031-01-01"), "\(own.stdout)")
        #expect(!bundled.stdout.contains("2031-01-01"))
    }

    /// A profile written with the former order keys is priced as before, and cost, simulate and load each say
    /// so once (OS0106, a note: the exit status stays 0).
    @Test func formerProfileKeysAreNotedByEveryCommandThatReadsThem() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        try "name: old\ndescription: d\norders_per_month: 100000\norder_bytes: 2048\nqueries_per_order: 0\n".write(
            to: project.appendingPathComponent("blueprints/profiles/old.yaml"), atomically: true, encoding: .utf8)
        for command in [["cost"], ["simulate"]] {
            let run = try CommandRunner.orderstack(
                command + ["--stage", "prod", "--profile", "old", "--project", project.path])
            #expect(run.status == 0, "\(command): \(run.stderr)")
            #expect(
                run.stderr.contains(
                    "blueprints/profiles/old.yaml:3:1: note: OS0106: former key names, still read: orders_per_month -> arrivals_per_month"
                ), "\(command): \(run.stderr)")
            #expect(run.stdout.contains("100,000 arrivals"), "\(command): \(run.stdout.prefix(200))")
        }
        let file = try CommandRunner.orderstack([
            "load", "--profile", project.appendingPathComponent("blueprints/profiles/old.yaml").path, "--target",
            "http://127.0.0.1:9/dev", "--max-rate", "0.0001", "--project", project.path,
        ])
        #expect(file.stderr.contains("note: OS0106"), "load reads the file and notes it too: \(file.stderr)")
    }

    @Test func unknownProfileRegionAndBadFilesExitTwo() throws {
        let unknown = try CommandRunner.orderstack(["cost", "--profile", "cyber-monday"])
        #expect(unknown.status == 2)
        #expect(
            unknown.stderr.contains(
                "unknown profile 'cyber-monday'; available profiles: baseline, black-friday, quiet, sale-spike"))
        let region = try CommandRunner.orderstack(["cost", "--profile", "baseline", "--region", "eu-west-1"])
        #expect(region.status == 2)
        #expect(region.stderr.contains("no prices for region 'eu-west-1'; priced regions: us-east-1"))
        #expect(region.stderr.contains("orderstack pricing import --region eu-west-1"))
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        try
            "name: baseline\ndescription: d\narrivals_per_month: 100000\nbody_bytes: 2048\nqueries_per_arrival: 0\nshape: square\n"
            .write(
                to: project.appendingPathComponent("blueprints/profiles/baseline.yaml"), atomically: true,
                encoding: .utf8)
        let bad = try CommandRunner.orderstack(["cost", "--profile", "baseline", "--project", project.path])
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains(
                "blueprints/profiles/baseline.yaml:6:8: error: OS0104: 'shape' must be one of flat, diurnal, found 'square'"
            ), "\(bad.stderr)")
    }
}

@Suite struct PricingImportTests {
    static let offers = CommandRunner.packageRoot.appendingPathComponent("Tests/OrderStackCLITests/Fixtures/offers")

    func offerFiles(excluding: String? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.offers.path).filter {
            $0.hasSuffix(".json") && $0 != excluding
        }
        .sorted().map { Self.offers.appendingPathComponent($0).path }
    }

    @Test func importWritesARegionThatCostReads() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try CommandRunner.orderstack(["pricing", "import", "--project", project.path] + offerFiles())
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(
            contentsOf: project.appendingPathComponent("blueprints/pricing/eu-west-1.yaml"), encoding: .utf8)
        // SQS: the leading $0 range (0-1M) becomes the always-free allowance, the rest the tiers.
        #expect(
            text.contains(
                "  sqs_requests:\n    unit: Requests\n    tiers:\n    - up_to: 100000000000\n      price: 0.0000004\n"))
        #expect(text.contains("    sqs_requests: 1000000\n"))
        // Dashboards are listed per hour: 0.0041096 × 730 = $3.00 a month.
        #expect(
            text.contains("  cloudwatch_dashboard_month:\n    unit: dashboards\n    tiers:\n    - price: 3.000008\n")
                || text.contains("price: 3.000008"))
        #expect(
            text.contains(
                "source: AWS Price List bulk offer AmazonDynamoDB version 20261101000000 (usagetype EUW1-WriteRequestUnits)"
            ))
        let cost = try CommandRunner.orderstack([
            "cost", "--profile", "baseline", "--region", "eu-west-1", "--project", project.path,
        ])
        #expect(cost.status == 0, "\(cost.stderr)")
        #expect(cost.stdout.contains("eu-west-1, prices as of 2026-11-01"))
        // WRU at the fixture's $0.705/M: 600,000 × 0.705/M = $0.42
        let wru = cost.stdout.split(separator: "\n").first { $0.contains("write request units") } ?? ""
        #expect(wru.contains("600,000") && wru.contains("$0.000000705") && wru.hasSuffix("$0.42"), "\(wru)")
    }

    @Test func baseComparesTheCommittedStackPerProfile() throws {
        let project = try CommandRunner.scratchRepository { _, text in
            text.replacingOccurrences(of: "MemorySize: 512", with: "MemorySize: 1024")
        }
        defer { try? FileManager.default.removeItem(at: project) }
        let arguments = ["cost", "--project", project.path, "--stage", "prod", "--profile", "all", "--base", "HEAD"]
        let text = try CommandRunner.orderstack(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("stage prod: monthly cost at HEAD and with this change\n"))
        let json = try CommandRunner.orderstack(arguments + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let profiles = try #require(object["profiles"] as? [[String: Any]])
        #expect(profiles.map { $0["profile"] as? String } == ["baseline", "black-friday", "quiet", "sale-spike"])
        for profile in profiles {
            let before = try #require(profile["before"] as? Double)
            let after = try #require(profile["after"] as? Double)
            let moved = try #require(profile["moved"] as? [[String: Any]])
            if profile["profile"] as? String == "quiet" {
                #expect(after == before && moved.isEmpty, "no orders, no compute: \(profile)")
                continue
            }
            #expect(after < before, "half the memory costs less: \(profile)")
            let processor = moved.first { ($0["item"] as? String)?.contains("OrderProcessor") == true }
            #expect(processor != nil, "the processor's compute line moved: \(moved)")
            let sum = moved.compactMap { $0["change"] as? Double }.reduce(0, +)
            #expect(abs(sum - (after - before)) < 0.01 * Double(moved.count + 1), "the moved lines add up")
        }
        let markdown = try CommandRunner.orderstack(arguments + ["--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("### Monthly cost: `HEAD` → this change (stage prod)"))
        #expect(markdown.stdout.contains("| baseline | $"))
        #expect(try CommandRunner.orderstack(["synth", "--project", project.path]).status == 0)
        try CommandRunner.git(["commit", "-q", "-am", "synth"], in: project)
        let same = try CommandRunner.orderstack([
            "cost", "--project", project.path, "--profile", "quiet", "--base", "HEAD",
        ])
        #expect(same.stdout.contains("quiet") && !same.stdout.contains("lines that moved"), "\(same.stdout)")
    }

    @Test func incompleteImportWritesNothingAndNamesTheMissingOffers() throws {
        let project = try CommandRunner.scratchProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try CommandRunner.orderstack(
            ["pricing", "import", "--project", project.path] + offerFiles(excluding: "AmazonSNS.json"))
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "no price for sns_publish_requests; import the offer files of AmazonSNS for eu-west-1 too"))
        #expect(
            !FileManager.default.fileExists(
                atPath: project.appendingPathComponent("blueprints/pricing/eu-west-1.yaml").path))
        let junk = try CommandRunner.orderstack([
            "pricing", "import", "--project", project.path,
            project.appendingPathComponent("blueprints/stages/dev.yaml").path,
        ])
        #expect(junk.status == 2)
        #expect(junk.stderr.contains("no 'offerCode'; expected an AWS Price List bulk offer file"))
    }
}

@Suite struct SimulateCommandTests {
    @Test func textJSONAndSVG() throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderstack-sim-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let text = try CommandRunner.orderstack(["simulate", "--profile", "black-friday", "--svg", svg.path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("profile black-friday: 20,000,000 orders offered"))
        #expect(text.stdout.contains("OrdersApiClientErrorsAlarm at day 26"))
        #expect(try String(contentsOf: svg, encoding: .utf8).hasPrefix("<?xml"))
        let json = try CommandRunner.orderstack([
            "simulate", "--profile", "sale-spike", "--format", "json", "--window", "299.5..302.5",
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["offered"] as? Double == 2_260_000)
        #expect(object["window_minutes"] as? [Int] == [17_970, 18_150])
        let series = try #require(object["series"] as? [String: Any])
        #expect((series["offered_per_second"] as? [Double])?.count == 180)
    }

    @Test func badArgumentsExitTwo() throws {
        #expect(try CommandRunner.orderstack(["simulate", "--profile", "all"]).status == 2)
        #expect(try CommandRunner.orderstack(["simulate", "--profile", "sale-spike", "--window", "5..2"]).status == 2)
        let unknown = try CommandRunner.orderstack(["simulate", "--profile", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown profile 'nope'"))
    }
}

/// `cost` and `simulate` on templates orderstack did not synthesize.
@Suite(Requirement.corpus("corpus-real")) struct TemplateCostingTests {
    static let corpus = Requirement.shared.appendingPathComponent("corpus-real/sp__apigw-sqs-lambda-ddb__template.yaml")
        .path

    @Test func costAndSimulateReadAHandWrittenSAMTemplate() throws {
        let cost = try CommandRunner.orderstack(["cost", "--profile", "sale-spike", "--template", Self.corpus])
        #expect(cost.status == 0, "\(cost.stderr)")
        #expect(cost.stdout.hasPrefix("template \(Self.corpus), profile sale-spike (2,260,000 orders)"))
        #expect(cost.stdout.contains("Amazon API Gateway  HTTP API requests"))
        #expect(cost.stdout.contains("requests (SqsHandlerFunction)"))
        #expect(cost.stdout.contains("requests (GatewayAuthorizerFunction)"))
        #expect(cost.stdout.contains("not priced (no price in this estimate): AWS::SecretsManager::Secret × 2"))
        let simulated = try CommandRunner.orderstack(["simulate", "--profile", "sale-spike", "--template", Self.corpus])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        #expect(simulated.stdout.hasPrefix("template \(Self.corpus), entry POST /submit, profile sale-spike"))
        #expect(simulated.stdout.contains("processed         2,260,000"))
    }

    @Test func aTemplateWithoutAnEntryIsRefusedNamingWhatIsMissing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("orderstack-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try CommandRunner.orderstack(["cost", "--profile", "quiet", "--template", file.path])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "\(file.path): error: profile quiet: no API route: the traffic has no entry (the template needs an API Gateway route that feeds a queue or a function)\n"
        )
        let both = try CommandRunner.orderstack([
            "cost", "--profile", "quiet", "--template", file.path, "--stage", "dev",
        ])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--template prices that file"))
    }
}
