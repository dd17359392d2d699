/// A Maven version range as `VersionRange.createFromVersionSpec` (Maven 3.8) parses it.
///
/// - `[1.0,2.0)`: 1.0 ≤ v < 2.0; `(1.0,2.0]`, `[1.0,)`, `(,1.0]` likewise; `[1.2]`: exactly 1.2.
/// - Unions: `(,1.0],[1.2,)` — a version in any restriction is in the range. Restrictions must be
///   in ascending order and must not overlap (Maven's "Ranges overlap" error).
/// - A bare version (`1.0`) is Maven's *recommended* version: a soft requirement that every
///   version satisfies, exactly as Maven's `containsVersion` has it. ``recommended`` keeps it
///   for callers that want the exact-match reading instead.
///
/// Bounds compare with ``MavenVersion``'s order.
public struct MavenVersionRange: VersionRange, Hashable {
    /// One bracketed restriction; a nil bound is unbounded.
    public struct Restriction: Hashable, Sendable {
        /// The lower bound, or nil for none.
        public let lower: MavenVersion?
        /// Whether the lower bound itself is included (`[`).
        public let lowerInclusive: Bool
        /// The upper bound, or nil for none.
        public let upper: MavenVersion?
        /// Whether the upper bound itself is included (`]`).
        public let upperInclusive: Bool

        /// `Restriction.containsVersion`.
        public func contains(_ version: MavenVersion) -> Bool {
            if let lower {
                let c = MavenVersion.compareLists(lower.items, version.items)
                if c > 0 || (c == 0 && !lowerInclusive) { return false }
            }
            if let upper {
                let c = MavenVersion.compareLists(upper.items, version.items)
                if c < 0 || (c == 0 && !upperInclusive) { return false }
            }
            return true
        }
    }

    /// The restrictions, in order (one unbounded restriction for a bare version).
    public let restrictions: [Restriction]
    /// The version of a bare, unbracketed spec (`1.0`), nil for a bracketed one.
    public let recommended: MavenVersion?
    private let text: String

    /// Parses a Maven version spec; throws with Maven's own reason for a spec Maven rejects.
    public init(_ spec: String) throws(VersionError) {
        text = spec
        func fail(_ reason: String) -> VersionError { VersionError(scheme: .maven, input: spec, reason: reason, subject: .range) }
        var restrictions: [Restriction] = []
        var process = Substring(spec)
        var upperBound: MavenVersion?
        while process.hasPrefix("[") || process.hasPrefix("(") {
            let close = process.firstIndex(of: ")")
            let bracket = process.firstIndex(of: "]")
            var end = bracket
            if bracket == nil || (close != nil && close! < bracket!) {
                if close != nil { end = close }
            }
            guard let end else { throw fail("unbounded range") }
            let restriction = try Self.restriction(process[...end], fail)
            if upperBound != nil {
                guard let lower = restriction.lower, MavenVersion.compareLists(lower.items, upperBound!.items) >= 0 else {
                    throw fail("ranges overlap")
                }
            }
            restrictions.append(restriction)
            upperBound = restriction.upper
            process = Self.javaTrim(process[process.index(after: end)...])
            if process.hasPrefix(",") { process = Self.javaTrim(process.dropFirst()) }
        }
        if !process.isEmpty {
            guard restrictions.isEmpty else { throw fail("only bracketed ranges allowed in a union") }
            recommended = MavenVersion(String(process))
            restrictions.append(Restriction(lower: nil, lowerInclusive: false, upper: nil, upperInclusive: false))
        } else {
            recommended = nil
        }
        self.restrictions = restrictions
    }

    /// `parseRestriction`.
    static func restriction(_ spec: Substring, _ fail: (String) -> VersionError) throws(VersionError) -> Restriction {
        let lowerInclusive = spec.hasPrefix("[")
        let upperInclusive = spec.hasSuffix("]")
        let inner = javaTrim(spec.dropFirst().dropLast())
        guard let comma = inner.firstIndex(of: ",") else {
            guard lowerInclusive, upperInclusive else { throw fail("a single version must be surrounded by []") }
            let version = MavenVersion(String(inner))
            return Restriction(lower: version, lowerInclusive: true, upper: version, upperInclusive: true)
        }
        let lowerText = javaTrim(inner[..<comma])
        let upperText = javaTrim(inner[inner.index(after: comma)...])
        // Maven 3.8 has no "identical boundaries" check (later Maven rejects `[,]` and `[1,1]`).
        let lower = lowerText.isEmpty ? nil : MavenVersion(String(lowerText))
        let upper = upperText.isEmpty ? nil : MavenVersion(String(upperText))
        if let lower, let upper {
            let order = MavenVersion.compareLists(upper.items, lower.items)
            if order < 0 || (order == 0 && !(lowerInclusive && upperInclusive)) { throw fail("range defies version ordering") }
        }
        return Restriction(lower: lower, lowerInclusive: lowerInclusive, upper: upper, upperInclusive: upperInclusive)
    }

    /// Java's `String.trim`: every character up to U+0020 at both ends.
    static func javaTrim(_ s: Substring) -> Substring {
        var s = s
        while let c = s.unicodeScalars.first, c.value <= 0x20 { s = s.dropFirst() }
        while let c = s.unicodeScalars.last, c.value <= 0x20 { s = s.dropLast() }
        return s
    }

    /// The spec as written.
    public var description: String { text }

    /// `VersionRange.containsVersion`: true when any restriction contains the version. Every
    /// string is a Maven version, so this never refuses one.
    public func contains(_ version: String) -> Bool { contains(MavenVersion(version)) }

    /// Whether any restriction contains `version`.
    public func contains(_ version: MavenVersion) -> Bool { restrictions.contains { $0.contains(version) } }
}
