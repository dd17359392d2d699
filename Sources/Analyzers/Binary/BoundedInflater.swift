import CVigilZlib

/// Inflates a whole in-memory deflate stream (raw, as zip entries store it, or zlib-wrapped, as
/// cargo-auditable's `.dep-v0` section) into at most `limit` bytes. Output past the limit is a
/// bomb or a lie about the size, never a partial result: the caller gets `.tooLarge`.
enum BoundedInflater {
    enum Wrapper { case raw, zlib }

    enum Outcome: Equatable {
        case bytes([UInt8])
        /// The stream produces more than the limit.
        case tooLarge
        /// Not a valid deflate stream, or truncated.
        case corrupt
    }

    static func inflate(_ input: UnsafeRawBufferPointer, wrapper: Wrapper, limit: Int, expected: Int? = nil) -> Outcome {
        var stream = z_stream()
        let windowBits: Int32 = wrapper == .raw ? -15 : 15
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return .corrupt }
        defer { inflateEnd(&stream) }
        guard let base = input.baseAddress, input.count > 0 else { return .corrupt }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        // Reserve what the archive claims (within the limit), so honest entries allocate once.
        var out: [UInt8] = []
        out.reserveCapacity(min(expected ?? 64 << 10, limit))
        let chunk = 64 << 10
        let scratch = UnsafeMutablePointer<Bytef>.allocate(capacity: chunk)
        defer { scratch.deallocate() }
        while true {
            stream.next_out = scratch
            stream.avail_out = uInt(chunk)
            let rc = CVigilZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = chunk - Int(stream.avail_out)
            if out.count + produced > limit { return .tooLarge }
            out.append(contentsOf: UnsafeBufferPointer(start: scratch, count: produced))
            switch rc {
            case Z_STREAM_END: return .bytes(out)
            case Z_OK: if produced == 0 && stream.avail_in == 0 { return .corrupt }
            case Z_BUF_ERROR: if stream.avail_in == 0 { return .corrupt }
            default: return .corrupt
            }
        }
    }
}
