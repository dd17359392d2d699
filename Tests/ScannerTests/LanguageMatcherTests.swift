import Analyzers
import Foundation
@testable import Scanner
import Testing
import VulnDB

/// Language packages against a real SQLite database built from small OSV records written here,
/// each exercising one part of OSV range evaluation.
@Suite struct LanguageMatcherTests {
    let dir: String
    let database: VulnDatabase

    static let records = [
        // ECOSYSTEM range with a pre-release fix and a second, later range; PEP 503 names.
        """
        {"id": "PYSEC-2031-1", "summary": "boundary test", "affected": [{"package": {"ecosystem": "PyPI", "name": "Foo_Bar"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0rc2"}, {"introduced": "2.0"}, {"fixed": "2.0.post1"}]}]}]}
        """,
        // last_affected (inclusive) and an explicit versions list outside the range.
        """
        {"id": "PYSEC-2031-2", "affected": [{"package": {"ecosystem": "PyPI", "name": "foo-bar"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.5"}, {"last_affected": "1.7"}]}],
          "versions": ["0.9.dev1"]}]}
        """,
        // GIT only, no versions: cannot be evaluated, named in the note.
        """
        {"id": "PYSEC-2031-3", "affected": [{"package": {"ecosystem": "PyPI", "name": "foo-bar"},
          "ranges": [{"type": "GIT", "repo": "https://example.invalid/foo", "events": [{"introduced": "0"}, {"fixed": "0123abc"}]}]}]}
        """,
        // Go: SEMVER without "v", a pseudo-version inside the range, a limit.
        """
        {"id": "GO-2031-1", "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/demo"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}, {"introduced": "0.5.0"}, {"limit": "0.6.0"}]}]}]}
        """,
        // crates.io: two SEMVER ranges (smallvec's RUSTSEC-2021-0003 shape).
        """
        {"id": "RUSTSEC-2031-1", "affected": [{"package": {"ecosystem": "crates.io", "name": "smallvec"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.6.3"}, {"fixed": "0.6.14"}, {"introduced": "1.0.0"}, {"fixed": "1.6.1"}]}]}]}
        """,
        // Same package name in another ecosystem must not match.
        """
        {"id": "GHSA-2031-npm", "affected": [{"package": {"ecosystem": "npm", "name": "smallvec"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
        """,
    ]

    init() throws {
        dir = NSTemporaryDirectory() + "vigil-lang-matcher-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/feeds", withIntermediateDirectories: true)
        for (i, record) in Self.records.enumerated() {
            try record.write(toFile: dir + "/feeds/\(i).json", atomically: true, encoding: .utf8)
        }
        let summary = try DatabaseBuilder(destination: dir + "/v.db").build(paths: [dir + "/feeds"])
        #expect(summary.gitOnlyAdvisories == ["PYSEC-2031-3 PyPI/foo-bar"])
        database = try VulnDatabase(readOnlyPath: dir + "/v.db")
    }

    func app(_ type: PackageFormat, _ path: String, _ packages: [(String, String)]) -> Application {
        Application(type: type, filePath: path, packages: packages.map {
            InstalledPackage(format: type, name: $0.0, version: $0.1, upstreamVersion: $0.1, sourceName: $0.0,
                             sourceVersion: $0.1, databasePath: path)
        })
    }

    func ids(_ version: String, _ type: PackageFormat = .pip, name: String = "foo.bar") throws -> [String] {
        let inventory = Inventory(os: nil, packages: [], applications: [app(type, "requirements.txt", [(name, version)])])
        return try VulnerabilityMatcher(database: database).match(inventory).map(\.vulnerabilityID)
    }

    @Test(arguments: [
        ("0.1", ["PYSEC-2031-1"]),
        ("1.0rc1", ["PYSEC-2031-1"]),  // rc1 < rc2: still affected
        ("1.0rc2", []),  // the fix itself
        ("1.0", []),
        ("0.9.dev1", ["PYSEC-2031-1", "PYSEC-2031-2"]),  // listed in `versions`
        ("1.5", ["PYSEC-2031-2"]),  // introduced is inclusive
        ("1.7", ["PYSEC-2031-2"]),  // last_affected is inclusive
        ("1.7.post1", []),  // a post-release is later than 1.7
        ("1.7.0", ["PYSEC-2031-2"]),  // 1.7.0 == 1.7
        ("2.0rc1", []),  // before the second range's introduced 2.0
        ("2.0", ["PYSEC-2031-1"]),
        ("2.0+local.1", ["PYSEC-2031-1"]),  // a local version of 2.0 sorts after 2.0, before 2.0.post1
        ("2.0.post1.dev3", ["PYSEC-2031-1"]),  // a dev release of the fix is before the fix
        ("2.0.post1", []),
        ("2.0-1", []),  // implicit post release == 2.0.post1
    ])
    func pep440Boundaries(version: String, expected: [String]) throws {
        #expect(try ids(version) == expected, "\(version)")
    }

    @Test func namesAreNormalisedForPyPIOnly() throws {
        #expect(try ids("0.1", name: "FOO-bar") == ["PYSEC-2031-1"])
        #expect(try ids("0.1", .poetry, name: "foo__bar") == ["PYSEC-2031-1"])
    }

    @Test(arguments: [
        ("v0.3.6", ["GO-2031-1"]),
        ("v0.3.7", []),
        ("v0.0.0-20210101000000-abcdef123456", ["GO-2031-1"]),  // pseudo-version of v0.0.0: affected
        ("v0.5.0", ["GO-2031-1"]),  // unfixed range, below the limit
        ("v0.5.9+incompatible", ["GO-2031-1"]),
        ("v0.6.0", []),  // limit reached
        ("v0.6.0-0.20210101000000-abcdef123456", ["GO-2031-1"]),  // pseudo-version before v0.6.0
    ])
    func goSemverAndLimit(version: String, expected: [String]) throws {
        #expect(try ids(version, .gomod, name: "golang.org/x/demo") == expected, "\(version)")
    }

    @Test(arguments: [("0.6.2", []), ("0.6.13", ["RUSTSEC-2031-1"]), ("0.6.14", []), ("1.6.0", ["RUSTSEC-2031-1"]), ("1.6.1", [])])
    func cratesRanges(version: String, expected: [String]) throws {
        #expect(try ids(version, .cargo, name: "smallvec") == expected, "\(version)")
    }

    @Test func findingsCarryFixAndStatusAndStayPerApplication() throws {
        let inventory = Inventory(os: nil, packages: [], applications: [
            app(.cargo, "srv/Cargo.lock", [("smallvec", "1.6.0")]),
            app(.pip, "app/requirements.txt", [("foo-bar", "1.6"), ("foo-bar", "1.0rc1")]),
        ])
        let findings = try VulnerabilityMatcher(database: database).match(inventory)
        #expect(findings.map { "\($0.package.databasePath) \($0.package.name)@\($0.package.version) \($0.vulnerabilityID) \($0.status) \($0.fixedVersion ?? "-")" } == [
            "srv/Cargo.lock smallvec@1.6.0 RUSTSEC-2031-1 fixed 1.6.1",
            "app/requirements.txt foo-bar@1.0rc1 PYSEC-2031-1 fixed 1.0rc2",
            "app/requirements.txt foo-bar@1.6 PYSEC-2031-2 affected -",
        ])
        #expect(findings.first?.dataSource.id == "osv-crates.io")
        #expect(findings[1].title == "boundary test")
        #expect(try VulnerabilityMatcher(database: database).gitOnlyAdvisories(inventory) == ["PYSEC-2031-3 PyPI/foo-bar"])
    }

    @Test func osPackagesAreNotLookedUpInLanguageEcosystems() throws {
        let inventory = Inventory(os: nil, packages: [InstalledPackage(format: .dpkg, name: "smallvec", version: "1.0.0",
            upstreamVersion: "1.0.0", sourceName: "smallvec", sourceVersion: "1.0.0", databasePath: "var/lib/dpkg/status")])
        #expect(try VulnerabilityMatcher(database: database).match(inventory).isEmpty)
    }
}
