import CloudFormation
import Foundation
import StackGraph
import TemplateYAML
import Testing

@testable import OrderStackCLI

/// `local --smoke` takes the entry route, the key and the read-back by `load`'s rule: the GET route below the
/// POST, else the table keyed by the request's key.
@Suite struct SmokePlanTests {
    static func path(_ relative: String, edit: (inout Template) -> Void = { _ in }) throws -> TrafficPath {
        let file = CommandRunner.packageRoot.appendingPathComponent(relative).path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var template = try #require(TemplateReader.read(text, path: file).template)
        edit(&template)
        return TrafficPath(StackGraph(template))
    }

    static func plan(_ path: TrafficPath) throws -> (OrderStack.Local.SmokePlan?, String) {
        let errors = Errors()
        let console = Console(sink: ConsoleSink { text, _ in errors.append(text) })
        let plan = try? OrderStack.Local.smokePlan(path, stage: "dev", console: console)
        return (plan, errors.text)
    }

    @Test func theOrdersStackIsReadBackThroughItsGetRoute() throws {
        let (plan, _) = try Self.plan(try Self.path("output/orders-dev.yaml"))
        #expect(plan?.post.path == "/orders" && plan?.get == "/orders/{orderId}" && plan?.key == "orderId")
        #expect(plan?.table == nil)
    }

    @Test func aStackWithoutAGetRouteIsReadBackFromItsTable() throws {
        let (plan, _) = try Self.plan(try Self.path("examples/webhooks/output/webhooks-dev.yaml"))
        #expect(plan?.get == nil && plan?.key == "deliveryId" && plan?.table == "DeliveriesTable")
    }

    /// No table keyed by a required property and no GET route: refused, saying why.
    @Test func withNeitherItIsRefused() throws {
        let path = try Self.path("examples/webhooks/output/webhooks-dev.yaml") { template in
            guard let index = template.resources.firstIndex(where: { $0.logicalId == "DeliveriesTable" }) else {
                return
            }
            template.resources[index]["KeySchema"] = .list([
                .map(Fields([("AttributeName", .string("other")), ("KeyType", .string("HASH"))]))
            ])
        }
        let (plan, errors) = try Self.plan(path)
        #expect(plan == nil)
        #expect(errors.contains("cannot tell which property of POST /webhooks's body is the key"), "\(errors)")
    }
}

/// Text written to a console, collected across threads.
final class Errors: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ text: String) { lock.withLock { lines.append(text) } }
    var text: String { lock.withLock { lines.joined() } }
}
