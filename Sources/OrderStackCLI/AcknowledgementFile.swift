import Diff
import YAML

/// Reads the acknowledgement file.
public enum AcknowledgementFile {
    /// The file's place in a project.
    public static let relativePath = "blueprints/acknowledged-losses.yaml"

    /// Parses `text`, reporting problems located in `path`.
    public static func read(_ text: String, path: String) -> (
        acknowledgements: [Acknowledgement], diagnostics: [Diagnostic]
    ) {
        var reader = ConfigReader(path: path)
        guard let root = reader.root(text) else { return ([], reader.diagnostics) }
        var top = reader.mapping(root)
        var result: [Acknowledgement] = []
        let names = Acknowledgement.classes.map(\.rawValue)
        reader.sequence("acknowledged", in: &top, required: true) { reader, item in
            let mark = item.node.mark
            let resource = reader.string("resource", in: &item, required: true)
            let kind = reader.choice("class", in: &item, names, required: true).flatMap(Finding.Kind.init(rawValue:))
            let reason = reader.string("reason", in: &item, required: true)
            let stacks = reader.string("stack", in: &item).map { [$0] } ?? []
            if let reason, reason.trimmingSpaces.count < 10 {
                reader.report(
                    reader.mark(of: "reason", in: item), ConfigReader.ID.invalidValue,
                    "'\(item.path).reason' must say why the loss is intended (10 characters or more)")
                return
            }
            guard let resource, let kind, let reason else { return }
            result.append(
                Acknowledgement(
                    resource: resource, kind: kind, reason: reason, stacks: stacks,
                    location: "\(path):\(mark.line):\(mark.column)"))
        }
        reader.finish(top)
        return (reader.diagnostics.isEmpty ? result : [], reader.diagnostics)
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = drop { $0 == " " || $0 == "\n" }
        var end = start.endIndex
        while end > start.startIndex, start[start.index(before: end)] == " " { end = start.index(before: end) }
        return start[..<end]
    }
}
