import CVigilZlib
import VigilCore

/// Limits that turn a decompression bomb into an error instead of hours of CPU.
public struct DecompressionLimits: Sendable {
    /// Output size after which the ratio check applies.
    public var ratioCheckAfter: Int
    /// Largest output/input ratio tolerated past `ratioCheckAfter`. Real layers stay far below
    /// 100:1; deflate's ceiling is about 1032:1, so a bomb sits near that.
    public var maxRatio: Int
    /// Hard cap on the output of one stream.
    public var maxOutput: Int

    public init(ratioCheckAfter: Int = 256 << 20, maxRatio: Int = 200, maxOutput: Int = 64 << 30) {
        self.ratioCheckAfter = ratioCheckAfter
        self.maxRatio = maxRatio
        self.maxOutput = maxOutput
    }

    /// Defaults used for image layers.
    public static let standard = DecompressionLimits()
}

/// Streaming gzip decoder over zlib.
///
/// Our own rather than compress-nio's: that package hangs on gzip files made of several
/// concatenated members (DEPENDENCIES.md, trap 2), which `gzip -dc` — and layers in the wild —
/// accept. Members are decoded one after another; trailing zero padding after the last member
/// is ignored as gzip does.
public final class GzipSource<Base: ByteSource>: ByteSource {
    private var base: Base
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var inputEnd = false
    private var finished = false
    private var memberDone = false
    /// Compressed bytes consumed.
    public private(set) var consumed = 0
    /// Decompressed bytes produced.
    public private(set) var produced = 0
    private let limits: DecompressionLimits
    private let name: String

    /// Wraps `base`; `name` appears in error messages.
    public init(_ base: Base, name: String, limits: DecompressionLimits = .standard) throws(ContainerImageError) {
        self.base = base
        self.name = name
        self.limits = limits
        self.input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 17, alignment: 16)
        // 15 + 16: gzip wrapper only.
        let rc = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            input.deallocate()
            throw ContainerImageError(.io, "\(name): zlib initialisation failed (\(rc))")
        }
    }

    /// The compressed source (to read its digest once the stream is done).
    public var baseSource: Base { base }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    private func refill() throws(ContainerImageError) {
        guard stream.avail_in == 0, !inputEnd else { return }
        let n = try base.read(into: input)
        if n == 0 { inputEnd = true }
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(n)
        consumed += n
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        while true {
            if memberDone {
                // Another member follows only if the next bytes are a gzip header.
                try refill()
                if stream.avail_in == 0 && inputEnd { finished = true; return 0 }
                if stream.next_in[0] != 0x1F {
                    // Trailing padding (tar.gz files are often zero-padded): ignore it.
                    stream.avail_in = 0
                    try base.drain()
                    finished = true
                    return 0
                }
                inflateReset(&stream)
                memberDone = false
            }
            try refill()
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(buffer.count)
            let inBefore = stream.avail_in
            let rc = inflate(&stream, Z_NO_FLUSH)
            let n = buffer.count - Int(stream.avail_out)
            produced += n
            switch rc {
            case Z_STREAM_END:
                memberDone = true
            case Z_OK:
                break
            case Z_BUF_ERROR:
                if inputEnd && stream.avail_in == 0 {
                    throw ContainerImageError(.truncated, "\(name): unexpected end of gzip stream (truncated after \(consumed) compressed bytes)")
                }
                if n == 0 && stream.avail_in == inBefore && stream.avail_in > 0 {
                    throw ContainerImageError(.malformedArchive, "\(name): gzip stream makes no progress")
                }
            case Z_DATA_ERROR:
                let msg = stream.msg.map { String(cString: $0) } ?? "invalid data"
                throw ContainerImageError(.malformedArchive, "\(name): corrupt gzip data (\(msg))")
            case Z_MEM_ERROR:
                throw ContainerImageError(.io, "\(name): out of memory in zlib")
            default:
                throw ContainerImageError(.malformedArchive, "\(name): zlib error \(rc)")
            }
            if produced > limits.maxOutput {
                throw ContainerImageError(.decompressionBomb, "\(name): decompressed size exceeds \(limits.maxOutput) bytes")
            }
            if produced > limits.ratioCheckAfter, produced / max(consumed, 1) > limits.maxRatio {
                throw ContainerImageError(.decompressionBomb, "\(name): compression ratio above \(limits.maxRatio):1 after \(produced >> 20) MiB (decompression bomb?)")
            }
            if n > 0 { return n }
            if rc == Z_OK || rc == Z_BUF_ERROR, inputEnd, stream.avail_in == 0 {
                throw ContainerImageError(.truncated, "\(name): unexpected end of gzip stream (truncated after \(consumed) compressed bytes)")
            }
        }
    }
}

/// What the first bytes of a stream say it is.
public enum StreamKind: Sendable {
    case gzip, zstd, bzip2, xz, tar, other

    /// Sniffs up to 512 bytes.
    public static func sniff(_ head: [UInt8]) -> StreamKind {
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B { return .gzip }
        if head.count >= 4, head[0] == 0x28, head[1] == 0xB5, head[2] == 0x2F, head[3] == 0xFD { return .zstd }
        if head.count >= 3, head[0] == 0x42, head[1] == 0x5A, head[2] == 0x68 { return .bzip2 }
        if head.count >= 6, head[0] == 0xFD, head[1] == 0x37, head[2] == 0x7A, head[3] == 0x58 { return .xz }
        if head.count >= 512, TarHeader.checksumValid(head) || head.allSatisfy({ $0 == 0 }) { return .tar }
        return .other
    }
}
