#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file-system operation that failed, said as `path: error: cannot ...: reason`.
struct FileFailure: Error, Sendable {
    /// The file or folder.
    let path: String
    /// What was attempted ("write the file", "create the folder").
    let action: String
    /// Why, from the system's error number, with a hint where one helps.
    let reason: String

    /// The line printed to standard error.
    var line: String { "\(path): error: cannot \(action): \(reason)" }

    /// Prints the failure and returns the error that ends the command with status 2.
    func report(to console: Console) -> BadInput {
        console.err(line)
        return BadInput()
    }
}

/// Writes files and creates folders with messages a user can act on (never a Foundation error's text).
enum FileSystem {
    /// Creates `path` and its missing parents.
    static func createDirectory(_ path: String) throws(FileFailure) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            defer { prefix += "/" }
            var status = stat()
            if stat(prefix, &status) == 0 {
                guard status.st_mode & S_IFMT == S_IFDIR else {
                    throw FileFailure(path: path, action: "create the folder", reason: "\(prefix) is a file")
                }
                continue
            }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw FileFailure(path: path, action: "create the folder", reason: reason(errno, for: prefix))
            }
        }
    }

    /// Replaces `path` with `bytes`: written beside it first and renamed, so a failed write never leaves half a file.
    /// `mode` 0o600 keeps a secret readable by its owner only, from the first byte written.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(FileFailure) {
        let temporary = "\(path).tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, mode)
        guard descriptor >= 0 else {
            throw FileFailure(path: path, action: "write the file", reason: reason(errno, for: path))
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            guard written > 0 else {
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw FileFailure(path: path, action: "write the file", reason: reason(code, for: path))
            }
            offset += written
        }
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileFailure(path: path, action: "write the file", reason: reason(code, for: path))
        }
    }

    /// The bytes of `path`, read as a stream (so `/dev/null` and pipes read as what they hold).
    /// - Throws: `FileFailure` saying why: no such file, a folder, no permission.
    static func read(_ path: String) throws(FileFailure) -> [UInt8] {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw FileFailure(path: path, action: "read the file", reason: "it is a folder; name a template file")
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let code = errno
            let why = code == ENOENT ? "no such file" : String(cString: strerror(code))
            throw FileFailure(path: path, action: "read the file", reason: why)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            guard count >= 0 else {
                throw FileFailure(path: path, action: "read the file", reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    /// Refuses a file that could not be written later because its folder is missing or is a file, before
    /// anything is computed for it.
    static func checkWritable(_ path: String) throws(FileFailure) {
        guard let slash = path.lastIndex(of: "/") else { return }
        let folder = slash == path.startIndex ? "/" : String(path[..<slash])
        var status = stat()
        guard stat(folder, &status) == 0 else {
            throw FileFailure(
                path: path, action: "write the file", reason: "the folder \(folder) does not exist; create it first")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw FileFailure(path: path, action: "write the file", reason: "\(folder) is a file, not a folder")
        }
    }

    /// Writes `text` as UTF-8.
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(FileFailure) {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// The system's reason for `code`, with the folder named when it is missing.
    private static func reason(_ code: Int32, for path: String) -> String {
        let text = String(cString: strerror(code))
        guard code == ENOENT, let slash = path.lastIndex(of: "/") else { return text }
        let folder = slash == path.startIndex ? "/" : String(path[..<slash])
        var status = stat()
        guard stat(folder, &status) != 0 else { return text }
        return "\(text) (the folder \(folder) does not exist; create it first)"
    }
}

/// POSIX `read`, named apart from `FileSystem.read`.
private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, bytes, count)
    #else
        Darwin.read(descriptor, bytes, count)
    #endif
}

/// POSIX `write`, named apart from `FileSystem.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #else
        Darwin.write(descriptor, bytes, count)
    #endif
}
