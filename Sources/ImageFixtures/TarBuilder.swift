/// Writes tar archives byte by byte, including the malformed ones real tools refuse to make
/// (absolute names, `..`, lying size fields), so tests can feed Vigil hostile input.
public struct TarBuilder {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Appends a regular file.
    public mutating func file(_ name: String, _ content: [UInt8], mode: Int = 0o644) {
        header(name: name, size: content.count, type: UInt8(ascii: "0"), mode: mode)
        bytes += content
        pad()
    }

    /// Appends a regular file from text.
    public mutating func file(_ name: String, text: String, mode: Int = 0o644) {
        file(name, Array(text.utf8), mode: mode)
    }

    public mutating func directory(_ name: String) {
        header(name: name.hasSuffix("/") ? name : name + "/", size: 0, type: UInt8(ascii: "5"), mode: 0o755)
    }

    public mutating func symlink(_ name: String, to target: String) {
        header(name: name, size: 0, type: UInt8(ascii: "2"), link: target, mode: 0o777)
    }

    public mutating func hardLink(_ name: String, to target: String) {
        header(name: name, size: 0, type: UInt8(ascii: "1"), link: target)
    }

    /// A header whose size field claims `claimedSize` bytes followed by `actual` bytes of data
    /// (no padding, no end marker): a truncated or lying entry.
    public mutating func lyingFile(_ name: String, claimedSize: Int, actual: [UInt8]) {
        header(name: name, size: claimedSize, type: UInt8(ascii: "0"))
        bytes += actual
    }

    /// Appends the two zero blocks that end an archive.
    public mutating func finish() {
        bytes += [UInt8](repeating: 0, count: 1024)
    }

    /// The finished archive.
    public func finished() -> [UInt8] {
        var copy = self
        copy.finish()
        return copy.bytes
    }

    private mutating func pad() {
        let r = bytes.count % 512
        if r != 0 { bytes += [UInt8](repeating: 0, count: 512 - r) }
    }

    private mutating func header(name: String, size: Int, type: UInt8, link: String = "", mode: Int = 0o644) {
        if name.utf8.count > 99 || link.utf8.count > 99 {
            // PAX extended header for long names.
            var records: [UInt8] = []
            func record(_ key: String, _ value: String) {
                let body = " \(key)=\(value)\n"
                var len = body.utf8.count + 1
                while String(len).count + body.utf8.count != len { len = String(len).count + body.utf8.count }
                records += Array("\(len)\(body)".utf8)
            }
            if name.utf8.count > 99 { record("path", name) }
            if link.utf8.count > 99 { record("linkpath", link) }
            rawHeader(name: "PaxHeaders/x", size: records.count, type: UInt8(ascii: "x"), link: "", mode: 0o644)
            bytes += records
            pad()
        }
        rawHeader(name: String(name.utf8.prefix(99))!, size: size, type: type, link: String(link.utf8.prefix(99))!, mode: mode)
    }

    private mutating func rawHeader(name: String, size: Int, type: UInt8, link: String, mode: Int) {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ offset: Int, _ width: Int) {
            for (i, b) in s.utf8.prefix(width).enumerated() { h[offset + i] = b }
        }
        func octal(_ v: Int, _ offset: Int, _ width: Int) {
            if v >= 1 << (3 * (width - 1)) {
                // GNU base-256 for sizes that do not fit in octal.
                h[offset] = 0x80
                var x = v
                for i in stride(from: offset + width - 1, to: offset, by: -1) {
                    h[i] = UInt8(x & 0xFF)
                    x >>= 8
                }
                return
            }
            let s = String(v, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - s.count)) + s, offset, width - 1)
        }
        put(name, 0, 100)
        octal(mode, 100, 8)
        octal(0, 108, 8)
        octal(0, 116, 8)
        octal(size, 124, 12)
        octal(1_700_000_000, 136, 12)
        h[156] = type
        put(link, 157, 100)
        put("ustar\0", 257, 6)
        put("00", 263, 2)
        put("root", 265, 32)
        put("root", 297, 32)
        for i in 148..<156 { h[i] = UInt8(ascii: " ") }
        let sum = h.reduce(0) { $0 + Int($1) }
        let s = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - s.count) + s, 148, 6)
        h[154] = 0
        h[155] = UInt8(ascii: " ")
        bytes += h
    }
}
