/// Orders upstream release versions as projects publish them: `4.3`, `4.3.30`, `1.0.1f`,
/// `2.4.49`, `1.15-rc2` — the versions in NVD CPE ranges, which follow no package manager's rules.
///
/// A version is read as a sequence of tokens: runs of digits (compared as numbers, so `4.10` is
/// newer than `4.9` and `1.0` equals `1.00`) and runs of letters (compared case-insensitively).
/// Separators (`.`, `-`, `_`, `+`, `~`) only split tokens. A leading `v` is dropped. Tokens rank:
///
/// 1. pre-release words — `dev` < `snapshot` < `alpha` < `beta` < `pre` < `preview` < `rc` — sort
///    before the end of the version, so `1.0rc1` < `1.0`;
/// 2. the end of the version;
/// 3. any other letters, a post-release suffix as OpenSSL uses it: `1.0.1` < `1.0.1a` < `1.0.1f` < `1.0.2`;
/// 4. numbers: `4.3` < `4.3.30`.
///
/// Comparing the token sequences lexicographically under that ranking is a total preorder over
/// all strings (never throws, accepts anything); strings that differ only in separators,
/// letter case, leading zeros or `.0` components before the end or a pre-release word compare
/// equal (`4.3` = `4.3.0`).
public enum UpstreamVersion {
    /// -1 if `a` is older, 0 if equivalent, 1 if `a` is newer.
    public static func compare(_ a: String, _ b: String) -> Int {
        let left = tokens(a)
        let right = tokens(b)
        var i = 0
        while i < left.count || i < right.count {
            let order = compareTokens(i < left.count ? left[i] : nil, i < right.count ? right[i] : nil)
            if order != 0 { return order }
            i += 1
        }
        return 0
    }

    /// The tokens of `text` in canonical form: zero numbers right before a pre-release word or
    /// the end are dropped, so `4.3` equals `4.3.0` and `1.0rc1` equals `1rc1` (and stays below `1.0`).
    static func tokens(_ text: String) -> [Token] {
        var tokenizer = Tokenizer(text)
        var result: [Token] = []
        func dropTrailingZeros() {
            while case .number(let digits)? = result.last, digits.isEmpty { result.removeLast() }
        }
        while let token = tokenizer.next() {
            if case .preRelease = token { dropTrailingZeros() }
            result.append(token)
        }
        dropTrailingZeros()
        return result
    }

    /// One token; `nil` stands for the end of the version.
    enum Token: Equatable {
        case preRelease(Int)
        case letters(String)
        case number(ArraySlice<UInt8>)  // digits without leading zeros; empty for zero

        var rank: Int {
            switch self {
            case .preRelease: 0
            case .letters: 2
            case .number: 3
            }
        }
    }

    static let preReleaseWords = ["dev", "snapshot", "alpha", "beta", "pre", "preview", "rc"]

    static func compareTokens(_ x: Token?, _ y: Token?) -> Int {
        let rx = x?.rank ?? 1
        let ry = y?.rank ?? 1
        if rx != ry { return rx < ry ? -1 : 1 }
        switch (x, y) {
        case let (.preRelease(p)?, .preRelease(q)?):
            return p == q ? 0 : (p < q ? -1 : 1)
        case let (.letters(p)?, .letters(q)?):
            return p == q ? 0 : (p < q ? -1 : 1)
        case let (.number(p)?, .number(q)?):
            if p.count != q.count { return p.count < q.count ? -1 : 1 }
            for (d, e) in zip(p, q) where d != e { return d < e ? -1 : 1 }
            return 0
        default:
            return 0
        }
    }

    /// Splits a version into tokens lazily, without allocating for numbers.
    struct Tokenizer {
        let bytes: [UInt8]
        var index: Int

        init(_ text: String) {
            bytes = Array(text.utf8)
            index = 0
            if let first = bytes.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "V"),
               bytes.count > 1, isDigit(bytes[1]) {
                index = 1
            }
        }

        mutating func next() -> Token? {
            while index < bytes.count, !isDigit(bytes[index]), !isLetter(bytes[index]) { index += 1 }
            guard index < bytes.count else { return nil }
            let start = index
            if isDigit(bytes[index]) {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                var first = start
                while first < index, bytes[first] == UInt8(ascii: "0") { first += 1 }
                return .number(bytes[first..<index])
            }
            while index < bytes.count, isLetter(bytes[index]) { index += 1 }
            let word = String(decoding: bytes[start..<index].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            if let rank = UpstreamVersion.preReleaseWords.firstIndex(of: word) { return .preRelease(rank) }
            return .letters(word)
        }

        private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        /// ASCII letters and any non-ASCII byte (kept together as one word rather than dropped).
        private func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80 }
    }
}
