import Foundation
import ImageFixtures
import Testing
import TestSupport

/// Issue 3's acceptance through the binary: an Ubuntu 14.04 root filesystem scanned against the
/// Ubuntu CVE tracker + Ubuntu OSV data (enriched by NVD) reports Shellshock and the wget
/// path-traversal CVE with severity and description; the fixed bash makes Shellshock disappear.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil), .serialized)
final class UbuntuTrustyScanTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let db: String

    init() throws {
        db = scratch.path + "/vigil.db"
        let run = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/ubuntu"), SharedData.path("data/feeds/nvd")])
        #expect(run.status == 0, "db import failed: \(run.stderr)")
    }

    func scan(bash: String) throws -> [[String: Any]] {
        let root = scratch.path + "/trusty-\(bash)"
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/var/lib/dpkg", withIntermediateDirectories: true)
        try "NAME=\"Ubuntu\"\nVERSION=\"14.04.6 LTS, Trusty Tahr\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"14.04\"\n"
            .write(toFile: root + "/etc/os-release", atomically: true, encoding: .utf8)
        try """
            Package: bash
            Status: install ok installed
            Architecture: amd64
            Version: \(bash)
            Description: GNU Bourne Again SHell

            Package: wget
            Status: install ok installed
            Architecture: amd64
            Version: 1.15-1ubuntu1
            Description: retrieves files from the web

            """.write(toFile: root + "/var/lib/dpkg/status", atomically: true, encoding: .utf8)
        let r = try Run.program(vigil, ["rootfs", root, "-f", "json", "--db", db, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return ((report["Results"] as? [[String: Any]]) ?? []).flatMap { ($0["Vulnerabilities"] as? [[String: Any]]) ?? [] }
    }

    @Test func shellshockAndWgetWithSeverityAndDescription() throws {
        let found = try scan(bash: "4.3-7ubuntu1")
        let shellshock = try #require(found.first { $0["VulnerabilityID"] as? String == "CVE-2014-6271" })
        #expect(shellshock["PkgName"] as? String == "bash")
        #expect(shellshock["FixedVersion"] as? String == "4.3-7ubuntu1.1")
        #expect(shellshock["Severity"] as? String == "HIGH")          // Ubuntu's priority wins for a distro package
        #expect(shellshock["SeveritySource"] as? String == "ubuntu")
        #expect((shellshock["VendorSeverity"] as? [String: Any])?["nvd"] as? Int == 4)
        #expect((shellshock["Description"] as? String)?.contains("GNU Bash through 4.3") == true)
        let wget = try #require(found.first { $0["VulnerabilityID"] as? String == "CVE-2014-4877" })
        #expect(wget["PkgName"] as? String == "wget")
        #expect(wget["Severity"] as? String == "MEDIUM")
        #expect((wget["Description"] as? String)?.isEmpty == false)
    }

    @Test func fixedBashHasNoShellshock() throws {
        let found = try scan(bash: "4.3-7ubuntu1.1")
        #expect(!found.contains { $0["VulnerabilityID"] as? String == "CVE-2014-6271" })
        // later bash fixes are still reported: the scan did run
        #expect(found.contains { $0["PkgName"] as? String == "bash" })
    }
}
