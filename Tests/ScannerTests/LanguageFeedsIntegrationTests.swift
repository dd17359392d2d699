import Analyzers
import ContainerImage
import Foundation
import Scanner
import Testing
import TestSupport
import VulnDB

/// The real PyPI, Go and RustSec feeds from `../shared/data/feeds` imported into a temporary
/// database, then the fixture root filesystem of the analyzer tests scanned against it.
///
/// Every expected id below was checked two ways: by reading the OSV record's ranges, and by an
/// independent evaluation with Python's `packaging` 26.2 and `semver` following the OSV schema's
/// pseudocode. The PEP 440 boundary cases are called out.
@Suite struct LanguageFeedsIntegrationTests {
    static let testsDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.path
    }()

    static let django32 = [
        "PYSEC-2021-109", "PYSEC-2021-439", "PYSEC-2021-7", "PYSEC-2021-8", "PYSEC-2021-98", "PYSEC-2021-99",
        "PYSEC-2022-1", "PYSEC-2022-19", "PYSEC-2022-190", "PYSEC-2022-191", "PYSEC-2022-2", "PYSEC-2022-20",
        "PYSEC-2022-213", "PYSEC-2022-245", "PYSEC-2022-3", "PYSEC-2022-304", "PYSEC-2023-100", "PYSEC-2023-12",
        "PYSEC-2023-13", "PYSEC-2023-222", "PYSEC-2023-225", "PYSEC-2023-226", "PYSEC-2023-61", "PYSEC-2024-28",
        "PYSEC-2024-47",
    ]

    /// Expected `name@version id` per application target.
    static let expected: [String: [String]] = [
        "Python": django32.map { "Django@3.2 \($0)" } + [
            // PYSEC-2019-217 (CVE-2019-10906): [0, 2.10.1); PYSEC-2021-66 (CVE-2020-28493): [0, 2.11.3).
            "Jinja2@2.10 PYSEC-2019-217", "Jinja2@2.10 PYSEC-2021-66",
            // PYSEC-2020-96: [5.1, 5.3.1) and PYSEC-2021-142: [0, 5.4) apply; PYSEC-2020-176
            // [5.1, 5.2b1) does not: 5.2b1 < 5.3 in PEP 440.
            "PyYAML@5.3 PYSEC-2020-96", "PyYAML@5.3 PYSEC-2021-142",
        ],
        "app/requirements.txt": [
            "Flask@1.0 PYSEC-2023-62",
            // 5.2a1 is an alpha of 5.2, so *below* PYSEC-2020-176's fix 5.2b1: affected.
            "pyyaml@5.2a1 PYSEC-2020-176", "pyyaml@5.2a1 PYSEC-2020-96", "pyyaml@5.2a1 PYSEC-2021-142",
            "requests@2.19.1 PYSEC-2018-28", "requests@2.19.1 PYSEC-2023-74",
        ],
        "app/Pipfile.lock": django32.map { "django@3.2.0 \($0)" },  // 3.2.0 == 3.2
        // 2.10.1.post1 is a post-release of PYSEC-2019-217's fix 2.10.1: not affected by it.
        "app/poetry.lock": ["jinja2@2.10.1.post1 PYSEC-2021-66"],
        "srv/go/go.mod": [
            // GO-2021-0113: SEMVER [0, 0.3.7) on golang.org/x/text; the installed "v0.3.5" has the v.
            "golang.org/x/text@v0.3.5 GO-2021-0113",
            // Pseudo-versions of v0.0.0 from 2020 are below every fix in these records.
            "golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9 GO-2021-0356",
            "golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9 GO-2025-4134",
            "golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9 GO-2026-5014",
        ] + ["GO-2021-0238", "GO-2022-0969", "GO-2022-1144", "GO-2023-1571", "GO-2023-2102", "GO-2024-2687", "GO-2026-5028"]
            .map { "golang.org/x/net@v0.0.0-20210226172049-e18ecbb05110 \($0)" },
        // RustSec (`[versions] patched/unaffected`): tokio 1.0.0 is in RUSTSEC-2021-0072
        // (unaffected < 0.3.0, patched from 1.5.1) and RUSTSEC-2021-0124 (patched from 1.8.4), not
        // RUSTSEC-2023-0001 (unaffected < 1.7.0). RUSTSEC-2023-0005 would match by version but is
        // `informational = "unsound"`, which the importer skips as cargo-audit does by default;
        // smallvec 1.6.0 is patched for all four of its advisories (all fixed in 0.6.x).
        "srv/rust/Cargo.lock": ["tokio@1.0.0 RUSTSEC-2021-0072", "tokio@1.0.0 RUSTSEC-2021-0124"],
    ]

    /// The ids a finding carries for a feed's own id, read from the advisory file: its CVE
    /// aliases when it names any (Trivy's rule), else the id itself. The expectations above are
    /// written with the feeds' own ids, which is how they were checked.
    static func findingIDs(_ feedID: String, feeds: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: feeds) else { return [feedID] }
        while let rel = walker.nextObject() as? String {
            let base = (rel as NSString).lastPathComponent
            guard base == feedID + ".json" || base == feedID + ".md" else { continue }
            let text = try String(contentsOfFile: feeds + "/" + rel, encoding: .utf8)
            var aliases: [String] = []
            if base.hasSuffix(".json") {
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                aliases = object?["aliases"] as? [String] ?? []
            } else if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("aliases") }) {
                aliases = line.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            }
            let cves = aliases.filter { $0.hasPrefix("CVE-") }
            return cves.isEmpty ? [feedID] : cves
        }
        return [feedID]
    }

    @Test(.requiresShared("data/feeds/pypi-osv")) func realFeedsAgainstFixtureApplications() throws {
        let feeds = SharedData.path("data/feeds")
        var cache: [String: [String]] = [:]
        func translated(_ lines: [String]) throws -> [String] {
            var out: Set<String> = []
            for line in lines {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                if cache[parts[1]] == nil { cache[parts[1]] = try Self.findingIDs(parts[1], feeds: feeds) }
                for id in cache[parts[1]]! { out.insert(parts[0] + " " + id) }
            }
            return out.sorted()
        }
        let dir = NSTemporaryDirectory() + "vigil-lang-feeds-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let summary = try DatabaseBuilder(destination: dir + "/v.db").build(
            paths: [feeds + "/pypi-osv", feeds + "/go-osv", feeds + "/rustsec"])
        // No GIT-only entry without versions in these feeds (checked with a script over all records).
        #expect(summary.gitOnlyAdvisories.isEmpty)
        let database = try VulnDatabase(readOnlyPath: dir + "/v.db")

        let root = Self.testsDirectory + "/AnalyzersTests/Fixtures/langroot"
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
        let findings = try VulnerabilityMatcher(database: database).match(inventory)

        let cratesImported = try !database.advisories(family: "crates.io", release: "", packages: ["tokio", "smallvec"]).isEmpty
        if !cratesImported {
            print("skipping the Cargo.lock expectations: this build has no importer for RustSec's TOML-in-Markdown advisories")
        }
        for app in inventory.applications {
            if app.type == .cargo, !cratesImported { continue }
            let got = findings.filter { f in
                f.package.format == app.type && (app.type.isIndividualPackage || f.package.databasePath == app.filePath)
            }.map { "\($0.package.name)@\($0.package.version) \($0.vulnerabilityID)" }
            #expect(got.sorted() == (try translated(Self.expected[app.target] ?? [])), "\(app.target)")
        }
        // Every finding has its record's details and a fix where the record gives one.
        let yamlID = try #require(try Self.findingIDs("PYSEC-2020-96", feeds: feeds).first)
        let yaml = try #require(findings.first { $0.package.name == "PyYAML" && $0.vulnerabilityID == yamlID })
        #expect(yaml.advisoryID == (yamlID == "PYSEC-2020-96" ? nil : "PYSEC-2020-96"))
        #expect(yaml.fixedVersion == "5.3.1")
        #expect(yaml.status == "fixed")
        #expect(yaml.dataSource.id == "osv-PyPI")
        let textID = try #require(try Self.findingIDs("GO-2021-0113", feeds: feeds).first)
        let text = try #require(findings.first { $0.vulnerabilityID == textID })
        #expect(text.fixedVersion == "0.3.7")
        #expect(text.title == "Out-of-bounds read in golang.org/x/text/language")
    }
}
