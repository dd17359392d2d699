import Testing
import Versioning

/// What each ecosystem's type rejects, and how it says so.
@Suite struct VersionErrorTests {
    static let rejected: [(VersionScheme, String, String)] = [
        (.dpkg, "", "empty version string"),
        (.dpkg, "1:", "empty upstream version"),
        (.dpkg, "1:-1", "empty upstream version"),
        (.dpkg, "-1", "empty upstream version"),
        (.dpkg, ":1.0", "empty epoch"),
        (.dpkg, "a:1.0", "epoch is not a number"),
        (.dpkg, "1.0:1", "epoch is not a number"),
        (.dpkg, "-1:1.0", "negative epoch"),
        (.dpkg, "2147483648:1.0", "epoch is too big"),
        (.dpkg, "99999999999999999999999:1.0", "epoch is too big"),
        (.dpkg, "1.0-", "empty revision"),
        (.dpkg, "1.0 beta", "contains whitespace"),
        (.dpkg, " 1.0", "contains whitespace"),
        (.apk, "", "empty version string"),
        (.apk, "abc", "must start with a digit"),
        (.apk, "v1.0", "must start with a digit"),
        (.apk, "1.0-rX", "'-r' must be followed by a revision number"),
        (.apk, "1.0-r", "'-r' must be followed by a revision number"),
        (.apk, "1.0-1", "'-' must be followed by 'r' and a revision number"),
        (.apk, "1.0_foo", "unknown suffix '_foo' at offset 3"),
        (.apk, "1.0_", "unknown suffix '_' at offset 3"),
        (.apk, "1.0.", "'.' must be followed by a digit"),
        (.apk, "1..0", "'.' must be followed by a digit"),
        (.apk, "1.0ab", "unexpected letter 'b' at offset 4"),
        (.apk, "1.0a1", "unexpected digit at offset 4"),
        (.apk, "1.0a.1", "unexpected '.' at offset 4"),
        (.apk, "1.0-r1_p1", "unexpected '_' at offset 6"),
        (.apk, "1.0-r1-r2", "unexpected '-' at offset 6"),
        (.apk, "1.0~", "'~' must be followed by a lowercase hex commit hash"),
        (.apk, "1.0~ABC", "'~' must be followed by a lowercase hex commit hash"),
        (.apk, "1.0~ab~cd", "unexpected '~' at offset 6"),
        (.apk, "1.0 ", "invalid character 0x20 at offset 3"),
        (.apk, "1.0A", "invalid character 'A' at offset 3"),
        (.rpm, "", "empty version string"),
        (.rpm, ":1.0", "empty epoch"),
        (.rpm, "x:1.0", "epoch is not a number"),
        (.rpm, "4294967296:1.0", "epoch is too big"),
        (.rpm, "1:", "empty version"),
        (.rpm, "-1", "empty version"),
        (.rpm, "1.0-", "empty release"),
        (.rpm, "1.0/2", "invalid character '/' in version at offset 3"),
        (.rpm, "1:2:3", "invalid character ':' in version at offset 3"),
        (.rpm, "1-2-3", "invalid character '-' in version at offset 1"),
        (.rpm, "1.0-1 el7", "invalid character 0x20 in release at offset 5"),
        (.pep440, "1.0.0-final", "not a PEP 440 version"),
        (.pep440, "2004d", "not a PEP 440 version"),
        (.pep440, "1.0+", "not a PEP 440 version"),
        (.semver, "1.2", "expected MAJOR.MINOR.PATCH"),
        (.semver, "01.2.3", "leading zero in a numeric field"),
        (.semver, "1.2.3-01", "leading zero in a numeric pre-release identifier"),
        (.semver, "1.2.3-", "bad pre-release identifier"),
        (.semver, "1.2.3+", "bad build metadata identifier"),
        (.semver, "V1.2.3", "non-numeric MAJOR.MINOR.PATCH field"),
        (.npm, "=1.2.3", "non-numeric MAJOR.MINOR.PATCH field"),
        (.npm, "9007199254740992.0.0", "MAJOR.MINOR.PATCH above Number.MAX_SAFE_INTEGER"),
        (.npm, "1.2.3-" + String(repeating: "a", count: 251), "longer than 256 characters"),
        (.rubygems, "1..0", "malformed version number string"),
        (.rubygems, "1a", "malformed version number string"),
        (.composer, "1.0.0-gamma", "invalid version string"),
        (.composer, "1.0.0.0.0", "invalid version string"),
        (.nuget, "v1.0", "not a NuGet version"),
        (.nuget, "1.0.0-01", "not a NuGet version"),
        (.nuget, "2147483648.0", "not a NuGet version"),
    ]

    @Test(arguments: rejected)
    func rejectsWithReason(scheme: VersionScheme, input: String, reason: String) {
        let error: VersionError?
        switch scheme {
        case .dpkg: error = #expect(throws: VersionError.self) { try DpkgVersion(input) }
        case .apk: error = #expect(throws: VersionError.self) { try ApkVersion(input) }
        case .rpm: error = #expect(throws: VersionError.self) { try RpmVersion(input) }
        case .pep440: error = #expect(throws: VersionError.self) { try PEP440Version(input) }
        case .semver: error = #expect(throws: VersionError.self) { try SemanticVersion(input) }
        case .npm: error = #expect(throws: VersionError.self) { try NpmVersion(input) }
        case .rubygems: error = #expect(throws: VersionError.self) { try RubyGemsVersion(input) }
        case .composer: error = #expect(throws: VersionError.self) { try ComposerVersion(input) }
        case .nuget: error = #expect(throws: VersionError.self) { try NuGetVersion(input) }
        case .maven: error = nil  // every string is a Maven version; never in the table
        }
        #expect(error?.scheme == scheme)
        #expect(error?.input == input)
        #expect(error?.reason == reason)
        #expect(error?.description == "invalid \(scheme.rawValue) version '\(input)': \(reason)")
    }

    @Test func describesARangeAsARange() {
        let error = #expect(throws: VersionError.self) { try NpmRange("^1.2.3-01") }
        #expect(error?.subject == .range)
        #expect(error?.description == "invalid npm range '^1.2.3-01': invalid comparator '^1.2.3-01'")
        let maven = #expect(throws: VersionError.self) { try MavenVersionRange("[2.0,1.0]") }
        #expect(maven?.description == "invalid maven range '[2.0,1.0]': range defies version ordering")
    }

    @Test func describesTheInputAndTheReason() {
        let error = #expect(throws: VersionError.self) { try DpkgVersion("1:") }
        #expect(error?.description == "invalid dpkg version '1:': empty upstream version")
    }

    /// Things each package manager accepts, some of which look odd.
    @Test(arguments: [
        (VersionScheme.dpkg, "abc"), (.dpkg, "1.0_ü"), (.dpkg, "2147483647:1"), (.dpkg, "1:2:3"),
        (.apk, "1"), (.apk, "1.0_rc"), (.apk, "1.2.3a_alpha1_pre2_p3~0af-r10"), (.apk, "007"),
        (.rpm, "1"), (.rpm, "a"), (.rpm, "1.0~rc1^git3+x_y"), (.rpm, "0:1-2"),
        (.pep440, "v1.0"), (.pep440, " 1.0RC1 "), (.pep440, "1.0-1"), (.pep440, "1!2.0.post3.dev4+Ubuntu-1"),
        (.pep440, "1.0preview"), (.pep440, "1.0-beta-2"), (.semver, "v0.0.0-20210101000000-abcdef123456"), (.semver, "v2.0.0+incompatible"),
        (.semver, "1.0.0-x-y-z.--"),
        (.npm, " v1.2.3-beta.1+build "), (.maven, "anything at all"), (.rubygems, ""), (.rubygems, "1.0-beta.2"),
        (.composer, "dev-feature/x"), (.composer, "1.x-dev"), (.composer, "2010-01-02"), (.composer, "1.0 as 2.0"),
        (.nuget, "01.2"), (.nuget, "1.2.3.4-RC.1+build"), (.nuget, " 1.0 "),
    ])
    func accepts(scheme: VersionScheme, input: String) {
        #expect(VersionStrings.isValid(input, scheme))
    }
}
