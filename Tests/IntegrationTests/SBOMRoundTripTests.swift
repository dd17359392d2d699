import Foundation
import ImageFixtures
import Testing
import TestSupport

/// `vigil sbom` on the CycloneDX and SPDX documents `vigil image` writes gives the image scan's
/// findings and packages back: on the real alpine archive, on images built here with vulnerable
/// OS packages (apk, and dpkg whose source package differs from the binary) and lockfiles, and on
/// the WordPress lab image (software no package manager installed, matched by NVD CPEs).
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil), .serialized)
final class SBOMRoundTripTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let db: String

    init() throws {
        db = scratch.path + "/vigil.db"
        let feeds = ["alpine-secdb", "debian-tracker", "ghsa", "pypi-osv", "nvd/records"].map { SharedData.path("data/feeds/" + $0) }
        let run = try Run.program(vigil, ["db", "import", "--db", db] + feeds)
        try #require(run.status == 0, "db import failed: \(run.stderr)")
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Every finding as one line: class, type, target of language and custom results (the OS
    /// result's target names the input file), id, package, versions.
    func findings(_ report: [String: Any]) -> [String] {
        var lines: [String] = []
        for r in report["Results"] as? [[String: Any]] ?? [] {
            let cls = r["Class"] as? String ?? ""
            let target = cls == "os-pkgs" ? "" : r["Target"] as? String ?? ""
            for v in r["Vulnerabilities"] as? [[String: Any]] ?? [] {
                lines.append([cls, r["Type"] as? String ?? "", target, v["VulnerabilityID"] as? String ?? "", v["PkgName"] as? String ?? "",
                              v["InstalledVersion"] as? String ?? "", v["FixedVersion"] as? String ?? "", v["Status"] as? String ?? ""].joined(separator: " "))
            }
        }
        return lines.sorted()
    }

    func packages(_ report: [String: Any]) -> [String] {
        var lines: [String] = []
        for r in report["Results"] as? [[String: Any]] ?? [] {
            for p in r["Packages"] as? [[String: Any]] ?? [] {
                lines.append("\(r["Type"] as? String ?? "") \(p["Name"] as? String ?? "")@\(p["Version"] as? String ?? "") \(p["SrcName"] as? String ?? "")")
            }
        }
        return lines.sorted()
    }

    /// Scans `image`, writes its SBOMs, scans those, and compares. Returns the image's findings
    /// and packages.
    @discardableResult
    func roundTrip(_ image: String, minimumFindings: Int) throws -> (findings: [String], packages: [String]) {
        let scan = try Run.program(vigil, ["image", "--input", image, "--db", db, "-f", "json", "--list-all-pkgs", "--quiet"])
        try #require(scan.status == 0, "image scan failed: \(scan.stderr)")
        let original = try json(scan.stdout)
        let expected = findings(original)
        #expect(expected.count >= minimumFindings, "\(expected)")
        for (format, name) in [("cyclonedx", "sbom.cdx.json"), ("spdx-json", "sbom.spdx.json")] {
            let sbom = scratch.path + "/" + name
            let write = try Run.program(vigil, ["image", "--input", image, "--db", db, "-f", format, "-o", sbom, "--quiet"])
            try #require(write.status == 0, "\(format): \(write.stderr)")
            let rescan = try Run.program(vigil, ["sbom", sbom, "--db", db, "-f", "json", "--list-all-pkgs", "--quiet"])
            try #require(rescan.status == 0, "vigil sbom \(name) failed: \(rescan.stderr)")
            let again = try json(rescan.stdout)
            #expect(findings(again) == expected, "\(format): findings differ")
            #expect(packages(again) == packages(original), "\(format): packages differ")
            #expect(again["ArtifactType"] as? String == (format == "cyclonedx" ? "cyclonedx" : "spdx"))
            #expect((again["Metadata"] as? [String: Any])?["OS"] as? NSDictionary == (original["Metadata"] as? [String: Any])?["OS"] as? NSDictionary)
        }
        return (expected, packages(original))
    }

    @Test func realAlpineArchive() throws {
        try roundTrip(SharedData.path("data/images/alpine-3.10.4-docker-archive.tar.gz"), minimumFindings: 0)
    }

    @Test func alpineWithVulnerableLibsslAndLockfiles() throws {
        var t = TarBuilder()
        t.file("etc/alpine-release", text: "3.10.2\n")
        t.file("lib/apk/db/installed", text: "P:libssl1.1\nV:1.1.1c-r0\nA:x86_64\no:openssl\n\nP:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\n")
        t.file("srv/app/composer.lock", text: #"{"packages": [{"name": "symfony/http-kernel", "version": "v5.4.0"}]}"#)
        t.file("srv/app/requirements.txt", text: "PyYAML==5.3\n")
        let path = scratch.write("alpine-app.tar", ImageArchiveBuilder(layers: [t.finished()], repoTag: "alpine-app:test").dockerArchive())
        let found = try roundTrip(path, minimumFindings: 3).findings
        // Each kind of package took part: OS, Composer and PyPI findings all came back.
        #expect(found.contains { $0.hasPrefix("os-pkgs alpine") })
        #expect(found.contains { $0.hasPrefix("lang-pkgs composer srv/app/composer.lock") })
        #expect(found.contains { $0.hasPrefix("lang-pkgs pip srv/app/requirements.txt") })
    }

    @Test func debianSourcePackagesAndEpochs() throws {
        var t = TarBuilder()
        t.file("etc/debian_version", text: "8.11\n")
        t.file("etc/os-release", text: "ID=debian\nVERSION_ID=\"8\"\n")
        t.file("var/lib/dpkg/status", text: """
            Package: wget
            Status: install ok installed
            Architecture: amd64
            Version: 1.16-1

            Package: libssl1.0.0
            Status: install ok installed
            Architecture: amd64
            Source: openssl (1.0.1t-1+deb8u6)
            Version: 1.0.1t-1+deb8u6

            Package: libgcrypt20
            Status: install ok installed
            Architecture: amd64
            Version: 1.6.3-2+deb8u4

            """)
        let path = scratch.write("jessie.tar", ImageArchiveBuilder(layers: [t.finished()]).dockerArchive())
        let found = try roundTrip(path, minimumFindings: 2).findings
        // libssl1.0.0 is only matched through its source package, openssl.
        #expect(found.contains { $0.contains(" libssl1.0.0 ") })
    }

    @Test(.enabled(if: UnmanagedFixtures.available)) func wordPressLabImage() throws {
        let image = scratch.path + "/wordpress-lab.tar"
        let build = try Run.program("/usr/bin/env", ["python3", SharedData.repoRoot + "/scripts/build-wordpress-lab-image.py",
                                                     UnmanagedFixtures.packages, SharedData.root, image])
        try #require(build.status == 0, "image build failed: \(build.stderr)")
        let (found, packages) = try roundTrip(image, minimumFindings: 10)
        #expect(found.contains { $0.hasPrefix("custom wordpress ") })
        // The programs built from source came back as the same programs (the sample NVD records
        // hold no CVE for these Debian versions, so they have no findings to compare).
        #expect(packages.filter { $0.hasPrefix("binary ") }.count == 6, "\(packages)")
        #expect(packages.contains { $0.hasPrefix("wordpress-plugin akismet@") })
    }

    @Test(arguments: [
        (#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"purl": "pkg:npm/x@1"}, {"purl": "not a purl"}]}"#,
         "$.components[1].purl: 'not a purl' is not a package URL"),
        (#"{"spdxVersion": "SPDX-2.3", "packages": [{"name": 7}]}"#, "$.packages[0].name: expected a string"),
        ("{\"bomFormat\": \"CycloneDX\",\n\"specVersion\": ", "line 2: "),
    ])
    func malformedSBOMsFailWithTheFileAndPath(_ text: String, _ message: String) throws {
        let file = scratch.write("bad.json", Array(text.utf8))
        let run = try Run.program(vigil, ["sbom", file, "--db", db, "-f", "json"])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("vigil: error: \(file): \(message)"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }
}
