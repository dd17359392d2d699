/// The headers of an ELF file held in memory, whole or as a prefix: program headers (segments)
/// and, when the bytes reach them, section headers. Every offset is checked; a header that
/// points outside the bytes is reported through ``problem`` rather than trusted.
struct ELFImage {
    struct Segment {
        var type: Int
        var flags: Int
        var offset: Int
        var vaddr: Int
        var fileSize: Int
    }

    struct Section {
        var name: String
        var type: Int
        var offset: Int
        var address: Int
        var size: Int
    }

    static let ptLoad = 1, pfX = 1, pfW = 2, shtNobits = 8

    let is64: Bool
    let bigEndian: Bool
    let sectionHeaderOffset: Int
    let sectionHeaderSize: Int
    let sectionCount: Int
    let sectionNameIndex: Int
    private(set) var segments: [Segment] = []
    /// Where the program header table ends: the prefix needed to read the segments.
    let programHeadersEnd: Int

    static func isELF(_ b: [UInt8]) -> Bool { b.count >= 4 && b[0] == 0x7F && b[1] == 0x45 && b[2] == 0x4C && b[3] == 0x46 }

    /// Parses the file header; nil when `bytes` does not start with a valid one.
    init?(header bytes: [UInt8]) {
        guard Self.isELF(bytes), bytes.count >= 52, bytes[4] == 1 || bytes[4] == 2, bytes[5] == 1 || bytes[5] == 2 else { return nil }
        is64 = bytes[4] == 2
        bigEndian = bytes[5] == 2
        let be = bigEndian
        guard let phoff = is64 ? bytes.uint64(at: 0x20, bigEndian: be) : bytes.uint32(at: 0x1C, bigEndian: be),
              let shoff = is64 ? bytes.uint64(at: 0x28, bigEndian: be) : bytes.uint32(at: 0x20, bigEndian: be),
              let phentsize = bytes.uint16(at: is64 ? 0x36 : 0x2A, bigEndian: be),
              let phnum = bytes.uint16(at: is64 ? 0x38 : 0x2C, bigEndian: be),
              let shentsize = bytes.uint16(at: is64 ? 0x3A : 0x2E, bigEndian: be),
              let shnum = bytes.uint16(at: is64 ? 0x3C : 0x30, bigEndian: be),
              let shstrndx = bytes.uint16(at: is64 ? 0x3E : 0x32, bigEndian: be) else { return nil }
        sectionHeaderOffset = shoff
        sectionHeaderSize = shentsize
        sectionCount = shnum
        sectionNameIndex = shstrndx
        guard phentsize >= (is64 ? 56 : 32) || phnum == 0, phoff <= Int.max / 2 else { return nil }
        programHeadersEnd = phoff + phnum * phentsize
        guard programHeadersEnd <= bytes.count else { return }
        for i in 0..<phnum {
            let p = phoff + i * phentsize
            if is64 {
                guard let type = bytes.uint32(at: p, bigEndian: be), let flags = bytes.uint32(at: p + 4, bigEndian: be),
                      let offset = bytes.uint64(at: p + 8, bigEndian: be), let vaddr = bytes.uint64(at: p + 16, bigEndian: be),
                      let filesz = bytes.uint64(at: p + 32, bigEndian: be) else { return nil }
                segments.append(Segment(type: type, flags: flags, offset: offset, vaddr: vaddr, fileSize: filesz))
            } else {
                guard let type = bytes.uint32(at: p, bigEndian: be), let offset = bytes.uint32(at: p + 4, bigEndian: be),
                      let vaddr = bytes.uint32(at: p + 8, bigEndian: be), let filesz = bytes.uint32(at: p + 16, bigEndian: be),
                      let flags = bytes.uint32(at: p + 24, bigEndian: be) else { return nil }
                segments.append(Segment(type: type, flags: flags, offset: offset, vaddr: vaddr, fileSize: filesz))
            }
        }
    }

    /// The first writable, non-executable loaded segment: where Go's linker puts its build info
    /// when there is no `.go.buildinfo` section (debug/buildinfo's `DataStart`).
    var firstDataSegment: Segment? {
        segments.first { $0.type == Self.ptLoad && $0.flags & (Self.pfX | Self.pfW) == Self.pfW }
    }

    /// The file offset of virtual address `address`, through the loaded segment that maps it.
    func fileOffset(ofAddress address: Int) -> Int? {
        for s in segments where s.type == Self.ptLoad && address >= s.vaddr && address - s.vaddr < s.fileSize {
            let (offset, overflow) = s.offset.addingReportingOverflow(address - s.vaddr)
            return overflow ? nil : offset
        }
        return nil
    }

    /// Every section of a whole file, or the reason the section headers cannot be believed.
    func sections(in bytes: [UInt8]) -> Result<[Section], SectionError> {
        guard sectionCount > 0, sectionHeaderOffset > 0 else { return .success([]) }
        let entry = is64 ? 64 : 40
        guard sectionHeaderSize >= entry else { return .failure(.lie("section header size \(sectionHeaderSize) is below \(entry)")) }
        guard sectionHeaderOffset < bytes.count, sectionCount <= (bytes.count - sectionHeaderOffset) / sectionHeaderSize else {
            return .failure(.lie("section headers (\(sectionCount) at offset \(sectionHeaderOffset)) run past the end of the \(bytes.count)-byte file"))
        }
        let be = bigEndian
        var raw: [(name: Int, type: Int, address: Int, offset: Int, size: Int)] = []
        for i in 0..<sectionCount {
            let p = sectionHeaderOffset + i * sectionHeaderSize
            let fields: (Int, Int, Int, Int, Int)?
            if is64 {
                fields = bytes.uint32(at: p, bigEndian: be).flatMap { n in bytes.uint32(at: p + 4, bigEndian: be).flatMap { t in
                    bytes.uint64(at: p + 16, bigEndian: be).flatMap { a in bytes.uint64(at: p + 24, bigEndian: be).flatMap { o in
                        bytes.uint64(at: p + 32, bigEndian: be).map { s in (n, t, a, o, s) } } } } }
            } else {
                fields = bytes.uint32(at: p, bigEndian: be).flatMap { n in bytes.uint32(at: p + 4, bigEndian: be).flatMap { t in
                    bytes.uint32(at: p + 12, bigEndian: be).flatMap { a in bytes.uint32(at: p + 16, bigEndian: be).flatMap { o in
                        bytes.uint32(at: p + 20, bigEndian: be).map { s in (n, t, a, o, s) } } } } }
            }
            guard let (n, t, a, o, s) = fields else { return .failure(.lie("section header \(i) is truncated")) }
            raw.append((n, t, a, o, s))
        }
        guard sectionNameIndex < raw.count else { return .failure(.lie("section name table index \(sectionNameIndex) is past the \(raw.count) sections")) }
        let names = raw[sectionNameIndex]
        guard names.offset <= bytes.count, names.size <= bytes.count - names.offset else {
            return .failure(.lie("section name table runs past the end of the file"))
        }
        var result: [Section] = []
        for (i, r) in raw.enumerated() {
            var name = ""
            if r.name < names.size {
                let start = names.offset + r.name
                let end = bytes[start..<(names.offset + names.size)].firstIndex(of: 0) ?? (names.offset + names.size)
                name = String(decoding: bytes[start..<end], as: UTF8.self)
            }
            if r.offset > bytes.count || r.size > bytes.count - r.offset {
                guard r.type != Self.shtNobits, r.size > 0 else { continue } // no bytes in the file: nothing to read
                // Only sections someone reads matter; a lie in another is reported when one is asked for.
                if name == ".dep-v0" || name == ".go.buildinfo" {
                    return .failure(.lie("section \(name) (#\(i)) runs past the end of the file"))
                }
                continue
            }
            result.append(Section(name: name, type: r.type, offset: r.offset, address: r.address, size: r.size))
        }
        return .success(result)
    }

    enum SectionError: Error, Equatable {
        case lie(String)
    }
}
