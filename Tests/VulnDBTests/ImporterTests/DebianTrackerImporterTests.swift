import Testing
@testable import VulnDB
import VigilCore

@Suite("Debian tracker JSON importer")
struct DebianTrackerImporterTests {
    @Test("statuses, releases and urgencies map as documented")
    func fixture() throws {
        let result = try FeedFixture.parse("debian/tracker-sample.json")
        let advisories = result.batch.advisories
        func at(_ release: String, _ id: String = "CVE-2033-1000") -> AdvisoryRecord? {
            advisories.first { $0.ecosystem.release == release && $0.vulnerabilityID == id }
        }
        #expect(advisories.count == 6)
        #expect(advisories.allSatisfy { $0.source == "debian" && $0.ecosystem.family == "debian" && $0.packageName == "toolbox" })

        let fixed = try #require(at("12"))
        #expect(fixed.status == .fixed)
        #expect(fixed.fixedVersion == "1.2-2")
        #expect(fixed.vendorSeverity == "high**")

        #expect(at("11")?.status == .notAffected)
        #expect(at("11")?.fixedVersion == nil)
        #expect(at("11")?.vendorSeverity == "unimportant")

        // Open with nodsa (postponed) stays affected.
        #expect(at("10")?.status == .affected)
        #expect(at("10")?.vendorSeverity == "low")

        #expect(at("9")?.status == .endOfLife)
        #expect(at("sid")?.status == .affected)
        #expect(at("sid")?.vendorSeverity == "not yet assigned")

        // TEMP- ids are kept; `trixie-security` is trixie.
        #expect(at("13", "TEMP-0900002-ABCDEF")?.status == .affected)

        #expect(result.skipped == ["unknown Debian release 'hamm2'": 1])
    }

    @Test("one VulnerabilityRecord per id, first description wins in package order")
    func vulnerabilities() throws {
        let result = try FeedFixture.parse("debian/tracker-sample.json")
        let ids = result.batch.vulnerabilities.map(\.id)
        #expect(ids == ["CVE-2033-1000", "TEMP-0900002-ABCDEF"])
        let cve = try #require(result.batch.vulnerabilities.first)
        #expect(cve.description == "Toolbox mishandles very long names.")
        #expect(cve.source == "debian")
        #expect(cve.references == ["https://security-tracker.debian.org/tracker/CVE-2033-1000"])
    }

    @Test("wrong shapes are skipped; a non-object top level is an error")
    func hostile() throws {
        let json = """
        {"a": 5, "b": {"CVE-1": "x", "CVE-2": {"releases": {"jessie": 3, "stretch": {"status": 9},
          "buster": {"status": "resolved"}, "bullseye": {"status": "weird"}}}}}
        """
        let result = try FeedImporter.parseDetailed(path: "t.json", data: Array(json.utf8), format: .debianTrackerJSON)
        #expect(result.batch.advisories.isEmpty)
        #expect(result.batch.vulnerabilities.map(\.id) == ["CVE-2"])
        #expect(result.skippedCount == 6)

        let array = try #require(feedParseError("[1, 2]", path: "arr.json", format: .debianTrackerJSON))
        #expect(array.message == "arr.json: expected a JSON object at the top level")
        let broken = try #require(feedParseError("{\"a\": {", path: "broken.json", format: .debianTrackerJSON))
        #expect(broken.reason == .malformedFeed)
        #expect(broken.message.hasPrefix("broken.json:1: invalid JSON"))
        #expect(!broken.message.contains("\n"))
    }

    @Test("codenames map to release numbers, suites to their base release", arguments: [
        ("buzz", "1.1"), ("hamm", "2.0"), ("potato", "2.2"), ("woody", "3.0"), ("sarge", "3.1"),
        ("etch", "4"), ("squeeze", "6"), ("squeeze-lts", "6"), ("wheezy-security", "7"),
        ("jessie", "8"), ("bookworm", "12"), ("trixie", "13"), ("forky", "14"), ("sid", "sid"),
        ("Bullseye", "11"),
    ])
    func codenames(codename: String, release: String) {
        #expect(DebianReleases.release(forCodename: codename) == release)
    }

    @Test("unknown codenames have no release")
    func unknownCodename() {
        #expect(DebianReleases.release(forCodename: "experimental") == nil)
        #expect(DebianReleases.release(forCodename: "") == nil)
        #expect(DebianReleases.release(forCodename: "-lts") == nil)
    }
}
