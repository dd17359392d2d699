/// How `JSONEmitter` lays out and escapes text.
public struct JSONStyle: Sendable {
    /// Which characters strings escape.
    public enum Escaping: Sendable {
        /// jq: `\b \f \n \r \t`, other controls and DEL as `\u00XX`.
        case jq
        /// Go's encoding/json (Trivy's output): `\n \r \t`, other controls as `\u00XX`, U+2028/2029
        /// escaped; `<`, `>`, `&` too when `escapeHTML`.
        case go(escapeHTML: Bool)
    }

    /// Spaces per level; 0 (and no tab) prints compactly.
    public var indent: Int
    /// One tab per level instead of spaces.
    public var useTab: Bool
    public var escaping: Escaping
    /// Non-ASCII as `\uXXXX` (surrogate pairs above the BMP), jq's `-a`.
    public var asciiOnly: Bool
    /// ANSI colour sequences (jq's order: null, false, true, number, string, array, object, key);
    /// nil prints no colour.
    public var colors: [String]?

    public init(indent: Int = 2, useTab: Bool = false, escaping: Escaping = .jq, asciiOnly: Bool = false, colors: [String]? = nil) {
        self.indent = indent
        self.useTab = useTab
        self.escaping = escaping
        self.asciiOnly = asciiOnly
        self.colors = colors
    }

    @inlinable public var isPretty: Bool { useTab || indent > 0 }
}

/// The one JSON text writer in Vigil: scalars, escaping, separators, indentation and colour into a
/// byte buffer. Tree printers (`JSONPrinter` for `JSON`, the jq engine's for its values) walk
/// their own model and call these in document order:
/// `arrayStart`, then `arrayElement` before each element, `arrayEnd`; `objectStart`, `objectKey`
/// before each value, `objectEnd`; `emptyArray`/`emptyObject` for `[]`/`{}`.
public struct JSONEmitter: Sendable {
    public var style: JSONStyle
    @usableFromInline let pretty: Bool
    @usableFromInline let colored: Bool
    @usableFromInline let colorCodes: [[UInt8]]
    /// Indentation for the first levels, appended as one slice.
    @usableFromInline let indentation: [UInt8]

    public init(style: JSONStyle) {
        self.style = style
        pretty = style.isPretty
        colored = style.colors != nil
        colorCodes = (style.colors ?? []).map { [0x1B, UInt8(ascii: "[")] + Array($0.utf8) + [UInt8(ascii: "m")] }
        indentation = !pretty ? [] : style.useTab ? [UInt8](repeating: 0x09, count: 64)
            : [UInt8](repeating: 0x20, count: 64 * max(style.indent, 1))
    }

    @inlinable @inline(__always) func startColor(_ i: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: colorCodes[i])
    }

    @inlinable @inline(__always) func endColor(_ out: inout [UInt8]) {
        out.append(0x1B); out.append(UInt8(ascii: "[")); out.append(UInt8(ascii: "0")); out.append(UInt8(ascii: "m"))
    }

    @inlinable func newline(_ level: Int, _ out: inout [UInt8]) {
        out.append(0x0A)
        let k = style.useTab ? level : level &* style.indent
        if k <= indentation.count {
            indentation.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<k])) }
        } else if style.useTab { out.append(contentsOf: repeatElement(0x09, count: level)) }
        else { out.append(contentsOf: repeatElement(0x20, count: level &* style.indent)) }
    }

    @inlinable func scalar(_ text: StaticString, color: Int, _ out: inout [UInt8]) {
        if colored { startColor(color, &out) }
        text.withUTF8Buffer { out.append(contentsOf: $0) }
        if colored { endColor(&out) }
    }

    @inlinable public func null(_ out: inout [UInt8]) { scalar("null", color: 0, &out) }

    @inlinable public func bool(_ b: Bool, _ out: inout [UInt8]) { b ? scalar("true", color: 2, &out) : scalar("false", color: 1, &out) }

    /// A number whose text is already JSON (a literal or a formatted double).
    @inlinable public func number(_ text: String, _ out: inout [UInt8]) {
        if colored { startColor(3, &out) }
        out.append(contentsOf: text.utf8)
        if colored { endColor(&out) }
    }

    @inlinable public func string(_ s: String, _ out: inout [UInt8]) {
        if colored { startColor(4, &out) }
        writeString(s, &out)
        if colored { endColor(&out) }
    }

    @inlinable public func emptyArray(_ out: inout [UInt8]) { scalar("[]", color: 5, &out) }
    @inlinable public func emptyObject(_ out: inout [UInt8]) { scalar("{}", color: 6, &out) }

    @inlinable public func arrayStart(_ out: inout [UInt8]) {
        if colored { startColor(5, &out) }
        out.append(UInt8(ascii: "["))
    }

    /// Before element `index` of an array at `level`.
    @inlinable public func arrayElement(_ index: Int, level: Int, _ out: inout [UInt8]) {
        if index > 0 {
            if colored { startColor(5, &out) }
            out.append(UInt8(ascii: ","))
        }
        if pretty { newline(level &+ 1, &out) }
        if colored { endColor(&out) }
    }

    @inlinable public func arrayEnd(level: Int, _ out: inout [UInt8]) {
        if colored { startColor(5, &out) }
        if pretty { newline(level, &out) }
        if colored { startColor(5, &out) }
        out.append(UInt8(ascii: "]"))
        if colored { endColor(&out) }
    }

    @inlinable public func objectStart(_ out: inout [UInt8]) {
        if colored { startColor(6, &out) }
        out.append(UInt8(ascii: "{"))
    }

    /// Separator, key and colon before member `index` of an object at `level`.
    @inlinable public func objectKey(_ key: String, index: Int, level: Int, _ out: inout [UInt8]) {
        if index > 0 {
            if colored { startColor(6, &out) }
            out.append(UInt8(ascii: ","))
            if colored { endColor(&out) }
        }
        if pretty { newline(level &+ 1, &out) }
        if colored {
            if index == 0 { endColor(&out) }
            startColor(7, &out)
            writeString(key, &out)
            endColor(&out)
            startColor(6, &out)
            out.append(UInt8(ascii: ":"))
            endColor(&out)
        } else {
            writeString(key, &out)
            out.append(UInt8(ascii: ":"))
        }
        if pretty { out.append(0x20) }
    }

    @inlinable public func objectEnd(level: Int, _ out: inout [UInt8]) {
        if colored { startColor(6, &out) }
        if pretty { newline(level, &out) }
        if colored { startColor(6, &out) }
        out.append(UInt8(ascii: "}"))
        if colored { endColor(&out) }
    }

    @usableFromInline static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inlinable func escape16(_ v: UInt16, _ out: inout [UInt8]) {
        out.append(0x5C); out.append(UInt8(ascii: "u"))
        Self.hex.withUnsafeBufferPointer { h in
            out.append(h[Int(v >> 12)]); out.append(h[Int((v >> 8) & 0xF)])
            out.append(h[Int((v >> 4) & 0xF)]); out.append(h[Int(v & 0xF)])
        }
    }

    @inlinable @inline(__always) static func hasByte(_ w: UInt64, _ b: UInt64) -> Bool {
        let v = w ^ (b &* 0x0101_0101_0101_0101)
        return ((v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080) != 0
    }

    /// True when all 8 bytes are ASCII 0x20...0x7E other than `"` and `\\` (and `<>&` for HTML).
    @inlinable @inline(__always) static func isPlain(_ w: UInt64, html: Bool) -> Bool {
        let high = w & 0x8080_8080_8080_8080
        let control = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
        if (high | control) != 0 || hasByte(w, 0x22) || hasByte(w, 0x5C) || hasByte(w, 0x7F) { return false }
        return !html || !(hasByte(w, 0x3C) || hasByte(w, 0x3E) || hasByte(w, 0x26))
    }

    /// A quoted, escaped string (no colour).
    @inlinable public func writeString(_ s: String, _ out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { buf in
            let n = buf.count
            var go = false, html = false
            if case .go(let h) = style.escaping { go = true; html = h }
            let ascii = style.asciiOnly
            var runStart = 0
            var i = 0
            while i < n {
                // 8 printable ASCII bytes that need no escape are copied as they are
                if i &+ 8 <= n && Self.isPlain(UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self), html: html) {
                    i &+= 8
                    continue
                }
                let c = buf[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C && c < 0x7F && !(html && (c == 0x3C || c == 0x3E || c == 0x26)) { i &+= 1; continue }
                if c == 0x7F && go { i &+= 1; continue }
                if c >= 0x80 {
                    if go && c == 0xE2 && i &+ 2 < n && buf[i &+ 1] == 0x80 && (buf[i &+ 2] == 0xA8 || buf[i &+ 2] == 0xA9) {
                        if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                        escape16(buf[i &+ 2] == 0xA8 ? 0x2028 : 0x2029, &out)
                        i &+= 3
                        runStart = i
                        continue
                    }
                    if !ascii { i &+= 1; continue }
                    if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                    // decode the scalar and write \uXXXX (a surrogate pair above the BMP)
                    var u: UInt32
                    var len: Int
                    if c >= 0xF0 { u = UInt32(c & 0x07); len = 4 } else if c >= 0xE0 { u = UInt32(c & 0x0F); len = 3 } else { u = UInt32(c & 0x1F); len = 2 }
                    for j in 1..<len where i &+ j < n { u = (u << 6) | UInt32(buf[i &+ j] & 0x3F) }
                    if u >= 0x10000 {
                        let v = u - 0x10000
                        escape16(UInt16(0xD800 + (v >> 10)), &out)
                        escape16(UInt16(0xDC00 + (v & 0x3FF)), &out)
                    } else {
                        escape16(UInt16(u), &out)
                    }
                    i &+= len
                    runStart = i
                    continue
                }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                switch c {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x08 where !go: out.append(0x5C); out.append(UInt8(ascii: "b"))
                case 0x0C where !go: out.append(0x5C); out.append(UInt8(ascii: "f"))
                default: escape16(UInt16(c), &out)
                }
                i &+= 1
                runStart = i
            }
            if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<n])) }
        }
        out.append(0x22)
    }
}
