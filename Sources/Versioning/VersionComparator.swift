/// Compares raw version strings under one ecosystem's rules, malformed ones included.
///
/// This is the entry point for matching installed packages against advisories: both sides
/// come from files the scanner does not control, so it never throws and never allocates.
public enum VersionComparator {
    /// Compares two version strings: -1 if `a` is older, 0 if equivalent, 1 if `a` is newer.
    ///
    /// For two versions the ecosystem accepts (those for which ``DpkgVersion/init(_:)``,
    /// ``ApkVersion/init(_:)`` or ``RpmVersion/init(_:)`` succeed) the result is the ecosystem's
    /// answer and agrees with those types' `<` and `==`.
    ///
    /// The result is a total order over *all* strings — antisymmetric, transitive, and
    /// deterministic — so it is safe for sorting and binary search. Malformed strings are ordered
    /// in two steps:
    /// 1. Structurally, with the ecosystem's algorithm run over a lenient split of the string:
    ///    - dpkg: the epoch is everything before the first `:` only if that is all digits
    ///      (otherwise there is no epoch and the `:` belongs to the upstream version); the
    ///      revision is after the last `-`, possibly empty. `verrevcmp` accepts any bytes.
    ///    - apk: apk-tools' own token loop, which orders a string by its well-formed prefix: at
    ///      the first token where one string turns malformed, the malformed side sorts before
    ///      everything except a pre-release suffix (`1.0_foo < 1.0 < 1.0bc`, as apk has it).
    ///    - rpm: rpm's own `parseEVR` split (an epoch only for leading digits followed by `:`)
    ///      and `rpmvercmp`, which accept any bytes.
    ///    - semver: `v` dropped, build cut at `+`, pre-release at the first `-`, fields at `.`,
    ///      numbers by value, missing core fields as `0`.
    ///    - npm: semver's split after trimming JavaScript whitespace.
    ///    - rubygems: `Gem::Version`'s digit-run/letter-run scan, which reads any string.
    ///    - nuget: numbers before the first `-`/`+` (unreadable ones as 0), labels after `-`.
    ///    - maven: every string is a Maven version, so there is nothing malformed to order.
    ///    - pep440 and composer are the exceptions: a string PEP 440 rejects sorts before every valid version
    ///      (as `packaging`'s `LegacyVersion` did; Composer's own parser simply throws), and two
    ///      rejected strings compare by digit
    ///      runs and lower-cased text runs, then by bytes.
    /// 2. If that ties, a valid version sorts before a malformed one, and two malformed strings
    ///    compare by their raw UTF-8 bytes. Two valid versions that tie are equal (`1.0` and
    ///    `0:1.0`), which is why validity is consulted before bytes: a malformed string must
    ///    not fall between two equal ones.
    ///
    /// So `compare(x, x, scheme:)` is 0 for every `x`, and two different malformed strings are
    /// never equal.
    public static func compare(_ a: String, _ b: String, scheme: VersionScheme) -> Int {
        switch scheme {
        case .dpkg: DpkgVersion.compare(a, b)
        case .apk: ApkVersion.compare(a, b)
        case .rpm: RpmVersion.compare(a, b)
        case .pep440: PEP440Version.compare(a, b)
        case .semver: SemanticVersion.compare(a, b)
        case .npm: NpmVersion.compare(a, b)
        case .maven: MavenVersion.compare(a, b)
        case .rubygems: RubyGemsVersion.compare(a, b)
        case .composer: ComposerVersion.compare(a, b)
        case .nuget: NuGetVersion.compare(a, b)
        }
    }
}
