import Foundation
import Testing

/// One reviewer's pair: a synthesized stage template, one edit, and the verdict AWS's documentation predicts, written
/// down before the gate was run.
struct GatePair: Sendable, CustomTestStringConvertible {
    /// What `orderstack diff --fail-on data-loss` must conclude.
    enum Verdict: String, Sendable {
        /// Data is lost (deleted, purged, orphaned, or failed messages deleted): exit 1.
        case dataLoss
        /// Events stop reaching a subscriber from now on: exit 1.
        case deliveryLoss
        /// CloudFormation refuses the update or the update fails whatever the policies: exit 1.
        case refused
        /// A safeguard is removed: exit 0, with a warning saying which protection is gone.
        case warning
        /// Nothing is lost and nothing is said to be (a false alarm would fail the pair): exit 0.
        case pass
        /// A resource without data is replaced: exit 0 at data-loss, exit 1 at `--fail-on replacement`.
        case replaced
    }

    /// A short name.
    var name: String
    /// `prod` or `dev`: which `output/orders-<stage>.yaml` is the old side.
    var stage: String
    /// Text edits applied in order to make the new side; each `find` must occur exactly once, unless `all` is set
    /// (a rename: every occurrence follows).
    var edits: [Edit]
    /// The verdict.
    var expect: Verdict
    /// The logical ID the verdict is about (`nil` for `pass`).
    var resource: String?
    /// Words the verdict's message must contain (case-insensitive), if any.
    var says: [String] = []
    /// Parameter overrides the diff is run with (`--parameter K=V`).
    var parameters: [String: String] = [:]
    /// Where AWS documents the behaviour.
    var source: String = ""
    /// The old side when it is not `output/orders-<stage>.yaml`: a path from the package root.
    var file: String? = nil

    /// One text edit.
    struct Edit: Sendable {
        var find: String
        var replace: String
        var all: Bool = false
    }

    var testDescription: String { "\(stage): \(name)" }
}

/// Builds an edit: `find` replaced by `replace`, exactly once.
func edit(_ find: String, _ replace: String) -> GatePair.Edit { GatePair.Edit(find: find, replace: replace) }

/// Builds a rename edit: every occurrence of `find` replaced.
func renameAll(_ find: String, _ replace: String) -> GatePair.Edit {
    GatePair.Edit(find: find, replace: replace, all: true)
}
