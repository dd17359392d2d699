import Foundation
import ImageFixtures
import Testing
import TestSupport

/// `vigil report …` and the report formats of the scan commands, through the real binary: a
/// database built from the real alpine, Ubuntu OSV and CWE feeds, the alpine archive's report (no
/// findings against that data, see docs/scanning.md), an Ubuntu 20.04 image built here whose
/// packages the Ubuntu OSV records affect, and a small report written here whose categories are known.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil), .serialized)
final class ReportCommandTests {
    let scratch = ScratchDirectory()
    /// alpine secdb, Ubuntu OSV and the MITRE CWE catalogue.
    let db: String
    /// Ubuntu OSV only: no CWE catalogue.
    let bareDB: String
    /// Ubuntu 20.04 with sudo (CVE-2021-3156), wayland (CVE-2021-3782) and dietlibc (CVE-2016-20013).
    let focalImage: String
    let vigil = SharedData.vigilBinary!

    init() throws {
        db = scratch.path + "/vigil.db"
        bareDB = scratch.path + "/bare.db"
        let run = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/alpine-secdb"),
                                          SharedData.path("data/feeds/ubuntu/osv"), SharedData.path("data/feeds/cwe")])
        #expect(run.status == 0, "db import failed: \(run.stderr)")
        let bare = try Run.program(vigil, ["db", "import", "--db", bareDB, SharedData.path("data/feeds/ubuntu/osv")])
        #expect(bare.status == 0, "db import failed: \(bare.stderr)")
        var t = TarBuilder()
        t.file("etc/os-release", text: "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"20.04\"\nVERSION_CODENAME=focal\n")
        t.file("var/lib/dpkg/status", text: """
            Package: sudo
            Status: install ok installed
            Architecture: amd64
            Version: 1.8.31-1ubuntu1

            Package: libwayland-client0
            Status: install ok installed
            Architecture: amd64
            Source: wayland
            Version: 1.18.0-1

            Package: dietlibc-dev
            Status: install ok installed
            Architecture: amd64
            Source: dietlibc
            Version: 0.34~cvs20160606-12

            """)
        focalImage = scratch.write("focal.tar", ImageArchiveBuilder(layers: [t.finished()], repoTag: "focal-app:1").dockerArchive())
    }

    var alpineArchive: String { SharedData.path("data/images/alpine-3.10.4-docker-archive.tar.gz") }

    func vigilRun(_ args: [String]) throws -> Run { try Run.program(vigil, args) }

    func object(_ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func object(text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func vulnerabilities(_ report: [String: Any]) -> [[String: Any]] {
        ((report["Results"] as? [[String: Any]]) ?? []).flatMap { ($0["Vulnerabilities"] as? [[String: Any]]) ?? [] }
    }

    /// Five findings whose categories follow from docs/categories.md. CVE-2031-0001's CWE-23 maps
    /// only through its parent CWE-22, so it is `path-traversal` with the CWE catalogue and `other`
    /// without it (its text says nothing).
    static let smallReport = """
        {
          "SchemaVersion": 2,
          "ArtifactName": "registry.example/wp:6.4",
          "ArtifactType": "container_image",
          "Results": [
            {
              "Target": "registry.example/wp:6.4 (debian 12.5)",
              "Class": "os-pkgs",
              "Type": "debian",
              "Vulnerabilities": [
                {"VulnerabilityID": "CVE-2031-0001", "PkgName": "libarchive13", "InstalledVersion": "3.6.2-1", "FixedVersion": "3.6.2-1+deb12u1",
                 "Title": "libarchive: flaw in the extractor", "Description": "A flaw in the extractor of libarchive.", "Severity": "HIGH", "CweIDs": ["CWE-23"]},
                {"VulnerabilityID": "CVE-2031-0002", "PkgName": "sudo", "InstalledVersion": "1.9.13p3-1",
                 "Description": "The sudoedit option allows local users to gain root privileges.", "Severity": "HIGH"},
                {"VulnerabilityID": "CVE-2031-0004", "PkgName": "libpng16-16", "InstalledVersion": "1.6.39-2", "FixedVersion": "1.6.39-2+deb12u1",
                 "Description": "A heap-based buffer overflow allows remote attackers to execute arbitrary code.", "Severity": "MEDIUM", "CweIDs": ["CWE-787"]},
                {"VulnerabilityID": "CVE-2031-0005", "PkgName": "libcurl4", "InstalledVersion": "7.88.1-10",
                 "Description": "Man-in-the-middle attackers can spoof servers because certificate validation is skipped.", "Severity": "LOW", "CweIDs": ["CWE-295"]}
              ]
            },
            {
              "Target": "usr/local/bin/wp-cli",
              "Class": "lang-pkgs",
              "Type": "gobinary",
              "Vulnerabilities": [
                {"VulnerabilityID": "CVE-2031-0003", "PkgName": "golang.org/x/net", "InstalledVersion": "v0.17.0", "FixedVersion": "0.23.0",
                 "Description": "Crafted HTTP/2 frames cause a denial of service (crash).", "Severity": "CRITICAL", "CweIDs": ["NVD-CWE-noinfo"]}
              ]
            }
          ]
        }

        """

    func writeSmallReport() -> String { scratch.write("small.json", Array(Self.smallReport.utf8)) }

    func ids(_ path: String) throws -> Set<String> { Set(vulnerabilities(try object(path)).map { $0["VulnerabilityID"] as! String }) }

    @Test func splitByCategoryGivesTheSeedsFileNames() throws {
        let report = writeSmallReport()
        let out = scratch.path + "/split"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let run = try vigilRun(["report", "split", report, "--by", "category", "--prefix", "wp_", "--out-dir", out, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["wp_bo_vulns.json", "wp_dos_vulns.json", "wp_info_vulns.json", "wp_injection_vulns.json", "wp_mitm_vulns.json",
                          "wp_other_vulns.json", "wp_pe_vulns.json", "wp_rce_vulns.json", "wp_traversal_vulns.json"])
        let expected: [String: Set<String>] = [
            "bo": ["CVE-2031-0004"], "dos": ["CVE-2031-0003"], "pe": ["CVE-2031-0002"], "mitm": ["CVE-2031-0005"],
            "rce": ["CVE-2031-0004"], "info": [], "traversal": ["CVE-2031-0001"], "injection": [], "other": [],
        ]
        for (group, want) in expected {
            #expect(try ids(out + "/wp_\(group)_vulns.json") == want, "\(group)")
            #expect(run.stdout.contains(out + "/wp_\(group)_vulns.json\t\(want.count)\n"), "\(run.stdout)")
        }
        // Each file is the report restricted to the group, Categories added.
        let bo = try object(out + "/wp_bo_vulns.json")
        #expect(bo["ArtifactName"] as? String == "registry.example/wp:6.4")
        #expect(vulnerabilities(bo).first?["Categories"] as? [String] == ["buffer-overflow", "code-execution"])
    }

    @Test func withoutTheCWECatalogueTheHierarchyIsMissedAndSaidSo() throws {
        let report = writeSmallReport()
        let out = scratch.path + "/bare-split"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let run = try vigilRun(["report", "split", report, "--by", "category", "--prefix", "wp_", "--out-dir", out, "--db", bareDB])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("vigil: warning: \(bareDB) has no CWE catalogue"), "\(run.stderr)")
        #expect(try ids(out + "/wp_traversal_vulns.json").isEmpty)
        #expect(try ids(out + "/wp_other_vulns.json") == ["CVE-2031-0001"])
        // CWE-787 is in the mapping table itself: no hierarchy needed.
        #expect(try ids(out + "/wp_bo_vulns.json") == ["CVE-2031-0004"])
        // --quiet silences the warning; an explicit --db that does not exist is an error.
        let quiet = try vigilRun(["report", "summary", report, "--db", bareDB, "--quiet"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        let missing = try vigilRun(["report", "summary", report, "--db", scratch.path + "/nope.db"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "vigil: error: \(scratch.path)/nope.db: no such database\n")
    }

    @Test func splitOfTheAlpineArchiveReport() throws {
        let report = scratch.path + "/alpine.json"
        let scan = try vigilRun(["image", "--input", alpineArchive, "-f", "json", "-o", report, "--db", db, "--quiet"])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(vulnerabilities(try object(report)).isEmpty, "docs/scanning.md: no findings for this image against this data")
        let out = scratch.path + "/alpine-split"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let run = try vigilRun(["report", "split", report, "--by", "category", "--prefix", "wp_", "--out-dir", out, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        // An empty list is an answer too: all nine files, each the report's header without Results.
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.count == 9 && files.contains("wp_bo_vulns.json") && files.contains("wp_pe_vulns.json"))
        for file in files {
            let split = try object(out + "/" + file)
            #expect(split["ArtifactName"] as? String == SharedData.path("data/images/alpine-3.10.4-docker-archive.tar.gz"))
            #expect(split["Results"] == nil)
        }
    }

    @Test func splitOfAScanReportPartitionsIt() throws {
        let report = scratch.path + "/focal.json"
        let scan = try vigilRun(["image", "--input", focalImage, "-f", "json", "-o", report, "--db", db, "--quiet"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let all = vulnerabilities(try object(report))
        #expect(Set(all.map { $0["VulnerabilityID"] as! String }) == ["CVE-2021-3156", "CVE-2021-3782", "CVE-2016-20013"])
        #expect(all.first { $0["VulnerabilityID"] as? String == "CVE-2021-3156" }?["Categories"] as? [String]
                == ["buffer-overflow", "privilege-escalation"])
        for by in ["category", "severity", "package"] {
            let out = scratch.path + "/focal-" + by
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let run = try vigilRun(["report", "split", report, "--by", by, "--prefix", "f_", "--out-dir", out, "--db", db])
            #expect(run.status == 0, "\(run.stderr)")
            var seen: [String: Int] = [:]
            var rows = 0
            for line in run.stdout.split(separator: "\n") {
                let parts = line.split(separator: "\t")
                let path = String(parts[0])
                #expect(path.hasPrefix(out + "/f_") && path.hasSuffix("_vulns.json"))
                let vulns = vulnerabilities(try object(path))
                #expect(vulns.count == Int(parts[1]))
                rows += vulns.count
                for v in vulns { seen[v["VulnerabilityID"] as! String + " " + (v["PkgName"] as! String), default: 0] += 1 }
            }
            // Every finding lands somewhere; severity and package split partition the report.
            #expect(Set(seen.keys) == Set(all.map { ($0["VulnerabilityID"] as! String) + " " + ($0["PkgName"] as! String) }))
            if by == "category" {
                #expect(run.stdout.split(separator: "\n").count == 9)
                #expect(rows == all.reduce(0) { $0 + (($1["Categories"] as? [String])?.count ?? 0) })
            } else {
                #expect(rows == all.count, "\(by)")
            }
            if by == "package" {
                #expect(run.stdout.contains(out + "/f_sudo_vulns.json\t1\n"), "\(run.stdout)")
            }
        }
    }

    @Test func summaryCountsBySeverityAndCategory() throws {
        let report = writeSmallReport()
        let json = try vigilRun(["report", "summary", report, "--format", "json", "--db", db])
        #expect(json.status == 0, "\(json.stderr)")
        let summary = try object(text: json.stdout)
        #expect(summary["Total"] as? Int == 5)
        let severities = try #require(summary["Severities"] as? [String: Int])
        #expect(severities["HIGH"] == 2 && severities["CRITICAL"] == 1 && severities["MEDIUM"] == 1 && severities["LOW"] == 1)
        let categories = try #require(summary["Categories"] as? [String: [String: Int]])
        #expect(categories["path-traversal"]?["HIGH"] == 1)
        #expect(categories["code-execution"]?["MEDIUM"] == 1)
        let text = try vigilRun(["report", "summary", report, "--db", db])
        #expect(text.status == 0)
        let last = text.stdout.split(separator: "\n").first { $0.hasPrefix("all vulnerabilities") }
        #expect(last?.split(separator: " ").map(String.init) == ["all", "vulnerabilities", "1", "2", "1", "1", "0", "5"], "\(text.stdout)")
    }

    @Test func diffShowsFixedIntroducedAndSeverityChanges() throws {
        let old = writeSmallReport()
        let newText = Self.smallReport
            .replacingOccurrences(of: "CVE-2031-0002", with: "CVE-2031-0099")
            .replacingOccurrences(of: "\"Severity\": \"LOW\"", with: "\"Severity\": \"HIGH\"")
        let new = scratch.write("new.json", Array(newText.utf8))
        let run = try vigilRun(["report", "diff", old, new])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Fixed: 1  Introduced: 1  Unchanged: 4\n"), "\(run.stdout)")
        #expect(run.stdout.contains("CVE-2031-0002  sudo 1.9.13p3-1"))
        #expect(run.stdout.contains("CVE-2031-0099  sudo 1.9.13p3-1"))
        #expect(run.stdout.contains("CVE-2031-0005  libcurl4 7.88.1-10  (was LOW)"))
        let json = try object(text: try vigilRun(["report", "diff", old, new, "--format", "json"]).stdout)
        #expect((json["Fixed"] as? [[String: Any]])?.map { $0["VulnerabilityID"] as? String } == ["CVE-2031-0002"])
    }

    @Test(arguments: ["sarif", "cyclonedx", "spdx-json", "html", "json"])
    func convertAndScanGiveTheSameFormats(format: String) throws {
        let report = writeSmallReport()
        let out = scratch.path + "/small." + format
        let run = try vigilRun(["report", "convert", report, "-f", format, "-o", out, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        switch format {
        case "sarif":
            let runs = try #require(try object(text: text)["runs"] as? [[String: Any]])
            #expect((runs.first?["results"] as? [Any])?.count == 5)
        case "cyclonedx":
            let bom = try object(text: text)
            #expect(bom["bomFormat"] as? String == "CycloneDX")
            #expect((bom["vulnerabilities"] as? [Any])?.count == 5)
        case "spdx-json":
            #expect(try object(text: text)["spdxVersion"] as? String == "SPDX-2.3")
        case "html":
            #expect(text.contains("Content-Security-Policy"))
            #expect(text.contains("CVE-2031-0001"))
        default:
            let vulns = vulnerabilities(try object(text: text))
            #expect(vulns.first { $0["VulnerabilityID"] as? String == "CVE-2031-0001" }?["Categories"] as? [String] == ["path-traversal"])
        }
        // The scan commands write the same format from their own report.
        let scanOut = scratch.path + "/focal." + format
        let scan = try vigilRun(["image", "--input", focalImage, "-f", format, "-o", scanOut, "--db", db, "--quiet"])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.isEmpty)
        let scanned = try String(contentsOfFile: scanOut, encoding: .utf8)
        #expect(scanned.contains("CVE-2021-3156"))
        if format != "html" { _ = try object(text: scanned) }
    }

    @Test func categoryFilterOnScans() throws {
        func ids(_ args: [String]) throws -> [String] {
            let run = try vigilRun(["image", "--input", focalImage, "-f", "json", "--db", db, "--quiet"] + args)
            #expect(run.status == 0, "\(run.stderr)")
            return vulnerabilities(try object(text: run.stdout)).map { $0["VulnerabilityID"] as! String }.sorted()
        }
        #expect(try ids([]) == ["CVE-2016-20013", "CVE-2021-3156", "CVE-2021-3782"])
        #expect(try ids(["--category", "pe"]) == ["CVE-2021-3156"])
        #expect(try ids(["--category", "denial-of-service"]) == ["CVE-2016-20013"])
        // Names are a union, comma-separated or repeated; the table and --exit-code follow the filter.
        #expect(try ids(["--category", "pe,dos"]) == ["CVE-2016-20013", "CVE-2021-3156"])
        #expect(try ids(["--category", "other", "--category", "bo"]) == ["CVE-2021-3156", "CVE-2021-3782"])
        let table = try vigilRun(["image", "--input", focalImage, "--category", "pe", "--db", db, "--quiet"])
        #expect(table.stdout.contains("Total: 1 (") && table.stdout.contains("CVE-2021-3156"), "\(table.stdout)")
        let none = try vigilRun(["image", "--input", focalImage, "--category", "traversal,mitm", "--exit-code", "3", "--db", db, "--quiet"])
        #expect(none.status == 0)
        let some = try vigilRun(["image", "--input", focalImage, "--category", "bo", "--exit-code", "3", "--db", db, "--quiet"])
        #expect(some.status == 3)
        // Unknown names are a usage error before the image is read.
        let bad = try vigilRun(["image", "--input", scratch.path + "/no-such-image.tar", "--category", "dos,rootkit", "--db", db])
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix("vigil: error: unknown category 'rootkit'; expected one of buffer-overflow (bo)"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    @Test func badReportsAreOneLineErrorsWithNoOutput() throws {
        let truncated = scratch.write("truncated.json", Array(Self.smallReport.prefix(900).utf8))
        let out = scratch.path + "/bad-split"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let split = try vigilRun(["report", "split", truncated, "--by", "severity", "--prefix", "wp_", "--out-dir", out, "--db", db])
        #expect(split.status == 1)
        #expect(split.stderr.hasPrefix("vigil: error: \(truncated):"), "\(split.stderr)")
        #expect(split.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty, "no partial output")
        let target = scratch.path + "/bad.sarif"
        let convert = try vigilRun(["report", "convert", truncated, "-f", "sarif", "-o", target, "--db", db])
        #expect(convert.status == 1)
        #expect(convert.stderr.hasPrefix("vigil: error: \(truncated):"), "\(convert.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))
        let notObject = scratch.write("array.json", Array("[1, 2]\n".utf8))
        let convert2 = try vigilRun(["report", "convert", notObject, "-f", "html", "--db", db])
        #expect(convert2.status == 1 && convert2.stdout.isEmpty)
        #expect(convert2.stderr == "vigil: error: \(notObject):1: not a Trivy-shaped report: expected a JSON object\n")
        // A scan that fails writes no report file in any format.
        let broken = scratch.write("broken.tar.gz", [0x1f, 0x8b, 0x08, 0x00, 0x01])
        let scanTarget = scratch.path + "/broken.html"
        let scan = try vigilRun(["image", "--input", broken, "-f", "html", "-o", scanTarget, "--db", db])
        #expect(scan.status == 1)
        #expect(!FileManager.default.fileExists(atPath: scanTarget))
        let noDir = try vigilRun(["report", "split", writeSmallReport(), "--by", "package", "--out-dir", scratch.path + "/absent", "--db", db])
        #expect(noDir.status == 1)
        #expect(noDir.stderr == "vigil: error: \(scratch.path)/absent: no such directory (--out-dir)\n")
    }
}
