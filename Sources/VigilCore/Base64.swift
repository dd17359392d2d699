/// Base64 with the standard alphabet (RFC 4648 §4), as jq's `@base64`/`@base64d` and Falco's
/// `b64` transformer read and write it. `@inlinable`: rule conditions decode per event.
public enum Base64 {
    /// What `=` means to a decoder.
    public enum Padding: Sendable {
        /// The data ends at the first `=` (jq).
        case endsData
        /// Every `=` is passed over wherever it stands (libsinsp).
        case isSkipped
    }

    /// The alphabet, by 6-bit value.
    @usableFromInline
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` as base64 text, padded with `=` to a multiple of four.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
            out += [alphabet[n >> 18], alphabet[(n >> 12) & 63], alphabet[(n >> 6) & 63], alphabet[n & 63]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = Int(bytes[i]) << 16
            out += [alphabet[n >> 18], alphabet[(n >> 12) & 63], 61, 61]
        } else if rest == 2 {
            let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8
            out += [alphabet[n >> 18], alphabet[(n >> 12) & 63], alphabet[(n >> 6) & 63], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` encodes; nil when it holds a byte outside the alphabet (and `=`), or,
    /// with `rejectsLoneCharacter`, when its last group has one character (six bits, no byte).
    @inlinable
    public static func decode(_ text: String.UTF8View, padding: Padding, rejectsLoneCharacter: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var count = 0
        for c in text {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                if padding == .endsData { return rejectsLoneCharacter && count % 4 == 1 ? nil : out }
                continue
            default: return nil
            }
            buffer = buffer << 6 | v
            bits += 6
            count += 1
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return rejectsLoneCharacter && count % 4 == 1 ? nil : out
    }
}
