import PropertyBased
import Testing
import Versioning

/// `UpstreamVersion`: the order NVD CPE ranges need for upstream releases.
@Suite struct UpstreamVersionTests {
    @Test(arguments: [
        ("4.3", "4.3.30", -1),
        ("4.3", "4.3", 0),
        ("4.10", "4.9", 1),
        ("1.0", "1.00", 0),
        ("1.0.1", "1.0.1f", -1),
        ("1.0.1a", "1.0.1f", -1),
        ("1.0.1f", "1.0.2", -1),
        ("1.0.1u", "1.0.2", -1),
        ("1.0rc1", "1.0", -1),
        ("1.0-rc1", "1.0-beta2", 1),
        ("1.0.alpha", "1.0.dev", 1),
        ("2.4.49", "2.4.50", -1),
        ("v1.2.3", "1.2.3", 0),
        ("1.15-1ubuntu1", "1.15", 1),
        ("1.2.3.4", "1.2.3", 1),
        ("9.9", "10", -1),
        ("4.3", "4.3.0", 0),
        ("1.0", "1.0a", -1),
        ("1.0.0rc1", "1.0", -1),
    ])
    func ordering(a: String, b: String, expected: Int) {
        #expect(UpstreamVersion.compare(a, b) == expected, "\(a) vs \(b)")
        #expect(UpstreamVersion.compare(b, a) == -expected, "\(b) vs \(a)")
    }

    static let alphabet = VersionStrings.Alphabet(
        prefixes: ["", "v", "1", "2", "10", "0"],
        fragments: [".", ".", "0", "1", "2", "10", "01", "a", "f", "z", "rc", "beta", "alpha", "dev", "-", "_", "+", "~", "RC", "é"],
        tails: ["", "", "a", "-1", ".0", "rc1", "-beta", " "]
    )

    static var triples: Generator<(String, String, String), some SendableSequenceType> {
        zip(VersionStrings.strings(alphabet), VersionStrings.strings(alphabet), VersionStrings.strings(alphabet), Gen.int(in: 0...5))
            .map { parts in
                let (a, b, c, how) = parts
                // Often make b a prefix-extension of a, so comparisons run deep before deciding.
                return (a, how < 3 ? a + b : b, how == 0 ? a + c : c)
            }
    }

    @Test func totalPreorder() async {
        await propertyCheck(count: 1000, input: Self.triples) { strings in
            let (a, b, c) = strings
            #expect(UpstreamVersion.compare(a, a) == 0)
            let ab = UpstreamVersion.compare(a, b)
            #expect(ab == -UpstreamVersion.compare(b, a), "\(a) vs \(b)")
            let triple = [a, b, c]
            for p in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
                let (x, y, z) = (triple[p[0]], triple[p[1]], triple[p[2]])
                let xy = UpstreamVersion.compare(x, y), yz = UpstreamVersion.compare(y, z)
                guard xy <= 0, yz <= 0 else { continue }
                let xz = UpstreamVersion.compare(x, z)
                #expect(xy < 0 || yz < 0 ? xz < 0 : xz == 0, "\(x) ≤ \(y) ≤ \(z) but compare(x, z) = \(xz)")
            }
        }
    }
}
