/// A Semantic Versioning 2.0.0 version (semver.org), as Go modules, crates.io and OSV `SEMVER`
/// ranges use it: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, with an optional leading `v` (Go
/// writes `v1.2.3`, OSV writes `1.2.3`; they are the same version).
///
/// Precedence follows semver.org §11: numeric core fields by value; a version with a
/// pre-release sorts before the same version without one; pre-release identifiers compare one by
/// one, numeric ones by value, alphanumeric ones in ASCII order, numeric before alphanumeric, and
/// a shorter list first when all shared identifiers are equal. Build metadata (after `+`) is
/// ignored, so Go's `v2.0.0+incompatible` equals `v2.0.0`.
///
/// Go pseudo-versions need nothing special: `v0.0.0-20210101000000-abcdef123456` is a
/// pre-release of `v0.0.0` and `v1.2.4-0.20191109021931-daa7c04131f5` sorts between `v1.2.3` and
/// `v1.2.4`, exactly as the Go toolchain orders them.
public struct SemanticVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// One dot-separated field: a number (digits only) or an alphanumeric identifier.
    enum Identifier: Comparable, Hashable, Sendable {
        case number(PEP440Version.Number)
        case text([UInt8])

        init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            self = !bytes.isEmpty && bytes.allSatisfy(ByteComparison.isDigit) ? .number(PEP440Version.Number(bytes)) : .text(Array(bytes))
        }

        /// Numeric identifiers have lower precedence than alphanumeric ones (semver.org §11.4.3).
        static func < (lhs: Identifier, rhs: Identifier) -> Bool {
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): a < b
            case (.text(let a), .text(let b)): a.lexicographicallyPrecedes(b)
            case (.number, .text): true
            case (.text, .number): false
            }
        }
    }

    /// Major, minor and patch (more or fewer fields only in a malformed string's lenient parse).
    let core: [Identifier]
    let prerelease: [Identifier]
    /// The build metadata as written, not part of precedence.
    public let build: String?
    private let text: String

    /// Parses `string` strictly (semver.org's grammar, plus an optional leading `v`).
    public init(_ string: String) throws(VersionError) {
        let lenient = Self.lenient(Array(string.utf8))
        if let reason = Self.invalidReason(Array(string.utf8)) {
            throw VersionError(scheme: .semver, input: string, reason: reason)
        }
        core = lenient.core
        prerelease = lenient.prerelease
        build = lenient.build.map { String(decoding: $0, as: UTF8.self) }
        text = string
    }

    /// The version as written (`v1.2.3+incompatible`).
    public var description: String { text }

    /// Whether the version has a pre-release part (Go pseudo-versions do).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        Self.compare(lhs.core, lhs.prerelease, rhs.core, rhs.prerelease) < 0
    }

    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        Self.compare(lhs.core, lhs.prerelease, rhs.core, rhs.prerelease) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(core)
        hasher.combine(prerelease)
    }

    // MARK: - Comparing

    /// Core fields compared as if padded with `0` (a lenient `1.2` ties with `1.2.0`), then the
    /// pre-release rule.
    static func compare(_ aCore: [Identifier], _ aPre: [Identifier], _ bCore: [Identifier], _ bPre: [Identifier]) -> Int {
        let zero = Identifier.number(.zero)
        for k in 0..<max(aCore.count, bCore.count) {
            let x = k < aCore.count ? aCore[k] : zero
            let y = k < bCore.count ? bCore[k] : zero
            if x != y { return x < y ? -1 : 1 }
        }
        switch (aPre.isEmpty, bPre.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return PEP440Version.compareLists(aPre, bPre)
        }
    }

    /// Total order over every string; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// Both sides are split leniently (`v`/`V` dropped, build cut at the first `+`, the
    /// pre-release at the first `-`, the core at `.`, digits read by value even with leading
    /// zeros), compared as above, and a tie is broken by validity, then by raw bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        ByteComparison.withBytes(a, b) { x, y in
            let p = lenient(Array(x))
            let q = lenient(Array(y))
            let structural = compare(p.core, p.prerelease, q.core, q.prerelease)
            if structural != 0 { return structural }
            return ByteComparison.breakTie(x, valid: invalidReason(Array(x)) == nil, y, valid: invalidReason(Array(y)) == nil)
        }
    }

    // MARK: - Parsing

    static func lenient(_ bytes: [UInt8]) -> (core: [Identifier], prerelease: [Identifier], build: ArraySlice<UInt8>?) {
        var body = bytes[...]
        if let first = body.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "V") { body = body.dropFirst() }
        var build: ArraySlice<UInt8>?
        if let plus = body.firstIndex(of: UInt8(ascii: "+")) {
            build = body[(plus + 1)...]
            body = body[..<plus]
        }
        var pre: ArraySlice<UInt8>?
        if let dash = body.firstIndex(of: UInt8(ascii: "-")) {
            pre = body[(dash + 1)...]
            body = body[..<dash]
        }
        let core = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { Identifier($0) }
        let prerelease = pre.map { $0.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { Identifier($0) } } ?? []
        return (core, prerelease, build)
    }

    /// Why semver.org's grammar (after an optional `v`) rejects `bytes`, or nil.
    static func invalidReason(_ bytes: [UInt8]) -> String? {
        var body = bytes[...]
        if body.first == UInt8(ascii: "v") { body = body.dropFirst() }
        guard !body.isEmpty else { return "empty version" }
        func isIdentifierByte(_ b: UInt8) -> Bool {
            ByteComparison.isDigit(b) || ByteComparison.isLetter(b) || b == UInt8(ascii: "-")
        }
        var build: ArraySlice<UInt8>?
        if let plus = body.firstIndex(of: UInt8(ascii: "+")) {
            build = body[(plus + 1)...]
            body = body[..<plus]
        }
        var pre: ArraySlice<UInt8>?
        if let dash = body.firstIndex(of: UInt8(ascii: "-")) {
            pre = body[(dash + 1)...]
            body = body[..<dash]
        }
        let core = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard core.count == 3 else { return "expected MAJOR.MINOR.PATCH" }
        for field in core {
            guard !field.isEmpty, field.allSatisfy(ByteComparison.isDigit) else { return "non-numeric MAJOR.MINOR.PATCH field" }
            if field.count > 1, field.first == UInt8(ascii: "0") { return "leading zero in a numeric field" }
        }
        if let pre {
            for field in pre.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
                guard !field.isEmpty, field.allSatisfy(isIdentifierByte) else { return "bad pre-release identifier" }
                if field.count > 1, field.first == UInt8(ascii: "0"), field.allSatisfy(ByteComparison.isDigit) {
                    return "leading zero in a numeric pre-release identifier"
                }
            }
        }
        if let build {
            for field in build.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
                guard !field.isEmpty, field.allSatisfy(isIdentifierByte) else { return "bad build metadata identifier" }
            }
        }
        return nil
    }
}
