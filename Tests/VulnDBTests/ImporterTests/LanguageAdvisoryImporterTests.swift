import Testing
@testable import VulnDB
import VigilCore

/// RubySec, FriendsOfPHP and Node.js security WG advisories, and the CVE-preferred ids of
/// GitHub's OSV records, on small hand-written files in each feed's published shape.
@Suite("Language advisory importers")
struct LanguageAdvisoryImporterTests {
    static func parse(_ path: String, _ text: String) throws -> FeedParseResult {
        let data = Array(text.utf8)
        let format = try #require(FeedImporter.detect(path: path, data: data))
        return try FeedImporter.parseDetailed(path: path, data: data, format: format)
    }

    static let rubysec = """
        ---
        gem: Widget
        cve: 2031-0101
        ghsa: abcd-efgh-ijkl
        url: https://example.invalid/advisory
        title: Widget eats input
        date: 2031-01-02
        description: |
          Widget before 1.2.5 eats input.
        cvss_v3: 7.5
        patched_versions:
          - "~> 1.2.5"
          - '>= 1.3.1'
        unaffected_versions:
          - < 1.0
        related:
          cve:
            - 2031-0102
        """

    @Test("RubySec: requirements kept natively, CVE id with the GHSA id as advisory id, lower-cased gem")
    func rubySec() throws {
        #expect(FeedImporter.detect(path: "gems/widget/CVE-2031-0101.yml", data: Array(Self.rubysec.utf8)) == .rubysec)
        let result = try Self.parse("gems/widget/CVE-2031-0101.yml", Self.rubysec)
        let advisory = try #require(result.batch.advisories.first)
        #expect(result.batch.advisories.count == 1)
        #expect(advisory.vulnerabilityID == "CVE-2031-0101")
        #expect(advisory.advisoryID == "GHSA-abcd-efgh-ijkl")
        #expect(advisory.ecosystem == Ecosystem(family: "RubyGems", release: ""))
        #expect(advisory.packageName == "widget")
        #expect(advisory.unaffectedRanges == ["~> 1.2.5", ">= 1.3.1", "< 1.0"])
        #expect(advisory.vulnerableRanges.isEmpty)
        #expect(advisory.source == "ruby-advisory-db")
        #expect(advisory.vendorSeverity == "HIGH")
        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.id == "CVE-2031-0101")
        #expect(record.aliases == ["GHSA-abcd-efgh-ijkl", "CVE-2031-0102"])
        #expect(record.title == "Widget eats input")
        #expect(record.published == "2031-01-02T00:00:00Z")
        #expect(record.cvss.first?.v3Score == 7.5)
    }

    @Test("RubySec without a CVE: filed under the GHSA id")
    func rubySecGHSAOnly() throws {
        let text = "gem: widget\nghsa: wxyz-wxyz-wxyz\ntitle: t\nurl: u\ndate: 2031-01-02\ndescription: d\npatched_versions: ['>= 2.0']\n"
        let advisory = try #require(try Self.parse("gems/widget/GHSA-wxyz-wxyz-wxyz.yml", text).batch.advisories.first)
        #expect(advisory.vulnerabilityID == "GHSA-wxyz-wxyz-wxyz")
        #expect(advisory.advisoryID == nil)
    }

    static let friendsOfPHP = """
        title:     Sanitiser bypass
        link:      https://example.invalid/sa
        cve:       CVE-2031-0200
        branches:
            1.x:
                time:     2031-01-02 10:00:00
                versions: ['>=1.0.0', '<1.4.2']
            2:
                time:     ~
                versions: [<2.0.3]
        reference: composer://Acme/Sanitiser
        """

    @Test("FriendsOfPHP: one native constraint per branch, lower-cased vendor/name")
    func friendsOfPHPRecord() throws {
        #expect(FeedImporter.detect(path: "acme/sanitiser/CVE-2031-0200.yaml", data: Array(Self.friendsOfPHP.utf8)) == .friendsOfPHP)
        let result = try Self.parse("acme/sanitiser/CVE-2031-0200.yaml", Self.friendsOfPHP)
        let advisory = try #require(result.batch.advisories.first)
        #expect(advisory.vulnerabilityID == "CVE-2031-0200")
        #expect(advisory.packageName == "acme/sanitiser")
        #expect(advisory.ecosystem.family == "Packagist")
        #expect(advisory.vulnerableRanges == [">=1.0.0,<1.4.2", "<2.0.3"])
        #expect(advisory.source == "php-security-advisories")
        #expect(result.batch.vulnerabilities.first?.references == ["https://example.invalid/sa"])
    }

    @Test("FriendsOfPHP without a CVE: an id unique per package")
    func friendsOfPHPWithoutCVE() throws {
        let text = "title: t\nlink: l\ncve: ~\nbranches:\n  1.x:\n    time: ~\n    versions: ['<1.0.1']\nreference: composer://acme/lib\n"
        let advisory = try #require(try Self.parse("acme/lib/2031-01-02.yaml", text).batch.advisories.first)
        #expect(advisory.vulnerabilityID == "PHPSA-acme/lib-2031-01-02")
    }

    static let nswg = """
        {"id": 77, "module_name": "Left-Pad", "cves": ["CVE-2031-0300", "CVE-2031-0301"],
         "vulnerable_versions": "<1.6.5 || >=2.0.0 <2.1.7", "patched_versions": ">=1.6.5 <2.0.0 || >=2.1.7",
         "title": "ReDoS", "overview": "Slow.", "recommendation": "Update.", "references": null,
         "cvss_vector": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "cvss_score": 7.5,
         "publish_date": "1970-01-01", "updated_at": "2031-02-03"}
        """

    @Test("Node.js security WG: one advisory per CVE, NSWG-ECO id kept, node-semver ranges natively")
    func nodeSecurityWG() throws {
        #expect(FeedImporter.detect(path: "vuln/npm/77.json", data: Array(Self.nswg.utf8)) == .nodeSecurityWG)
        let result = try Self.parse("vuln/npm/77.json", Self.nswg)
        #expect(result.batch.advisories.map(\.vulnerabilityID) == ["CVE-2031-0300", "CVE-2031-0301"])
        let advisory = try #require(result.batch.advisories.first)
        #expect(advisory.advisoryID == "NSWG-ECO-77")
        #expect(advisory.packageName == "left-pad")
        #expect(advisory.vulnerableRanges == ["<1.6.5 || >=2.0.0 <2.1.7"])
        #expect(advisory.unaffectedRanges == [">=1.6.5 <2.0.0 || >=2.1.7"])
        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.published == nil, "the 1970-01-01 placeholder is not a date")
        #expect(record.aliases == ["NSWG-ECO-77", "CVE-2031-0301"])
        #expect(record.cvss.first?.v3Score == 7.5)
    }

    @Test("GitHub OSV record: filed under its CVE aliases, the GHSA id as advisory id, severity and CWE kept")
    func ghsaPrefersCVE() throws {
        let text = """
            {"schema_version": "1.4.0", "id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2031-0400"],
             "affected": [{"package": {"ecosystem": "NuGet", "name": "Acme.Json"},
                           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "13.0.1"}]}]}],
             "database_specific": {"severity": "HIGH", "cwe_ids": ["CWE-400"]}}
            """
        let result = try Self.parse("advisories/github-reviewed/2031/01/GHSA-aaaa-bbbb-cccc/GHSA-aaaa-bbbb-cccc.json", text)
        let advisory = try #require(result.batch.advisories.first)
        #expect(advisory.vulnerabilityID == "CVE-2031-0400")
        #expect(advisory.advisoryID == "GHSA-aaaa-bbbb-cccc")
        #expect(advisory.packageName == "acme.json", "NuGet names are case-insensitive")
        #expect(advisory.vendorSeverity == "HIGH")
        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.id == "CVE-2031-0400")
        #expect(record.aliases == ["GHSA-aaaa-bbbb-cccc"])
        #expect(record.cweIDs == ["CWE-400"])
        #expect(record.severity == "HIGH")
    }

    @Test("Malformed advisories: one line naming the file and the line", arguments: [
        ("gems/w/CVE-1.yml", "gem: w\npatched_versions:\n  - '>= 1.0\n", "gems/w/CVE-1.yml:"),
        ("gems/w/CVE-2.yml", "gem: w\npatched_versions:\n  - '>= 1.0'\n  - '=> 2.0'\n", "gems/w/CVE-2.yml:4:"),
        ("gems/w/CVE-3.yml", "gem: w\npatched_versions: {a: 1}\n", "gems/w/CVE-3.yml:2:"),
        ("gems/w/CVE-6.yml", "gem: w\ndescription: |\n  {&var*} is text here\na: &a [x, x]\nb: [*a, *a]\n", "gems/w/CVE-6.yml:4: YAML anchors"),
        ("a/b/CVE-4.yaml", "title: t\nbranches:\n  1.x:\n    versions: ['>=1.0', '<<2']\nreference: composer://a/b\n", "a/b/CVE-4.yaml:4:"),
        ("a/b/CVE-5.yaml", "title: t\nbranches: [1]\nreference: composer://a/b\n", "a/b/CVE-5.yaml:2:"),
        ("vuln/npm/9.json", "{\"id\": 9, \"module_name\": \"x\",\n \"vulnerable_versions\": \">=1.0.0 <<2\"}", "vuln/npm/9.json: NSWG-ECO-9"),
        ("vuln/npm/10.json", "{\"id\": 10, \"module_name\": \"x\",\n \"vulnerable_versions\": \"<2\",,}", "vuln/npm/10.json:2:"),
    ])
    func malformed(path: String, text: String, prefix: String) throws {
        let data = Array(text.utf8)
        let error = try #require(throws: VulnDBError.self) {
            let format = FeedImporter.detect(path: path, data: data) ?? .nodeSecurityWG
            _ = try FeedImporter.parseDetailed(path: path, data: data, format: format)
        }
        #expect(error.description.hasPrefix(prefix), "\(error.description)")
        #expect(!error.description.contains("\n"))
        #expect(error.reason == .malformedFeed)
    }
}
