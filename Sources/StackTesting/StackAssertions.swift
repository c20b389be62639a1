import CloudFormation
import OrderStackCLI
import StackDSL

/// An assertion about a synthesized stack did not hold: what was expected and what the template has.
///
/// Thrown rather than recorded, so that the assertions work in Swift Testing and XCTest alike: a test that
/// `try`s one fails with this message.
public struct StackAssertionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What did not hold, naming the resources involved.
    public var message: String

    /// A failure saying `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Assertions on a synthesized stack for a project's own tests, as CDK's `Template.fromStack` offers: a resource of
/// a type with given properties, how many of a type there are, what an IAM role allows exactly, and that no
/// resource is open to the public.
///
/// ```swift
/// let stack = try StackAssertions.synthesize(MyBlueprint.stack, stage: "dev", project: projectRoot)
/// try stack.hasResource("AWS::SQS::Queue", properties: ["MessageRetentionPeriod": .int(1_209_600)])
/// try stack.allows(exactly: ["dynamodb:PutItem"], on: .getAtt("ItemsTable", "Arn"), role: "WorkerFunction")
/// try stack.noResourceIsPublic()
/// ```
public struct StackAssertions: Sendable {
    /// The template asserted on.
    public let template: Template

    /// Assertions on `template`.
    public init(_ template: Template) { self.template = template }

    /// Synthesizes `stack` for the stage `stage` of the project at `project` (the folder holding `blueprints/`),
    /// reading its stage file and schemas as `orderstack synth` does.
    /// - Throws: `StackAssertionFailure` naming the file and line of a bad stage file, a missing schema, or what
    ///   stopped the synthesis.
    public static func synthesize(
        _ stack: Stack, stage: String, project: String, siblings: [Stack] = []
    ) throws(StackAssertionFailure) -> StackAssertions {
        let project = Project(root: project)
        let settings: StageSettings
        switch project.loadStages([stage]) {
        case .success(let loaded): settings = loaded[0]
        case .failure(let failure): throw StackAssertionFailure(failure.summary)
        }
        let schemas: [String: Value]
        switch project.loadSchemas() {
        case .success(let loaded): schemas = loaded
        case .failure(let failure): throw StackAssertionFailure(failure.summary)
        }
        do {
            return StackAssertions(
                try Synthesizer.synthesize(stack, stage: settings, schemas: schemas, siblings: siblings).template)
        } catch {
            let located = error.diagnostics.map(\.description)
            throw StackAssertionFailure(located.isEmpty ? error.message : located.joined(separator: "\n"))
        }
    }

    /// The resources of `type`, in template order.
    public func resources(ofType type: String) -> [Resource] {
        template.resources.filter { $0.type == type }
    }

    /// Asserts that a resource of `type` has every property in `properties` with that value (other properties may
    /// be present; a map value matches a map holding at least its keys, recursively); returns the first match.
    @discardableResult
    public func hasResource(_ type: String, properties: Fields = Fields()) throws(StackAssertionFailure) -> Resource {
        let candidates = resources(ofType: type)
        if let match = candidates.first(where: { Self.contains($0.properties, properties) }) { return match }
        guard !candidates.isEmpty else { throw StackAssertionFailure("no resource of type \(type)") }
        let names = candidates.map(\.logicalId).joined(separator: ", ")
        throw StackAssertionFailure(
            "no \(type) has the properties \(Self.render(.map(properties))); the template's: \(names)")
    }

    /// Asserts that exactly `count` resources have `type`.
    public func resourceCount(_ type: String, is count: Int) throws(StackAssertionFailure) {
        let found = resources(ofType: type)
        guard found.count != count else { return }
        let names = found.isEmpty ? "" : ": " + found.map(\.logicalId).joined(separator: ", ")
        throw StackAssertionFailure("expected \(count) of \(type), found \(found.count)\(names)")
    }

    /// Whether `actual` holds every entry of `expected` (maps recursively, other values equal).
    static func contains(_ actual: Fields, _ expected: Fields) -> Bool {
        expected.allSatisfy { entry in
            guard let value = actual[entry.key] else { return false }
            return contains(value, entry.value)
        }
    }

    static func contains(_ actual: Value, _ expected: Value) -> Bool {
        if case .map(let expectedFields) = expected, case .map(let actualFields) = actual {
            return contains(actualFields, expectedFields)
        }
        return actual == expected
    }

    /// A short written form of a value for messages.
    static func render(_ value: Value) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .list(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .map(let fields):
            return "{" + fields.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
        case .ref(let name): return "!Ref \(name)"
        case .getAtt(let name, let attribute): return "!GetAtt \(name).\(attribute)"
        case .sub(let text, _): return "!Sub \"\(text)\""
        case .call(let intrinsic, let argument): return "{\(intrinsic.longName): \(render(argument))}"
        }
    }
}

extension Project.Failure {
    /// Its diagnostics, one per line, or its message.
    var summary: String {
        let located = diagnostics.map(\.description)
        return located.isEmpty ? (message ?? "the project could not be read") : located.joined(separator: "\n")
    }
}
