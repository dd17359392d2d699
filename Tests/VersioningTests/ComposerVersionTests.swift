import Testing
import Versioning

/// Composer versions and constraints, from Composer's documentation ("Versions and
/// constraints": caret, tilde, wildcard, hyphen ranges, stabilities) and composer/semver's
/// `VersionParserTest` normalisation cases. Every row was also checked against Debian's
/// php-composer-semver by scripts/versions-crosscheck.py.
@Suite struct ComposerVersionTests {
    @Test(arguments: [
        ("1.0.0", "1.0.0.0"), ("1.2.3.4", "1.2.3.4"), ("1.0.0RC1dev", "1.0.0.0-RC1-dev"), ("1.0.0-rC15-dev", "1.0.0.0-RC15-dev"),
        ("1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"), ("1.0.0-rc1", "1.0.0.0-RC1"), ("1.0.0.pl3-dev", "1.0.0.0-patch3-dev"),
        ("1.0-dev", "1.0.0.0-dev"), ("0", "0.0.0.0"), ("10.4.13-beta", "10.4.13.0-beta"), ("10.4.13beta2", "10.4.13.0-beta2"),
        ("10.4.13beta.2", "10.4.13.0-beta2"), ("v1.13.11-beta.0", "1.13.11.0-beta0"), ("10.4.13-b", "10.4.13.0-beta"),
        ("10.4.13-b5", "10.4.13.0-beta5"), ("v1.0.0", "1.0.0.0"), ("v20100102", "20100102"), ("2010.01", "2010.01.0.0"),
        ("2010.01.02", "2010.01.02.0"), ("2010-01-02", "2010.01.02"), ("2010-01-02.5", "2010.01.02.5"),
        ("20100102-203040", "20100102.203040"), ("20100102-203040-p1", "20100102.203040-patch1"), ("dev-master", "dev-master"),
        ("master", "dev-master"), ("1.x-dev", "1.9999999.9999999.9999999-dev"), ("DEV-FOOBAR", "dev-FOOBAR"),
        ("dev-feature/foo", "dev-feature/foo"), ("1.0.0+foo", "1.0.0.0"), ("1.0.0-rc.1+foo", "1.0.0.0-RC1"),
        ("1.0.0 as 2.0", "1.0.0.0"), ("1.0.0@dev", "1.0.0.0"), ("1.0.0-stable", "1.0.0.0"),
    ])
    func normalizes(input: String, normalized: String) throws {
        #expect(try ComposerVersion(input).normalized == normalized)
    }

    @Test(arguments: ["", "1.0.0-gamma", "1.0.0.0.0", "a", "1.0.0 foo", "feature-foo", "1.0.0-dev<1.0.5-dev"])
    func rejects(input: String) {
        #expect(throws: VersionError.self) { try ComposerVersion(input) }
    }

    /// "Stabilities": dev < alpha < beta < RC < stable, and `patch` after the release.
    static let ascending = [
        "dev-master", "1.0.0-dev", "1.0.0-alpha1-dev", "1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-beta", "1.0.0-beta1",
        "1.0.0-RC1", "1.0.0", "1.0.0-patch1", "1.0.1", "1.1.x-dev", "2",
    ]

    @Test func ordering() {
        for (i, a) in Self.ascending.enumerated() {
            for (j, b) in Self.ascending.enumerated() {
                #expect(VersionComparator.compare(a, b, scheme: .composer) == (i < j ? -1 : (i > j ? 1 : 0)), "\(a) vs \(b)")
            }
        }
        #expect(VersionComparator.compare("1.0", "v1.0.0.0", scheme: .composer) == 0)
        #expect(VersionComparator.compare("1.0-beta", "1.0.0-b", scheme: .composer) == 0)
    }

    /// The documentation's constraint examples, probed around their bounds.
    @Test(arguments: [
        ("^1.2.3", "1.2.3", true), ("^1.2.3", "1.9", true), ("^1.2.3", "2.0.0", false), ("^1.2.3", "2.0.0-beta", false),
        ("^0.3", "0.3.9", true), ("^0.3", "0.4.0", false), ("~1.2", "1.9.9", true), ("~1.2", "2.0", false),
        ("~1.2.3", "1.2.9", true), ("~1.2.3", "1.3.0", false), ("1.0.*", "1.0.99", true), ("1.0.*", "1.1", false),
        ("1.0 - 2.0", "2.0.5", true), ("1.0 - 2.0", "2.1.0", false), ("1.0.0 - 2.1.0", "2.1.0", true),
        (">=1.0 <1.1 || >=1.2", "1.0.5", true), (">=1.0 <1.1 || >=1.2", "1.1.5", false), (">=1.0 <1.1 || >=1.2", "1.3", true),
        (">=1.0,<2.0", "1.5", true), (">=1.0, <2.0", "2.0", false), ("^1.0 | ^2.0", "2.5", true), ("!=1.5", "1.5.0.0", false),
        ("<>1.5", "1.6", true), ("<2.0", "2.0.0-beta", false), ("<=2.0", "2.0.0-beta", true), (">=1.0", "1.0.0-dev", true),
        (">1.0", "1.0.0-patch1", true), ("dev-master", "dev-master", true), ("dev-master", "master", true),
        ("^1.0", "dev-master", false), ("*", "dev-master", true), ("1.0.x-dev", "1.0.9999999.9999999-dev", true),
        ("^1.0@dev", "1.1.0-dev", true), ("~1.0", "not a version", false),
        // MultiConstraint::optimizeConstraints merges `[>=3.2 <1.0-dev] || [>=1.0-dev <2.0-dev]`
        // into `>=3.2 <2.0-dev` without checking the first interval.
        ("3.2 - 0 || ~1", "1.5", false), ("~1 || 3.2 - 0", "1.5", true),
    ])
    func satisfies(constraint: String, version: String, expected: Bool) throws {
        #expect(try ComposerConstraint(constraint).contains(version) == expected)
    }

    @Test(arguments: ["", "~>1.0", "^", "1.0 -", ">=foo", "1.0 || ||"])
    func rejectsInvalidConstraints(constraint: String) {
        #expect(throws: VersionError.self) { try ComposerConstraint(constraint) }
    }
}
