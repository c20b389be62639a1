import AWSClients
import CloudFormation
import DeployClients
import Foundation
import LocalRun
import StackLogs

/// Where `logs` and `trace` read a stack's log lines: the files `local` wrote for a stage, or a deployed stack's
/// log groups in CloudWatch Logs.
enum StackLogSources {
    /// The events of every log group of `template` that `local` wrote for `stack` in `folder`, each list kept
    /// by `keep`; `nil` when no file of the stack exists.
    static func local(_ template: Template, stack: String, folder: String, keep: (LogEvent) -> Bool) -> [[LogEvent]]? {
        var lists: [[LogEvent]] = []
        var found = 0
        for file in localFiles(template, stack: stack, folder: folder) {
            guard let text = try? String(contentsOfFile: file.path, encoding: .utf8) else { continue }
            found += 1
            lists.append(LocalLogs.events(text, source: file.source).filter(keep))
        }
        return found == 0 ? nil : lists
    }

    /// The file `local` writes for each log group of `template` (`/aws/lambda/x` as `aws_lambda_x.log`), labelled
    /// with the group's logical ID.
    static func localFiles(_ template: Template, stack: String, folder: String) -> [(path: String, source: String)] {
        template.resources.filter { $0.type == "AWS::Logs::LogGroup" }.compactMap { resource in
            guard case .sub(let pattern, _)? = resource["LogGroupName"] else { return nil }
            let name = pattern.replacingOccurrences(of: "${AWS::StackName}", with: stack)
            return ("\(folder)/\(LocalSession.fileName(name)).log", resource.logicalId)
        }
    }

    /// The message for a stage with no local logs.
    static func noLocalLogs(stack: String, stage: String) -> String {
        "error: no log of stack \(stack) in output/local/logs: run `\(Stacks.executable) local --stage \(stage)` "
            + "first, or read a deployed stack with --stack-name"
    }

    /// The events of each of `groups` (logical and physical IDs) at or after `since` that match `pattern`,
    /// each list kept by `keep`.
    static func deployed(
        _ groups: [(logicalId: String, physicalId: String)], logs: CloudWatchLogsClient, since: Int64,
        pattern: String?, keep: (LogEvent) -> Bool
    ) async throws -> [[LogEvent]] {
        var lists: [[LogEvent]] = []
        for group in groups {
            lists.append(
                try await logs.events(group: group.physicalId, since: since, pattern: pattern, source: group.logicalId)
                    .filter(keep))
        }
        return lists
    }
}
