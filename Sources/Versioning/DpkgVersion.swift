/// A Debian package version, `[epoch:]upstream[-revision]`, ordered exactly as dpkg orders it.
///
/// Parsing follows dpkg's `parseversion`: the epoch is everything before the first `:`, the
/// revision everything after the last `-`. dpkg only *warns* about an upstream version that does
/// not start with a digit or that holds unusual characters, so those are accepted here too; the
/// ordering is total over every byte anyway.
///
/// Equality follows the ordering, not the spelling: `1.0`, `0:1.0`, `1.00` and `1.0-0` are all
/// equal (dpkg compares a missing revision as `0` and digit runs numerically), and they hash alike.
public struct DpkgVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The epoch, `0` when the version has none.
    public let epoch: Int
    /// The upstream version: between the epoch's `:` and the last `-`.
    public let upstream: String
    /// The Debian revision after the last `-`, or `""` when there is none.
    public let revision: String
    /// The input as given, so `description` reproduces `0:1.0` and `01:1.0` faithfully.
    private let text: String

    /// dpkg stores epochs in a C `int` and rejects anything larger.
    static let maximumEpoch = Int(Int32.max)

    /// Parses `string`, rejecting what dpkg rejects with an error rather than a warning.
    ///
    /// One difference from dpkg: dpkg trims whitespace around a version before parsing, this
    /// rejects whitespace anywhere, so that ``description`` always reproduces the input.
    ///
    /// - Throws: ``VersionError`` for an empty string, whitespace, an empty, negative,
    ///   non-numeric or too big epoch, an empty upstream version or an empty revision.
    public init(_ string: String) throws(VersionError) {
        let fields = ByteComparison.withBytes(string) { bytes -> Result<(Int, String, String), VersionError> in
            if let reason = Self.invalidReason(bytes) {
                return .failure(VersionError(scheme: .dpkg, input: string, reason: reason))
            }
            let parts = Parts(bytes)
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            return .success((ByteComparison.integer(bytes, parts.epoch), text(parts.upstream), text(parts.revision)))
        }
        (epoch, upstream, revision) = try fields.get()
        text = string
    }

    /// The version as it was written: `1:2.3-4`, `2.3`, `0:2.3`.
    public var description: String { text }

    /// Orders by epoch, then upstream, then revision, each with dpkg's `verrevcmp`.
    public static func < (lhs: DpkgVersion, rhs: DpkgVersion) -> Bool {
        lhs.compare(to: rhs) < 0
    }

    /// Equal when dpkg would say `eq`, whatever the spelling.
    public static func == (lhs: DpkgVersion, rhs: DpkgVersion) -> Bool {
        lhs.compare(to: rhs) == 0
    }

    /// Hashes the canonical form that `==` compares, so equal versions hash alike.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        ByteComparison.withBytes(upstream) { Self.hashVerrev($0, 0..<$0.count, into: &hasher) }
        ByteComparison.withBytes(revision) { Self.hashVerrev($0, 0..<$0.count, into: &hasher) }
    }

    /// -1, 0 or 1 against `other`.
    func compare(to other: DpkgVersion) -> Int {
        if epoch != other.epoch { return epoch < other.epoch ? -1 : 1 }
        let upstreams = ByteComparison.withBytes(upstream, other.upstream) { a, b in
            Self.verrevcmp(a, 0..<a.count, b, 0..<b.count)
        }
        if upstreams != 0 { return upstreams }
        return ByteComparison.withBytes(revision, other.revision) { a, b in
            Self.verrevcmp(a, 0..<a.count, b, 0..<b.count)
        }
    }

    // MARK: - Comparing raw strings

    /// Compares two strings of any shape; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// Both strings are split leniently (an epoch only when everything before the first `:` is
    /// digits, the revision after the last `-`) and compared with dpkg's rules; for versions dpkg
    /// accepts that split is exactly dpkg's. A structural tie involving a malformed string is
    /// broken by validity (valid first), then by raw bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        ByteComparison.withBytes(a, b) { a, b in
            let structural = compare(a, Parts(a), b, Parts(b))
            if structural != 0 { return structural }
            return ByteComparison.breakTie(a, valid: invalidReason(a) == nil, b, valid: invalidReason(b) == nil)
        }
    }

    /// Byte ranges of the three components; the epoch range holds digits only (empty means 0).
    struct Parts {
        var epoch: Range<Int>
        var upstream: Range<Int>
        var revision: Range<Int>

        /// Splits like dpkg, tolerating anything: an epoch is taken only if everything before the
        /// first `:` is digits (none at all reads as epoch 0).
        init(_ bytes: ByteComparison.Bytes) {
            let count = bytes.count
            var start = 0
            epoch = 0..<0
            if let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                ByteComparison.digitRunEnd(bytes, from: 0, to: colon) == colon
            {
                epoch = 0..<colon
                start = colon + 1
            }
            var hyphen = count - 1
            while hyphen >= start, bytes[hyphen] != UInt8(ascii: "-") { hyphen -= 1 }
            if hyphen >= start {
                upstream = start..<hyphen
                revision = (hyphen + 1)..<count
            } else {
                upstream = start..<count
                revision = count..<count
            }
        }
    }

    /// Compares split strings: epoch numerically, then upstream, then revision.
    static func compare(
        _ a: ByteComparison.Bytes, _ aParts: Parts, _ b: ByteComparison.Bytes, _ bParts: Parts
    ) -> Int {
        let epochs = ByteComparison.numeric(a, aParts.epoch, b, bParts.epoch)
        if epochs != 0 { return epochs }
        let upstreams = verrevcmp(a, aParts.upstream, b, bParts.upstream)
        if upstreams != 0 { return upstreams }
        return verrevcmp(a, aParts.revision, b, bParts.revision)
    }

    /// Why dpkg would refuse these bytes, or `nil` when it accepts them (possibly with a warning).
    ///
    /// The reasons mirror dpkg's `parseversion` errors, checked in the same order.
    static func invalidReason(_ bytes: ByteComparison.Bytes) -> String? {
        let count = bytes.count
        if count == 0 { return "empty version string" }
        if ByteComparison.firstWhitespace(bytes) != nil { return "contains whitespace" }
        var start = 0
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            if colon == 0 { return "empty epoch" }
            let digitsEnd = ByteComparison.digitRunEnd(bytes, from: 0, to: colon)
            if digitsEnd != colon {
                let negative = bytes[0] == UInt8(ascii: "-") && colon > 1
                    && ByteComparison.digitRunEnd(bytes, from: 1, to: colon) == colon
                return negative ? "negative epoch" : "epoch is not a number"
            }
            if !ByteComparison.digits(bytes, 0..<colon, atMost: maximumEpoch) { return "epoch is too big" }
            start = colon + 1
            if start == count { return "empty upstream version" }
        }
        var hyphen = count - 1
        while hyphen >= start, bytes[hyphen] != UInt8(ascii: "-") { hyphen -= 1 }
        if hyphen >= start {
            if hyphen == count - 1 { return "empty revision" }
            if hyphen == start { return "empty upstream version" }
        }
        return nil
    }

    // MARK: - verrevcmp

    /// dpkg's character weight inside a non-digit run: `~` below the end of the string (0),
    /// letters by ASCII value, every other byte after all letters. Bytes above 127 are read as
    /// unsigned, as dpkg does where C's `char` is unsigned (arm64); on amd64 dpkg's signed `char`
    /// would put them between letters and punctuation, but dpkg warns about them either way.
    @inline(__always)
    static func order(_ byte: UInt8) -> Int {
        if ByteComparison.isLetter(byte) { return Int(byte) }
        if byte == UInt8(ascii: "~") { return -1 }
        return Int(byte) + 256
    }

    /// dpkg's `verrevcmp`: alternating non-digit runs (compared byte by byte with ``order(_:)``,
    /// the shorter padded with end-of-string) and digit runs (compared as unbounded integers).
    ///
    /// Like dpkg's C, which never converts a run to a machine integer, digit runs of any length
    /// compare exactly: leading zeros skipped, then the longer run wins, then the first digit
    /// that differs.
    static func verrevcmp(
        _ a: ByteComparison.Bytes, _ aRange: Range<Int>, _ b: ByteComparison.Bytes, _ bRange: Range<Int>
    ) -> Int {
        var i = aRange.lowerBound
        var j = bRange.lowerBound
        let aEnd = aRange.upperBound
        let bEnd = bRange.upperBound
        while i < aEnd || j < bEnd {
            // The loop only advances when both sides hold the same non-digit byte, so neither
            // index can run past its end: order(end) == order(digit) == 0 never equals a
            // non-digit's weight.
            while (i < aEnd && !ByteComparison.isDigit(a[i])) || (j < bEnd && !ByteComparison.isDigit(b[j])) {
                let aWeight = i < aEnd && !ByteComparison.isDigit(a[i]) ? order(a[i]) : 0
                let bWeight = j < bEnd && !ByteComparison.isDigit(b[j]) ? order(b[j]) : 0
                if aWeight != bWeight { return aWeight < bWeight ? -1 : 1 }
                i += 1
                j += 1
            }
            let aDigits = ByteComparison.digitRunEnd(a, from: i, to: aEnd)
            let bDigits = ByteComparison.digitRunEnd(b, from: j, to: bEnd)
            let numbers = ByteComparison.numeric(a, i..<aDigits, b, j..<bDigits)
            if numbers != 0 { return numbers }
            i = aDigits
            j = bDigits
        }
        return 0
    }

    /// Hashes a `verrevcmp` operand so that operands it calls equal hash alike.
    ///
    /// `verrevcmp` sees a string as (non-digit run, number) pairs padded with `("", 0)`, so the
    /// canonical form is the pair list with numbers stripped of leading zeros and without padding.
    /// Only the first pair can have an empty non-digit run, so the only padding that can appear
    /// literally is a string that is nothing but zeros (`0`, `00`), which equals the empty string.
    static func hashVerrev(_ bytes: ByteComparison.Bytes, _ range: Range<Int>, into hasher: inout Hasher) {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            var digitsStart = index
            while digitsStart < end, !ByteComparison.isDigit(bytes[digitsStart]) { digitsStart += 1 }
            let digitsEnd = ByteComparison.digitRunEnd(bytes, from: digitsStart, to: end)
            let onlyZeros = ByteComparison.skipZeros(bytes, from: digitsStart, to: digitsEnd) == digitsEnd
            if index == range.lowerBound, digitsStart == index, digitsEnd == end, onlyZeros { break }
            ByteComparison.hashBytes(bytes, index..<digitsStart, into: &hasher)
            ByteComparison.hashNumber(bytes, digitsStart..<digitsEnd, into: &hasher)
            index = digitsEnd
        }
        hasher.combine(-1)
    }
}
