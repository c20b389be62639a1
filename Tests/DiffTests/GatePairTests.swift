import CloudFormation
import Foundation
import TemplateYAML
import Testing

@testable import Diff

/// Every reviewer pair through the gate: the synthesized stage, one edit, the verdict AWS's documentation
/// predicts (`GatePairs.swift`, `GatePairs+Adversary.swift`).
@Suite struct GatePairTests {
    static let output = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("output")

    static func stage(_ name: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent("orders-\(name).yaml"), encoding: .utf8)
    }

    /// The pair's old side: its file, else the orders stage.
    static func base(_ pair: GatePair) throws -> String {
        guard let file = pair.file else { return try stage(pair.stage) }
        return try String(
            contentsOf: output.deletingLastPathComponent().appendingPathComponent(file), encoding: .utf8)
    }

    /// The new side: each edit applied, checked to find its text (once, unless it is a rename).
    static func edited(_ pair: GatePair) throws -> String {
        var text = try base(pair)
        for edit in pair.edits {
            let count = text.components(separatedBy: edit.find).count - 1
            if edit.all {
                try #require(count > 0, "'\(edit.find)' occurs in orders-\(pair.stage).yaml")
            } else {
                try #require(count == 1, "'\(edit.find)' occurs once in orders-\(pair.stage).yaml, found \(count)")
            }
            text = text.replacingOccurrences(of: edit.find, with: edit.replace)
        }
        return text
    }

    static func diff(_ pair: GatePair) throws -> StackDiff {
        let old = try Pair.template(try base(pair))
        let new = try Pair.template(try edited(pair))
        return Differ.diff(old: old, new: new, name: pair.name, parameters: pair.parameters)
    }

    @Test(arguments: GatePair.mine + GatePair.adversary + GatePair.framework)
    func verdict(_ pair: GatePair) throws {
        let diff = try Self.diff(pair)
        let fails = FailOn.dataLoss.fails([diff])
        let text = DiffReport.render([diff], format: .text)
        let change = diff.resources.first { $0.logicalId == pair.resource }
        let findings = change?.findings ?? []
        switch pair.expect {
        case .dataLoss, .deliveryLoss, .refused:
            let gate: Finding.Gate =
                pair.expect == .dataLoss ? .dataLoss : pair.expect == .deliveryLoss ? .deliveryLoss : .refused
            #expect(fails, "the gate fails\n\(text)")
            #expect(
                findings.contains { $0.kind.gate == gate }, "\(pair.resource ?? "?") has a \(gate) finding\n\(text)")
        case .warning:
            #expect(!fails, "a removed safeguard does not fail the gate\n\(text)")
            #expect(findings.contains { $0.kind.gate == .warning }, "a warning on \(pair.resource ?? "?")\n\(text)")
        case .replaced:
            #expect(!fails && FailOn.replacement.fails([diff]), "replaced, no data lost\n\(text)")
        case .pass:
            let said = diff.resources.flatMap(\.findings).filter { $0.kind.gate >= .warning }
            #expect(!fails && said.isEmpty, "nothing lost and nothing said to be\n\(text)")
        }
        let message = (findings.map(\.message) + (change?.properties.compactMap(\.reason) ?? []))
            .joined(separator: "\n").lowercased()
        for word in pair.says {
            #expect(message.contains(word.lowercased()), "the verdict says '\(word)'\n\(text)")
        }
    }

    @Test func everyPairIsUniqueAndHasAResourceWhenItFlagsOne() {
        let pairs = GatePair.mine + GatePair.adversary + GatePair.framework
        #expect(Set(pairs.map { "\($0.stage) \($0.name)" }).count == pairs.count)
        for pair in pairs where pair.expect != .pass && pair.expect != .replaced {
            #expect(pair.resource != nil, "\(pair.name) names the resource its verdict is about")
        }
    }
}
