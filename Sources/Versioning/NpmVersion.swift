/// An npm package version as node-semver reads it (`new SemVer(v)`, strict mode): SemVer 2.0.0
/// after trimming surrounding whitespace, with an optional leading `v`, at most 256 characters,
/// and MAJOR, MINOR and PATCH no larger than JavaScript's `Number.MAX_SAFE_INTEGER`.
///
/// Precedence is semver.org §11 exactly as ``SemanticVersion`` has it (build metadata ignored),
/// which is what node-semver's `compare` does; only validity differs (`" 1.2.3 "` is a valid npm
/// version, `V1.2.3` and `=1.2.3` are not — `=` is a range operator, see ``NpmRange``).
public struct NpmVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    let semver: SemanticVersion
    private let text: String

    /// node-semver's `MAX_LENGTH`: longer strings are rejected before anything else.
    static let maxLength = 256
    /// `Number.MAX_SAFE_INTEGER`: node-semver rejects larger MAJOR, MINOR or PATCH values.
    static let maxSafeInteger = 9_007_199_254_740_991

    /// Parses `string` as node-semver does in strict mode.
    public init(_ string: String) throws(VersionError) {
        if let reason = Self.invalidReason(string) {
            throw VersionError(scheme: .npm, input: string, reason: reason)
        }
        do {
            semver = try SemanticVersion(String(Self.trimmed(string)))
        } catch {
            throw VersionError(scheme: .npm, input: string, reason: error.reason)
        }
        text = string
    }

    /// The version as written.
    public var description: String { text }

    /// Whether the version has a pre-release part (`1.2.3-beta.1`).
    public var isPrerelease: Bool { semver.isPrerelease }

    public static func < (lhs: NpmVersion, rhs: NpmVersion) -> Bool { lhs.semver < rhs.semver }
    public static func == (lhs: NpmVersion, rhs: NpmVersion) -> Bool { lhs.semver == rhs.semver }
    public func hash(into hasher: inout Hasher) { hasher.combine(semver) }

    /// Whether two versions share MAJOR.MINOR.PATCH (node-semver's pre-release rule in ranges).
    func sameCore(as other: SemanticVersion) -> Bool {
        SemanticVersion.compare(semver.core, [], other.core, []) == 0
    }

    // MARK: - Total order over strings

    /// Total order over every string; see ``VersionComparator/compare(_:_:scheme:)``.
    ///
    /// Semver's lenient split runs on the trimmed string, so valid npm versions compare as
    /// node-semver compares them; a tie is broken by validity, then by raw bytes.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = trimmed(a)
        let y = trimmed(b)
        let p = SemanticVersion.lenient(Array(x.utf8))
        let q = SemanticVersion.lenient(Array(y.utf8))
        let structural = SemanticVersion.compare(p.core, p.prerelease, q.core, q.prerelease)
        if structural != 0 { return structural }
        return ByteComparison.withBytes(a, b) { ab, bb in
            ByteComparison.breakTie(ab, valid: invalidReason(a) == nil, bb, valid: invalidReason(b) == nil)
        }
    }

    // MARK: - Validity

    /// Why node-semver's strict `SemVer` constructor rejects `string`, or nil.
    static func invalidReason(_ string: String) -> String? {
        if string.utf16.count > maxLength { return "longer than \(maxLength) characters" }
        let body = Array(trimmed(string).utf8)
        if let reason = SemanticVersion.invalidReason(body) { return reason }
        let core = SemanticVersion.lenient(body).core
        for field in core {
            guard case .number(let n) = field, n.digits.count <= 16,
                Int(String(decoding: n.digits, as: UTF8.self)) ?? 0 <= maxSafeInteger
            else { return "MAJOR.MINOR.PATCH above Number.MAX_SAFE_INTEGER" }
        }
        return nil
    }

    /// `String.prototype.trim`: JavaScript's whitespace and line terminators at both ends.
    static func trimmed(_ string: String) -> Substring {
        let scalars = string.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isJavaScriptWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isJavaScriptWhitespace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return string[start..<end]
    }

    static func isJavaScriptWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }
}
