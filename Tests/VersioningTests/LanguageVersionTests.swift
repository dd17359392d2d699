import Testing
import Versioning

/// Known orderings for the language schemes, taken from their specifications.
@Suite struct LanguageVersionTests {
    /// PEP 440, "Summary of permitted suffixes and relative ordering"
    /// (https://peps.python.org/pep-0440/#summary-of-permitted-suffixes-and-relative-ordering):
    /// the example list there, in increasing order, plus the epoch rule ("1!1.0 > 2.0") from
    /// "Version epochs".
    static let pep440Ascending = [
        "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
        "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
        "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "2.0", "1!0.1", "1!1.0",
    ]

    @Test func pep440SpecOrdering() {
        let list = Self.pep440Ascending
        for i in list.indices {
            for j in list.indices {
                let expected = i < j ? -1 : (i > j ? 1 : 0)
                #expect(VersionComparator.compare(list[i], list[j], scheme: .pep440) == expected, "\(list[i]) vs \(list[j])")
                #expect((try? PEP440Version(list[i])) != nil, "\(list[i]) should parse")
            }
        }
    }

    /// PEP 440, "Normalization" (https://peps.python.org/pep-0440/#normalization): each pair is
    /// one version spelled two ways.
    @Test(arguments: [
        ("1.0RC1", "1.0rc1"),  // case sensitivity
        ("01.02", "1.2"),  // integer normalization
        ("1.0-a1", "1.0a1"), ("1.0_a1", "1.0a1"), ("1.0.a1", "1.0a1"),  // pre-release separators
        ("1.0a.1", "1.0a1"), ("1.0alpha1", "1.0a1"), ("1.0beta2", "1.0b2"),  // pre-release spelling
        ("1.0c1", "1.0rc1"), ("1.0pre1", "1.0rc1"), ("1.0preview1", "1.0rc1"),
        ("1.0a", "1.0a0"),  // implicit pre-release number
        ("1.0-post1", "1.0.post1"), ("1.0_post1", "1.0.post1"), ("1.0post1", "1.0.post1"),  // post-release separators
        ("1.0.rev1", "1.0.post1"), ("1.0-r4", "1.0.post4"),  // post-release spelling
        ("1.0.post", "1.0.post0"),  // implicit post-release number
        ("1.0-1", "1.0.post1"),  // implicit post-releases
        ("1.0-dev1", "1.0.dev1"), ("1.0dev1", "1.0.dev1"), ("1.0.dev", "1.0.dev0"),  // development releases
        ("1.0+ubuntu-1", "1.0+ubuntu.1"), ("1.0+Ubuntu_1", "1.0+ubuntu.1"),  // local version segments
        ("v1.0", "1.0"),  // preceding v character
        (" 1.0\n", "1.0"),  // leading and trailing whitespace
        ("1.0.0", "1.0"), ("0!1.0", "1.0"),  // trailing zeros, explicit zero epoch ("Version epochs")
    ])
    func pep440Normalization(spelled: String, normal: String) throws {
        #expect(VersionComparator.compare(spelled, normal, scheme: .pep440) == 0)
        let a = try PEP440Version(spelled)
        let b = try PEP440Version(normal)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }

    @Test(arguments: [
        ("1.0RC1", "1.0rc1"), ("1.0-1", "1.0.post1"), ("v1.0.0", "1.0.0"), ("1.0alpha", "1.0a0"),
        ("1!2.0-r3_dev4+Ubuntu-1", "1!2.0.post3.dev4+ubuntu.1"), ("01.002", "1.2"),
    ])
    func pep440NormalForm(spelled: String, normal: String) throws {
        #expect(try PEP440Version(spelled).normalized == normal)
    }

    /// Pre-releases, post-releases and local versions at a range boundary: what the OSV matcher
    /// relies on when an advisory is fixed in `2.10.1` or introduced in `1.0rc1`.
    @Test(arguments: [
        ("2.10.1rc1", "2.10.1"), ("2.10.1", "2.10.1.post1"), ("2.10.1.post1", "2.10.2a0"), ("2.10", "2.10.0.post0"),
        ("3.2.0rc1", "3.2"), ("3.2.dev0", "3.2a0"), ("3.2+local", "3.2.post0"), ("3.2.post0.dev0", "3.2.post0"),
    ])
    func pep440BoundaryPairs(older: String, newer: String) {
        #expect(VersionComparator.compare(older, newer, scheme: .pep440) == -1)
        #expect(VersionComparator.compare(newer, older, scheme: .pep440) == 1)
    }

    /// semver.org 2.0.0, §11: "Example: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta <
    /// 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0" and "1.0.0 < 2.0.0 <
    /// 2.1.0 < 2.1.1"; Go's module reference (https://go.dev/ref/mod#pseudo-versions) for the
    /// pseudo-versions: `vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef` sits between `vX.Y.Z` and `vX.Y.(Z+1)`.
    static let semverAscending = [
        "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20210101000000-abcdef123456", "0.0.0",
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
        "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "v2.1.1", "v2.1.2-0.20191109021931-daa7c04131f5", "v2.1.2",
        "10.0.0",
    ]

    @Test func semverSpecOrdering() {
        let list = Self.semverAscending
        for i in list.indices {
            for j in list.indices {
                let expected = i < j ? -1 : (i > j ? 1 : 0)
                #expect(VersionComparator.compare(list[i], list[j], scheme: .semver) == expected, "\(list[i]) vs \(list[j])")
            }
            #expect((try? SemanticVersion(list[i])) != nil, "\(list[i]) should parse")
        }
    }

    /// semver.org §10: "Build metadata MUST be ignored when determining version precedence";
    /// Go: `+incompatible` marks a v2+ module without go.mod and is the same version.
    @Test(arguments: [
        ("1.0.0+20130313144700", "1.0.0"), ("1.0.0-beta+exp.sha.5114f85", "1.0.0-beta"),
        ("v2.0.0+incompatible", "2.0.0"), ("v1.2.3", "1.2.3"),
    ])
    func semverEqualities(a: String, b: String) throws {
        #expect(VersionComparator.compare(a, b, scheme: .semver) == 0)
        #expect(try SemanticVersion(a) == SemanticVersion(b))
        #expect(try SemanticVersion(a).hashValue == SemanticVersion(b).hashValue)
    }

    @Test func ecosystemSchemes() {
        #expect(VersionScheme(ecosystem: "PyPI") == .pep440)
        #expect(VersionScheme(ecosystem: "Go") == .semver)
        #expect(VersionScheme(ecosystem: "crates.io") == .semver)
        #expect(VersionScheme(ecosystem: "debian") == .dpkg)
        #expect(VersionScheme(ecosystem: "Maven") == .maven)
        #expect(VersionScheme(ecosystem: "npm") == .npm)
        #expect(VersionScheme(ecosystem: "RubyGems") == .rubygems)
        #expect(VersionScheme(ecosystem: "Packagist") == .composer)
        #expect(VersionScheme(ecosystem: "NuGet") == .nuget)
        #expect(VersionScheme(ecosystem: "Hex") == nil)
    }
}
