/// A zip archive held in memory, read through its central directory (with ZIP64 end records,
/// and a prefix before the archive such as a launch script, as Go's `archive/zip` allows).
/// Nested stored archives are views on the same bytes, never copies. Every offset and size is
/// checked against the bytes present: a lying header is a `nil`/`.corrupt`, never a trap.
struct ZipArchive {
    /// One central-directory entry.
    struct Entry {
        var name: [UInt8]
        var method: Int
        var flags: Int
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int

        var isEncrypted: Bool { flags & 1 != 0 }
        var nameString: String { String(decoding: name, as: UTF8.self) }
    }

    enum DataOutcome {
        case bytes([UInt8])
        /// A stored entry: the archive's own bytes in `range`.
        case stored(Range<Int>)
        case tooLarge(declared: Int)
        case unsupportedMethod(Int)
        case corrupt(String)
    }

    let bytes: [UInt8]
    let range: Range<Int>
    /// Where the central directory starts and how many entries it declares.
    private let directoryStart: Int
    private let directoryEnd: Int
    /// What offsets in the directory are relative to.
    private let base: Int
    let declaredEntries: Int

    /// Nil when `range` of `bytes` holds no end-of-central-directory record.
    init?(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.range = range
        // The record is 22 bytes plus a comment of at most 65,535.
        var eocd = -1
        var i = range.upperBound - 22
        let lowest = max(range.lowerBound, range.upperBound - 22 - 65_535)
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0, var entries = bytes.uint16(at: eocd + 10), var size = bytes.uint32(at: eocd + 12),
              var offset = bytes.uint32(at: eocd + 16) else { return nil }
        var directoryEndRecord = eocd
        if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: a locator right before the classic record points at the ZIP64 record.
            let locator = eocd - 20
            if locator >= range.lowerBound, bytes.uint32(at: locator) == 0x0706_4B50,
               let recordOffset = bytes.uint64(at: locator + 8) {
                // The record's offset is relative to the archive's start, like every other one;
                // a prefix shifts it, so look where the locator says first, then right before it.
                let candidates = [range.lowerBound + recordOffset, locator - 56]
                if let record = candidates.first(where: { $0 >= range.lowerBound && $0 + 56 <= locator && bytes.uint32(at: $0) == 0x0606_4B50 }),
                   let e = bytes.uint64(at: record + 32), let s = bytes.uint64(at: record + 40), let o = bytes.uint64(at: record + 48) {
                    (entries, size, offset) = (e, s, o)
                    directoryEndRecord = record
                }
            }
        }
        let start = directoryEndRecord - size
        guard start >= range.lowerBound, start - offset >= range.lowerBound else { return nil }
        directoryStart = start
        directoryEnd = directoryEndRecord
        base = start - offset
        declaredEntries = entries
    }

    /// Calls `body` for each entry in directory order until it returns false; stops at the
    /// first malformed record and returns its description.
    func forEachEntry(_ body: (Entry) -> Bool) -> String? {
        var p = directoryStart
        while p + 46 <= directoryEnd {
            guard bytes.uint32(at: p) == 0x0201_4B50 else { return "central directory record \(p - directoryStart) has a bad signature" }
            guard let flags = bytes.uint16(at: p + 8), let method = bytes.uint16(at: p + 10),
                  var csize = bytes.uint32(at: p + 20), var usize = bytes.uint32(at: p + 24),
                  let nameLength = bytes.uint16(at: p + 28), let extraLength = bytes.uint16(at: p + 30),
                  let commentLength = bytes.uint16(at: p + 32), var local = bytes.uint32(at: p + 42) else { return "truncated central directory" }
            let nameStart = p + 46, extraStart = nameStart + nameLength, next = extraStart + extraLength + commentLength
            guard next <= directoryEnd else { return "central directory record runs past the directory" }
            // ZIP64 extended information: only the fields whose classic value is all ones, in order.
            var q = extraStart
            while q + 4 <= extraStart + extraLength, let id = bytes.uint16(at: q), let length = bytes.uint16(at: q + 2) {
                if id == 1 {
                    var f = q + 4
                    if usize == 0xFFFF_FFFF, let v = bytes.uint64(at: f) { usize = v; f += 8 }
                    if csize == 0xFFFF_FFFF, let v = bytes.uint64(at: f) { csize = v; f += 8 }
                    if local == 0xFFFF_FFFF, let v = bytes.uint64(at: f) { local = v }
                    break
                }
                q += 4 + length
            }
            let entry = Entry(name: Array(bytes[nameStart..<extraStart]), method: method, flags: flags,
                              compressedSize: csize, uncompressedSize: usize, localHeaderOffset: local)
            if !body(entry) { return nil }
            p = next
        }
        return nil
    }

    /// The entry's content: stored bytes as a range of this archive, deflated ones inflated into
    /// at most `limit` bytes (and never past the size the directory declares).
    func data(of entry: Entry, limit: Int) -> DataOutcome {
        let (local, overflow) = base.addingReportingOverflow(entry.localHeaderOffset)
        guard !overflow, local >= range.lowerBound, bytes.uint32(at: local) == 0x0403_4B50,
              let nameLength = bytes.uint16(at: local + 26), let extraLength = bytes.uint16(at: local + 28) else {
            return .corrupt("no local header where the directory points")
        }
        let start = local + 30 + nameLength + extraLength
        guard entry.compressedSize >= 0, start <= range.upperBound, entry.compressedSize <= range.upperBound - start else {
            return .corrupt("entry data runs past the end of the archive")
        }
        let end = start + entry.compressedSize
        switch entry.method {
        case 0:
            guard entry.compressedSize <= limit else { return .tooLarge(declared: entry.compressedSize) }
            return .stored(start..<end)
        case 8:
            guard entry.uncompressedSize <= limit else { return .tooLarge(declared: entry.uncompressedSize) }
            let outcome = bytes.withUnsafeBytes { all in
                BoundedInflater.inflate(UnsafeRawBufferPointer(rebasing: all[start..<end]), wrapper: .raw,
                                        limit: entry.uncompressedSize, expected: entry.uncompressedSize)
            }
            switch outcome {
            case .bytes(let out): return .bytes(out)
            case .tooLarge: return .corrupt("inflates past the \(entry.uncompressedSize) bytes its header declares")
            case .corrupt: return .corrupt("is not a valid deflate stream")
            }
        default:
            return .unsupportedMethod(entry.method)
        }
    }
}
