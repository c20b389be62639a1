import CloudFormation
import Costing

/// The template `cost` and `simulate` read: a stage's synthesized stack, or a file given with `--template`
/// (CloudFormation or SAM, JSON or YAML), priced and simulated from its wiring the same way.
struct PricedTemplate {
    var template: Template
    /// The stage priced (`nil` for a file).
    var stage: StackStage?
    /// The file priced (`nil` for a stage).
    var file: String?
    /// The price region: `--region`, the stage's region, or us-east-1 for a file.
    var region: String

    /// Synthesizes the stage, or reads the file.
    /// - Throws: `BadInput` after printing why.
    static func load(
        project: Project, stacks: StackOptions, stage: String?, file: String?, region: String?, console: Console
    ) throws -> PricedTemplate {
        if let file {
            let template = try TemplateFile.read(file, console: console)
            return PricedTemplate(template: template, stage: nil, file: file, region: region ?? "us-east-1")
        }
        let item = try SynthesisRun.synthesize(
            project: project, stack: try stacks.single(console: console), stage: stage, console: console)
        return PricedTemplate(
            template: item.synthesis.template, stage: item, file: nil, region: region ?? item.settings.region)
    }

    /// `prod`, or the file name, for report headers.
    var label: String { file ?? stage?.settings.name ?? "" }

    /// Refuses a profile whose traffic has no place in the template, naming what is missing.
    /// - Throws: `BadInput` after printing the problem.
    func place(_ profile: TrafficProfile, console: Console) throws -> StackUsageModel {
        let model = StackUsageModel(template, entryRoute: profile.entryRoute, queryRoute: profile.queryRoute)
        if let problem = model.problem {
            console.err("\(file ?? stage?.outputPath ?? "template"): error: profile \(profile.name): \(problem)")
            throw BadInput()
        }
        return model
    }
}
