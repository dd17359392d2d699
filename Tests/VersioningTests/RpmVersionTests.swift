import Testing
import Versioning

/// rpm ordering, checked pair by pair against rpm 4.18's `labelCompare` when the table was made.
@Suite struct RpmVersionTests {
    /// Each pair is (older, newer).
    static let ordered: [(String, String)] = [
        ("1.0~rc1", "1.0"),  // ~ is a pre-release: before the end of the string
        ("1.0~rc1", "1.0~rc2"),
        ("1.0~~", "1.0~"),
        ("1.0~~rc", "1.0~rc"),
        ("1.0", "1.0^git1"),  // ^ is a post-release snapshot: after the end…
        ("1.0^git1", "1.0.1"),  // …but before any further segment
        ("1.0", "1.0^"),
        ("1.0^", "1.0.1"),
        ("1.0^git1", "1.0^git1.1"),
        ("1.0^a", "1.0^1"),
        ("1.0~rc1", "1.0~rc1^git1"),
        ("1.0~rc1^git1", "1.0~rc1^git2"),
        ("1:1.0", "2:0.1"),  // epoch first
        ("1.1.1", "1:1.0.2k-16.el7"),  // a missing epoch is 0
        ("1.0.2k-16.el7", "1.0.2k-19.el7"),
        ("1.0a", "1.0.1"),  // a number beats letters
        ("a", "1"),
        ("1.0", "1.0a"),  // more segments win
        ("2.0.1", "2.0.1a"),
        ("1.0", "1.0.0"),
        ("1.2", "1.10"),
        ("9.9", "10.0"),
        ("0.99", "1.0"),
        ("99999999999999999999", "100000000000000000000"),  // past Int.max
        ("FC5", "fc4"),  // letters compare as ASCII
        ("1.0", "1.0-1"),  // a missing release sorts first (rpm would skip the release)
        ("1.0-1", "1.0-2"),
        ("1.0-1.el7", "1.0-1.el8"),
        ("1.0-2.el7", "1.0-10.el7"),
        ("1.0-1~beta", "1.0-1"),
        ("5.3.28-2.el7", "5.3.28-2.el7_9"),
        ("2.02-0.86.el7", "2.02-0.87.el7_9"),
    ]

    /// Pairs rpm calls equal although they are spelled differently.
    static let equal: [(String, String)] = [
        ("1.0", "0:1.0"),
        ("1.0", "1.00"),
        ("1.0", "1_0"),  // separators only separate
        ("1.0+a", "1.0a"),
        ("1.0-1", "0:1.0-01"),
        ("1.0^git1", "1.0^git01"),
        ("1.0-1.el7", "00:1.0-1_el7"),
    ]

    @Test(arguments: ordered)
    func ordersPairBothWays(older: String, newer: String) throws {
        #expect(VersionComparator.compare(older, newer, scheme: .rpm) == -1)
        #expect(VersionComparator.compare(newer, older, scheme: .rpm) == 1)
        let (a, b) = (try RpmVersion(older), try RpmVersion(newer))
        #expect(a < b)
        #expect(b > a)
        #expect(!(b < a))
        #expect(a != b)
    }

    @Test(arguments: equal)
    func equalSpellingsAreEqualAndHashAlike(left: String, right: String) throws {
        #expect(VersionComparator.compare(left, right, scheme: .rpm) == 0)
        #expect(VersionComparator.compare(right, left, scheme: .rpm) == 0)
        let (a, b) = (try RpmVersion(left), try RpmVersion(right))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }

    @Test(arguments: [
        ("1:1.0.2k-16.el7", 1 as Int?, "1.0.2k", "16.el7" as String?),
        ("1.0", nil, "1.0", nil),
        ("0:1.0", 0, "1.0", nil),
        ("2.02-0.87.el7_9.6", nil, "2.02", "0.87.el7_9.6"),
        ("1.0~rc1^git2-3", nil, "1.0~rc1^git2", "3"),
        ("4294967295:1", 4_294_967_295, "1", nil),
    ])
    func splitsIntoFields(input: String, epoch: Int?, version: String, release: String?) throws {
        let parsed = try RpmVersion(input)
        #expect(parsed.epoch == epoch)
        #expect(parsed.version == version)
        #expect(parsed.release == release)
        #expect(parsed.description == input)
    }

    @Test func sortsAnErrataHistory() throws {
        let shuffled = ["1:1.0.2k-19.el7", "1.0.2k-8.el7", "1:1.0.2k-16.el7", "1:1.0.2k-16.el7_9", "1:1.0.1e-60.el7"]
        let sorted = try shuffled.map { try RpmVersion($0) }.sorted().map(\.description)
        #expect(sorted == ["1.0.2k-8.el7", "1:1.0.1e-60.el7", "1:1.0.2k-16.el7", "1:1.0.2k-16.el7_9", "1:1.0.2k-19.el7"])
    }
}
