/// A Composer (PHP) package version, normalised by `VersionParser::normalize` (composer/semver 3)
/// and ordered by PHP's `version_compare` over the normalised form, which is what Composer's
/// `Comparator` and `Semver::satisfies` do.
///
/// Normalisation: `v` dropped; up to four numbers, padded with `.0` (`1.2` → `1.2.0.0`); a
/// stability suffix spelled `-dev`, `alpha`/`a`, `beta`/`b`, `RC`, `patch`/`pl`/`p` (any case,
/// any of `. _ -` before it, an optional number after it) rewritten as `-alpha2`, `-beta1`,
/// `-RC3`, `-patch1` with an optional `-dev`; date versions (`2010.01.02`); `+build` dropped;
/// `@stable`-style flags and `x as y` aliases stripped; numeric branches `1.x-dev` →
/// `1.9999999.9999999.9999999-dev`; `dev-<branch>` (and `master`, `trunk`, `default`) kept as
/// branches.
///
/// Order: `version_compare` splits the normalised form at `.`, `-` and letter/digit changes and
/// ranks `dev` < `alpha` < `beta` < `RC` < a number < `patch`, so
/// `1.0.0.0-dev < 1.0.0.0-alpha1 < 1.0.0.0-beta2 < 1.0.0.0-RC1 < 1.0.0.0 < 1.0.0.0-patch1`;
/// a pre-release with a `-dev` tail sorts before the pre-release itself. Branches (`dev-x`)
/// sort before every numbered version (as `version_compare` has `dev` first); Composer never
/// orders two different branches, so Vigil orders them by name to stay total.
public struct ComposerVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// One `version_compare` element: a number (rank 4) or a special word's rank.
    struct Element: Hashable, Sendable {
        /// `dev` 0, `alpha`/`a` 1, `beta`/`b` 2, `RC`/`rc` 3, number 4, `pl`/`p` 5, other −1.
        let rank: Int
        /// The number, clamped to C's `LONG_MAX` as `strtol` clamps it; 0 for words.
        let value: Int
    }

    /// The normalised version (`1.2.0.0-beta1`, `dev-master`).
    public let normalized: String
    let key: Key
    private let text: String

    enum Key: Hashable, Sendable {
        case branch([UInt8])
        case numbered([Element])
    }

    /// Normalises `string` as Composer does; throws for a string Composer calls invalid.
    public init(_ string: String) throws(VersionError) {
        guard let normalized = ComposerNormalizer.normalize(string) else {
            throw VersionError(scheme: .composer, input: string, reason: "invalid version string")
        }
        self.normalized = normalized
        key = Self.key(normalized)
        text = string
    }

    /// The version as written.
    public var description: String { text }

    /// Whether this is a `dev-` branch rather than a numbered version.
    public var isBranch: Bool { if case .branch = key { true } else { false } }

    public static func < (lhs: ComposerVersion, rhs: ComposerVersion) -> Bool { compare(lhs.key, rhs.key) < 0 }
    public static func == (lhs: ComposerVersion, rhs: ComposerVersion) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    // MARK: - Comparing

    static func key(_ normalized: String) -> Key {
        if normalized.hasPrefix("dev-") { return .branch(Array(normalized.utf8)) }
        return .numbered(elements(Array(normalized.utf8)))
    }

    static func compare(_ a: Key, _ b: Key) -> Int {
        switch (a, b) {
        case (.branch(let x), .branch(let y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        case (.branch, .numbered): return -1
        case (.numbered, .branch): return 1
        case (.numbered(let x), .numbered(let y)): return compareElements(x, y)
        }
    }

    /// `php_version_compare` over canonical elements. When one side runs out, the other's next
    /// element decides: a number makes it newer, a word compares with a number's rank (so a
    /// trailing `dev`/`alpha`/`beta`/`RC` makes it older and `patch` newer).
    static func compareElements(_ a: [Element], _ b: [Element]) -> Int {
        for (x, y) in zip(a, b) {
            if x.rank != y.rank { return x.rank < y.rank ? -1 : 1 }
            if x.rank == 4, x.value != y.value { return x.value < y.value ? -1 : 1 }
        }
        if a.count == b.count { return 0 }
        let longer = a.count > b.count ? a[b.count] : b[a.count]
        let sign = a.count > b.count ? 1 : -1
        if longer.rank == 4 { return sign }
        return longer.rank < 4 ? -sign : sign
    }

    /// `php_canonicalize_version` then the split at `.`: runs of digits and of other
    /// characters, `-`, `_`, `+` and any non-alphanumeric byte acting as separators.
    static func elements(_ bytes: [UInt8]) -> [Element] {
        var result: [Element] = []
        var i = 0
        func isAlnum(_ b: UInt8) -> Bool { ByteComparison.isDigit(b) || ByteComparison.isLetter(b) }
        while i < bytes.count {
            let b = bytes[i]
            if ByteComparison.isDigit(b) {
                let s = i
                while i < bytes.count, ByteComparison.isDigit(bytes[i]) { i += 1 }
                let start = bytes[s..<i].firstIndex { $0 != UInt8(ascii: "0") } ?? i
                var value = 0
                if i - start > 19 {
                    value = Int.max
                } else {
                    for d in bytes[start..<i] {
                        let (m, o1) = value.multipliedReportingOverflow(by: 10)
                        let (n, o2) = m.addingReportingOverflow(Int(d - UInt8(ascii: "0")))
                        if o1 || o2 { value = Int.max; break }
                        value = n
                    }
                }
                result.append(Element(rank: 4, value: value))
            } else if isAlnum(b) {
                let s = i
                while i < bytes.count, isAlnum(bytes[i]), !ByteComparison.isDigit(bytes[i]) { i += 1 }
                result.append(Element(rank: rank(bytes[s..<i]), value: 0))
            } else {
                i += 1
            }
        }
        return result
    }

    /// `compare_special_version_forms`: the first special form the word starts with.
    static func rank(_ word: ArraySlice<UInt8>) -> Int {
        for (form, rank) in [("dev", 0), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2), ("RC", 3), ("rc", 3), ("#", 4), ("pl", 5), ("p", 5)] {
            if word.starts(with: form.utf8) { return rank }
        }
        return -1
    }

    /// Total order over every string; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// Valid versions compare as above. A string Composer rejects sorts before every valid one
    /// (as PEP 440's do); two rejected strings compare by digit runs and lower-cased text, then
    /// by bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = ComposerNormalizer.normalize(a)
        let y = ComposerNormalizer.normalize(b)
        switch (x, y) {
        case (let x?, let y?): return compare(key(x), key(y))
        case (.some, nil): return 1
        case (nil, .some): return -1
        case (nil, nil):
            return NaturalOrder.compareStrings(a, b)
        }
    }
}
