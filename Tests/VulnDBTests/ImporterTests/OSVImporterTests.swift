import Testing
@testable import VulnDB
import VigilCore

@Suite("OSV importer")
struct OSVImporterTests {
    @Test("PyPI record: multiple ranges, last_affected, GIT ignored, versions-only entry")
    func pypi() throws {
        let result = try FeedFixture.parse("osv/PYSEC-2031-77.json")
        let advisories = result.batch.advisories
        #expect(advisories.count == 2)
        #expect(result.skipped == ["affected entry without package ecosystem and name": 1])

        let main = try #require(advisories.first)
        // Filed under its CVE alias (Trivy's rule); the PYSEC id is the advisory id.
        #expect(main.vulnerabilityID == "CVE-2031-4242")
        #expect(main.ecosystem == Ecosystem(family: "PyPI", release: ""))
        #expect(main.packageName == "frobnicate")
        #expect(main.ranges == [
            AffectedRange(introduced: nil, fixed: "1.2.0", type: "ECOSYSTEM"),
            AffectedRange(introduced: "2.0", lastAffected: "2.3.1", type: "ECOSYSTEM"),
        ])
        #expect(main.status == .fixed)
        #expect(main.fixedVersion == "1.2.0")
        #expect(main.affectedVersions == ["1.0", "1.1", "2.0", "2.3.1"])
        #expect(main.vendorSeverity == "MODERATE")
        #expect(main.source == "osv-PyPI")
        #expect(main.advisoryID == "PYSEC-2031-77")

        // Only a GIT range: the listed versions become exact ranges, never "all versions".
        let legacy = try #require(advisories.last)
        #expect(legacy.status == .affected)
        #expect(legacy.ranges == [
            AffectedRange(introduced: "0.1", lastAffected: "0.1"),
            AffectedRange(introduced: "0.2", lastAffected: "0.2"),
        ])
    }

    @Test("PyPI record: vulnerability details, CVSS scores, CWE, timestamps")
    func pypiVulnerability() throws {
        let result = try FeedFixture.parse("osv/PYSEC-2031-77.json")
        let record = try #require(result.batch.vulnerabilities.first)
        #expect(result.batch.vulnerabilities.count == 1)
        #expect(record.id == "CVE-2031-4242")
        #expect(record.title == "frobnicate evaluates templates from untrusted input")
        #expect(record.description?.hasPrefix("frobnicate before 1.2.0") == true)
        #expect(record.aliases == ["PYSEC-2031-77", "GHSA-aaaa-bbbb-cccc"])
        #expect(record.cweIDs == ["CWE-94", "CWE-1336"])
        #expect(record.references == [
            "https://example.invalid/advisories/77", "https://example.invalid/frobnicate/commit/abc123",
        ])
        #expect(record.published == "2031-05-01T10:20:30Z")
        #expect(record.modified == "2031-05-01T22:00:00Z")
        #expect(record.source == "osv-PyPI")
        #expect(record.cvss == [CVSSRecord(
            source: "osv-PyPI", v2Vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", v2Score: 5.0,
            v3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", v3Score: 5.3,
            v40Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")])
    }

    @Test("UBUNTU-CVE id becomes the CVE; Pro and FIPS ecosystems are ubuntu-pro")
    func ubuntuCVE() throws {
        let result = try FeedFixture.parse("osv/UBUNTU-CVE-2031-5555.json")
        let advisories = result.batch.advisories
        #expect(advisories.count == 4)
        #expect(advisories.allSatisfy { $0.vulnerabilityID == "CVE-2031-5555" && $0.source == "ubuntu" })
        #expect(advisories.map(\.ecosystem) == [
            Ecosystem(family: "ubuntu", release: "22.04"), Ecosystem(family: "ubuntu-pro", release: "16.04"),
            Ecosystem(family: "ubuntu-pro", release: "20.04"), Ecosystem(family: "ubuntu", release: "24.10"),
        ])
        #expect(advisories[0].fixedVersion == "3.1-1ubuntu0.1")
        #expect(advisories[0].status == .fixed)
        // Record-level `severity[type=Ubuntu]`, unless the entry has its own ubuntu_priority.
        #expect(advisories[0].vendorSeverity == "medium")
        #expect(advisories[1].vendorSeverity == "low")
        #expect(advisories[1].status == .affected)
        #expect(advisories[1].ranges == [AffectedRange(type: "ECOSYSTEM")])

        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.id == "CVE-2031-5555")
        #expect(record.aliases == ["UBUNTU-CVE-2031-5555"])
        #expect(record.title == nil)
        #expect(record.cvss.first?.v3Score == 9.8)
        #expect(record.source == "ubuntu")
    }

    @Test("vendor-wrapped CVE ids are unwrapped, others kept", arguments: [
        ("UBUNTU-CVE-2021-3782", "CVE-2021-3782"), ("DEBIAN-CVE-2020-1", "CVE-2020-1"),
        ("CVE-2021-1", "CVE-2021-1"), ("GHSA-CVE-x", "CVE-x"), ("ghsa-CVE-1", "ghsa-CVE-1"),
        ("-CVE-1", "-CVE-1"), ("PYSEC-2021-1", "PYSEC-2021-1"),
    ])
    func unwrap(id: String, expected: String) {
        #expect(OSVImporter.Identity.dropVendorPrefix(id) == expected)
    }

    @Test("USN: one advisory per package and CVE, USN as advisoryID")
    func usn() throws {
        let result = try FeedFixture.parse("osv/USN-9999-1.json")
        let advisories = result.batch.advisories
        #expect(advisories.count == 4)
        #expect(advisories.allSatisfy { $0.advisoryID == "USN-9999-1" && $0.packageName == "tinyhttpd" })
        #expect(advisories.map(\.vulnerabilityID) == ["CVE-2031-5555", "CVE-2031-5556", "CVE-2031-5555", "CVE-2031-5556"])
        #expect(advisories.map(\.ecosystem.release) == ["22.04", "22.04", "20.04", "20.04"])
        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.id == "USN-9999-1")
        #expect(record.title == "tinyhttpd vulnerabilities")
        #expect(record.aliases == ["CVE-2031-5555", "CVE-2031-5556"])
    }

    @Test("USN without CVEs keeps its own id")
    func usnWithoutCVE() throws {
        let json = """
        {"id": "USN-1-1", "affected": [{"package": {"ecosystem": "Ubuntu:20.04:LTS", "name": "p"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1"}]}]}]}
        """
        let batch = try FeedImporter.parse(path: "USN-1-1.json", data: Array(json.utf8), format: .osv)
        #expect(batch.advisories.map(\.vulnerabilityID) == ["USN-1-1"])
        #expect(batch.advisories.first?.advisoryID == "USN-1-1")
    }

    @Test("Go record: SEMVER ranges, zero time dropped, related is not an alias")
    func goRecord() throws {
        let result = try FeedFixture.parse("osv/GO-2031-0001.json")
        let advisory = try #require(result.batch.advisories.first)
        #expect(advisory.vulnerabilityID == "CVE-2031-7001")
        #expect(advisory.advisoryID == "GO-2031-0001")
        #expect(advisory.ecosystem == Ecosystem(family: "Go", release: ""))
        #expect(advisory.ranges == [
            AffectedRange(introduced: nil, fixed: "0.4.1", type: "SEMVER"),
            AffectedRange(introduced: "0.5.0", fixed: "0.5.3", type: "SEMVER"),
        ])
        #expect(advisory.fixedVersion == "0.5.3")
        #expect(advisory.source == "osv-Go")
        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.published == nil)
        #expect(record.modified == "2031-07-01T00:00:00Z")
        #expect(record.aliases == ["GO-2031-0001", "GHSA-wxyz-wxyz-wxyz"])
        #expect(record.cvss.isEmpty)
    }

    @Test("ecosystem strings map to families and releases", arguments: [
        ("Ubuntu:14.04:LTS", "ubuntu", "14.04"),
        ("Ubuntu:22.04", "ubuntu", "22.04"),
        ("Ubuntu:Pro:16.04:LTS", "ubuntu-pro", "16.04"),
        ("Ubuntu:Pro:FIPS-updates:22.04:LTS", "ubuntu-pro", "22.04"),
        ("Debian:8", "debian", "8"),
        ("Debian:12", "debian", "12"),
        ("Alpine:v3.16", "alpine", "3.16"),
        ("PyPI", "PyPI", ""),
        ("Go", "Go", ""),
        ("crates.io", "crates.io", ""),
        ("npm", "npm", ""),
        ("Maven", "Maven", ""),
        ("Ubuntu", "Ubuntu", ""),
    ])
    func ecosystems(name: String, family: String, release: String) {
        #expect(OSVImporter.mapEcosystem(name) == Ecosystem(family: family, release: release))
    }

    @Test("a fix-only range and an introduced-only range with a limit")
    func rangeEdges() {
        let (fixedOnly, fixed, _) = OSVImporter.versionRanges([["type": "ECOSYSTEM", "events": [["fixed": "2.0"]]]], ecosystem: "PyPI")
        #expect(fixedOnly == [AffectedRange(fixed: "2.0", type: "ECOSYSTEM")])
        #expect(fixed == "2.0")
        let (open, none, _) = OSVImporter.versionRanges(
            [["type": "SEMVER", "events": [["introduced": "1.5.0"], ["limit": "9.0.0"], ["limit": "10.0.0"]]]], ecosystem: "Go")
        #expect(open == [AffectedRange(introduced: "1.5.0", type: "SEMVER", limit: "10.0.0")])
        #expect(none == nil)
        let (empty, _, git) = OSVImporter.versionRanges("not a list", ecosystem: "PyPI")
        #expect(empty.isEmpty && !git)
    }

    /// The schema's evaluation pseudocode sorts events first and treats a second `introduced`
    /// inside an open range as nothing new (ossf/osv-schema docs/schema.md, "Evaluation").
    @Test("events are sorted by the range's ordering; a repeated introduced does not reopen")
    func unsortedEvents() {
        let (ranges, fixed, _) = OSVImporter.versionRanges([["type": "ECOSYSTEM", "events": [
            ["fixed": "2.10"], ["introduced": "2.9rc1"], ["introduced": "0"], ["fixed": "1.11.1"], ["introduced": "2.9.1"],
        ]]], ecosystem: "PyPI")
        // PEP 440: 1.11.1 < 2.9rc1 < 2.9.1 < 2.10 (a byte sort would put 2.10 before 2.9).
        #expect(ranges == [
            AffectedRange(introduced: nil, fixed: "1.11.1", type: "ECOSYSTEM"),
            AffectedRange(introduced: "2.9rc1", fixed: "2.10", type: "ECOSYSTEM"),
        ])
        #expect(fixed == "2.10")
        let (star, _, _) = OSVImporter.versionRanges(
            [["type": "SEMVER", "events": [["introduced": "1.0.0"], ["limit": "2.0.0"], ["limit": "*"]]]], ecosystem: "crates.io")
        #expect(star == [AffectedRange(introduced: "1.0.0", type: "SEMVER")])
    }

    @Test("an entry with only GIT ranges and no versions is skipped and named")
    func gitOnly() throws {
        let json = """
        {"id": "OSV-2031-9", "affected": [
          {"package": {"ecosystem": "PyPI", "name": "gitonly"},
           "ranges": [{"type": "GIT", "repo": "https://example.invalid/r", "events": [{"introduced": "0"}, {"fixed": "abc123"}]}]},
          {"package": {"ecosystem": "PyPI", "name": "both"},
           "ranges": [{"type": "GIT", "repo": "https://example.invalid/r", "events": [{"introduced": "0"}, {"fixed": "abc123"}]},
                      {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}
        """
        let result = try FeedImporter.parseDetailed(path: "g.json", data: Array(json.utf8), format: .osv)
        #expect(result.batch.advisories.map(\.packageName) == ["both"])
        #expect(result.gitOnlyAdvisories == ["OSV-2031-9 PyPI/gitonly"])
        #expect(result.skipped == ["affected entry with only GIT ranges (commits, not versions)": 1])
    }

    @Test("withdrawn records produce nothing")
    func withdrawn() throws {
        let json = """
        {"id": "PYSEC-1", "withdrawn": "2031-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "PyPI", "name": "p"}, "versions": ["1"]}]}
        """
        let result = try FeedImporter.parseDetailed(path: "w.json", data: Array(json.utf8), format: .osv)
        #expect(result.batch.advisories.isEmpty && result.batch.vulnerabilities.isEmpty)
        #expect(result.skipped == ["withdrawn OSV record": 1])
    }

    @Test("hostile shapes are skipped or ignored, never fatal")
    func hostile() throws {
        let json = """
        {"id": "GHSA-x", "summary": 5, "aliases": "CVE-1", "severity": {"type": "CVSS_V3"},
         "references": [7, {"url": 8}], "published": "yesterday",
         "affected": [5, {"package": "x"}, {"package": {"ecosystem": 3, "name": "a"}},
                      {"package": {"ecosystem": "npm", "name": "b"}, "ranges": [3, {"type": "ECOSYSTEM", "events": [9, {"fixed": 1}]}]},
                      {"package": {"ecosystem": "npm", "name": "c"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0.1"}]}],
                       "versions": [1, "1.0.0"], "database_specific": {"severity": 4}}]}
        """
        let result = try FeedImporter.parseDetailed(path: "h.json", data: Array(json.utf8), format: .osv)
        #expect(result.skippedCount == 4)
        let advisory = try #require(result.batch.advisories.first)
        #expect(result.batch.advisories.count == 1)
        #expect(advisory.packageName == "c")
        #expect(advisory.affectedVersions == ["1.0.0"])
        #expect(advisory.vendorSeverity == nil)
        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.title == nil && record.aliases.isEmpty && record.references.isEmpty && record.published == nil)
    }

    @Test("malformed records name the file", arguments: [
        ("{\"id\": 5}", "r.json: OSV record without a string \"id\""),
        ("{\"affected\": []}", "r.json: OSV record without a string \"id\""),
        ("{\"id\": \"X-1\", \"affected\": {}}", "r.json: X-1: \"affected\" is not a list"),
        ("[]", "r.json: expected a JSON object at the top level"),
    ])
    func malformed(json: String, message: String) throws {
        let error = try #require(feedParseError(json, path: "r.json", format: .osv))
        #expect(error.reason == .malformedFeed)
        #expect(error.message == message)
    }

    @Test("invalid JSON is one line naming the file")
    func invalidJSON() throws {
        let error = try #require(feedParseError("{\n  \"id\": \"X\",\n  oops\n}", path: "bad/osv.json", format: .osv))
        #expect(error.message.hasPrefix("bad/osv.json:3: invalid JSON: "))
        #expect(!error.message.contains("\n"))
    }
}
