import Analyzers
import Foundation
import Scanner
import Testing
import TestSupport
import VulnDB

/// Vigil's matches on the real language feeds (GitHub's OSV records for every ecosystem,
/// RubySec, FriendsOfPHP, the Node.js security WG, Go's own) against an independent evaluation:
/// `scripts/advisory-oracle.py` reads the advisory files with PyYAML/json and decides with
/// univers' version classes and ranges, for (ecosystem, package, version) triples it draws from
/// the advisories' own bounds. Nothing is typed in: both sides read the same files.
@Suite struct LanguageAdvisoryCrossCheckTests {
    static let feeds = ["ghsa", "go-osv", "rubysec", "composer-friendsofphp", "nodejs-security-wg"]

    static let universAvailable: Bool = {
        (try? Run.program("/usr/bin/env", ["python3", "-c", "import univers, yaml"]).status) == 0
    }()

    struct Triple: Decodable {
        var ecosystem: String
        var package: String
        var version: String
        var ids: [String]
        var twins: [String]
        /// The ids the ecosystem's own implementation gives (node-semver, Composer, RubyGems),
        /// nil where the oracle has no such tool.
        var reference: [String]?
    }

    @Test(.requiresShared("data/feeds/rubysec"), .requiresShared("data/feeds/ghsa"),
          .enabled(if: universAvailable, "needs python3 with univers and PyYAML (pip install univers pyyaml)"))
    func matchesEqualUniversOnTheRealFeeds() throws {
        let root = SharedData.path("data/feeds")
        let oracle = try Run.program("/usr/bin/env", ["python3", SharedData.repoRoot + "/scripts/advisory-oracle.py", root])
        #expect(oracle.status == 0, "\(oracle.stderr)")
        let triples = try oracle.stdout.split(separator: "\n").map { try JSONDecoder().decode(Triple.self, from: Data($0.utf8)) }
        #expect(triples.count > 2000)

        let dir = NSTemporaryDirectory() + "vigil-crosscheck-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let summary = try DatabaseBuilder(destination: dir + "/v.db").build(paths: Self.feeds.map { root + "/" + $0 })
        #expect(summary.bySource["ruby-advisory-db"] != nil && summary.bySource["php-security-advisories"] != nil
                && summary.bySource["nodejs-security-wg"] != nil)
        let matcher = VulnerabilityMatcher(database: try VulnDatabase(readOnlyPath: dir + "/v.db"))

        var disagreements: [String] = []
        var explained: [String] = []
        var byEcosystem: [String: Int] = [:]
        var twins = 0
        for t in triples {
            let pkg = InstalledPackage(format: .gomod, name: t.package, version: t.version, upstreamVersion: t.version,
                                       sourceName: t.package, sourceVersion: t.version, databasePath: "crosscheck")
            // A list, not a set: two findings for one id (a GHSA record and its twin) would show.
            let got = try matcher.matchPackages([pkg], ecosystem: t.ecosystem).map(\.vulnerabilityID).sorted()
            byEcosystem[t.ecosystem, default: 0] += 1
            twins += t.twins.count
            guard got != t.ids else { continue }
            let line = "\(t.ecosystem) \(t.package)@\(t.version): vigil \(got) univers \(t.ids)"
            // univers is known to differ from the ecosystems on Composer's four-part versions,
            // `-p` patch releases and `>=` bounds that include pre-releases: explained when the
            // ecosystem's own implementation sides with Vigil.
            if let reference = t.reference, reference == got { explained.append(line) } else {
                disagreements.append(line + (t.reference.map { " reference \($0)" } ?? ""))
            }
        }
        print("cross-checked \(triples.count) triples \(byEcosystem.sorted { $0.key < $1.key }), \(twins) ids matched by two feeds;",
              "\(explained.count) disagreements with univers explained by the ecosystem's own implementation:\n" + explained.joined(separator: "\n"))
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.prefix(40).joined(separator: "\n"))")
        #expect(twins > 20, "the GHSA/RubySec and GHSA/FriendsOfPHP twins must be exercised")
        for ecosystem in ["npm", "Maven", "RubyGems", "Packagist", "NuGet", "Go", "PyPI"] {
            #expect(byEcosystem[ecosystem, default: 0] > 0, "no triple for \(ecosystem)")
        }
    }
}
