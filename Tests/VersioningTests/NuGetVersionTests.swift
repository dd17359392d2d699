import Testing
import Versioning

/// NuGet versions and ranges, from NuGet's "Package versioning" documentation (pre-release
/// ordering, normalised version numbers, the version-range table) and NuGet.Versioning's
/// `VersionRangeFactory` rules. NuGet.Versioning is not packaged for Debian; the cross-check
/// (scripts/versions-crosscheck.py) compares with univers and lists each documented difference.
@Suite struct NuGetVersionTests {
    /// "Pre-release versions": "1.0.1, 1.0.1-zzz, 1.0.1-rc, 1.0.1-open, 1.0.1-beta, 1.0.1-alpha2,
    /// 1.0.1-alpha10, 1.0.1-aaa" from highest to lowest; reversed here, with SemVer 2 rows.
    static let ascending = [
        "1.0.0", "1.0.1-aaa", "1.0.1-alpha10", "1.0.1-alpha2", "1.0.1-beta", "1.0.1-beta.2", "1.0.1-beta.11",
        "1.0.1-beta.x", "1.0.1-open", "1.0.1-rc", "1.0.1-zzz", "1.0.1", "1.0.1.1-alpha", "1.0.1.1", "1.0.2",
    ]

    @Test func ordering() throws {
        for (i, a) in Self.ascending.enumerated() {
            for (j, b) in Self.ascending.enumerated() {
                #expect(VersionComparator.compare(a, b, scheme: .nuget) == (i < j ? -1 : (i > j ? 1 : 0)), "\(a) vs \(b)")
            }
            _ = try NuGetVersion(a)
        }
    }

    /// "Normalized version numbers" (leading zeros, a zero fourth part, metadata) and
    /// case-insensitive labels.
    @Test(arguments: [
        ("1.00", "1.0.0"), ("1.01.1", "1.1.1"), ("1.00.0.1", "1.0.0.1"), ("1.0.0.0", "1.0.0"), ("1.0.7+r3456", "1.0.7"),
        ("1", "1.0.0.0"), ("1.0.0-Beta", "1.0.0-beta"), ("1.0.0-RC.1", "1.0.0-rc.1"), (" 2.1 ", "2.1"),
    ])
    func equal(a: String, b: String) throws {
        #expect(try NuGetVersion(a) == NuGetVersion(b))
        #expect(try NuGetVersion(a).hashValue == NuGetVersion(b).hashValue)
    }

    /// The documentation's range table.
    @Test(arguments: [
        ("1.0", "1.0", true), ("1.0", "0.9", false), ("1.0", "99", true), ("(1.0,)", "1.0", false), ("(1.0,)", "1.0.1", true),
        ("[1.0]", "1.0.0.0", true), ("[1.0]", "1.0.1", false), ("(,1.0]", "1.0", true), ("(,1.0]", "1.0.1", false),
        ("(,1.0)", "1.0", false), ("(,1.0)", "1.0-beta", true), ("[1.0,2.0]", "2.0", true), ("(1.0,2.0)", "1.0", false),
        ("(1.0,2.0)", "1.5", true), ("[1.0,2.0)", "2.0", false), ("[1.0,2.0)", "1.0", true), ("(1.0,1.0)", "1.0", false),
        ("[1.0,2.0)", "not a version", false),
    ])
    func rangeContains(range: String, version: String, expected: Bool) throws {
        #expect(try NuGetVersionRange(range).contains(version) == expected)
    }

    @Test(arguments: ["(1.0)", "[1.0)", "(,)", "[,]", "[1.0,2.0,3.0]", "[2.0,1.0]", "[1.0,1.0)", "", "[1.0", "[v1.0,2.0]"])
    func rejectsInvalidRanges(range: String) {
        #expect(throws: VersionError.self) { try NuGetVersionRange(range) }
    }
}
