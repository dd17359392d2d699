/// An Alpine package version, `digit{.digit}[letter]{_suffix[number]}[~hash][-rN]`, ordered
/// exactly as apk-tools 3 orders it (`apk_version_compare` in `src/version.c`).
///
/// apk-tools 2.x, since its tokenizer rewrite, orders well-formed versions the same way; it
/// just does not know `~hash` and tolerates a few empty components (`1.0-r`, `1.`, `1.0_`)
/// that apk-tools 3 rejects, as this type does.
///
/// The rules that surprise people, all taken from apk-tools:
/// - The first number is compared numerically (`01.0` equals `1.0`). A later number that starts
///   with `0` on either side is compared as text instead (Gentoo's rule for decimal fractions):
///   `1.05 < 1.1` because `"05" < "1"`, and `1.01 < 1.010`. Other numbers compare numerically.
/// - `_alpha`, `_beta`, `_pre`, `_rc` sort before the plain version; `_cvs`, `_svn`, `_git`,
///   `_hg`, `_p` after it. Each may carry a number and suffixes may repeat (`1.0_alpha_pre2`).
/// - `~hash` (lowercase hex) and `-rN` come last; a missing `-rN` sorts before `-r0`.
///
/// Equality follows the ordering: `1.0-r01` equals `1.0-r1`, and they hash alike.
public struct ApkVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The input as given.
    private let text: String

    /// Parses `string`, accepting exactly what `apk_version_validate` accepts.
    ///
    /// - Throws: ``VersionError`` naming the first byte apk would stop at: `1.0-rX`, `abc`,
    ///   `1.0_foo`, `1.0.`, `1.0ab`.
    public init(_ string: String) throws(VersionError) {
        let reason = ByteComparison.withBytes(string) { Self.invalidReason($0) }
        if let reason { throw VersionError(scheme: .apk, input: string, reason: reason) }
        text = string
    }

    /// The version as it was written.
    public var description: String { text }

    /// Orders as `apk version -t` does.
    public static func < (lhs: ApkVersion, rhs: ApkVersion) -> Bool {
        compare(lhs.text, rhs.text) < 0
    }

    /// Equal when apk would answer `=`, whatever the spelling.
    public static func == (lhs: ApkVersion, rhs: ApkVersion) -> Bool {
        compare(lhs.text, rhs.text) == 0
    }

    /// Hashes each token the way `==` compares it, so equal versions hash alike.
    public func hash(into hasher: inout Hasher) {
        ByteComparison.withBytes(text) { bytes in
            var token = Tokenizer(bytes)
            while token.kind < .end {
                hasher.combine(token.kind.rawValue)
                switch token.kind {
                case .initialDigit, .suffixNumber, .revision:
                    ByteComparison.hashNumber(bytes, token.value, into: &hasher)
                case .suffix:
                    hasher.combine(token.suffix)
                case .digit, .letter, .commitHash, .end, .invalid:
                    // A later digit run is equal to another only when it is byte-identical:
                    // if either starts with 0 they compare as text, otherwise neither has
                    // leading zeros and equal numbers means equal digits.
                    ByteComparison.hashBytes(bytes, token.value, into: &hasher)
                }
                token.advance()
            }
            hasher.combine(token.kind.rawValue)
        }
    }

    // MARK: - Comparing raw strings

    /// Compares two strings of any shape; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// This is apk's own loop, which already orders a malformed string by its well-formed prefix
    /// (the test data of apk-tools has `1.0 < 1.0bc`). apk calls two strings that turn malformed
    /// at the same token with equal prefixes equal; here their raw bytes decide instead.
    static func compare(_ a: String, _ b: String) -> Int {
        ByteComparison.withBytes(a, b) { a, b in
            var ta = Tokenizer(a)
            var tb = Tokenizer(b)
            while ta.kind == tb.kind, ta.kind < .end {
                let tokens = compareTokens(ta, a, tb, b)
                if tokens != 0 { return tokens }
                ta.advance()
                tb.advance()
            }
            if ta.kind == tb.kind {
                // Both ended (equal) or both broke off at the same token (a tie to settle).
                return ByteComparison.breakTie(a, valid: ta.kind == .end, b, valid: tb.kind == .end)
            }
            // Token kinds differ. A pre-release suffix is older than anything else; otherwise
            // the side that moved on to a later kind of token (or to the end) is the older one:
            // `1.0 < 1.0a < 1.0.1`, `1.0-r1 < 1.0_p1`, `1.0 < 1.0-r0`.
            if ta.kind == .suffix, ta.suffix < Suffix.none { return -1 }
            if tb.kind == .suffix, tb.suffix < Suffix.none { return 1 }
            return ta.kind > tb.kind ? -1 : 1
        }
    }

    /// Compares two tokens of the same kind (`token_cmp`).
    @inline(__always)
    static func compareTokens(
        _ ta: Tokenizer, _ a: ByteComparison.Bytes, _ tb: Tokenizer, _ b: ByteComparison.Bytes
    ) -> Int {
        switch ta.kind {
        case .digit:
            // Gentoo's rule: a leading zero makes the component a decimal fraction-like string.
            if a[ta.value.lowerBound] == ByteComparison.zero || b[tb.value.lowerBound] == ByteComparison.zero {
                return ByteComparison.lexical(a, ta.value, b, tb.value)
            }
            return ByteComparison.numeric(a, ta.value, b, tb.value)
        case .initialDigit, .suffixNumber, .revision:
            return ByteComparison.numeric(a, ta.value, b, tb.value)
        case .letter:
            return ByteComparison.sign(Int(a[ta.value.lowerBound]) - Int(b[tb.value.lowerBound]))
        case .suffix:
            return ByteComparison.sign(ta.suffix - tb.suffix)
        case .commitHash, .end, .invalid:
            return ByteComparison.lexical(a, ta.value, b, tb.value)
        }
    }

    /// Why apk-tools would refuse these bytes, or `nil` if it accepts them.
    static func invalidReason(_ bytes: ByteComparison.Bytes) -> String? {
        if bytes.isEmpty { return "empty version string" }
        var token = Tokenizer(bytes)
        while token.kind < .end { token.advance() }
        guard token.kind == .invalid else { return nil }
        return token.failure()
    }

    // MARK: - Tokens

    /// Suffix weights; the pre-release ones sort below ``none``, the plain version.
    enum Suffix {
        static let alpha = 0, beta = 1, pre = 2, rc = 3, none = 4, cvs = 5, svn = 6, git = 7, hg = 8, p = 9

        /// The weight of a suffix name, or `nil` for a name apk does not know.
        static func weight(_ bytes: ByteComparison.Bytes, _ range: Range<Int>) -> Int? {
            func matches(_ name: StaticString) -> Bool {
                guard name.utf8CodeUnitCount == range.count else { return false }
                return name.withUTF8Buffer { name in
                    ByteComparison.lexical(bytes, range, name, 0..<name.count) == 0
                }
            }
            if matches("alpha") { return alpha }
            if matches("beta") { return beta }
            if matches("pre") { return pre }
            if matches("rc") { return rc }
            if matches("cvs") { return cvs }
            if matches("svn") { return svn }
            if matches("git") { return git }
            if matches("hg") { return hg }
            if matches("p") { return p }
            return nil
        }
    }

    /// apk's tokenizer (`token_first`/`token_next`): one token at a time, each kind allowed
    /// only after the kinds that precede it in ``Kind``.
    struct Tokenizer {
        /// Token kinds in the order apk allows them; the order also drives comparison.
        enum Kind: UInt8, Comparable {
            case initialDigit, digit, letter, suffix, suffixNumber, commitHash, revision, end, invalid

            static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
        }

        let bytes: ByteComparison.Bytes
        /// The next unread byte.
        var position = 0
        var kind = Kind.initialDigit
        /// The bytes that carry the token's value (digits, letter, suffix name, hash).
        var value = 0..<0
        /// The suffix weight when `kind` is `.suffix`.
        var suffix = Suffix.none
        /// Where the current token started and what came before it, for error messages.
        var start = 0
        var previous = Kind.initialDigit

        init(_ bytes: ByteComparison.Bytes) {
            self.bytes = bytes
            parseDigits()
        }

        private mutating func parseDigits() {
            let digitsStart = position
            position = ByteComparison.digitRunEnd(bytes, from: position, to: bytes.count)
            value = digitsStart..<position
            if value.isEmpty { kind = .invalid }
        }

        /// Reads the next token, or turns `.end`/`.invalid` when there is none.
        mutating func advance() {
            start = position
            previous = kind
            guard position < bytes.count else {
                kind = .end
                return
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard kind <= .digit else { return fail() }
                value = position..<(position + 1)
                kind = .letter
                position += 1
            case UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if byte == UInt8(ascii: ".") {
                    guard kind <= .digit else { return fail() }
                    position += 1
                }
                switch kind {
                case .initialDigit, .digit: kind = .digit
                case .suffix: kind = .suffixNumber
                default: return fail()
                }
                parseDigits()
            case UInt8(ascii: "_"):
                guard kind <= .suffixNumber else { return fail() }
                position += 1
                let nameStart = position
                while position < bytes.count, ByteComparison.isLowercase(bytes[position]) { position += 1 }
                value = nameStart..<position
                guard let weight = Suffix.weight(bytes, value) else { return fail() }
                suffix = weight
                kind = .suffix
            case UInt8(ascii: "~"):
                guard kind < .commitHash else { return fail() }
                position += 1
                let hashStart = position
                while position < bytes.count, Self.isHexDigit(bytes[position]) { position += 1 }
                value = hashStart..<position
                guard !value.isEmpty else { return fail() }
                kind = .commitHash
            case UInt8(ascii: "-"):
                guard kind < .revision, position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "r") else {
                    return fail()
                }
                position += 2
                kind = .revision
                parseDigits()
            default:
                fail()
            }
        }

        private mutating func fail() { kind = .invalid }

        /// apk's `APK_CTYPE_HEXDIGIT`: lowercase hex only.
        @inline(__always)
        static func isHexDigit(_ byte: UInt8) -> Bool {
            ByteComparison.isDigit(byte) || byte &- UInt8(ascii: "a") < 6
        }

        /// Explains an `.invalid` token by the byte that started it and the token before it.
        func failure() -> String {
            if start == 0 { return "must start with a digit" }
            let byte = bytes[start]
            let at = "at offset \(start)"
            switch byte {
            case UInt8(ascii: "."):
                return previous <= .digit ? "'.' must be followed by a digit" : "unexpected '.' \(at)"
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                return "unexpected letter \(ByteComparison.describe(byte)) \(at)"
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return "unexpected digit \(at)"
            case UInt8(ascii: "_"):
                if previous > .suffixNumber { return "unexpected '_' \(at)" }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<position]), as: UTF8.self)
                return "unknown suffix '_\(name)' \(at)"
            case UInt8(ascii: "~"):
                if previous >= .commitHash { return "unexpected '~' \(at)" }
                return "'~' must be followed by a lowercase hex commit hash"
            case UInt8(ascii: "-"):
                if previous >= .revision { return "unexpected '-' \(at)" }
                if start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: "r") {
                    return "'-r' must be followed by a revision number"
                }
                return "'-' must be followed by 'r' and a revision number"
            default:
                return "invalid character \(ByteComparison.describe(byte)) \(at)"
            }
        }
    }
}
