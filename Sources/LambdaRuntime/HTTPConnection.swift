#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A response of the Runtime API.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]
}

/// Why an HTTP exchange failed.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A minimal blocking HTTP/1.1 client over a POSIX socket, for the Runtime API on the local host (plain HTTP,
/// one request per connection, `Content-Length` or close-delimited bodies). It has no timeout: `next` blocks
/// until Lambda has an event, which is what the Runtime API expects.
public struct HTTPConnection: Sendable {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` as given in `AWS_LAMBDA_RUNTIME_API`.
    public init?(endpoint: String) {
        guard let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...])
        else { return nil }
        self.init(host: String(endpoint[..<colon]), port: port)
    }

    /// Sends one request and reads the whole response.
    public func send(method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws
        -> HTTPResponse
    {
        let socket = try connect()
        defer { close(socket) }
        var head =
            "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try write(socket, Array(head.utf8) + body)
        return try read(socket)
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw HTTPError("cannot resolve \(host)")
        }
        defer { freeaddrinfo(result) }
        let socket = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard socket >= 0 else { throw HTTPError("socket() failed") }
        guard Glibc.connect(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            close(socket)
            throw HTTPError("cannot connect to \(host):\(port)")
        }
        return socket
    }

    private func write(_ socket: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw HTTPError("connection closed while sending") }
            offset += sent
        }
    }

    private func read(_ socket: Int32) throws -> HTTPResponse {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        var expected: Int?
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw HTTPError("receive failed") }
            if count == 0 { break }
            data += buffer[0..<count]
            if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: data) {
                headerEnd = end + 4
                let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                    expected = Int(line.dropFirst("content-length:".count).trimmingSpaces)
                }
            }
            if let start = headerEnd, let length = expected, data.count - start >= length { break }
        }
        guard let start = headerEnd else { throw HTTPError("malformed response") }
        let lines = String(decoding: data[0..<(start - 4)], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else {
            throw HTTPError("malformed status line")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].trimmingSpaces)
        }
        let body = Array(data[start..<(expected.map { min(data.count, start + $0) } ?? data.count)])
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed().reduce(
            into: Substring()
        ) { $0.append($1) }
    }
}
