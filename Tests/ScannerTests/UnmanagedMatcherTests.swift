import Analyzers
import Foundation
@testable import Scanner
import Testing
import VulnDB
import VigilCore

/// Matching unmanaged software: NVD configurations (AND with a platform, negation, exact versions,
/// bounds) and Wordfence Intelligence v2 advisories, against databases built from records written
/// here in each feed's documented format.
@Suite struct UnmanagedMatcherTests {
    /// NVD API 2.0 page: a plain range, an AND configuration that needs a Debian 8 platform, an
    /// exact version, and a plugin filed under its author with target_sw wordpress.
    static let nvd = """
        {"resultsPerPage": 4, "startIndex": 0, "totalResults": 4, "format": "NVD_CVE", "version": "2.0", "timestamp": "2031-01-01T00:00:00.000",
         "vulnerabilities": [
          {"cve": {"id": "CVE-2031-1001", "sourceIdentifier": "x", "published": "2031-01-01T00:00:00.000", "lastModified": "2031-01-02T00:00:00.000",
            "descriptions": [{"lang": "en", "value": "Range."}],
            "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1",
              "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8, "baseSeverity": "CRITICAL"}}]},
            "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
              {"vulnerable": true, "criteria": "cpe:2.3:a:php:php:*:*:*:*:*:*:*:*", "versionStartIncluding": "5.6.0", "versionEndExcluding": "5.6.40"}]}]}]}},
          {"cve": {"id": "CVE-2031-1002", "sourceIdentifier": "x", "published": "2031-01-01T00:00:00.000", "lastModified": "2031-01-02T00:00:00.000",
            "descriptions": [{"lang": "en", "value": "Only on Debian 8."}],
            "configurations": [{"operator": "AND", "nodes": [
              {"operator": "OR", "negate": false, "cpeMatch": [{"vulnerable": true, "criteria": "cpe:2.3:a:php:php:*:*:*:*:*:*:*:*", "versionEndIncluding": "7.0.0"}]},
              {"operator": "OR", "negate": false, "cpeMatch": [{"vulnerable": false, "criteria": "cpe:2.3:o:debian:debian_linux:8.0:*:*:*:*:*:*:*"}]}]}]}},
          {"cve": {"id": "CVE-2031-1003", "sourceIdentifier": "x", "published": "2031-01-01T00:00:00.000", "lastModified": "2031-01-02T00:00:00.000",
            "descriptions": [{"lang": "en", "value": "Exact version."}],
            "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
              {"vulnerable": true, "criteria": "cpe:2.3:a:php:php:5.6.27:*:*:*:*:*:*:*"}]}]}]}},
          {"cve": {"id": "CVE-2031-1004", "sourceIdentifier": "x", "published": "2031-01-01T00:00:00.000", "lastModified": "2031-01-02T00:00:00.000",
            "descriptions": [{"lang": "en", "value": "Plugin."}],
            "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
              {"vulnerable": true, "criteria": "cpe:2.3:a:acme:contact_form_7:*:*:*:*:*:wordpress:*:*", "versionEndExcluding": "5.0"}]}]}]}}
         ]}
        """

    /// Wordfence Intelligence v2 (documented fields: software[].type/slug/affected_versions/
    /// patched_versions, cve, cvss, cwe…): one plugin advisory with a CVE NVD also lists, one
    /// without a CVE, one theme advisory that does not reach the installed version.
    static let wordfence = """
        {"6f1c0d52-0000-4000-8000-000000000001": {"id": "6f1c0d52-0000-4000-8000-000000000001", "title": "Contact Form 7 <= 4.9 - XSS",
          "software": [{"type": "plugin", "name": "Contact Form 7", "slug": "contact-form-7",
            "affected_versions": {"* - 4.9": {"from_version": "*", "from_inclusive": true, "to_version": "4.9", "to_inclusive": true}},
            "patched": true, "patched_versions": ["4.9.1"], "remediation": "Update to version 4.9.1, or a newer patched version"}],
          "informational": false, "description": "Stored XSS.", "references": ["https://example.com/a"],
          "cwe": {"id": 79, "name": "Cross-site Scripting", "description": "…"},
          "cvss": {"vector": "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", "score": 5.4, "rating": "Medium"},
          "cve": "CVE-2031-1004", "cve_link": "https://www.cve.org/CVERecord?id=CVE-2031-1004", "researchers": [], "published": "2031-01-03 00:00:00", "updated": "2031-01-04 00:00:00"},
         "6f1c0d52-0000-4000-8000-000000000002": {"id": "6f1c0d52-0000-4000-8000-000000000002", "title": "Contact Form 7 4.0 - 4.6 - CSRF",
          "software": [{"type": "plugin", "name": "Contact Form 7", "slug": "contact-form-7",
            "affected_versions": {"4.0 - 4.6": {"from_version": "4.0", "from_inclusive": true, "to_version": "4.6", "to_inclusive": false}},
            "patched": true, "patched_versions": ["4.6"]}],
          "informational": false, "description": "CSRF.", "references": [], "cwe": {"id": 352, "name": "CSRF", "description": "…"},
          "cvss": {"vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N", "score": 4.3, "rating": "Medium"},
          "cve": null, "cve_link": null, "researchers": [], "published": "2031-01-05 00:00:00", "updated": "2031-01-05 00:00:00"},
         "6f1c0d52-0000-4000-8000-000000000003": {"id": "6f1c0d52-0000-4000-8000-000000000003", "title": "Twenty Sixteen < 1.0",
          "software": [{"type": "theme", "name": "Twenty Sixteen", "slug": "twentysixteen",
            "affected_versions": {"* - 1.0": {"from_version": "*", "from_inclusive": true, "to_version": "1.0", "to_inclusive": false}},
            "patched": true, "patched_versions": ["1.0"]}],
          "informational": false, "description": "Old.", "references": [], "cwe": null, "cvss": null,
          "cve": null, "cve_link": null, "researchers": [], "published": "2031-01-06 00:00:00", "updated": "2031-01-06 00:00:00"}}
        """

    static func database() throws -> VulnDatabase {
        let dir = NSTemporaryDirectory() + "vigil-unmanaged-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/feeds", withIntermediateDirectories: true)
        try nvd.write(toFile: dir + "/feeds/nvd-page.json", atomically: true, encoding: .utf8)
        try wordfence.write(toFile: dir + "/feeds/wordfence.json", atomically: true, encoding: .utf8)
        _ = try DatabaseBuilder(destination: dir + "/v.db").build(paths: [dir + "/feeds"])
        return try VulnDatabase(readOnlyPath: dir + "/v.db")
    }

    static func inventory(_ os: OperatingSystem?, _ software: [UnmanagedSoftware]) -> Inventory {
        var inventory = Inventory(os: os, packages: [])
        inventory.unmanaged = software
        return inventory
    }

    static let php = UnmanagedSoftware(kind: .binary, name: "php", version: "5.6.27", products: [CPEProduct("php", "php")],
                                       path: "usr/local/bin/php", layer: 1)

    func ids(_ findings: [Finding]) -> [String] { findings.map { "\($0.package.name) \($0.vulnerabilityID) \($0.status) \($0.fixedVersion ?? "-")" } }

    @Test func configurationsAreEvaluatedWithThePlatform() throws {
        let matcher = VulnerabilityMatcher(database: try Self.database())
        let debian12 = OperatingSystem(family: "debian", name: "12.8")
        let debian8 = OperatingSystem(family: "debian", name: "8.11")
        let on12 = try matcher.matchUnmanaged(Self.inventory(debian12, [Self.php]))
        #expect(ids(on12) == ["php CVE-2031-1001 fixed 5.6.40", "php CVE-2031-1003 affected -"])
        let on8 = try matcher.matchUnmanaged(Self.inventory(debian8, [Self.php]))
        #expect(Set(ids(on8)) == ["php CVE-2031-1001 fixed 5.6.40", "php CVE-2031-1002 affected -", "php CVE-2031-1003 affected -"])
        let critical = try #require(on12.first { $0.vulnerabilityID == "CVE-2031-1001" })
        #expect(critical.severity == .critical && critical.severitySource == "nvd" && critical.dataSource.id == "nvd")
        #expect(critical.package.format == .unmanaged && critical.package.databasePath == "usr/local/bin/php")
    }

    @Test func pluginsMatchNVDAndWordfenceOnce() throws {
        let matcher = VulnerabilityMatcher(database: try Self.database())
        let plugin = UnmanagedSoftware(kind: .wordpressPlugin, name: "contact-form-7", version: "4.5", products: [CPEProduct("*", "contact_form_7")],
                                       path: "var/www/html/wp-content/plugins/contact-form-7/wp-contact-form-7.php", layer: nil)
        let theme = UnmanagedSoftware(kind: .wordpressTheme, name: "twentysixteen", version: "1.3", products: [CPEProduct("*", "twentysixteen")],
                                      path: "var/www/html/wp-content/themes/twentysixteen/style.css", layer: nil)
        let findings = try matcher.matchUnmanaged(Self.inventory(nil, [plugin, theme]))
        // CVE-2031-1004 from NVD (not again from Wordfence); the CVE-less CSRF advisory by its Wordfence id.
        // Trivy's order: the rated Wordfence finding (MEDIUM) before the unrated NVD one.
        #expect(ids(findings) == ["contact-form-7 6f1c0d52-0000-4000-8000-000000000002 fixed 4.6", "contact-form-7 CVE-2031-1004 fixed 5.0"])
        let csrf = try #require(findings.first)
        #expect(csrf.dataSource.id == "wordfence" && csrf.severity == .medium && csrf.title == "Contact Form 7 4.0 - 4.6 - CSRF")
        #expect(csrf.cweIDs == ["CWE-352"])
    }

    @Test func wordfenceImporterReadsTheDocumentedFields() throws {
        let parsed = try FeedImporter.parseDetailed(path: "wordfence.json", data: Array(Self.wordfence.utf8), format: .wordfence)
        #expect(FeedImporter.detect(path: "wordfence.json", data: Array(Self.wordfence.utf8)) == .wordfence)
        let advisories = parsed.batch.advisories.map { "\($0.ecosystem.release)/\($0.packageName) \($0.vulnerabilityID) \($0.fixedVersion ?? "-") \($0.ranges.map { "\($0.introduced ?? "*")..\($0.fixed ?? $0.lastAffected ?? "*")" })" }
        #expect(advisories == ["plugin/contact-form-7 CVE-2031-1004 4.9.1 [\"*..4.9\"]",
                               "plugin/contact-form-7 6f1c0d52-0000-4000-8000-000000000002 4.6 [\"4.0..4.6\"]",
                               "theme/twentysixteen 6f1c0d52-0000-4000-8000-000000000003 1.0 [\"*..1.0\"]"])
        #expect(parsed.batch.vulnerabilities.first?.published == "2031-01-03T00:00:00Z")
    }
}
