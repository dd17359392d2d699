import Testing
import Versioning

/// apk ordering, checked pair by pair against apk-tools' `apk_version_compare` when the table
/// was made; several pairs come from apk-tools' own `test/version.data`.
@Suite struct ApkVersionTests {
    /// Each pair is (older, newer).
    static let ordered: [(String, String)] = [
        ("1.1.1c-r0", "1.1.1d-r0"),
        ("1.1.1b-r1", "1.1.1c-r0"),  // the letter outranks the revision
        ("1.0_rc1", "1.0"),
        ("1.0", "1.0_p1"),
        ("1.0-r1", "1.0-r2"),
        ("1.0-r9", "1.0-r10"),
        ("2.8.2-r0", "2.8.4-r0"),
        ("1.2", "1.2.1"),
        ("1.01", "1.1"),  // a later number with a leading zero compares as text
        ("1.05", "1.1"),
        ("1.01", "1.010"),
        ("1.0", "1.00"),
        ("1.2.07.8", "1.2.12.04"),
        ("0.9.28.1", "087-r1"),  // but the first number is always numeric
        ("1.0_alpha", "1.0_beta"),
        ("1.0_beta", "1.0_pre"),
        ("1.0_pre", "1.0_rc"),
        ("1.0_rc", "1.0_rc1"),
        ("1.0_cvs", "1.0_svn"),
        ("1.0_svn", "1.0_git"),
        ("1.0_git", "1.0_hg"),
        ("1.0_hg", "1.0_p"),
        ("1.0_p9-r0", "1.0_p10-r0"),
        ("0.1.0_alpha_pre2", "0.1.0_alpha"),
        ("1.0.0_pre20191002222144-r0", "1.0.0_pre20210530193627-r0"),
        ("1.0_rc1", "1.0_rc1-r1"),
        ("1.0_rc1", "1.0_rc1_p1"),
        ("1.0", "1.0-r0"),  // no revision sorts before -r0
        ("1.0-r5", "1.0_p1"),
        ("1.0", "1.0a"),
        ("1.0a", "1.0.1"),
        ("2.3.0b-r1", "2.3.0b-r2"),
        ("2.12r-r4", "2.12r-r5"),
        ("1.3-r0", "1.3.1-r0"),
        ("3.0.20060720", "20060720"),
        ("1.0~abc", "1.0~abd"),
        ("1.0", "1.0~abc"),
        ("1.0-r0", "1.0~abc"),
        ("99999999999999999999999", "100000000000000000000000"),  // no 64-bit wrap-around
    ]

    /// Pairs apk calls equal although they are spelled differently.
    static let equal: [(String, String)] = [
        ("01.0", "1.0"),
        ("001", "1"),
        ("1.0-r01", "1.0-r1"),
        ("1.0_rc01", "1.0_rc1"),
        ("1.0_p0", "1.0_p00"),
    ]

    @Test(arguments: ordered)
    func ordersPairBothWays(older: String, newer: String) throws {
        #expect(VersionComparator.compare(older, newer, scheme: .apk) == -1)
        #expect(VersionComparator.compare(newer, older, scheme: .apk) == 1)
        let (a, b) = (try ApkVersion(older), try ApkVersion(newer))
        #expect(a < b)
        #expect(b > a)
        #expect(!(b < a))
        #expect(a != b)
    }

    @Test(arguments: equal)
    func equalSpellingsAreEqualAndHashAlike(left: String, right: String) throws {
        #expect(VersionComparator.compare(left, right, scheme: .apk) == 0)
        #expect(VersionComparator.compare(right, left, scheme: .apk) == 0)
        let (a, b) = (try ApkVersion(left), try ApkVersion(right))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }

    @Test(arguments: ["1.2.3", "1.1.1c-r0", "1.0_alpha_pre2", "2.0_rc1_p3~a1b2-r12", "0.1", "20240101"])
    func roundTrips(input: String) throws {
        #expect(try ApkVersion(input).description == input)
    }

    @Test func sortsAnAportsHistory() throws {
        let shuffled = ["3.0.13-r0", "3.0.8-r0", "3.1.0_alpha1-r0", "3.0.8-r1", "3.1.0-r0", "3.1.0_rc1-r0", "3.0.13-r1"]
        let sorted = try shuffled.map { try ApkVersion($0) }.sorted().map(\.description)
        #expect(sorted == ["3.0.8-r0", "3.0.8-r1", "3.0.13-r0", "3.0.13-r1", "3.1.0_alpha1-r0", "3.1.0_rc1-r0", "3.1.0-r0"])
    }
}
