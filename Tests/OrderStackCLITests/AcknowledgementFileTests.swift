import Diff
import Testing

@testable import OrderStackCLI

/// The acknowledgement file (blueprints/acknowledged-losses.yaml) read with located errors.
@Suite struct AcknowledgementFileTests {
    @Test func theAcknowledgementFileIsReadWithLocatedErrors() {
        let good = AcknowledgementFile.read(
            "acknowledged:\n  - resource: Work\n    class: redrive-removed\n    reason: the consumer retries itself\n    stack: orders-prod\n",
            path: "a.yaml")
        #expect(good.diagnostics.isEmpty)
        #expect(
            good.acknowledgements == [
                Acknowledgement(
                    resource: "Work", kind: .redriveRemoved, reason: "the consumer retries itself",
                    stacks: ["orders-prod"], location: "a.yaml:2:5")
            ])
        let bad = AcknowledgementFile.read(
            "acknowledged:\n  - resource: Work\n    class: refused\n    reason: x\n    extra: 1\n  - class: removed\n",
            path: "a.yaml")
        let text = bad.diagnostics.map(\.description).joined(separator: "\n")
        #expect(bad.acknowledgements.isEmpty)
        #expect(text.contains("a.yaml:3:12: error: OS0104: 'acknowledged[0].class' must be one of"), "\(text)")
        #expect(text.contains("'acknowledged[0].reason' must say why"), "\(text)")
        #expect(text.contains("OS0102"), "an unknown key is named: \(text)")
        #expect(text.contains("'acknowledged[1].resource'"), "a missing key is named: \(text)")
    }
}
