/// Byte-level building blocks shared by the three ecosystem comparators.
///
/// Everything here works on `UnsafeBufferPointer<UInt8>` views of a string's UTF-8 storage, so a
/// comparison never allocates and never goes through Foundation or `Character` (grapheme
/// breaking is far too slow for a hot path that runs once per package per advisory).
enum ByteComparison {
    /// Byte buffers are always borrowed from a `String` for the duration of one call.
    typealias Bytes = UnsafeBufferPointer<UInt8>

    static let zero = UInt8(ascii: "0")

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

    /// ASCII letters only: every package manager here classifies bytes with the "C" locale.
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    @inline(__always)
    static func isLowercase(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }

    /// -1, 0 or 1 for an `Int` difference.
    @inline(__always)
    static func sign(_ value: Int) -> Int { value < 0 ? -1 : (value > 0 ? 1 : 0) }

    /// Returns the end of the run of ASCII digits starting at `start`.
    @inline(__always)
    static func digitRunEnd(_ bytes: Bytes, from start: Int, to end: Int) -> Int {
        var index = start
        while index < end, isDigit(bytes[index]) { index += 1 }
        return index
    }

    /// Skips leading `0` bytes of a digit run.
    @inline(__always)
    static func skipZeros(_ bytes: Bytes, from start: Int, to end: Int) -> Int {
        var index = start
        while index < end, bytes[index] == zero { index += 1 }
        return index
    }

    /// Compares two byte ranges like `memcmp` followed by a length tie-break (a proper prefix
    /// sorts first). This is apk's `apk_blob_sort` and, for NUL-free segments, C's `strcmp`.
    static func lexical(_ a: Bytes, _ aRange: Range<Int>, _ b: Bytes, _ bRange: Range<Int>) -> Int {
        var i = aRange.lowerBound
        var j = bRange.lowerBound
        while i < aRange.upperBound, j < bRange.upperBound {
            if a[i] != b[j] { return a[i] < b[j] ? -1 : 1 }
            i += 1
            j += 1
        }
        return sign(aRange.count - bRange.count)
    }

    /// Compares two runs of ASCII digits as unbounded non-negative integers.
    ///
    /// Version numbers such as `20240101123456789` overflow `Int`; stripping leading zeros and
    /// comparing length first, then bytes, orders any length exactly (an empty run is zero).
    static func numeric(_ a: Bytes, _ aRange: Range<Int>, _ b: Bytes, _ bRange: Range<Int>) -> Int {
        let aStart = skipZeros(a, from: aRange.lowerBound, to: aRange.upperBound)
        let bStart = skipZeros(b, from: bRange.lowerBound, to: bRange.upperBound)
        let lengths = (aRange.upperBound - aStart) - (bRange.upperBound - bStart)
        if lengths != 0 { return sign(lengths) }
        return lexical(a, aStart..<aRange.upperBound, b, bStart..<bRange.upperBound)
    }

    /// Whether a digit run, read as an integer, is at most `limit` (no overflow for any length).
    static func digits(_ bytes: Bytes, _ range: Range<Int>, atMost limit: Int) -> Bool {
        let start = skipZeros(bytes, from: range.lowerBound, to: range.upperBound)
        // 18 digits always fit in an Int; anything longer is above every limit we use.
        if range.upperBound - start > 18 { return false }
        return integer(bytes, start..<range.upperBound) <= limit
    }

    /// The integer value of a digit run already known to fit in an `Int`.
    static func integer(_ bytes: Bytes, _ range: Range<Int>) -> Int {
        var value = 0
        for index in range { value = value * 10 + Int(bytes[index] &- zero) }
        return value
    }

    /// Feeds a digit run to a hasher without its leading zeros, so that runs `numeric` calls
    /// equal (`007` and `7`) hash alike.
    static func hashNumber(_ bytes: Bytes, _ range: Range<Int>, into hasher: inout Hasher) {
        let start = skipZeros(bytes, from: range.lowerBound, to: range.upperBound)
        hashBytes(bytes, start..<range.upperBound, into: &hasher)
    }

    /// Feeds a byte range to a hasher, length first so that adjacent ranges cannot run together.
    static func hashBytes(_ bytes: Bytes, _ range: Range<Int>, into hasher: inout Hasher) {
        hasher.combine(range.count)
        hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range])))
    }

    /// Runs `body` over the UTF-8 bytes of two strings at once.
    @inline(__always)
    static func withBytes<R>(_ a: String, _ b: String, _ body: (Bytes, Bytes) -> R) -> R {
        var a = a
        var b = b
        return a.withUTF8 { aBytes in b.withUTF8 { bBytes in body(aBytes, bBytes) } }
    }

    /// Runs `body` over the UTF-8 bytes of one string.
    @inline(__always)
    static func withBytes<R>(_ a: String, _ body: (Bytes) -> R) -> R {
        var a = a
        return a.withUTF8 { body($0) }
    }

    /// The index of the first ASCII whitespace byte, if any; validators reject whitespace.
    static func firstWhitespace(_ bytes: Bytes) -> Int? {
        for index in 0..<bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                return index
            default:
                continue
            }
        }
        return nil
    }

    /// Shows a byte in an error message: printable ASCII quoted (`'/'`), anything else in hex
    /// (`0x20`), so an invisible byte is still visible.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x\(hex.count == 1 ? "0" : "")\(hex)"
    }

    /// Settles two strings whose structured comparison tied.
    ///
    /// Two valid versions that tie are equal (`1.0` and `0:1.0`). A valid version sorts before
    /// a malformed one it ties with, and two malformed ones fall back to their raw bytes. Keeping
    /// every valid string on the same side of this rule is what keeps the order transitive: were
    /// a malformed `x` byte-compared against both `1.0` and `0:1.0`, it could land between two
    /// strings that are equal.
    static func breakTie(_ a: Bytes, valid aValid: Bool, _ b: Bytes, valid bValid: Bool) -> Int {
        switch (aValid, bValid) {
        case (true, true): return 0
        case (true, false): return -1
        case (false, true): return 1
        case (false, false): return lexical(a, 0..<a.count, b, 0..<b.count)
        }
    }
}
