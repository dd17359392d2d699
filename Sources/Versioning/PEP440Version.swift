/// A Python package version under PEP 440, ordered exactly as `packaging.version.Version` orders it.
///
/// Grammar (PEP 440 "Appendix B", the `VERSION_PATTERN` of `packaging`), case-insensitive, with
/// surrounding whitespace allowed:
/// `v? [N!] N(.N)* [{a|b|rc}N] [.postN] [.devN] [+local]`, plus every spelling PEP 440 normalises:
/// `alpha`/`beta`/`c`/`pre`/`preview` for `a`/`b`/`rc`, `rev`/`r` for `post`, an implicit post
/// release `1.0-1`, optional `-`/`_`/`.` separators and omitted numbers (`1.0rc` is `1.0rc0`).
///
/// Ordering is `packaging`'s `_cmpkey`: epoch; release with trailing zeros dropped (`1.0 == 1.0.0`);
/// then pre-release (a lone `.devN` sorts before any pre-release of the same release, no
/// pre-release sorts after all of them); post-release (none first); development release (none
/// last); local version (none first; segments numeric > alphanumeric, numbers by value).
public struct PEP440Version: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// A non-negative integer of any length, kept as its digits without leading zeros.
    struct Number: Comparable, Hashable, Sendable {
        let digits: [UInt8]

        init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            let trimmed = bytes.drop { $0 == UInt8(ascii: "0") }
            digits = Array(trimmed)
        }

        static let zero = Number([UInt8]())
        var isZero: Bool { digits.isEmpty }

        static func < (lhs: Number, rhs: Number) -> Bool {
            if lhs.digits.count != rhs.digits.count { return lhs.digits.count < rhs.digits.count }
            return lhs.digits.lexicographicallyPrecedes(rhs.digits)
        }
    }

    /// One `.`-separated piece of a local version label.
    enum LocalSegment: Comparable, Hashable, Sendable {
        /// Letters (and digits): sorts before every number, lexically (lower-cased).
        case text([UInt8])
        case number(Number)

        static func < (lhs: LocalSegment, rhs: LocalSegment) -> Bool {
            switch (lhs, rhs) {
            case (.text(let a), .text(let b)): a.lexicographicallyPrecedes(b)
            case (.number(let a), .number(let b)): a < b
            case (.text, .number): true
            case (.number, .text): false
            }
        }
    }

    /// `a` < `b` < `rc`.
    enum PreReleaseKind: Int, Comparable, Hashable, Sendable {
        case alpha = 0, beta, candidate
        static func < (lhs: PreReleaseKind, rhs: PreReleaseKind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    let epoch: Number
    /// Release numbers with trailing zeros removed (`1.0.0` → `[1]`), as `packaging` compares them.
    let release: [Number]
    let pre: (kind: PreReleaseKind, number: Number)?
    let post: Number?
    let dev: Number?
    let local: [LocalSegment]?
    private let text: String

    /// Parses `string`; throws for anything PEP 440 does not accept.
    public init(_ string: String) throws(VersionError) {
        guard let parsed = Parser.parse(Array(string.utf8)) else {
            throw VersionError(scheme: .pep440, input: string, reason: "not a PEP 440 version")
        }
        epoch = parsed.epoch
        var release = parsed.release
        while release.count > 1, release.last!.isZero { release.removeLast() }
        if release.count == 1, release[0].isZero { release = [] }
        self.release = release
        pre = parsed.pre
        post = parsed.post
        dev = parsed.dev
        local = parsed.local
        text = string
    }

    /// The version as written.
    public var description: String { text }

    /// Whether this is a pre-release or development release (`1.0rc1`, `1.0.dev3`).
    public var isPrerelease: Bool { pre != nil || dev != nil }

    /// The normalised spelling PEP 440 recommends: `1.0RC1` → `1.0rc1`, `1.0-1` → `1.0.post1`.
    public var normalized: String {
        var s = epoch.isZero ? "" : "\(Self.text(epoch))!"
        // Keep the written release length (`1.0` stays `1.0`), only the digits are normalised.
        s += (Parser.parse(Array(text.utf8))?.release ?? release).map(Self.text).joined(separator: ".")
        if let pre { s += ["a", "b", "rc"][pre.kind.rawValue] + Self.text(pre.number) }
        if let post { s += ".post" + Self.text(post) }
        if let dev { s += ".dev" + Self.text(dev) }
        if let local {
            s += "+" + local.map { segment in
                switch segment {
                case .text(let bytes): String(decoding: bytes, as: UTF8.self)
                case .number(let n): Self.text(n)
                }
            }.joined(separator: ".")
        }
        return s
    }

    private static func text(_ n: Number) -> String { n.isZero ? "0" : String(decoding: n.digits, as: UTF8.self) }

    public static func < (lhs: PEP440Version, rhs: PEP440Version) -> Bool { lhs.compare(to: rhs) < 0 }
    public static func == (lhs: PEP440Version, rhs: PEP440Version) -> Bool { lhs.compare(to: rhs) == 0 }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(release)
        hasher.combine(preKey)
        hasher.combine(post)
        hasher.combine(devKey)
        hasher.combine(local)
    }

    /// `packaging`'s pre-release key: -1 = "before every pre-release" (a dev release without
    /// pre or post), 1 = "after every pre-release" (none), 0 = compare the pre-release itself.
    private var preKey: Int {
        if pre == nil, post == nil, dev != nil { return -1 }
        return pre == nil ? 1 : 0
    }

    private var devKey: Number? { dev }

    func compare(to other: PEP440Version) -> Int {
        if epoch != other.epoch { return epoch < other.epoch ? -1 : 1 }
        let r = Self.compareLists(release, other.release)
        if r != 0 { return r }
        if preKey != other.preKey { return preKey < other.preKey ? -1 : 1 }
        if let a = pre, let b = other.pre {
            if a.kind != b.kind { return a.kind < b.kind ? -1 : 1 }
            if a.number != b.number { return a.number < b.number ? -1 : 1 }
        }
        // Post: none sorts first.
        switch (post, other.post) {
        case (nil, .some): return -1
        case (.some, nil): return 1
        case (.some(let a), .some(let b)) where a != b: return a < b ? -1 : 1
        default: break
        }
        // Dev: none sorts last.
        switch (dev, other.dev) {
        case (nil, .some): return 1
        case (.some, nil): return -1
        case (.some(let a), .some(let b)) where a != b: return a < b ? -1 : 1
        default: break
        }
        // Local: none sorts first.
        switch (local, other.local) {
        case (nil, nil): return 0
        case (nil, .some): return -1
        case (.some, nil): return 1
        case (.some(let a), .some(let b)): return Self.compareLists(a, b)
        }
    }

    /// Lexicographic, a proper prefix first (Python's tuple comparison).
    static func compareLists<T: Comparable>(_ a: [T], _ b: [T]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    // MARK: - Comparing raw strings

    /// Total order over every string; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// Valid versions compare as above. A string PEP 440 rejects sorts before every valid one (as
    /// `packaging`'s old `LegacyVersion` did); two rejected strings compare by their runs of
    /// digits (numerically) and non-digits (lower-cased bytes), then by raw bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = try? PEP440Version(a)
        let y = try? PEP440Version(b)
        switch (x, y) {
        case (let x?, let y?): return x.compare(to: y)
        case (.some, nil): return 1
        case (nil, .some): return -1
        case (nil, nil):
            return NaturalOrder.compareStrings(a, b)
        }
    }

    // MARK: - Parsing

    struct Parsed {
        var epoch = Number.zero
        var release: [Number] = []
        var pre: (kind: PreReleaseKind, number: Number)?
        var post: Number?
        var dev: Number?
        var local: [LocalSegment]?
    }

    /// A hand-written equivalent of `packaging`'s `VERSION_PATTERN`, including its backtracking
    /// (a separator that no number follows is given back to the next part).
    enum Parser {
        static func parse(_ input: [UInt8]) -> Parsed? {
            let bytes = input.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            var i = 0
            var end = bytes.count
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
            while i < end, isSpace(bytes[i]) { i += 1 }
            while end > i, isSpace(bytes[end - 1]) { end -= 1 }
            func isDigit(_ k: Int) -> Bool { k < end && ByteComparison.isDigit(bytes[k]) }
            func isSeparator(_ k: Int) -> Bool {
                k < end && (bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: "_") || bytes[k] == UInt8(ascii: "."))
            }
            func digits(from k: Int) -> Int {
                var e = k
                while isDigit(e) { e += 1 }
                return e
            }
            func word(_ w: String, at k: Int) -> Bool {
                let u = Array(w.utf8)
                return k + u.count <= end && bytes[k..<(k + u.count)].elementsEqual(u)
            }
            /// `[-_.]?N?` after a label: the number, and where parsing continues. As in the regex,
            /// the separator is taken even when no number follows (`1.0rev_` is `1.0.post0`):
            /// every later part starts with an optional separator of its own, and the one part
            /// that needs a `-` (`1.0a-1`) reads it here as the number anyway.
            func optionalNumber(from k: Int) -> (Number, Int) {
                let j = isSeparator(k) ? k + 1 : k
                let e = digits(from: j)
                return e > j ? (Number(bytes[j..<e]), e) : (.zero, j)
            }

            var parsed = Parsed()
            if i < end, bytes[i] == UInt8(ascii: "v") { i += 1 }
            // Epoch: digits followed by `!`.
            let firstDigits = digits(from: i)
            guard firstDigits > i else { return nil }
            if firstDigits < end, bytes[firstDigits] == UInt8(ascii: "!") {
                parsed.epoch = Number(bytes[i..<firstDigits])
                i = firstDigits + 1
            }
            // Release.
            var e = digits(from: i)
            guard e > i else { return nil }
            parsed.release.append(Number(bytes[i..<e]))
            i = e
            while i < end, bytes[i] == UInt8(ascii: "."), isDigit(i + 1) {
                e = digits(from: i + 1)
                parsed.release.append(Number(bytes[(i + 1)..<e]))
                i = e
            }
            // Pre-release.
            do {
                var j = i
                if isSeparator(j) { j += 1 }
                let labels: [(String, PreReleaseKind)] = [
                    ("alpha", .alpha), ("a", .alpha), ("beta", .beta), ("b", .beta), ("preview", .candidate),
                    ("pre", .candidate), ("c", .candidate), ("rc", .candidate),
                ]
                if let (label, kind) = labels.first(where: { word($0.0, at: j) }) {
                    let (number, next) = optionalNumber(from: j + label.utf8.count)
                    parsed.pre = (kind, number)
                    i = next
                }
            }
            // Post-release: `-N`, or `[-_.]?(post|rev|r)[-_.]?N?`.
            if i < end, bytes[i] == UInt8(ascii: "-"), isDigit(i + 1) {
                e = digits(from: i + 1)
                parsed.post = Number(bytes[(i + 1)..<e])
                i = e
            } else {
                var j = i
                if isSeparator(j) { j += 1 }
                if let label = ["post", "rev", "r"].first(where: { word($0, at: j) }) {
                    let (number, next) = optionalNumber(from: j + label.utf8.count)
                    parsed.post = number
                    i = next
                }
            }
            // Development release.
            do {
                var j = i
                if isSeparator(j) { j += 1 }
                if word("dev", at: j) {
                    let (number, next) = optionalNumber(from: j + 3)
                    parsed.dev = number
                    i = next
                }
            }
            // Local version label.
            if i < end, bytes[i] == UInt8(ascii: "+") {
                var segments: [LocalSegment] = []
                var start = i + 1
                var k = start
                while true {
                    while k < end, ByteComparison.isDigit(bytes[k]) || ByteComparison.isLowercase(bytes[k]) { k += 1 }
                    guard k > start else { return nil }
                    let piece = bytes[start..<k]
                    segments.append(piece.allSatisfy(ByteComparison.isDigit) ? .number(Number(piece)) : .text(Array(piece)))
                    if k == end { break }
                    guard isSeparator(k) else { return nil }
                    k += 1
                    start = k
                }
                parsed.local = segments
                i = end
            }
            return i == end ? parsed : nil
        }
    }
}

/// Orders strings by alternating runs of digits (numerically) and other bytes (lower-cased,
/// lexically), a digit run before a non-digit run; a proper prefix first.
enum NaturalOrder {
    /// Two strings no scheme could parse: natural order, then raw bytes, so the order stays total.
    static func compareStrings(_ a: String, _ b: String) -> Int {
        let natural = compare(Array(a.utf8), Array(b.utf8))
        if natural != 0 { return natural }
        return ByteComparison.withBytes(a, b) { ByteComparison.lexical($0, 0..<$0.count, $1, 0..<$1.count) }
    }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            let aDigit = ByteComparison.isDigit(a[i])
            let bDigit = ByteComparison.isDigit(b[j])
            if aDigit != bDigit { return aDigit ? -1 : 1 }
            var ie = i
            var je = j
            while ie < a.count, ByteComparison.isDigit(a[ie]) == aDigit { ie += 1 }
            while je < b.count, ByteComparison.isDigit(b[je]) == bDigit { je += 1 }
            let order: Int
            if aDigit {
                order = PEP440Version.Number(a[i..<ie]) < PEP440Version.Number(b[j..<je]) ? -1
                    : (PEP440Version.Number(b[j..<je]) < PEP440Version.Number(a[i..<ie]) ? 1 : 0)
            } else {
                let x = a[i..<ie].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                let y = b[j..<je].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                order = x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
            }
            if order != 0 { return order }
            i = ie
            j = je
        }
        return (a.count - i) == 0 && (b.count - j) == 0 ? 0 : (i == a.count ? -1 : 1)
    }
}
