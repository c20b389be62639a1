import ArgumentParser

/// `--stage NAME` for every command that works on one stage, with one default for all of them: the project's
/// working stage, `dev` when it exists, else the first stage. Production is used when named (or when it is the only
/// stage): nothing picks it by accident. `deploy` takes no default where the project has several stages.
public struct StageOption: ParsableArguments {
    /// The stage named, if any.
    @Option(
        name: .long,
        help: "The stage (default: dev, or the first stage; deploy takes none by default where there are several).")
    public var stage: String?

    public init() {}

    /// The stage named, else the project's default.
    func resolve(_ project: Project) -> String { stage ?? project.defaultStage }
}
