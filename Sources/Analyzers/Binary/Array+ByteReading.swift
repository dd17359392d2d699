/// Little- and big-endian integer reads at an absolute offset of a byte array, nil past the end:
/// zip and ELF headers are read through these so a lying offset is a nil, never a trap.
extension Array where Element == UInt8 {
    func uint16(at i: Int, bigEndian: Bool = false) -> Int? {
        guard i >= 0, i <= count - 2 else { return nil }
        return bigEndian ? Int(self[i]) << 8 | Int(self[i + 1]) : Int(self[i]) | Int(self[i + 1]) << 8
    }

    func uint32(at i: Int, bigEndian: Bool = false) -> Int? {
        guard i >= 0, i <= count - 4 else { return nil }
        var v = 0
        for k in 0..<4 { v |= Int(self[i + k]) << (bigEndian ? 8 * (3 - k) : 8 * k) }
        return v
    }

    /// Values at or above 2^63 are nil (no file here is that large; they are lies).
    func uint64(at i: Int, bigEndian: Bool = false) -> Int? {
        guard i >= 0, i <= count - 8 else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(self[i + k]) << UInt64(bigEndian ? 8 * (7 - k) : 8 * k) }
        return v > UInt64(Int.max) ? nil : Int(v)
    }
}
