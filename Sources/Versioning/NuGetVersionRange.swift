/// A NuGet version range (NuGet.Versioning's `VersionRange.TryParse`, floating versions off).
///
/// - `1.0` means `>= 1.0` (a minimum, inclusive);
/// - `[1.0]` exactly 1.0; `(1.0,)` `> 1.0`; `(,1.0]` `<= 1.0`; `(,1.0)` `< 1.0`;
///   `[1.0,2.0)` `1.0 <= v < 2.0` and so on;
/// - `(1.0)`, `[1.0)`, `(,)`, `[,]`, three parts, a maximum below the minimum and equal
///   bounds with one side open (`[1.0,1.0)`) are invalid, as `VersionRangeFactory.TryParse`
///   has them; `(1.0,1.0)` is valid and contains nothing.
///
/// `contains` is `VersionRange.Satisfies` with `VersionComparer.Default`: pre-release
/// versions are not treated specially, metadata is ignored.
public struct NuGetVersionRange: VersionRange, Hashable {
    /// The lower bound, or nil for none.
    public let minimum: NuGetVersion?
    /// Whether the lower bound is included.
    public let includesMinimum: Bool
    /// The upper bound, or nil for none.
    public let maximum: NuGetVersion?
    /// Whether the upper bound is included.
    public let includesMaximum: Bool
    private let text: String

    /// Parses a NuGet range; throws where NuGet's parser would fail.
    public init(_ text: String) throws(VersionError) {
        self.text = text
        func fail(_ reason: String) -> VersionError { VersionError(scheme: .nuget, input: text, reason: reason, subject: .range) }
        let value = String(decoding: NuGetVersion.trimmed(Array(text.utf8)), as: UTF8.self)
        guard !value.isEmpty else { throw fail("empty range") }
        var minText: Substring?
        var maxText: Substring?
        if value.hasPrefix("[") || value.hasPrefix("(") {
            guard value.count >= 2 else { throw fail("unterminated range") }
            includesMinimum = value.hasPrefix("[")
            guard let last = value.last, last == "]" || last == ")" else { throw fail("a range must end with ] or )") }
            includesMaximum = last == "]"
            let inner = value.dropFirst().dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw fail("more than two versions in a range") }
            // NuGet tests for empty parts, not blank ones: `( , )` parses (as a range without bounds).
            guard !parts.allSatisfy(\.isEmpty) else { throw fail("a range needs a lower or an upper bound") }
            if parts.count == 1 {
                guard includesMinimum, includesMaximum else { throw fail("a single version must be surrounded by []") }
            }
            minText = parts[0]
            maxText = parts.count == 2 ? parts[1] : parts[0]
        } else {
            includesMinimum = true
            includesMaximum = false
            minText = Substring(value)
        }
        func version(_ s: Substring?) throws(VersionError) -> NuGetVersion? {
            guard let s, !s.allSatisfy({ $0.isWhitespace }) else { return nil }
            do { return try NuGetVersion(String(s)) } catch { throw fail("'\(s)' is not a NuGet version") }
        }
        minimum = try version(minText)
        maximum = try version(maxText)
        if let minimum, let maximum {
            let order = NuGetVersion.compare(minimum, maximum)
            // Equal bounds are refused only half-open: `(1.0,1.0)` is a valid, empty range.
            if order > 0 || (order == 0 && includesMinimum != includesMaximum) {
                throw fail("the maximum is below the minimum")
            }
        }
    }

    /// The range as written.
    public var description: String { text }

    /// `Satisfies`: false for a string that is not a NuGet version.
    public func contains(_ version: String) -> Bool {
        guard let parsed = try? NuGetVersion(version) else { return false }
        return contains(parsed)
    }

    /// Whether `version` lies between the bounds.
    public func contains(_ version: NuGetVersion) -> Bool {
        if let minimum {
            let order = NuGetVersion.compare(minimum, version)
            if order > 0 || (order == 0 && !includesMinimum) { return false }
        }
        if let maximum {
            let order = NuGetVersion.compare(version, maximum)
            if order > 0 || (order == 0 && !includesMaximum) { return false }
        }
        return true
    }
}
