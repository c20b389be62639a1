import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request to a local server: method, target split in path and query, headers, body, the peer's address.
public struct HTTPServerRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var peer: String
}

/// The answer to write back.
public struct HTTPServerResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A small HTTP/1.1 server on loopback over SwiftNIO (already in the build through AsyncHTTPClient): the local
/// gateway and each function environment's Runtime API.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest) async -> HTTPServerResponse
    let channel: any Channel
    /// The port it listens on.
    public let port: Int

    /// Binds `host`:`port` (0: a free port) on `group`. A request whose body is over `maximumBody` bytes is answered
    /// `tooLarge` as soon as that is known (from `Content-Length`, before any of the body is read, or as a chunked
    /// body passes the limit) and its connection closed: the body is never buffered.
    public init(
        host: String = "127.0.0.1", port: Int, group: EventLoopGroup, maximumBody: Int? = nil,
        tooLarge: HTTPServerResponse = HTTPServerResponse(status: 413), handler: @escaping Handler
    ) async throws {
        let limit = maximumBody.map { RequestHandler.Limit(bytes: $0, answer: tooLarge) }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(RequestHandler(handler: handler, limit: limit))
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
        channel = try await bootstrap.bind(host: host, port: port).get()
        self.port = channel.localAddress?.port ?? port
    }

    /// Stops listening.
    public func close() async {
        try? await channel.close()
    }
}

/// Collects a request and hands it to the async handler; writes the answer in order.
final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The largest body accepted and the answer to one that is larger.
    struct Limit: Sendable {
        var bytes: Int
        var answer: HTTPServerResponse
    }

    let handler: HTTPServer.Handler
    let limit: Limit?
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    /// Set once a request was refused for its size: nothing more is read from the connection.
    var refused = false

    init(handler: @escaping HTTPServer.Handler, limit: Limit?) {
        self.handler = handler
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            if let limit, let length = head.headers.first(name: "content-length").flatMap(Int.init),
                length > limit.bytes
            {
                refuse(limit, version: head.version, context: context)
            }
        case .body(var buffer):
            if let limit, body.count + buffer.readableBytes > limit.bytes {
                refuse(limit, version: head?.version ?? .http1_1, context: context)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = Self.request(head, body: body, peer: context.remoteAddress?.ipAddress ?? "127.0.0.1")
            let keepAlive = head.isKeepAlive
            let handler = handler
            let loop = context.eventLoop
            let bound = NIOLoopBound(context, eventLoop: loop)
            Task {
                let response = await handler(request)
                loop.execute {
                    Self.write(response, keepAlive: keepAlive, version: head.version, context: bound.value)
                }
            }
            self.head = nil
        }
    }

    /// Answers the size refusal and closes the connection without reading the rest of the body.
    func refuse(_ limit: Limit, version: HTTPVersion, context: ChannelHandlerContext) {
        refused = true
        body = []
        head = nil
        // The answer is written, then only the sending side closed: what the client is still sending is read and
        // dropped (closing both ways would reset the connection before the client reads the 413), for 5 s at most.
        Self.write(limit.answer, keepAlive: false, version: version, context: context, closing: .output)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
    }

    static func request(_ head: HTTPRequestHead, body: [UInt8], peer: String) -> HTTPServerRequest {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query: [(String, String)] =
            parts.count > 1
            ? parts[1].split(separator: "&").map { pair in
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in
                    text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
            } : []
        return HTTPServerRequest(
            method: head.method.rawValue, path: String(parts.first ?? "/"), query: query,
            headers: head.headers.map { ($0.name, $0.value) }, body: body, peer: peer)
    }

    static func write(
        _ response: HTTPServerResponse, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext,
        closing: CloseMode = .all
    ) {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(
            version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive { done.whenComplete { _ in context.close(mode: closing, promise: nil) } }
    }
}
