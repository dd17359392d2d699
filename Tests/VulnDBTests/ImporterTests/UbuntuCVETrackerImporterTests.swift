import Testing
@testable import VulnDB
import VigilCore

/// The Ubuntu CVE tracker format, from small files written here.
@Suite struct UbuntuCVETrackerImporterTests {
    static let sample = """
        PublicDateAtUSN: 2031-01-05
        Candidate: CVE-2031-7777
        PublicDate: 2031-01-05 10:55:00 UTC
        References:
         https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2031-7777
         https://ubuntu.com/security/notices/USN-9999-1
        Description:
         Heap overflow in libfoo's parser
         allows remote code execution.
        Ubuntu-Description:
        Notes:
        Priority: medium
        CVSS:
         nvd: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H

        Patches_libfoo:
         upstream: https://example.invalid/commit/1
        Priority_libfoo_xenial: low
        upstream_libfoo: released (1.5)
        trusty_libfoo: released (1.2-1ubuntu0.1)
        trusty/esm_libfoo: released [1.2-1ubuntu0.1]
        xenial_libfoo: needed
        bionic_libfoo: not-affected (code not present)
        focal_libfoo: ignored (end of standard support)
        jammy_libfoo: ignored (superseded by libfoo2)
        noble_libfoo: DNE
        devel_libfoo: needs-triage
        eoan_libfoo: needs-triage
        vivid/ubuntu-core_libfoo: DNE

        Patches_libbar:
        Priority_libbar: high
        trusty_libbar: deferred (2031-02-01)
        xenial_libbar: pending (1.0-2)
        """

    @Test func statusesReleasesAndPriorities() throws {
        let data = Array(Self.sample.utf8)
        #expect(FeedImporter.detect(path: "active/CVE-2031-7777", data: data) == .ubuntuCVETracker)
        let result = try FeedImporter.parseDetailed(path: "active/CVE-2031-7777", data: data, format: .ubuntuCVETracker)
        func advisory(_ package: String, _ family: String, _ release: String) -> AdvisoryRecord? {
            result.batch.advisories.first { $0.packageName == package && $0.ecosystem == Ecosystem(family: family, release: release) }
        }
        let trusty = try #require(advisory("libfoo", "ubuntu", "14.04"))
        #expect(trusty.status == .fixed)
        #expect(trusty.fixedVersion == "1.2-1ubuntu0.1")
        #expect(trusty.vendorSeverity == "medium")
        #expect(trusty.source == "ubuntu")
        #expect(trusty.vulnerabilityID == "CVE-2031-7777")
        #expect(advisory("libfoo", "ubuntu-pro", "14.04")?.fixedVersion == "1.2-1ubuntu0.1")
        let xenial = try #require(advisory("libfoo", "ubuntu", "16.04"))
        #expect(xenial.status == .affected)
        #expect(xenial.vendorSeverity == "low", "Priority_libfoo_xenial overrides Priority")
        #expect(advisory("libfoo", "ubuntu", "18.04")?.status == .notAffected)
        #expect(advisory("libfoo", "ubuntu", "20.04")?.status == .endOfLife)
        #expect(advisory("libfoo", "ubuntu", "22.04")?.status == .willNotFix)
        #expect(advisory("libfoo", "ubuntu", "24.04") == nil, "DNE")
        #expect(advisory("libbar", "ubuntu", "14.04")?.status == .affected)
        #expect(advisory("libbar", "ubuntu", "14.04")?.vendorSeverity == "high", "Priority_libbar")
        #expect(advisory("libbar", "ubuntu", "16.04")?.status == .affected, "pending = fix not yet published")
        #expect(result.batch.advisories.count == 8)
        #expect(result.skipped["needs-triage"] == 1)
        #expect(result.skipped["DNE (package not in release)"] == 1)
        #expect(result.skipped["release 'devel' without an installable Ubuntu version"] == 1)

        let record = try #require(result.batch.vulnerabilities.first)
        #expect(record.id == "CVE-2031-7777")
        #expect(record.description == "Heap overflow in libfoo's parser allows remote code execution.")
        #expect(record.published == "2031-01-05T10:55:00Z")
        #expect(record.references.count == 2)
        #expect(record.severity == "medium")
        #expect(record.cvss == [CVSSRecord(source: "nvd", v3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", v3Score: 9.8)])
    }

    @Test func templatesWithoutCandidateAreSkipped() throws {
        let text = "Candidate: \nPriority: untriaged\n\nPatches_openssl:\nupstream_openssl: needs-triage\n"
        let result = try FeedImporter.parseDetailed(path: "active/00boilerplate.openssl", data: Array(text.utf8), format: .ubuntuCVETracker)
        #expect(result.batch.advisories.isEmpty)
        #expect(result.batch.vulnerabilities.isEmpty)
        #expect(result.skippedCount == 1)
    }

    @Test(arguments: [
        ("Candidate: CVE-2031-1\n\ntrusty_bash: fixed (4.3)\n", 3, "unknown status 'fixed'"),
        ("Candidate: CVE-2031-1\nPriority: low\ntrusty_bash: released 4.3-7ubuntu1.1\n", 3, "malformed released version"),
        ("Candidate: CVE-2031-1\nthis line has no colon\n", 2, "malformed line"),
        ("Candidate: CVE-2031-1\n\n  orphan continuation\n", 3, "indented line outside any field"),
        ("Candidate: CVE-2031-1\n\ntrusty_bash: released ()\n", 3, "released"),
    ])
    func malformedLinesNameFileAndLine(text: String, line: Int, message: String) throws {
        let error = try #require(feedParseError(text, path: "retired/CVE-2031-1", format: .ubuntuCVETracker))
        #expect(error.reason == .malformedFeed)
        #expect(error.description.hasPrefix("retired/CVE-2031-1:\(line): "), "\(error)")
        #expect(error.description.contains(message), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func releaseTable() {
        #expect(UbuntuReleases.ecosystem(forTrackerRelease: "trusty") == Ecosystem(family: "ubuntu", release: "14.04"))
        #expect(UbuntuReleases.ecosystem(forTrackerRelease: "esm-infra/xenial") == Ecosystem(family: "ubuntu-pro", release: "16.04"))
        #expect(UbuntuReleases.ecosystem(forTrackerRelease: "noble") == Ecosystem(family: "ubuntu", release: "24.04"))
        #expect(UbuntuReleases.ecosystem(forTrackerRelease: "upstream") == nil)
        #expect(UbuntuReleases.ecosystem(forTrackerRelease: "vivid/stable-phone-overlay") == nil)
    }
}
