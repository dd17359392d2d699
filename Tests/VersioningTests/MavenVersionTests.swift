import Testing
import Versioning

/// Maven's `ComparableVersion` (its javadoc's qualifier order and the lists in Maven's own
/// `ComparableVersionTest`) and `VersionRange` (the "Version Range Specification" table of the
/// Maven POM reference). Every row was also checked against Debian's maven-artifact 3.8 by
/// scripts/versions-crosscheck.py.
@Suite struct MavenVersionTests {
    /// `ComparableVersionTest.VERSIONS_QUALIFIER`, ascending.
    static let qualifiers = [
        "1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123", "1-m2", "1-m11", "1-rc", "1-cr2", "1-rc123",
        "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc", "1-def", "1-pom-1", "1-1-snapshot", "1-1", "1-2", "1-123",
    ]

    /// `ComparableVersionTest.VERSIONS_NUMBER`, ascending.
    static let numbers = [
        "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2",
        "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
    ]

    @Test(arguments: [qualifiers, numbers])
    func ascending(list: [String]) {
        for (i, a) in list.enumerated() {
            for (j, b) in list.enumerated() {
                #expect(VersionComparator.compare(a, b, scheme: .maven) == (i < j ? -1 : (i > j ? 1 : 0)), "\(a) vs \(b)")
            }
        }
    }

    /// `ComparableVersionTest.testVersionsEqual` and the javadoc's aliases.
    @Test(arguments: [
        ("1", "1.0"), ("1", "1.0.0"), ("1.0", "1.0.0"), ("1", "1-0"), ("1", "1.0-0"), ("1.0", "1.0-0"), ("1a", "1-a"),
        ("1a", "1.0-a"), ("1a", "1.0.0-a"), ("1.0a", "1-a"), ("1x", "1-x"), ("1x", "1.0-x"), ("1.0x", "1-x"),
        ("1ga", "1"), ("1release", "1"), ("1final", "1"), ("1cr", "1rc"), ("1a1", "1-alpha-1"), ("1b2", "1-beta-2"),
        ("1m3", "1-milestone-3"), ("1X", "1x"), ("1A", "1a"), ("1B", "1b"), ("1M", "1m"), ("1Ga", "1"), ("1GA", "1"),
        ("1RELEASE", "1"), ("1FINAL", "1"), ("1Cr", "1Rc"), ("1cR", "1rC"), ("1m3", "1Milestone3"), ("1M3", "1MILESTONE3"),
    ])
    func equal(a: String, b: String) {
        #expect(MavenVersion(a) == MavenVersion(b), "\(a) vs \(b)")
        #expect(MavenVersion(a).hashValue == MavenVersion(b).hashValue)
        #expect(VersionComparator.compare(a, b, scheme: .maven) == 0)
    }

    /// The POM reference's range table, probed at and around each bound.
    @Test(arguments: [
        ("(,1.0]", "1.0", true), ("(,1.0]", "1.0.1", false), ("1.0", "0.1", true), ("[1.0]", "1.0", true),
        ("[1.0]", "1.0.1", false), ("[1.2,1.3]", "1.3", true), ("[1.2,1.3]", "1.3.1", false), ("[1.0,2.0)", "2.0", false),
        ("[1.0,2.0)", "2.0-SNAPSHOT", true), ("[1.5,)", "1.5", true), ("[1.5,)", "1.4", false), ("(,1.0],[1.2,)", "1.1", false),
        ("(,1.0],[1.2,)", "1.2", true), ("(,1.1),(1.1,)", "1.1", false), ("(,1.1),(1.1,)", "1.1.1", true),
    ])
    func rangeContains(range: String, version: String, expected: Bool) throws {
        #expect(try MavenVersionRange(range).contains(version) == expected)
    }

    @Test(arguments: ["[1.0", "(1.0)", "[1.0)", "[2.0,1.0]", "[1.0,2.0),[1.5,3.0)", "[1.0,2.0),1.5", "[1.0,1.0)"])
    func rejectsInvalidRanges(range: String) {
        #expect(throws: VersionError.self) { try MavenVersionRange(range) }
    }

    @Test func bareVersionIsRecommended() throws {
        let range = try MavenVersionRange("1.0")
        #expect(range.recommended == MavenVersion("1.0"))
        #expect(range.contains("0.1") && range.contains("9"))
    }
}
