import CZlib

/// zlib's streaming calls over whole buffers: one deflate or inflate call into an output of known capacity, and a
/// whole gzip member inflated.
public enum ZlibStream {
    /// Runs `call` once with `input` as the stream's input and an output buffer of `capacity` bytes; its status
    /// and the bytes it wrote.
    public static func step(
        _ stream: inout z_stream, input: [UInt8], capacity: Int, _ call: (inout z_stream) -> Int32
    ) -> (Int32, [UInt8]) {
        var output = [UInt8](repeating: 0, count: capacity)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return call(&stream)
            }
        }
        return (status, Array(output.prefix(Int(stream.total_out))))
    }

    /// The contents of one gzip member (RFC 1952), sized by its trailer's length field; `nil` when `data` is not a
    /// complete gzip member.
    public static func gunzip(_ data: [UInt8]) -> [UInt8]? {
        guard data.count >= 18, data[0] == 0x1F, data[1] == 0x8B else { return nil }
        let size = data.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        var stream = z_stream()
        // 15 + 16: a 32 KiB window and a gzip header and trailer (zlib.h, inflateInit2).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        let (status, output) = step(&stream, input: data, capacity: max(size, 1)) { inflate(&$0, Z_FINISH) }
        return status == Z_STREAM_END && output.count == size ? output : nil
    }
}
