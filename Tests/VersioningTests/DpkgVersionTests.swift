import Testing
import Versioning

/// dpkg ordering, checked pair by pair against `dpkg --compare-versions` when the table was made.
@Suite struct DpkgVersionTests {
    /// Each pair is (older, newer).
    static let ordered: [(String, String)] = [
        ("1.0~rc1", "1.0"),  // ~ sorts before the end of the string
        ("1.0~~", "1.0~"),
        ("1.0~", "1.0"),
        ("1.0~beta", "1.0~rc"),
        ("1.0", "1.0-1"),  // a missing revision compares as "0"
        ("1:9.9", "2:1.0"),  // epoch first
        ("0:1.0", "1:0.1"),
        ("1.2.3", "1.2.10"),  // digit runs compare numerically
        ("9", "10"),
        ("99999999999999999999", "100000000000000000000"),  // past Int.max
        ("1.00000000000000000000001", "1.2"),  // leading zeros are dropped
        ("1.0-1", "1.0+dfsg-1"),  // '+' after the end of the string
        ("1.0", "1.0a"),
        ("1.0a", "1.0+"),  // letters before non-letters
        ("1.0a", "1.0.1"),
        ("1.0", "1.0.0"),
        ("4.3-7ubuntu1", "4.3-7ubuntu1.1"),
        ("1.16-1", "1.16-1+deb8u4"),
        ("2.30-1", "2.30-1ubuntu1"),
        ("1.1.1f-1ubuntu2.19", "1.1.1f-1ubuntu2.20"),
        ("1.0-1~bpo1", "1.0-1"),
        ("1.0~rc1-1", "1.0-1~bpo1"),
        ("1.0-0ubuntu1", "1.0-1"),
        ("2.7.4-0ubuntu1.6", "2.7.4-0ubuntu1.10"),
        ("1:1.2.11.dfsg-2ubuntu1.5", "1:1.2.13.dfsg-1"),
        ("1.2.3-1.1", "1.2.3-1.1+b1"),
        ("5.2.15-2+b2", "5.2.15-2+deb12u1"),
        ("7.88.1-10", "7.88.1-10+deb12u5"),
        ("2.36-9", "2.36-9+deb12u4"),
        ("a", "b"),  // dpkg only warns about a non-digit start
        ("1.0-1", "1.0-a"),  // a letter beats a digit at the same place
        ("1.2-4", "1.2-3-4"),  // the revision is after the *last* hyphen: upstream "1.2-3"
        ("1:2.3", "1:2:3"),  // after the epoch, ':' is an ordinary (non-letter) byte
    ]

    /// Pairs dpkg calls equal although they are spelled differently.
    static let equal: [(String, String)] = [
        ("1.0", "0:1.0"),
        ("1.0", "1.0-0"),
        ("1.00", "1.0"),
        ("1.0", "01.0"),
        ("0:1.0-0", "1.0"),
        ("1.0a", "1.0a0"),
        ("00:1", "1"),
        ("1.0-00", "1.0"),
        ("1.2.3-1ubuntu0.1", "1.2.3-1ubuntu00.01"),
    ]

    @Test(arguments: ordered)
    func ordersPairBothWays(older: String, newer: String) throws {
        #expect(VersionComparator.compare(older, newer, scheme: .dpkg) == -1)
        #expect(VersionComparator.compare(newer, older, scheme: .dpkg) == 1)
        let (a, b) = (try DpkgVersion(older), try DpkgVersion(newer))
        #expect(a < b)
        #expect(b > a)
        #expect(!(b < a))
        #expect(a != b)
    }

    @Test(arguments: equal)
    func equalSpellingsAreEqualAndHashAlike(left: String, right: String) throws {
        #expect(VersionComparator.compare(left, right, scheme: .dpkg) == 0)
        #expect(VersionComparator.compare(right, left, scheme: .dpkg) == 0)
        let (a, b) = (try DpkgVersion(left), try DpkgVersion(right))
        #expect(a == b)
        #expect(!(a < b) && !(b < a))
        #expect(a.hashValue == b.hashValue)
    }

    @Test func setsCollapseEqualSpellings() throws {
        let versions = try ["1.0", "0:1.0", "1.00", "1.0-0", "1.0-1"].map { try DpkgVersion($0) }
        #expect(Set(versions).count == 2)
    }

    @Test(arguments: [
        ("1:2.3-4", 1, "2.3", "4"),
        ("2.3", 0, "2.3", ""),
        ("0:2.3", 0, "2.3", ""),
        ("1.2-3-4", 0, "1.2-3", "4"),
        ("1:2:3", 1, "2:3", ""),
        ("2147483647:1", 2_147_483_647, "1", ""),
        ("1.0+dfsg-1ubuntu0.1", 0, "1.0+dfsg", "1ubuntu0.1"),
        ("abc", 0, "abc", ""),  // dpkg only warns
    ])
    func splitsIntoFields(input: String, epoch: Int, upstream: String, revision: String) throws {
        let version = try DpkgVersion(input)
        #expect(version.epoch == epoch)
        #expect(version.upstream == upstream)
        #expect(version.revision == revision)
        #expect(version.description == input)
    }

    @Test func sortsARealChangelog() throws {
        let shuffled = ["1:1.0-1", "1.0-1", "1.0~rc2-1", "1.0-1+deb12u1", "1.0~rc1-1", "1.0.1-1", "1.0-2"]
        let sorted = try shuffled.map { try DpkgVersion($0) }.sorted().map(\.description)
        #expect(sorted == ["1.0~rc1-1", "1.0~rc2-1", "1.0-1", "1.0-1+deb12u1", "1.0-2", "1.0.1-1", "1:1.0-1"])
    }
}
