import Testing
import Versioning

/// How `VersionComparator` orders strings the ecosystems reject: structurally as far as the
/// ecosystem's algorithm goes, then valid before malformed, then raw bytes.
@Suite struct MalformedVersionTests {
    /// (scheme, older, newer); at least one side of each pair is malformed.
    static let ordered: [(VersionScheme, String, String)] = [
        // dpkg: the lenient split still compares epoch, upstream and revision…
        (.dpkg, "1.0-", "1.0-1"),  // empty revision < "1"
        (.dpkg, "1.0 alpha", "1.0 beta"),  // whitespace is just another byte to verrevcmp
        (.dpkg, "1.0", "a:1.0"),  // a non-numeric "epoch" stays in the upstream version
        (.dpkg, "2147483647:1.0", "99999999999:1.0"),  // too big, but still numerically larger
        // …and on a structural tie the valid string comes first, then bytes decide.
        (.dpkg, "1.0", "1.0-"),
        (.dpkg, "1.0-0", "1.0-"),
        (.dpkg, "1.0-", ":1.0-"),
        // apk: apk-tools' own loop orders by the well-formed prefix.
        (.apk, "1.0_foo", "1.0"),
        (.apk, "1.0", "1.0bc"),
        (.apk, "", "0"),
        (.apk, "abc", "abd"),  // both break at the first token: bytes
        (.apk, "1.0-r", "1.0-rX"),
        // rpm: rpm's lenient parseEVR, a missing release first, then validity and bytes.
        (.rpm, "1.0", "1.0-"),
        (.rpm, "1.0-", "1.0-0"),
        (.rpm, "1.0.beta", "1.0 beta"),
        (.rpm, "0:1.0", ":1.0"),
        (.rpm, "1.0", ":1.0"),
    ]

    @Test(arguments: ordered)
    func ordersMalformedPairBothWays(scheme: VersionScheme, older: String, newer: String) {
        #expect(VersionComparator.compare(older, newer, scheme: scheme) == -1)
        #expect(VersionComparator.compare(newer, older, scheme: scheme) == 1)
    }

    @Test(arguments: VersionScheme.allCases)
    func malformedStringsEqualThemselves(scheme: VersionScheme) {
        for string in ["", "1:", "-", ":", "abc", "1.0-", "1 0", "\u{0}", "é"] {
            #expect(VersionComparator.compare(string, string, scheme: scheme) == 0, "\(string)")
        }
    }

    /// `1.0` and `0:1.0` are equal, so a malformed string that ties with both structurally must
    /// land on the same side of both; comparing it by bytes would put `:1.0` between them.
    @Test func malformedStringNeverFallsBetweenEqualVersions() {
        let equalPair = ("1.0", "0:1.0")
        #expect(VersionComparator.compare(equalPair.0, equalPair.1, scheme: .rpm) == 0)
        #expect(VersionComparator.compare(equalPair.0, ":1.0", scheme: .rpm) == -1)
        #expect(VersionComparator.compare(equalPair.1, ":1.0", scheme: .rpm) == -1)
    }
}
