import ContainerImage

/// Streams one executable and keeps what identifies its packages.
///
/// Files up to ``maxWholeFile`` are held whole (one allocation: the tar header gives the size):
/// the `.go.buildinfo` and `.dep-v0` sections are found through the section headers at the
/// file's end, and Go's pre-1.18 pointer format can be followed. Larger files are streamed: the
/// program headers at the start say where the first data segment begins, and only that window
/// is kept (debug/buildinfo's own fallback when there are no sections), so a 500 MB binary
/// costs 4 MiB. Scripts and other non-ELF files stop after their first bytes.
struct ELFSampleReader: SampleReader {
    static let maxWholeFile = 64 << 20
    /// Program headers sit right after the 64-byte file header.
    static let headLimit = 64 << 10

    let path: String
    private let whole: Bool
    /// The whole file, or its first ``headLimit`` bytes.
    private var bytes: [UInt8] = []
    private var offset = 0
    private var image: ELFImage?
    private var window: [UInt8] = []
    private var windowRange: Range<Int>?
    private var done = false

    init(path: String, size: Int) {
        self.path = path
        whole = size <= Self.maxWholeFile
        bytes.reserveCapacity(whole ? size : Self.headLimit)
    }

    mutating func consume(_ chunk: UnsafeRawBufferPointer) -> Bool {
        let chunkStart = offset
        offset += chunk.count
        if whole {
            bytes.append(contentsOf: chunk)
            if bytes.count >= 4, !ELFImage.isELF(bytes) { done = true }
            return !done
        }
        if bytes.count < Self.headLimit { bytes.append(contentsOf: chunk.prefix(Self.headLimit - bytes.count)) }
        if windowRange == nil {
            guard bytes.count >= 64 else { return true }
            guard let header = ELFImage(header: bytes) else { done = true; return false }
            if header.programHeadersEnd > bytes.count {
                if bytes.count >= Self.headLimit { done = true; return false }
                return true
            }
            image = header
            guard let data = header.firstDataSegment else { done = true; return false }
            let length = min(data.fileSize, GoBuildInfo.searchSize + GoBuildInfo.maxInfoSize)
            guard data.offset <= Int.max - length else { done = true; return false }
            let r = data.offset..<(data.offset + length)
            // Bytes of the window already streamed past must still be in the kept head.
            guard r.lowerBound >= chunkStart || bytes.count >= min(r.upperBound, chunkStart) else { done = true; return false }
            if r.lowerBound < chunkStart { window.append(contentsOf: bytes[r.lowerBound..<min(chunkStart, r.upperBound)]) }
            windowRange = r
        }
        guard let r = windowRange else { return true }
        let from = max(r.lowerBound, chunkStart), to = min(r.upperBound, offset)
        if from < to { window.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[(from - chunkStart)..<(to - chunkStart)])) }
        return offset < r.upperBound
    }

    mutating func finish() -> [UInt8] {
        defer { bytes = []; window = [] }
        guard ELFImage.isELF(bytes) else { return [] }
        return whole ? finishWhole().encoded() : finishStreamed().encoded()
    }

    private func finishStreamed() -> PackageSample {
        guard windowRange != nil else { return PackageSample() }
        switch GoBuildInfo.decode(window[...]) {
        case .found(let info): return goSample(info)
        case .pointerFormat:
            var s = PackageSample(format: .gobinary)
            s.warnings.append("\(path): Go build info in the pre-1.18 pointer format, in a file over \(Self.maxWholeFile >> 20) MiB; not read")
            return s
        case .notGo: return PackageSample()
        }
    }

    private func finishWhole() -> PackageSample {
        guard let image = ELFImage(header: bytes) else { return PackageSample() }
        let sections = image.sections(in: bytes)
        var dataStart = image.firstDataSegment?.offset
        if case .success(let list) = sections, let s = list.first(where: { $0.name == ".go.buildinfo" }) { dataStart = s.offset }
        if let start = dataStart, start < bytes.count {
            let end = min(bytes.count, start + GoBuildInfo.searchSize + GoBuildInfo.maxInfoSize)
            let all = bytes
            let outcome = GoBuildInfo.decode(bytes[start..<end]) { address, bigEndian, ptrSize in
                // A Go string header (data pointer, length) at `address`, then its bytes.
                guard let header = image.fileOffset(ofAddress: address) else { return nil }
                func word(_ at: Int) -> Int? { ptrSize == 8 ? all.uint64(at: at, bigEndian: bigEndian) : all.uint32(at: at, bigEndian: bigEndian) }
                guard let pointer = word(header), let length = word(header + ptrSize), length <= GoBuildInfo.maxInfoSize,
                      let data = image.fileOffset(ofAddress: pointer), length >= 0, data <= all.count - length else { return nil }
                return Array(all[data..<(data + length)])
            }
            switch outcome {
            case .found(let info): return goSample(info)
            case .pointerFormat:
                var s = PackageSample(format: .gobinary)
                s.warnings.append("\(path): Go build info points outside the file's loaded segments; not read")
                return s
            case .notGo: break
            }
        }
        switch sections {
        case .failure(.lie(let why)):
            // Marked as a Rust sample (with no packages): the warning is about that search.
            var s = PackageSample(format: .rustbinary)
            s.warnings.append("\(path): \(why); not read for Rust dependency info")
            return s
        case .success(let list):
            guard let dep = list.first(where: { $0.name == ".dep-v0" }) else { return PackageSample() }
            var s = PackageSample(format: .rustbinary)
            switch CargoAuditableInfo.decode(bytes[dep.offset..<(dep.offset + dep.size)], path: path) {
            case .packages(let p): s.packages = p
            case .problem(let why): s.warnings.append(why)
            }
            return s
        }
    }

    private func goSample(_ info: GoBuildInfo) -> PackageSample {
        var s = PackageSample(format: .gobinary)
        s.packages = info.packages.map { PackageSample.Package(name: $0.name, version: $0.version, path: path) }
        return s
    }
}
