/// Every diagnostic ID orderstack prints, in one catalogue: the checks `validate` runs are `Rules` (with their
/// documentation, `docs/validate.md`); the IDs of configuration files and packaging are here
/// (`docs/diagnostics.md`). Readers and commands name IDs from this catalogue, never as literals of their own.
public enum DiagnosticID {
    // MARK: Templates (OS00xx), also `validate`'s rules
    public static let syntax = Rules.syntax.id
    public static let notATemplate = Rules.notATemplate.id
    public static let duplicateKey = Rules.duplicateKey.id
    public static let unknownTag = Rules.unknownTag.id
    public static let malformed = Rules.malformed.id

    // MARK: Configuration files: stages, profiles, prices, schemas (OS01xx)
    /// The file is not valid YAML (or a schema not valid JSON).
    public static let configSyntax = "OS0101"
    /// A key the file format does not have.
    public static let unknownKey = "OS0102"
    /// A value of the wrong type.
    public static let wrongType = "OS0103"
    /// A value outside its allowed range or set.
    public static let invalidValue = "OS0104"
    /// A required key is missing.
    public static let missingKey = "OS0105"
    /// A key under its former name: still read, with a note naming the new one.
    public static let renamedKey = "OS0106"

    // MARK: Packaging (OS30xx)
    /// A handler binary needs a library or symbol version `provided.al2023` does not have.
    public static let runtimeIncompatible = "OS3001"
    /// A handler binary is built for another architecture than its function's.
    public static let architectureMismatch = "OS3002"

    /// The IDs outside `validate`'s rules, for the documentation check.
    public static let configurationAndPackaging = [
        configSyntax, unknownKey, wrongType, invalidValue, missingKey, renamedKey, runtimeIncompatible,
        architectureMismatch,
    ]
}
