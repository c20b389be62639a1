import CZlib
import ZlibStream

/// One file of a zip archive.
public struct ZipEntry: Sendable, Equatable {
    public var name: String
    public var contents: [UInt8]
    /// Unix permission bits (`0o755` for `bootstrap`).
    public var mode: UInt16

    public init(name: String, contents: [UInt8], mode: UInt16 = 0o644) {
        self.name = name
        self.contents = contents
        self.mode = mode
    }
}

/// Why an archive could not be written.
public struct ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// Writes deterministic zip archives: entries in the order given, deflated (zlib level 9, raw), one fixed DOS
/// timestamp, Unix permissions in the external attributes, no extra fields. The same inputs give the same bytes,
/// so a rebuilt handler with unchanged code keeps its S3 object and CloudFormation sees no change.
public enum ZipWriter {
    /// 1980-01-01 00:00:00, the first DOS date: the fixed time of every entry.
    static let dosTime: UInt16 = 0
    static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    /// The archive bytes.
    public static func archive(_ entries: [ZipEntry]) throws(ZipError) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            guard !name.isEmpty, name.count < 0xFFFF, entry.contents.count < 0xFFFF_FFFF else {
                throw ZipError(description: "\(entry.name): name or size out of range for a zip32 archive")
            }
            let crc = checksum(entry.contents)
            let deflated = try deflate(entry.contents)
            let stored = deflated.count >= entry.contents.count
            let data = stored ? entry.contents : deflated
            let method: UInt16 = stored ? 0 : 8
            let offset = UInt32(out.count)
            // Local file header.
            append32(&out, 0x0403_4B50)
            append16(&out, 20)  // version needed: 2.0
            append16(&out, 0x0800)  // UTF-8 names
            append16(&out, method)
            append16(&out, dosTime)
            append16(&out, dosDate)
            append32(&out, crc)
            append32(&out, UInt32(data.count))
            append32(&out, UInt32(entry.contents.count))
            append16(&out, UInt16(name.count))
            append16(&out, 0)
            out += name
            out += data
            // Central directory record.
            append32(&central, 0x0201_4B50)
            append16(&central, (3 << 8) | 20)  // made by Unix, spec 2.0
            append16(&central, 20)
            append16(&central, 0x0800)
            append16(&central, method)
            append16(&central, dosTime)
            append16(&central, dosDate)
            append32(&central, crc)
            append32(&central, UInt32(data.count))
            append32(&central, UInt32(entry.contents.count))
            append16(&central, UInt16(name.count))
            append16(&central, 0)  // extra
            append16(&central, 0)  // comment
            append16(&central, 0)  // disk
            append16(&central, 0)  // internal attributes
            append32(&central, (UInt32(0o100000 | entry.mode)) << 16)  // regular file + permissions
            append32(&central, offset)
            central += name
        }
        guard UInt64(out.count) + UInt64(central.count) < 0xFFFF_FFFF, entries.count < 0xFFFF else {
            throw ZipError(description: "the archive is too large for zip32")
        }
        let centralOffset = UInt32(out.count)
        out += central
        append32(&out, 0x0605_4B50)
        append16(&out, 0)
        append16(&out, 0)
        append16(&out, UInt16(entries.count))
        append16(&out, UInt16(entries.count))
        append32(&out, UInt32(central.count))
        append32(&out, centralOffset)
        append16(&out, 0)
        return out
    }

    /// CRC-32 as zip uses it (zlib's).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    /// Raw deflate (no zlib header), level 9.
    static func deflate(_ input: [UInt8]) throws(ZipError) -> [UInt8] {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                == Z_OK
        else { throw ZipError(description: "zlib could not start a deflate stream") }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, uLong(input.count))) + 64
        let (status, output) = ZlibStream.step(&stream, input: input, capacity: capacity) {
            CZlib.deflate(&$0, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw ZipError(description: "zlib deflate failed (\(status))") }
        return output
    }

    static func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }

    static func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
