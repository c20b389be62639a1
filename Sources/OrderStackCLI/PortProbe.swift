#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a loopback TCP port can be listened on: a socket bound to 127.0.0.1:port, owned for the probe only.
enum PortProbe {
    /// Why `port` cannot be listened on, or `nil` when it can.
    static func problem(port: Int) -> String? {
        guard (1...65_535).contains(port) else { return "not a TCP port (1 to 65535)" }
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound != 0 else { return nil }
        switch errno {
        case EADDRINUSE: return "another process listens on 127.0.0.1:\(port)"
        case EACCES: return "ports below 1024 need privileges"
        default: return String(cString: strerror(errno))
        }
    }
}
