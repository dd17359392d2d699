#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Up to 8 bytes of `b` from `at` as a little-endian word (missing bytes zero): the unit the
/// generated key and event-type matchers compare (`EventDecoder.keyAt`, `EventType.code`).
@inline(__always)
func littleEndianWord(_ b: UnsafeBufferPointer<UInt8>, at: Int, count: Int) -> UInt64 {
    if at + 8 <= b.count {
        let w = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + at).loadUnaligned(as: UInt64.self))
        return count >= 8 ? w : w & ((1 << (8 * UInt64(count))) &- 1)
    }
    var w: UInt64 = 0
    for k in 0..<count { w |= UInt64(b[at + k]) << (8 * UInt64(k)) }
    return w
}

/// Whether `s` is exactly the bytes `b` (the check behind a `StringCache` or `PathTable` hit).
@inline(__always)
func sameBytes(_ s: String, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard s.utf8.count == b.count else { return false }
    guard b.count > 0 else { return true }
    return s.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }
        ?? s.utf8.elementsEqual(b)
}

/// A 64-bit hash of `b`, eight bytes at a time with multiply-xorshift mixing (the last word
/// overlaps the one before when the length is not a multiple of eight): the `StringCache` slot
/// and the `PathTable` index.
@inline(__always)
func wordHash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = b.count
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(n)
    var k = 0
    while k + 8 <= n {
        h = (h ^ littleEndianWord(b, at: k, count: 8)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        k += 8
    }
    if k < n {
        let tail = n >= 8 ? littleEndianWord(b, at: n - 8, count: 8) : littleEndianWord(b, at: 0, count: n)
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    }
    return h ^ (h >> 29)
}
