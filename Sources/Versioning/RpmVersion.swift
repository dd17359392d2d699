/// An RPM package version, `[epoch:]version[-release]` (`1:1.0.2k-16.el7`), ordered as rpm orders
/// it: epoch numerically, then version and release with `rpmvercmp`.
///
/// `rpmvercmp` splits a string into runs of ASCII digits and runs of ASCII letters, skipping every
/// other byte as a separator: numbers compare numerically and beat letters, letters compare as
/// text. `~` sorts before everything, the end of the string included (`1.0~rc1 < 1.0`); `^` sorts
/// after the end but before any further segment (`1.0 < 1.0^git1 < 1.0.1`).
///
/// A missing epoch counts as `0`, as in rpm. A missing release is where this type departs from
/// rpm, deliberately: rpm skips the release comparison when either side lacks one, which is not
/// transitive (`1.0-1` = `1.0` = `1.0-2`, yet `1.0-1` < `1.0-2`). Here a missing release sorts
/// before every present one, so `1.0 < 1.0-1`.
///
/// Equality follows the ordering: `1.0`, `0:1.0`, `1.00` and `1_0` are equal and hash alike.
public struct RpmVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The epoch, or `nil` when the version has none (compared as `0`).
    public let epoch: Int?
    /// The version between the epoch's `:` and the last `-`.
    public let version: String
    /// The release after the last `-`, or `nil` when there is none.
    public let release: String?
    /// The input as given.
    private let text: String

    /// rpm stores epochs as unsigned 32-bit integers.
    static let maximumEpoch = Int(UInt32.max)

    /// Parses `string` strictly: what rpmbuild would produce, not merely what rpm tolerates.
    ///
    /// - Throws: ``VersionError`` for an empty string, an empty, non-numeric or too big epoch,
    ///   an empty version or release, or a byte outside ASCII letters, digits and `._+~^`
    ///   (rpmbuild's allowed set) in the version or release.
    public init(_ string: String) throws(VersionError) {
        let fields = ByteComparison.withBytes(string) { bytes -> Result<(Int?, String, String?), VersionError> in
            if let reason = Self.invalidReason(bytes) {
                return .failure(VersionError(scheme: .rpm, input: string, reason: reason))
            }
            let parts = Parts(bytes)
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            let epoch = parts.epoch.map { ByteComparison.integer(bytes, $0) }
            return .success((epoch, text(parts.version), parts.release.map(text)))
        }
        (epoch, version, release) = try fields.get()
        text = string
    }

    /// The version as it was written: `1:1.0.2k-16.el7`.
    public var description: String { text }

    /// Orders by epoch (missing = 0), version, then release (missing first).
    public static func < (lhs: RpmVersion, rhs: RpmVersion) -> Bool {
        lhs.compare(to: rhs) < 0
    }

    /// Equal when rpm would compare them equal and both have a release or neither does.
    public static func == (lhs: RpmVersion, rhs: RpmVersion) -> Bool {
        lhs.compare(to: rhs) == 0
    }

    /// Hashes the segments that `==` compares, so equal versions hash alike.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch ?? 0)
        ByteComparison.withBytes(version) { Self.hashSegments($0, 0..<$0.count, into: &hasher) }
        if let release {
            hasher.combine(true)
            ByteComparison.withBytes(release) { Self.hashSegments($0, 0..<$0.count, into: &hasher) }
        } else {
            hasher.combine(false)
        }
    }

    /// -1, 0 or 1 against `other`.
    func compare(to other: RpmVersion) -> Int {
        let epochs = ByteComparison.sign((epoch ?? 0) - (other.epoch ?? 0))
        if epochs != 0 { return epochs }
        let versions = ByteComparison.withBytes(version, other.version) { a, b in
            Self.rpmvercmp(a, 0..<a.count, b, 0..<b.count)
        }
        if versions != 0 { return versions }
        switch (release, other.release) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (mine?, theirs?):
            return ByteComparison.withBytes(mine, theirs) { a, b in Self.rpmvercmp(a, 0..<a.count, b, 0..<b.count) }
        }
    }

    // MARK: - Comparing raw strings

    /// Compares two strings of any shape; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// Both strings are split with rpm's own lenient `parseEVR` (an epoch only when the string
    /// starts with digits and a `:`, an empty epoch meaning 0, the release after the last `-`), then
    /// compared like ``RpmVersion``. A structural tie involving a malformed string is broken by
    /// validity (valid first), then by raw bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        ByteComparison.withBytes(a, b) { a, b in
            let structural = compare(a, Parts(a), b, Parts(b))
            if structural != 0 { return structural }
            return ByteComparison.breakTie(a, valid: invalidReason(a) == nil, b, valid: invalidReason(b) == nil)
        }
    }

    /// Byte ranges of the three components, as rpm's `parseEVR` finds them.
    struct Parts {
        /// Digits only; empty when the string starts with `:` (rpm reads that as epoch 0).
        var epoch: Range<Int>?
        var version: Range<Int>
        var release: Range<Int>?

        init(_ bytes: ByteComparison.Bytes) {
            let count = bytes.count
            let digitsEnd = ByteComparison.digitRunEnd(bytes, from: 0, to: count)
            var versionStart = 0
            epoch = nil
            if digitsEnd < count, bytes[digitsEnd] == UInt8(ascii: ":") {
                epoch = 0..<digitsEnd
                versionStart = digitsEnd + 1
            }
            var hyphen = count - 1
            while hyphen >= versionStart, bytes[hyphen] != UInt8(ascii: "-") { hyphen -= 1 }
            if hyphen >= versionStart {
                version = versionStart..<hyphen
                release = (hyphen + 1)..<count
            } else {
                version = versionStart..<count
                release = nil
            }
        }
    }

    /// Compares split strings: epoch numerically, version, then release (missing first).
    static func compare(
        _ a: ByteComparison.Bytes, _ aParts: Parts, _ b: ByteComparison.Bytes, _ bParts: Parts
    ) -> Int {
        let epochs = ByteComparison.numeric(a, aParts.epoch ?? 0..<0, b, bParts.epoch ?? 0..<0)
        if epochs != 0 { return epochs }
        let versions = rpmvercmp(a, aParts.version, b, bParts.version)
        if versions != 0 { return versions }
        switch (aParts.release, bParts.release) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (aRelease?, bRelease?): return rpmvercmp(a, aRelease, b, bRelease)
        }
    }

    /// Why these bytes are not a well-formed RPM EVR, or `nil` if they are.
    static func invalidReason(_ bytes: ByteComparison.Bytes) -> String? {
        let count = bytes.count
        if count == 0 { return "empty version string" }
        var start = 0
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            if colon == 0 { return "empty epoch" }
            if ByteComparison.digitRunEnd(bytes, from: 0, to: colon) != colon { return "epoch is not a number" }
            if !ByteComparison.digits(bytes, 0..<colon, atMost: maximumEpoch) { return "epoch is too big" }
            start = colon + 1
        }
        var hyphen = count - 1
        while hyphen >= start, bytes[hyphen] != UInt8(ascii: "-") { hyphen -= 1 }
        let versionEnd = hyphen >= start ? hyphen : count
        if versionEnd == start { return "empty version" }
        if let reason = badCharacter(bytes, start..<versionEnd, in: "version") { return reason }
        if hyphen >= start {
            if hyphen == count - 1 { return "empty release" }
            if let reason = badCharacter(bytes, (hyphen + 1)..<count, in: "release") { return reason }
        }
        return nil
    }

    /// Names the first byte outside rpmbuild's allowed set (letters, digits, `._+~^`).
    private static func badCharacter(_ bytes: ByteComparison.Bytes, _ range: Range<Int>, in part: String) -> String? {
        for index in range {
            let byte = bytes[index]
            if ByteComparison.isDigit(byte) || ByteComparison.isLetter(byte) { continue }
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "~"), UInt8(ascii: "^"):
                continue
            default:
                return "invalid character \(ByteComparison.describe(byte)) in \(part) at offset \(index)"
            }
        }
        return nil
    }

    // MARK: - rpmvercmp

    /// Whether a byte separates segments (rpm skips it): anything but ASCII alphanumerics, `~`, `^`.
    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        !(ByteComparison.isDigit(byte) || ByteComparison.isLetter(byte)
            || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "^"))
    }

    /// rpm's `rpmvercmp` (rpmio/rpmvercmp.c) over two byte ranges. Digit runs of any length
    /// compare exactly: rpm itself compares them as text after stripping zeros, never as integers.
    static func rpmvercmp(
        _ a: ByteComparison.Bytes, _ aRange: Range<Int>, _ b: ByteComparison.Bytes, _ bRange: Range<Int>
    ) -> Int {
        var i = aRange.lowerBound
        var j = bRange.lowerBound
        let aEnd = aRange.upperBound
        let bEnd = bRange.upperBound
        let tilde = UInt8(ascii: "~")
        let caret = UInt8(ascii: "^")
        while i < aEnd || j < bEnd {
            while i < aEnd, isSeparator(a[i]) { i += 1 }
            while j < bEnd, isSeparator(b[j]) { j += 1 }
            let aHas = i < aEnd
            let bHas = j < bEnd

            // `~` sorts before everything, even the end of the string.
            let aTilde = aHas && a[i] == tilde
            let bTilde = bHas && b[j] == tilde
            if aTilde || bTilde {
                if !aTilde { return 1 }
                if !bTilde { return -1 }
                i += 1
                j += 1
                continue
            }

            // `^` sorts after the end of the string but before any other segment.
            let aCaret = aHas && a[i] == caret
            let bCaret = bHas && b[j] == caret
            if aCaret || bCaret {
                if !aHas { return -1 }
                if !bHas { return 1 }
                if !aCaret { return 1 }
                if !bCaret { return -1 }
                i += 1
                j += 1
                continue
            }

            if !(aHas && bHas) { break }

            // One segment: a digit run or a letter run, typed by `a`'s first byte.
            let aSegmentEnd: Int
            let bSegmentEnd: Int
            let numeric = ByteComparison.isDigit(a[i])
            if numeric {
                aSegmentEnd = ByteComparison.digitRunEnd(a, from: i, to: aEnd)
                bSegmentEnd = ByteComparison.digitRunEnd(b, from: j, to: bEnd)
            } else {
                var aScan = i
                while aScan < aEnd, ByteComparison.isLetter(a[aScan]) { aScan += 1 }
                var bScan = j
                while bScan < bEnd, ByteComparison.isLetter(b[bScan]) { bScan += 1 }
                aSegmentEnd = aScan
                bSegmentEnd = bScan
            }
            // Segments of different types: numbers are newer than letters.
            if bSegmentEnd == j { return numeric ? 1 : -1 }
            let segments = numeric
                ? ByteComparison.numeric(a, i..<aSegmentEnd, b, j..<bSegmentEnd)
                : ByteComparison.lexical(a, i..<aSegmentEnd, b, j..<bSegmentEnd)
            if segments != 0 { return segments }
            i = aSegmentEnd
            j = bSegmentEnd
        }
        // All segments equal: whichever string still has something left is newer.
        if i >= aEnd && j >= bEnd { return 0 }
        return i >= aEnd ? -1 : 1
    }

    /// Hashes a `rpmvercmp` operand by its segments, so operands it calls equal hash alike:
    /// separators dropped, numbers stripped of leading zeros.
    static func hashSegments(_ bytes: ByteComparison.Bytes, _ range: Range<Int>, into hasher: inout Hasher) {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            if isSeparator(byte) {
                index += 1
            } else if byte == UInt8(ascii: "~") || byte == UInt8(ascii: "^") {
                hasher.combine(byte)
                index += 1
            } else if ByteComparison.isDigit(byte) {
                let runEnd = ByteComparison.digitRunEnd(bytes, from: index, to: end)
                hasher.combine(UInt8(ascii: "0"))
                ByteComparison.hashNumber(bytes, index..<runEnd, into: &hasher)
                index = runEnd
            } else {
                var runEnd = index
                while runEnd < end, ByteComparison.isLetter(bytes[runEnd]) { runEnd += 1 }
                hasher.combine(UInt8(ascii: "a"))
                ByteComparison.hashBytes(bytes, index..<runEnd, into: &hasher)
                index = runEnd
            }
        }
        hasher.combine(UInt8(0))
    }
}
