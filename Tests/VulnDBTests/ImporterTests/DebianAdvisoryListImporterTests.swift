import Testing
@testable import VulnDB
import VigilCore

@Suite("DSA/DLA list importer")
struct DebianAdvisoryListImporterTests {
    @Test("DSA fixture: CVE × release lines, tags, advisories without CVEs")
    func dsaFixture() throws {
        let result = try FeedFixture.parse("debian/DSA-sample")
        let advisories = result.batch.advisories
        func find(_ id: String, _ release: String, _ package: String) -> AdvisoryRecord? {
            advisories.first { $0.vulnerabilityID == id && $0.ecosystem.release == release && $0.packageName == package }
        }
        #expect(advisories.count == 9)
        #expect(advisories.allSatisfy { $0.source == "debian" && $0.ecosystem.family == "debian" })

        let gizmo = try #require(find("CVE-2031-1112", "12", "gizmo"))
        #expect(gizmo.status == .fixed)
        #expect(gizmo.fixedVersion == "2.4-1+deb12u1")
        #expect(gizmo.advisoryID == "DSA-9001-1")
        #expect(gizmo.vendorSeverity == nil)
        #expect(find("CVE-2031-1111", "11", "gizmo")?.status == .notAffected)
        #expect(find("CVE-2031-1111", "11", "gizmo")?.fixedVersion == nil)

        // No {CVE} line: the advisory id is the vulnerability id.
        let gadget = try #require(find("DSA-9000-2", "12", "gadget"))
        #expect(gadget.fixedVersion == "1.0-2+deb12u2")
        #expect(gadget.advisoryID == "DSA-9000-2")

        #expect(find("CVE-2031-1111", "11", "widget")?.status == .endOfLife)
        #expect(find("CVE-2031-1111", "10", "widget")?.status == .affected)
        let woody = try #require(find("CVE-2031-1111", "3.0", "widget"))
        #expect(woody.fixedVersion == "0.9-1woody3")
        #expect(woody.vendorSeverity == "medium")

        // Old-style id without a revision.
        #expect(find("CVE-2002-9999", "3.0", "oldpkg")?.advisoryID == "DSA-141")

        // "DSA-8999-1 bullseye end-of-life" is an announcement: nothing from it.
        #expect(!advisories.contains { $0.advisoryID == "DSA-8999-1" })
        #expect(result.skipped == ["unknown Debian release 'potato2'": 1])
    }

    @Test("DSA fixture: vulnerability records gather every advisory that names the CVE")
    func dsaVulnerabilities() throws {
        let result = try FeedFixture.parse("debian/DSA-sample")
        let byID = Dictionary(uniqueKeysWithValues: result.batch.vulnerabilities.map { ($0.id, $0) })
        #expect(Set(byID.keys) == ["CVE-2031-1111", "CVE-2031-1112", "DSA-9000-2", "CVE-2002-9999"])

        let shared = try #require(byID["CVE-2031-1111"])
        #expect(shared.title == nil)
        #expect(shared.references == [
            "https://security-tracker.debian.org/tracker/DSA-9001-1",
            "https://security-tracker.debian.org/tracker/DSA-8998-1",
        ])
        let own = try #require(byID["DSA-9000-2"])
        #expect(own.title == "gadget - regression update")
        #expect(own.published == "2031-02-10T00:00:00Z")
        #expect(own.references == ["https://security-tracker.debian.org/tracker/DSA-9000-2"])
        #expect(own.source == "debian")
    }

    @Test("DLA fixture: -lts and -security suites, blank lines, spaces in braces")
    func dlaFixture() throws {
        let result = try FeedFixture.parse("debian/DLA-sample")
        let advisories = result.batch.advisories
        #expect(advisories.map(\.ecosystem.release) == ["6", "7", "6"])
        #expect(advisories.map(\.vulnerabilityID) == ["CVE-2032-2000", "CVE-2032-2000", "CVE-2032-1999"])
        #expect(advisories.map(\.advisoryID) == ["DLA-4001-1", "DLA-4001-1", "DLA-4000-1"])
        #expect(advisories.last?.fixedVersion == "2.0-1+deb6u3")
        #expect(result.skippedCount == 0)
    }

    @Test("CRLF line ends and a release line that lost its indentation")
    func tolerance() throws {
        let text = "[01 Jan 2030] DSA-1-1 p - t\r\n\t{CVE-2030-1}\r\n[buster] - p 1.0-1\r\n"
        let batch = try FeedImporter.parse(path: "DSA-list", data: Array(text.utf8), format: .debianAdvisoryList)
        #expect(batch.advisories.count == 1)
        #expect(batch.advisories.first?.fixedVersion == "1.0-1")
        #expect(batch.advisories.first?.ecosystem.release == "10")
    }

    @Test("malformed lines name the file and 1-based line", arguments: [
        ("[14 Feb 2031] DSA-1-1 a - b\n\t{CVE-2031-1\n", "DSA-list:2: CVE list without closing '}'"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\t{CVE-2031-1}\n\t[bookworm] - a\n", "DSA-list:3: missing version for a in [bookworm]"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\t[bookworm] a 1.0\n", "DSA-list:2: expected ' - ' after [bookworm]"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\t[bookworm] -\n", "DSA-list:2: missing package name after [bookworm] -"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\t[bookworm] - a 1.0 extra words\n", "DSA-list:2: unexpected text 'extra words' after the version"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\t[bookworm] - a 1.0 (medium\n", "DSA-list:2: unclosed '(' in release line"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\t[bookworm - a 1.0\n", "DSA-list:2: release line without closing ']'"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\tsomething odd\n", "DSA-list:2: unrecognised line (expected {CVE…}, [release] - package version, or NOTE:)"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\n\ngarbage\n", "DSA-list:4: unrecognised line (expected an advisory header '[dd Mon yyyy] DSA-…')"),
        ("[31 Foo 2031] DSA-1-1 a - b\n", "DSA-list:1: malformed advisory date '31 Foo 2031'"),
        ("[14 Feb 2031 DSA-1-1 a - b\n", "DSA-list:1: advisory header without closing ']'"),
        ("[14 Feb 2031] dsa-1 a - b\n", "DSA-list:1: missing or malformed advisory id after the date"),
        ("[14 Feb 2031]\n", "DSA-list:1: missing or malformed advisory id after the date"),
        ("\t{CVE-2031-1}\n", "DSA-list:1: CVE list before any advisory header"),
        ("\t[bookworm] - a 1.0\n", "DSA-list:1: release line before any advisory header"),
        ("[14 Feb 2031] DSA-1-1 a - b\n\t[bookworm] - a <unfixed\n", "DSA-list:2: unclosed '<' in '<unfixed'"),
    ])
    func malformed(text: String, message: String) throws {
        let error = try #require(feedParseError(text, path: "DSA-list", format: .debianAdvisoryList))
        #expect(error.reason == .malformedFeed)
        #expect(error.message == message)
    }

    @Test("unknown tags are skipped and counted")
    func unknownTag() throws {
        let text = "[14 Feb 2031] DSA-1-1 a - b\n\t[bookworm] - a <removed>\n\t[bookworm] - a <itp>\n"
        let result = try FeedImporter.parseDetailed(path: "DSA-list", data: Array(text.utf8), format: .debianAdvisoryList)
        #expect(result.batch.advisories.isEmpty)
        #expect(result.skipped == ["unknown release tag <removed>": 1, "unknown release tag <itp>": 1])
    }

    @Test("empty input gives an empty batch")
    func empty() throws {
        let batch = try FeedImporter.parse(path: "DSA-list", data: [], format: .debianAdvisoryList)
        #expect(batch.advisories.isEmpty && batch.vulnerabilities.isEmpty)
    }
}
