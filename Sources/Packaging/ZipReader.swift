import CZlib
import ZlibStream

/// Reads back what `ZipWriter` writes, as far as a preflight needs: the first bytes of the first entry (a
/// handler zip's `bootstrap`), enough for its ELF header.
public enum ZipReader {
    /// The first `count` bytes of the archive's first entry, or `nil` when `zip` is not a zip it can read.
    public static func firstEntryPrefix(_ zip: [UInt8], count: Int = 64) -> [UInt8]? {
        guard zip.count >= 30, read32(zip, 0) == 0x0403_4B50 else { return nil }
        let method = read16(zip, 8)
        let compressed = Int(read32(zip, 18))
        let start = 30 + Int(read16(zip, 26)) + Int(read16(zip, 28))
        guard start <= zip.count else { return nil }
        let data = Array(zip[start..<min(zip.count, start + compressed)])
        switch method {
        case 0: return Array(data.prefix(count))
        case 8: return inflatePrefix(data, count: count)
        default: return nil
        }
    }

    /// Inflates raw deflate data until `count` bytes are out (or the stream ends).
    static func inflatePrefix(_ data: [UInt8], count: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        let (status, output) = ZlibStream.step(&stream, input: data, capacity: count) { inflate(&$0, Z_SYNC_FLUSH) }
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { return nil }
        return output
    }

    static func read16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func read32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(read16(bytes, offset)) | UInt32(read16(bytes, offset + 2)) << 16
    }
}
