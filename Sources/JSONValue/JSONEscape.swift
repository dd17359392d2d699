/// JSON's backslash escapes (RFC 8259 §7), decoded the one way Vigil decodes them: in the JSON
/// scanner and in jq's string literals. A surrogate pair becomes its scalar; a lone or unpaired
/// surrogate becomes U+FFFD (jq's behaviour).
public enum JSONEscape {
    public enum Outcome: Equatable {
        /// Decoded; the escape ends before this index.
        case next(Int)
        /// `\u` not followed by four hex digits.
        case invalidUnicode
        /// Not one of JSON's escape letters (the caller may have its own, as jq's `\(`).
        case unknown
    }

    /// Decodes the escape whose letter is `bytes[at]` (the byte after a backslash) and appends its
    /// UTF-8 to `out`.
    @inlinable public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at: Int, into out: inout [UInt8]) -> Outcome {
        switch bytes[at] {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var p = at + 1
            guard var u = hex4(bytes, p) else { return .invalidUnicode }
            p += 4
            if u >= 0xD800 && u < 0xDC00 {
                if p + 6 <= bytes.count && bytes[p] == UInt8(ascii: "\\") && bytes[p + 1] == UInt8(ascii: "u"),
                   let lo = hex4(bytes, p + 2), lo >= 0xDC00 && lo < 0xE000 {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                    p += 6
                } else {
                    u = 0xFFFD
                }
            } else if u >= 0xDC00 && u < 0xE000 {
                u = 0xFFFD
            }
            appendUTF8(u, &out)
            return .next(p)
        default:
            return .unknown
        }
        return .next(at + 1)
    }

    /// Four hex digits at `p`, or nil.
    @inlinable public static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt32? {
        guard p + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 {
            let c = bytes[p + i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c) - 0x30
            case 0x41...0x46: d = UInt32(c) - 0x37
            case 0x61...0x66: d = UInt32(c) - 0x57
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }

    /// Appends the UTF-8 encoding of scalar `u`.
    @inlinable public static func appendUTF8(_ u: UInt32, _ out: inout [UInt8]) {
        if u < 0x80 { out.append(UInt8(u)) }
        else if u < 0x800 { out.append(UInt8(0xC0 | (u >> 6))); out.append(UInt8(0x80 | (u & 0x3F))) }
        else if u < 0x10000 {
            out.append(UInt8(0xE0 | (u >> 12))); out.append(UInt8(0x80 | ((u >> 6) & 0x3F))); out.append(UInt8(0x80 | (u & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (u >> 18))); out.append(UInt8(0x80 | ((u >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((u >> 6) & 0x3F))); out.append(UInt8(0x80 | (u & 0x3F)))
        }
    }
}
