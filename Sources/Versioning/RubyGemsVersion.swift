/// A RubyGems version, as `Gem::Version` parses and orders it.
///
/// Valid strings match `Gem::Version::ANCHORED_VERSION_PATTERN` (`1.2.3`, `1.0.a`, `2.0.0.rc1`,
/// `1.0-beta.2`; surrounding whitespace allowed; an empty string is `0`). A `-` is read as
/// `.pre.`, so `1.0-beta` is `1.0.pre.beta`. The version is the list of its digit runs (as
/// integers) and letter runs (as case-sensitive text); any letter makes it a pre-release.
///
/// Order (`Gem::Version#<=>` over `canonical_segments`): trailing zeros of the numeric part
/// and of the pre-release part are dropped (`1.0.0 = 1`, `1.0.a.0 = 1.a`), then segments
/// compare one by one, a missing one counting as `0`; a number beats text (`1.0.a < 1.0`), two
/// numbers compare by value and two texts by bytes (`1.0.B < 1.0.a`).
public struct RubyGemsVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// A digit run or a letter run.
    enum Segment: Hashable, Sendable {
        case number(PEP440Version.Number)
        case text([UInt8])
    }

    /// `_segments`, as written.
    let segments: [Segment]
    /// `canonical_segments`: trailing zeros of each part dropped.
    let canonical: [Segment]
    private let text: String

    /// Parses `string`; throws unless `Gem::Version.correct?` accepts it.
    public init(_ string: String) throws(VersionError) {
        guard Self.isCorrect(Array(string.utf8)) else {
            throw VersionError(scheme: .rubygems, input: string, reason: "malformed version number string")
        }
        text = string
        segments = Self.segments(Array(string.utf8))
        canonical = Self.canonical(segments)
    }

    /// The version as written.
    public var description: String { text }

    /// `prerelease?`: whether the version contains a letter.
    public var isPrerelease: Bool { segments.contains { if case .text = $0 { true } else { false } } }

    public static func < (lhs: RubyGemsVersion, rhs: RubyGemsVersion) -> Bool { compare(lhs.canonical, rhs.canonical) < 0 }
    public static func == (lhs: RubyGemsVersion, rhs: RubyGemsVersion) -> Bool { compare(lhs.canonical, rhs.canonical) == 0 }
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }

    /// `release`: the version up to its first letter segment (itself when not a pre-release).
    var release: [Segment] {
        Array(segments.prefix { if case .number = $0 { true } else { false } })
    }

    /// `bump`: drop the letter segments and the last number, then add one to the new last
    /// (`1.2.3` → `1.3`, `1` → `2`, `1.2.a` → `2`).
    var bump: [Segment] {
        var numbers = release
        if numbers.count > 1 { numbers.removeLast() }
        guard case .number(let last)? = numbers.last else { return [.number(PEP440Version.Number([UInt8(ascii: "1")]))] }
        numbers[numbers.count - 1] = .number(Self.successor(last))
        return numbers
    }

    static func successor(_ n: PEP440Version.Number) -> PEP440Version.Number {
        var digits = n.digits.isEmpty ? [UInt8(ascii: "0")] : n.digits
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] == UInt8(ascii: "9") {
                digits[index] = UInt8(ascii: "0")
                index -= 1
            } else {
                digits[index] += 1
                return PEP440Version.Number(digits)
            }
        }
        return PEP440Version.Number([UInt8(ascii: "1")] + digits)
    }

    // MARK: - Comparing

    /// `<=>` over canonical segments: missing segments are `0`, text sorts before numbers.
    static func compare(_ a: [Segment], _ b: [Segment]) -> Int {
        let zero = Segment.number(.zero)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : zero
            let y = index < b.count ? b[index] : zero
            switch (x, y) {
            case (.number(let p), .number(let q)):
                if p != q { return p < q ? -1 : 1 }
            case (.text(let p), .text(let q)):
                if p != q { return p.lexicographicallyPrecedes(q) ? -1 : 1 }
            case (.text, .number): return -1
            case (.number, .text): return 1
            }
        }
        return 0
    }

    /// Total order over every string; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// The segment scan runs over any string (it only picks out digit and letter runs), so a
    /// malformed string is first ordered by its segments; a tie goes to validity, then bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        let structural = compare(canonical(segments(x)), canonical(segments(y)))
        if structural != 0 { return structural }
        return ByteComparison.withBytes(a, b) { ab, bb in
            ByteComparison.breakTie(ab, valid: isCorrect(x), bb, valid: isCorrect(y))
        }
    }

    // MARK: - Parsing

    static func isRubySpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// `ANCHORED_VERSION_PATTERN`:
    /// `\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z`.
    static func isCorrect(_ bytes: [UInt8]) -> Bool {
        var start = 0
        var end = bytes.count
        while start < end, isRubySpace(bytes[start]) { start += 1 }
        while end > start, isRubySpace(bytes[end - 1]) { end -= 1 }
        if start == end { return true }
        var i = start
        func run(_ allowed: (UInt8) -> Bool) -> Bool {
            let s = i
            while i < end, allowed(bytes[i]) { i += 1 }
            return i > s
        }
        let alnum: (UInt8) -> Bool = { ByteComparison.isDigit($0) || ByteComparison.isLetter($0) }
        let alnumDash: (UInt8) -> Bool = { alnum($0) || $0 == UInt8(ascii: "-") }
        guard run(ByteComparison.isDigit) else { return false }
        while i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard run(alnum) else { return false }
        }
        guard i < end else { return true }
        guard bytes[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard run(alnumDash) else { return false }
        while i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard run(alnumDash) else { return false }
        }
        return i == end
    }

    /// `@version.scan(/[0-9]+|[a-z]+/i)` after `strip.gsub("-", ".pre.")`: the `-` only adds a
    /// `pre` letter run, so it is scanned as one.
    static func segments(_ bytes: [UInt8]) -> [Segment] {
        var result: [Segment] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if ByteComparison.isDigit(b) {
                let s = i
                while i < bytes.count, ByteComparison.isDigit(bytes[i]) { i += 1 }
                result.append(.number(PEP440Version.Number(bytes[s..<i])))
            } else if ByteComparison.isLetter(b) {
                let s = i
                while i < bytes.count, ByteComparison.isLetter(bytes[i]) { i += 1 }
                result.append(.text(Array(bytes[s..<i])))
            } else {
                if b == UInt8(ascii: "-") { result.append(.text(Array("pre".utf8))) }
                i += 1
            }
        }
        return result
    }

    /// `canonical_segments`: the numeric part and the rest, each without trailing zeros.
    static func canonical(_ segments: [Segment]) -> [Segment] {
        let split = segments.firstIndex { if case .text = $0 { true } else { false } } ?? segments.count
        func dropZeros(_ part: ArraySlice<Segment>) -> ArraySlice<Segment> {
            var part = part
            while let last = part.last, last == .number(.zero) { part = part.dropLast() }
            return part
        }
        return Array(dropZeros(segments[..<split]) + dropZeros(segments[split...]))
    }
}
