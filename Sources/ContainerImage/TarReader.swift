import VigilCore
/// Reads a tar stream entry by entry (ustar, GNU and PAX), never seeking: data of entries
/// nobody asks for is read and discarded, so hashing sources see every byte.
///
/// Reads from its source in 256 KiB chunks into one buffer allocated per archive: headers and
/// small files are served from memory, and the decompressor and hasher below always work on
/// large blocks (measured: this is the hot path of a scan).
public final class TarReader<Base: ByteSource> {
    private var base: Base
    /// Name used in error messages (`layer sha256:…`).
    public let name: String
    private var remaining = 0       // data bytes left in the current entry
    private var padding = 0         // padding after the current entry's data
    private var ended = false
    private var block = [UInt8](repeating: 0, count: 512)
    private let buffer: UnsafeMutableRawBufferPointer
    private var bufferStart = 0
    private var bufferEnd = 0
    private var sourceEnded = false
    /// Whether the archive ended with the zero blocks of an end-of-archive marker.
    public private(set) var sawEndMarker = false
    /// The entry most recently returned by `next()`.
    public private(set) var current: TarHeader?
    /// Largest PAX or GNU long-name record accepted.
    static var maxMetaRecord: Int { 1 << 20 }
    static var bufferSize: Int { 256 << 10 }
    /// Largest entry size believed (1 PiB): anything above is a lie meant to overflow arithmetic.
    static var maxEntrySize: Int { 1 << 50 }

    public init(_ base: Base, name: String) {
        self.base = base
        self.name = name
        self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// The underlying source once the archive is finished (to drain what follows the end marker).
    /// Bytes already buffered have passed through `base`, so hashing sources have seen them.
    public func finish() throws(ContainerImageError) -> Base {
        if !ended { try skipCurrent() }
        return base
    }

    /// Makes at least one byte available; false at the end of the source.
    private func fill() throws(ContainerImageError) -> Bool {
        if bufferStart < bufferEnd { return true }
        if sourceEnded { return false }
        let n = try base.read(into: buffer)
        bufferStart = 0
        bufferEnd = n
        if n == 0 { sourceEnded = true }
        return n > 0
    }

    /// Copies up to `into.count` buffered bytes; returns how many (0 only at the end).
    private func take(into out: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        guard try fill() else { return 0 }
        let n = min(out.count, bufferEnd - bufferStart)
        out.baseAddress!.copyMemory(from: buffer.baseAddress! + bufferStart, byteCount: n)
        bufferStart += n
        return n
    }

    /// Reads exactly `count` bytes into `out` or fails as truncated; false if the source ended
    /// before the first byte.
    private func readExact(_ count: Int, into out: inout [UInt8], what: @autoclosure () -> String) throws(ContainerImageError) -> Bool {
        var filled = 0
        while filled < count {
            let n = try out.withUnsafeMutableBytes { raw in
                Result { () throws(ContainerImageError) -> Int in
                    try take(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<count]))
                }
            }.get()
            if n == 0 {
                if filled == 0 { return false }
                throw ContainerImageError(.truncated, "\(name): truncated archive (\(what()))")
            }
            filled += n
        }
        return true
    }

    private func skipCurrent() throws(ContainerImageError) {
        var left = remaining + padding
        while left > 0 {
            guard try fill() else {
                let entry = current?.rawName ?? "?"
                throw ContainerImageError(.truncated, "\(name): truncated archive: entry '\(entry)' declares \(current?.size ?? 0) bytes but the stream ends early")
            }
            let n = min(left, bufferEnd - bufferStart)
            bufferStart += n
            left -= n
        }
        remaining = 0
        padding = 0
    }

    /// Advances to the next entry, skipping unread data of the current one. Nil at the end.
    public func next() throws(ContainerImageError) -> TarHeader? {
        guard !ended else { return nil }
        try skipCurrent()
        var paxPath: String?
        var paxLink: String?
        var paxSize: Int?
        var gnuLongName: String?
        var gnuLongLink: String?
        while true {
            guard try readExact(512, into: &block, what: "partial header block") else {
                // A stream that stops at a block boundary without end markers: accept, as Go's archive/tar does.
                ended = true
                current = nil
                return nil
            }
            if block.allSatisfy({ $0 == 0 }) {
                ended = true
                sawEndMarker = true
                current = nil
                return nil
            }
            guard TarHeader.checksumValid(block) else {
                throw ContainerImageError(.malformedArchive, "\(name): invalid tar header checksum after entry '\(current?.rawName ?? "(start)")'")
            }
            let typeFlag = block[156]
            guard let size = TarHeader.parseNumeric(block[124..<136]), size <= Self.maxEntrySize else {
                throw ContainerImageError(.malformedArchive, "\(name): invalid size field in tar header '\(TarHeader.parseString(block[0..<100]))'")
            }
            let mode = TarHeader.parseOctal(block[100..<108]) ?? 0
            var rawName = TarHeader.parseString(block[0..<100])
            if block[257..<263].elementsEqual("ustar\0".utf8) {
                let prefix = TarHeader.parseString(block[345..<500])
                if !prefix.isEmpty { rawName = prefix + "/" + rawName }
            }
            let link = TarHeader.parseString(block[157..<257])

            switch typeFlag {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard size <= Self.maxMetaRecord else {
                    throw ContainerImageError(.tooLarge, "\(name): metadata record of \(size) bytes for '\(rawName)' exceeds \(Self.maxMetaRecord)")
                }
                var data = [UInt8](repeating: 0, count: size)
                let padded = (size + 511) / 512 * 512
                if size > 0, try !readExact(size, into: &data, what: "metadata record") {
                    throw ContainerImageError(.truncated, "\(name): truncated archive (metadata record)")
                }
                var pad = [UInt8](repeating: 0, count: padded - size)
                if !pad.isEmpty, try !readExact(pad.count, into: &pad, what: "metadata padding") {
                    throw ContainerImageError(.truncated, "\(name): truncated archive (metadata padding)")
                }
                if typeFlag == UInt8(ascii: "L") {
                    gnuLongName = TarHeader.parseString(data[...])
                } else if typeFlag == UInt8(ascii: "K") {
                    gnuLongLink = TarHeader.parseString(data[...])
                } else if typeFlag == UInt8(ascii: "x") {
                    let records = try Self.parsePAX(data, archive: name)
                    if let p = records["path"] { paxPath = p }
                    if let l = records["linkpath"] { paxLink = l }
                    if let s = records["size"] {
                        guard let v = Int(s), v >= 0, v <= Self.maxEntrySize else {
                            throw ContainerImageError(.malformedArchive, "\(name): invalid PAX size '\(s)'")
                        }
                        paxSize = v
                    }
                }
                continue
            default:
                break
            }

            let kind: TarHeader.Kind
            switch typeFlag {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "1"): kind = .hardLink
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "5"): kind = .directory
            default: kind = .other
            }
            var header = TarHeader(
                rawName: paxPath ?? gnuLongName ?? rawName,
                linkName: paxLink ?? gnuLongLink ?? link,
                kind: kind, size: paxSize ?? size, mode: mode, typeFlag: typeFlag)
            // Links and directories carry no data even if a size is written.
            if kind == .hardLink || kind == .symlink || kind == .directory { header.size = 0 }
            if kind == .file, header.rawName.hasSuffix("/") { header.kind = .directory }
            remaining = header.size
            padding = (512 - header.size % 512) % 512
            current = header
            return header
        }
    }

    /// Reads the current entry's data, failing if it is larger than `limit`.
    public func readContent(limit: Int) throws(ContainerImageError) -> [UInt8] {
        guard let header = current else { return [] }
        guard remaining <= limit else {
            throw ContainerImageError(.tooLarge, "\(name): entry '\(header.rawName)' is \(header.size) bytes, more than the \(limit)-byte limit for files Vigil reads")
        }
        var out = [UInt8](repeating: 0, count: remaining)
        if remaining > 0, try !readExact(remaining, into: &out, what: "entry '\(header.rawName)' declares \(header.size) bytes but the stream ends early") {
            throw ContainerImageError(.truncated, "\(name): truncated archive: entry '\(header.rawName)' declares \(header.size) bytes but the stream ends early")
        }
        remaining = 0
        return out
    }

    /// Reads part of the current entry's data (for streaming nested archives).
    public func readEntry(into out: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        guard remaining > 0 else { return 0 }
        let n = try take(into: UnsafeMutableRawBufferPointer(rebasing: out[..<min(out.count, remaining)]))
        if n == 0 {
            throw ContainerImageError(.truncated, "\(name): truncated archive: entry '\(current?.rawName ?? "?")' declares \(current?.size ?? 0) bytes but the stream ends early")
        }
        remaining -= n
        return n
    }

    /// A source over the current entry's data.
    public func entrySource() -> TarEntrySource<Base> { TarEntrySource(reader: self) }

    static func parsePAX(_ data: [UInt8], archive: String) throws(ContainerImageError) -> [String: String] {
        var result: [String: String] = [:]
        var i = 0
        while i < data.count {
            if data[i] == 0 { break }
            var len = 0
            var j = i
            while j < data.count, data[j] != UInt8(ascii: " ") {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(data[j]), len < data.count else {
                    throw ContainerImageError(.malformedArchive, "\(archive): malformed PAX record")
                }
                len = len * 10 + Int(data[j] - UInt8(ascii: "0"))
                j += 1
            }
            // "<len> <key>=<value>\n": the record must hold the space, at least one byte and the newline.
            guard len > 0, i + len <= data.count, j + 1 < i + len, data[i + len - 1] == 0x0A else {
                throw ContainerImageError(.malformedArchive, "\(archive): malformed PAX record length")
            }
            let record = data[(j + 1)..<(i + len - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[record.startIndex..<eq], as: UTF8.self)
                let value = String(decoding: record[(eq + 1)...], as: UTF8.self)
                result[key] = value
            }
            i += len
        }
        return result
    }
}

/// The current entry of a `TarReader` as a byte source.
public struct TarEntrySource<Base: ByteSource>: ByteSource {
    let reader: TarReader<Base>
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContainerImageError) -> Int {
        try reader.readEntry(into: buffer)
    }
}
