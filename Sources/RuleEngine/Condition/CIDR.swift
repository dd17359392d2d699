/// IPv4 addresses and networks for `fd.net`, `fd.snet`, …
enum CIDR {
    /// A dotted-quad IPv4 address (`10.0.0.1`), parsed on its bytes.
    static func address(_ s: String) -> UInt32? {
        var v: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for c in s.utf8 {
            if c == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                v = v << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            } else if c >= 0x30 && c <= 0x39 {
                octet = octet * 10 + UInt32(c - 0x30)
                digits += 1
                guard octet < 256 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return v << 8 | octet
    }

    static func parse(_ s: String) -> (UInt32, UInt32)? {
        let pieces = s.split(separator: "/")
        guard let ip = address(String(pieces[0])) else { return nil }
        var bits: UInt32 = 32
        if pieces.count == 2 {
            guard let b = UInt32(pieces[1]), b <= 32 else { return nil }
            bits = b
        } else if pieces.count > 2 {
            return nil
        }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return (ip & mask, mask)
    }
}
