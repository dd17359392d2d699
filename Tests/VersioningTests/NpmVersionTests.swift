import Testing
import Versioning

/// npm versions and node-semver ranges, from node-semver's README ("Ranges", "Prerelease Tags",
/// "Advanced Range Syntax"). Every row here was also checked against Debian's node-semver by
/// scripts/versions-crosscheck.py.
@Suite struct NpmVersionTests {
    /// semver.org §11 as node-semver orders it, plus node-semver's trimming.
    static let ascending = [
        "0.0.0", "1.0.0-0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
        "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0",
    ]

    @Test func ordering() throws {
        for (i, a) in Self.ascending.enumerated() {
            for (j, b) in Self.ascending.enumerated() {
                #expect(VersionComparator.compare(a, b, scheme: .npm) == (i < j ? -1 : (i > j ? 1 : 0)), "\(a) vs \(b)")
            }
            _ = try NpmVersion(a)
        }
    }

    @Test(arguments: [("v1.2.3", "1.2.3"), (" 1.2.3\n", "1.2.3"), ("1.2.3+build.5", "1.2.3"), ("\u{FEFF}1.0.0", "1.0.0")])
    func equalSpellings(spelled: String, plain: String) throws {
        #expect(try NpmVersion(spelled) == NpmVersion(plain))
        #expect(try NpmVersion(spelled).hashValue == NpmVersion(plain).hashValue)
    }

    /// README "Advanced Range Syntax": each sugar and the comparators it stands for must admit
    /// exactly the same versions.
    static let desugared: [(String, String)] = [
        ("1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4"), ("1.2 - 2.3.4", ">=1.2.0 <=2.3.4"), ("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"),
        ("1.2.3 - 2", ">=1.2.3 <3.0.0-0"), ("*", ">=0.0.0"), ("1.x", ">=1.0.0 <2.0.0-0"), ("1.2.x", ">=1.2.0 <1.3.0-0"),
        ("", ">=0.0.0"), ("1", ">=1.0.0 <2.0.0-0"), ("1.2", ">=1.2.0 <1.3.0-0"), ("~1.2.3", ">=1.2.3 <1.3.0-0"),
        ("~1.2", ">=1.2.0 <1.3.0-0"), ("~1", ">=1.0.0 <2.0.0-0"), ("~0.2.3", ">=0.2.3 <0.3.0-0"), ("~0.2", ">=0.2.0 <0.3.0-0"),
        ("~0", ">=0.0.0 <1.0.0-0"), ("~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0"), ("^1.2.3", ">=1.2.3 <2.0.0-0"),
        ("^0.2.3", ">=0.2.3 <0.3.0-0"), ("^0.0.3", ">=0.0.3 <0.0.4-0"), ("^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0"),
        ("^0.0.3-beta", ">=0.0.3-beta <0.0.4-0"), ("^1.2.x", ">=1.2.0 <2.0.0-0"), ("^0.0.x", ">=0.0.0 <0.1.0-0"),
        ("^0.0", ">=0.0.0 <0.1.0-0"), ("^1.x", ">=1.0.0 <2.0.0-0"), ("^0.x", ">=0.0.0 <1.0.0-0"),
        ("~>1.2", ">=1.2.0 <1.3.0-0"), ("> 1.2", ">=1.3.0"), ("<=1.2", "<1.3.0-0"), (">1", ">=2.0.0"),
    ]

    static let probes = [
        "0.0.0", "0.0.3", "0.0.3-pr.2", "0.0.4", "0.1.0", "0.2.0", "0.2.3", "0.2.9", "0.3.0", "0.3.0-0", "1.0.0", "1.2.0",
        "1.2.3", "1.2.3-beta.2", "1.2.3-beta.4", "1.2.3-alpha", "1.2.4-beta.2", "1.2.9", "1.3.0", "1.9.9", "2.0.0", "2.0.0-0",
        "2.3.4", "2.3.5", "2.3.9", "2.4.0", "2.9.9", "3.0.0", "3.4.5-alpha.9",
    ]

    @Test(arguments: desugared)
    func sugarMeansItsExpansion(sugar: String, expansion: String) throws {
        let a = try NpmRange(sugar)
        let b = try NpmRange(expansion)
        for probe in Self.probes {
            #expect(a.contains(probe) == b.contains(probe), "\(sugar) vs \(expansion) on \(probe)")
        }
    }

    /// README "Prerelease Tags" and the caret/tilde notes on which pre-releases are admitted.
    @Test(arguments: [
        (">1.2.3-alpha.3", "1.2.3-alpha.7", true), (">1.2.3-alpha.3", "3.4.5-alpha.9", false),
        (">1.2.3-alpha.3", "3.4.5", true), ("~1.2.3-beta.2", "1.2.3-beta.4", true), ("~1.2.3-beta.2", "1.2.4-beta.2", false),
        ("^1.2.3-beta.2", "1.2.3-beta.4", true), ("^1.2.3-beta.2", "1.2.4-beta.2", false), ("^0.0.3-beta", "0.0.3-pr.2", true),
        ("*", "1.0.0-beta", false), ("1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.3", true), ("<1.2.3", "1.2.3-beta", false),
        ("1.2.3", "v1.2.3", true), ("=1.2.3", "1.2.3+build", true), (">=1.2.7 <1.3.0", "1.2.99", true),
        (">=1.2.7 <1.3.0", "1.3.0", false), ("1.2.7 || >=1.2.9 <2.0.0", "1.2.8", false), ("^1.2.3", "not a version", false),
    ])
    func satisfies(range: String, version: String, expected: Bool) throws {
        #expect(try NpmRange(range).contains(version) == expected)
    }

    @Test func includePrereleaseAdmitsEveryPrerelease() throws {
        #expect(try NpmRange("*", includePrerelease: true).contains("1.0.0-beta"))
        #expect(try NpmRange("^1.2.3", includePrerelease: true).contains("1.9.0-rc.1"))
        #expect(try !NpmRange("^1.2.3").contains("1.9.0-rc.1"))
    }

    @Test(arguments: ["1.2.3.4", ">=01.2.3", "^1.2.3-01", "~>", "1.2.3 - ", ">=1.0.0 <0 1.2.3.4", "=="])
    func rejectsInvalidRanges(range: String) {
        #expect(throws: VersionError.self) { try NpmRange(range) }
    }

    @Test func rangeThroughTheScheme() throws {
        #expect(try VersionScheme.npm.range("^4.17.0").contains("4.17.21"))
        #expect(throws: VersionError.self) { try VersionScheme.dpkg.range(">= 1.0") }
    }
}
