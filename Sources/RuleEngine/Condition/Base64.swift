enum Base64 {
    static func decode(_ s: String) -> String? {
        var out: [UInt8] = []
        var buf: UInt32 = 0
        var bits = 0
        for c in s.utf8 {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            buf = buf << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buf >> UInt32(bits)) & 0xFF))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
