import SourceDiagnostics
import Testing

@testable import Validation

/// A gradual rollout points the event source mapping at the function's alias: the wiring checks still reach the
/// function behind it (its timeout, its role).
@Suite struct AliasWiringTests {
    static func throughAlias(visibility: String) -> String {
        Fixture.wired.replacingOccurrences(of: "VisibilityTimeout: 181", with: "VisibilityTimeout: \(visibility)")
            .replacingOccurrences(
                of: "      EventSourceArn: !GetAtt Work.Arn\n      FunctionName: !Ref Worker\n",
                with: "      EventSourceArn: !GetAtt Work.Arn\n      FunctionName: !Ref WorkerLive\n"
            )
            .replacingOccurrences(
                of: "  WorkerMapping:\n",
                with: """
                      WorkerVersion:
                        Type: AWS::Lambda::Version
                        Properties:
                          FunctionName: !Ref Worker
                      WorkerLive:
                        Type: AWS::Lambda::Alias
                        Properties:
                          FunctionName: !Ref Worker
                          FunctionVersion: !GetAtt WorkerVersion.Version
                          Name: live
                      WorkerMapping:

                    """)
    }

    @Test func theFunctionBehindTheAliasIsChecked() {
        let clean = Validator.validate(bytes: Array(Self.throughAlias(visibility: "181").utf8), path: "wired.yaml")
        #expect(clean == [], "\(clean.map(\.description))")
        let short = Validator.validate(bytes: Array(Self.throughAlias(visibility: "20").utf8), path: "wired.yaml")
        #expect(short.map(\.id) == [Rules.visibilityBelowTimeout.id], "\(short.map(\.description))")
        #expect(short.first?.message.contains("is below the timeout of 'Worker'") == true)
    }
}
