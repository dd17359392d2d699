import Testing
import Versioning

/// `Gem::Version` and `Gem::Requirement`, from their rdoc ("How Software Changes", the
/// pre-release ordering example, `~>` "pessimistic" table) and the RubyGems guide's
/// "Patterns" page. Every row was also checked against Debian's ruby 3.1 by
/// scripts/versions-crosscheck.py.
@Suite struct RubyGemsVersionTests {
    /// rdoc: "Prereleases sort between real releases (newest to oldest): 1.0, 1.0.b1, 1.0.a.2, 0.9",
    /// and "1.0.a10 becomes 1.0.a.10, and is greater than 1.0.a9".
    static let ascending = ["0.9", "1.0.a.2", "1.0.a9", "1.0.a10", "1.0.b1", "1.0", "1.0.1", "1.1.a", "1.1", "2"]

    @Test func ordering() throws {
        for (i, a) in Self.ascending.enumerated() {
            for (j, b) in Self.ascending.enumerated() {
                #expect(VersionComparator.compare(a, b, scheme: .rubygems) == (i < j ? -1 : (i > j ? 1 : 0)), "\(a) vs \(b)")
            }
            _ = try RubyGemsVersion(a)
        }
    }

    @Test(arguments: [("1.0", "1"), ("1.0.0", "1"), ("1.0.a", "1.a"), ("1.0-beta", "1.0.pre.beta"), (" 1.0 ", "1.0"), ("", "0")])
    func equal(a: String, b: String) throws {
        #expect(try RubyGemsVersion(a) == RubyGemsVersion(b))
        #expect(try RubyGemsVersion(a).hashValue == RubyGemsVersion(b).hashValue)
    }

    @Test func prerelease() throws {
        #expect(try RubyGemsVersion("1.0.a").isPrerelease)
        #expect(try RubyGemsVersion("1.0-1").isPrerelease)
        #expect(try !RubyGemsVersion("1.0.0").isPrerelease)
    }

    /// rdoc's `~>` table ("~> 3.0 → 3.0 ≤ x < 4.0" …), `Gem::Requirement` operators, and
    /// comma-joined lists as RubySec writes them.
    @Test(arguments: [
        ("~> 3.0", "3.0", true), ("~> 3.0", "3.9.9", true), ("~> 3.0", "4.0", false), ("~> 3.0.0", "3.0.9", true),
        ("~> 3.0.0", "3.1", false), ("~> 3.5", "3.9", true), ("~> 3.5", "4.0", false), ("~> 3.5.0", "3.5.9", true),
        ("~> 3.5.0", "3.6", false), ("~> 3", "3.9", true), ("~> 3", "4", false), ("~> 1.0.a", "1.0.b", true),
        ("~> 1.0", "1.0.a", false), ("!= 1.0", "1.0.0", false), ("= 1.0", "1", true), ("1.0", "1.0.0", true),
        ("> 1.0", "1.0.1", true), ("< 1.0", "1.0.a", true), (">= 1.0", "1.0.a", false), ("<= 1.0", "1.0", true),
        ("~> 5.2.4, >= 5.2.4.3", "5.2.4.2", false), ("~> 5.2.4, >= 5.2.4.3", "5.2.4.3", true),
        ("~> 5.2.4, >= 5.2.4.3", "5.3.0", false), (">= 1.0", "not a version", false),
    ])
    func satisfies(requirement: String, version: String, expected: Bool) throws {
        #expect(try RubyGemsRequirement(requirement).contains(version) == expected)
    }

    @Test(arguments: ["", "=~ 1.0", ">> 1", "~>", "1.0,", "1..0", ">= 1.0 beta"])
    func rejectsIllFormedRequirements(requirement: String) {
        #expect(throws: VersionError.self) { try RubyGemsRequirement(requirement) }
    }
}
