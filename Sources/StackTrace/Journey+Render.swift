import JSONDocument
import JSONText
import Timestamps

extension Journey {
    /// One line per step: the first logged step's time, then the time since the step before; inferred steps
    /// say so; the last line says where the key is now.
    public var text: String {
        let kindWidth = hops.map(\.kind.count).max() ?? 0
        let sourceWidth = hops.map(\.source.count).max() ?? 0
        var lines = ["\(key)"]
        var previous: Int64?
        for hop in hops {
            let when: String
            switch (hop.time, previous) {
            case (nil, _): when = "(inferred)"
            case (let time?, nil): when = RFC3339.format(time)
            case (let time?, let before?): when = "+" + Self.seconds(time - before)
            }
            if let time = hop.time { previous = time }
            lines.append(
                "  \(Self.pad(when, 24))  \(Self.pad(hop.kind, kindWidth))  \(Self.pad(hop.source, sourceWidth))  "
                    + hop.detail)
        }
        lines += notes
        lines.append("now: \(verdict)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object: key, verdict, stopped, hops (time as RFC 3339 or null).
    public var json: String {
        let steps = hops.map { hop in
            "{\"time\":\(hop.time.map { JSONText.quote(RFC3339.format($0)) } ?? "null"),"
                + "\"kind\":\(JSONText.quote(hop.kind)),\"source\":\(JSONText.quote(hop.source)),"
                + "\"detail\":\(JSONText.quote(hop.detail))}"
        }
        return "{\"key\":\(JSONText.quote(key)),\"verdict\":\(JSONText.quote(verdict)),\"stopped\":\(stopped),"
            + "\"notes\":[\(notes.map(JSONText.quote).joined(separator: ","))],"
            + "\"hops\":[\(steps.joined(separator: ","))]}\n"
    }

    /// `0.412 s`, `12.5 s`, `3 min 20 s`.
    static func seconds(_ milliseconds: Int64) -> String {
        if milliseconds < 10_000 {
            let whole = milliseconds / 1000
            let rest = milliseconds % 1000
            return "\(whole).\(String(rest + 1000).dropFirst()) s"
        }
        if milliseconds < 120_000 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds / 60_000) min \(milliseconds % 60_000 / 1000) s"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

extension Journey {
    /// A note on a table item (DynamoDB's JSON form): its scalar attributes but the key, sorted, each value cut
    /// at 60 characters.
    public static func note(item: [String: JSONValue], table: String, key: String) -> String {
        let fields = item.keys.sorted().filter { $0 != key }.compactMap { name -> String? in
            let value: String
            if let text = item[name]?["S"]?.string ?? item[name]?["N"]?.string {
                value = text.count > 60 ? text.prefix(57) + "..." : text
            } else if case .bool(let flag)? = item[name]?["BOOL"] {
                value = String(flag)
            } else {
                return nil
            }
            return "\(name)=\(value)"
        }
        return "in \(table) now: " + fields.joined(separator: ", ")
    }
}
