import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML element with its text and children, read with Foundation's `XMLParser` (libxml2 on Linux): the
/// CloudFormation, STS and S3 answers are small, so a tree is simpler than events. Namespaces are dropped from
/// names; entities are decoded by the parser.
public final class XMLNode: @unchecked Sendable {
    /// The element's local name.
    public let name: String
    /// Text directly inside the element, entities decoded, whitespace around it kept.
    public internal(set) var text = ""
    public internal(set) var children: [XMLNode] = []

    init(name: String) { self.name = name }

    /// Parses `bytes`; `nil` when they are not well-formed XML.
    public static func parse(_ bytes: [UInt8]) -> XMLNode? {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = builder
        // libxml2 reports warnings (a relative namespace URI) through the error callback and recovers from some
        // malformed input; well-formed means the parse succeeded and every element was closed.
        guard parser.parse(), builder.stack.isEmpty, let root = builder.root else { return nil }
        return root
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// The element at `path` below this one (`["DescribeStacksResult", "Stacks", "member"]`).
    public func at(_ path: String...) -> XMLNode? { at(path) }

    /// The element at `path` below this one.
    public func at(_ path: [String]) -> XMLNode? {
        var node: XMLNode? = self
        for name in path { node = node?.child(name) }
        return node
    }

    /// The text of the child `name`, or `nil` when there is none.
    public func string(_ name: String) -> String? { child(name)?.text }

    /// The first element named `name` anywhere below this one, depth first.
    public func first(_ name: String) -> XMLNode? {
        for child in children {
            if child.name == name { return child }
            if let found = child.first(name) { return found }
        }
        return nil
    }
}

/// Collects the parser's events into nodes.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: XMLNode?
    var stack: [XMLNode] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        let node = XMLNode(name: local)
        stack.last?.children.append(node)
        if root == nil { root = node }
        stack.append(node)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        _ = stack.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }
}
