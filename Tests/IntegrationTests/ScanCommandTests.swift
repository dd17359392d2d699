import Foundation
import SystemIO
import ImageFixtures
import Testing
import TestSupport

/// End to end through the real `vigil` binary: build a database from the real feeds, scan real
/// and constructed images, and check findings against the feeds themselves.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil), .serialized)
final class ScanCommandTests {
    let scratch = ScratchDirectory()
    let db: String
    let vigil = SharedData.vigilBinary!

    init() throws {
        db = scratch.path + "/vigil.db"
        let run = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/alpine-secdb"),
                                          SharedData.path("data/feeds/debian-tracker"), SharedData.path("data/feeds/ubuntu/osv")])
        #expect(run.status == 0, "db import failed: \(run.stderr)")
    }

    func scan(_ args: [String]) throws -> Run { try Run.program(vigil, args + ["--db", db, "--quiet"]) }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func vulnerabilities(_ report: [String: Any]) -> [[String: Any]] {
        ((report["Results"] as? [[String: Any]])?.first?["Vulnerabilities"] as? [[String: Any]]) ?? []
    }

    @Test func dbInfoListsSources() throws {
        let run = try Run.program(vigil, ["db", "info", "--db", db])
        #expect(run.status == 0)
        for source in ["alpine", "debian", "ubuntu"] { #expect(run.stdout.contains("  \(source): ")) }
    }

    @Test func alpineArchiveReport() throws {
        let run = try scan(["image", "--input", SharedData.path("data/images/alpine-3.10.4-docker-archive.tar.gz"),
                            "-f", "json", "--list-all-pkgs"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run.stdout)
        #expect(report["SchemaVersion"] as? Int == 2)
        #expect(report["ArtifactType"] as? String == "container_image")
        let metadata = try #require(report["Metadata"] as? [String: Any])
        let os = try #require(metadata["OS"] as? [String: Any])
        #expect(os["Family"] as? String == "alpine")
        #expect(os["Name"] as? String == "3.10.4")
        #expect(os["EOSL"] as? Bool == true)
        #expect((metadata["RepoTags"] as? [String]) == ["alpine:3.10"])
        let result = try #require((report["Results"] as? [[String: Any]])?.first)
        #expect(result["Class"] as? String == "os-pkgs")
        #expect(result["Type"] as? String == "alpine")
        let packages = try #require(result["Packages"] as? [[String: Any]])
        #expect(packages.count == 14)
        // Every finding's CVE is listed in secdb v3.10 for the package's origin with exactly that fix,
        // and the installed version is older (checked against secdb's own fix list).
        let secdb = try SharedData.text("data/feeds/alpine-secdb/v3.10/main.yaml") + SharedData.text("data/feeds/alpine-secdb/v3.10/community.yaml")
        for v in vulnerabilities(report) {
            let id = v["VulnerabilityID"] as! String
            let fixed = try #require(v["FixedVersion"] as? String)
            #expect(secdb.contains(id), "\(id) not in secdb v3.10")
            #expect(fixed != v["InstalledVersion"] as? String)
            #expect(v["Status"] as? String == "fixed")
        }
    }

    func alpineImage(libssl: String) -> [UInt8] {
        var t = TarBuilder()
        t.file("etc/alpine-release", text: "3.10.2\n")
        t.file("lib/apk/db/installed", text: """
            P:libssl1.1
            V:\(libssl)
            A:x86_64
            o:openssl

            P:musl
            V:1.1.22-r3
            A:x86_64
            o:musl

            """)
        return ImageArchiveBuilder(layers: [t.finished()], repoTag: "alpine-ssl:test").dockerArchive()
    }

    @Test func libssl111cFindings() throws {
        let path = scratch.write("alpine-ssl.tar", alpineImage(libssl: "1.1.1c-r0"))
        let run = try scan(["image", "--input", path, "-f", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let vulns = vulnerabilities(try json(run.stdout)).filter { $0["PkgName"] as? String == "libssl1.1" }
        let ids = Set(vulns.map { $0["VulnerabilityID"] as! String })
        #expect(ids.isSuperset(of: ["CVE-2019-1547", "CVE-2019-1549", "CVE-2019-1563"]))
        #expect(!ids.contains("CVE-2019-1543"), "fixed in 1.1.1b-r1, older than 1.1.1c-r0")
        for v in vulns where ["CVE-2019-1547", "CVE-2019-1549", "CVE-2019-1563"].contains(v["VulnerabilityID"] as! String) {
            #expect(v["FixedVersion"] as? String == "1.1.1d-r0")
            #expect(v["InstalledVersion"] as? String == "1.1.1c-r0")
        }
        // The fixed version itself is clean for those three.
        let fixedPath = scratch.write("alpine-ssl-fixed.tar", alpineImage(libssl: "1.1.1d-r0"))
        let after = vulnerabilities(try json(try scan(["image", "--input", fixedPath, "-f", "json"]).stdout))
        #expect(after.allSatisfy { !["CVE-2019-1547", "CVE-2019-1549", "CVE-2019-1563"].contains($0["VulnerabilityID"] as! String) })
    }

    /// Every jessie DSA/DLA fix for wget above 1.16-1, read from the list files and compared with dpkg itself.
    func expectedJessieWget() throws -> Set<String> {
        var expected: Set<String> = []
        for list in ["DSA-list", "DLA-list"] {
            var cves: [String] = []
            var advisory = ""
            for line in try SharedData.text("data/feeds/debian-tracker/\(list)").split(separator: "\n") {
                if line.hasPrefix("[") {
                    cves = []
                    advisory = String(line.split(separator: " ").dropFirst(3).first ?? "")
                } else if line.trimmingCharacters(in: .whitespaces).hasPrefix("{") {
                    cves = line.trimmingCharacters(in: CharacterSet(charactersIn: " \t{}")).split(separator: " ").map(String.init)
                } else if line.contains("[jessie] - wget ") {
                    let version = String(line.split(separator: " ").last!)
                    guard !version.hasPrefix("<") else { continue }
                    let cmp = try Run.program("/usr/bin/dpkg", ["--compare-versions", "1.16-1", "lt", version])
                    if cmp.status == 0 { expected.formUnion(cves.isEmpty ? [advisory] : cves) }
                }
            }
        }
        return expected
    }

    @Test func debianJessieWget() throws {
        var t = TarBuilder()
        t.file("etc/debian_version", text: "8.11\n")
        t.file("etc/os-release", text: "ID=debian\nVERSION_ID=\"8\"\n")
        t.file("var/lib/dpkg/status", text: "Package: wget\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.16-1\n")
        let path = scratch.write("jessie.tar", ImageArchiveBuilder(layers: [t.finished()]).dockerArchive())
        let run = try scan(["image", "--input", path, "-f", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let vulns = vulnerabilities(try json(run.stdout))
        let got = Set(vulns.map { $0["VulnerabilityID"] as! String })
        let expected = try expectedJessieWget()
        #expect(!expected.isEmpty)
        #expect(expected.isSubset(of: got), "missing: \(expected.subtracting(got).sorted())")
        // Nothing from wheezy only: CVE-2014-4877 was fixed for wheezy by DSA-3062-1 and never listed for jessie.
        #expect(!got.contains("CVE-2014-4877") || expected.contains("CVE-2014-4877"))
        for v in vulns {
            let fixed = v["FixedVersion"] as? String
            if let fixed {
                let cmp = try Run.program("/usr/bin/dpkg", ["--compare-versions", "1.16-1", "lt", fixed])
                #expect(cmp.status == 0, "\(v["VulnerabilityID"]!): fixed \(fixed) is not newer than 1.16-1")
            }
        }
    }

    @Test func filtersAndExitCode() throws {
        let path = scratch.write("alpine-ssl2.tar", alpineImage(libssl: "1.1.1c-r0"))
        let all = vulnerabilities(try json(try scan(["image", "--input", path, "-f", "json"]).stdout))
        #expect(!all.isEmpty)
        let withExit = try scan(["image", "--input", path, "--exit-code", "7"])
        #expect(withExit.status == 7)
        #expect(withExit.stdout.contains("Total: \(all.count) ("))
        let ignore = scratch.write("ignore", Array("# accepted risk\nCVE-2019-1547\nCVE-2019-1549 exp:2000-01-01\n".utf8))
        let filtered = vulnerabilities(try json(try scan(["image", "--input", path, "-f", "json", "--ignorefile", ignore]).stdout))
        let ids = filtered.map { $0["VulnerabilityID"] as! String }
        #expect(!ids.contains("CVE-2019-1547"))
        #expect(ids.contains("CVE-2019-1549"), "expired ignore entries no longer apply")
        let none = try scan(["image", "--input", path, "--severity", "CRITICAL", "--exit-code", "3", "-f", "json"])
        let critical = vulnerabilities(try json(none.stdout))
        #expect(critical.allSatisfy { $0["Severity"] as? String == "CRITICAL" })
        #expect(none.status == (critical.isEmpty ? 0 : 3))
    }

    @Test func rootfsCommand() throws {
        scratch.write("root/etc/alpine-release", Array("3.10.2\n".utf8))
        scratch.write("root/lib/apk/db/installed", Array("P:libssl1.1\nV:1.1.1c-r0\nA:x86_64\no:openssl\n\n".utf8))
        let run = try scan(["rootfs", scratch.path + "/root", "-f", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run.stdout)
        #expect(report["ArtifactType"] as? String == "filesystem")
        #expect(vulnerabilities(report).contains { $0["VulnerabilityID"] as? String == "CVE-2019-1547" })
    }

    /// `-o /dev/null` leaves the device a device and `-o LINK` writes through the link (the
    /// temp-file-and-rename path once replaced /dev/null on this machine with a plain file).
    @Test func reportsGoThroughDevicesAndLinks() throws {
        scratch.write("devroot/etc/alpine-release", Array("3.10.2\n".utf8))
        scratch.write("devroot/lib/apk/db/installed", Array("P:libssl1.1\nV:1.1.1c-r0\nA:x86_64\no:openssl\n\n".utf8))
        if FileKind(path: "/dev/null") == .characterDevice {
            let run = try scan(["rootfs", scratch.path + "/devroot", "-f", "json", "-o", "/dev/null"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(FileKind(path: "/dev/null", followLinks: false) == .characterDevice, "/dev/null is no longer a device")
        }
        let real = scratch.path + "/real.json", link = scratch.path + "/link.json"
        #expect(symlink(real, link) == 0)
        let run = try scan(["rootfs", scratch.path + "/devroot", "-f", "json", "-o", link])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileKind(path: link, followLinks: false) == .symbolicLink, "the link was replaced")
        let written = try String(contentsOfFile: real, encoding: .utf8)
        #expect(vulnerabilities(try json(written)).contains { $0["VulnerabilityID"] as? String == "CVE-2019-1547" })
    }

    // MARK: hostile inputs through the CLI: one line on stderr, non-zero exit, no report written

    func expectCleanFailure(_ archive: [UInt8], mentions: String) throws {
        let path = scratch.write("hostile-\(UUID().uuidString).tar", archive)
        let out = scratch.path + "/should-not-exist.json"
        let run = try scan(["image", "--input", path, "-f", "json", "-o", out])
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(run.stderr)")
        #expect(run.stderr.hasPrefix("vigil: error: "))
        #expect(run.stderr.contains(mentions), "stderr: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(run.stdout.isEmpty)
    }

    @Test func hostileArchivesFailCleanly() throws {
        var traversal = TarBuilder()
        traversal.file("../../tmp/evil", text: "x")
        try expectCleanFailure(ImageArchiveBuilder(layers: [traversal.finished()]).dockerArchive(), mentions: "path traversal")
        var absolute = TarBuilder()
        absolute.file("/etc/passwd", text: "x")
        try expectCleanFailure(ImageArchiveBuilder(layers: [absolute.finished()]).dockerArchive(), mentions: "absolute path")
        var loop = TarBuilder()
        loop.symlink("etc/os-release", to: "/etc/os-release")
        try expectCleanFailure(ImageArchiveBuilder(layers: [loop.finished()]).dockerArchive(), mentions: "symbolic links")
        var truncated = TarBuilder()
        truncated.lyingFile("bin/sh", claimedSize: 50_000, actual: [UInt8](repeating: 1, count: 1000))
        try expectCleanFailure(ImageArchiveBuilder(layers: [truncated.bytes]).dockerArchive(), mentions: "truncated")
        var ok = TarBuilder()
        ok.file("etc/alpine-release", text: "3.10.2\n")
        var wrong = ImageArchiveBuilder(layers: [ok.finished()])
        wrong.diffIDOverride = ["sha256:" + String(repeating: "a", count: 64)]
        try expectCleanFailure(wrong.dockerArchive(), mentions: "diff ID")
        try expectCleanFailure(ImageArchiveBuilder(layers: [ok.finished()]).dockerArchive(omitLayer: 0), mentions: "not in the archive")
        var sparse = TarBuilder()
        sparse.lyingFile("lib/apk/db/installed", claimedSize: 10 << 30, actual: [UInt8](repeating: 0x50, count: 2048))
        try expectCleanFailure(ImageArchiveBuilder(layers: [sparse.bytes]).dockerArchive(), mentions: "limit")
        let member = Gzip.compress([UInt8](repeating: 0, count: 16 << 20), level: 9)
        var bomb = TarBuilder()
        bomb.file("manifest.json", text: "[]")
        bomb.file("x/layer.tar", Array([[UInt8]](repeating: member, count: 40).joined()))
        try expectCleanFailure(bomb.finished(), mentions: "decompression bomb")
        var forged = TarBuilder()
        forged.file("/evil\nvigil: error: forged second line\u{1B}[2J", text: "x")
        try expectCleanFailure(ImageArchiveBuilder(layers: [forged.finished()]).dockerArchive(), mentions: "\\nvigil: error: forged")
        var crlf = TarBuilder()
        crlf.file("etc/debian_version", text: "12.5\n")
        crlf.file("var/lib/dpkg/status", text: "Package: a\nVersion: 1\nbroken line \u{1B}[2J\r\n")
        try expectCleanFailure(ImageArchiveBuilder(layers: [crlf.finished()]).dockerArchive(), mentions: "(layer 1)")
    }

    @Test func usageErrorsAreOneLineAndComeFirst() throws {
        for args in [["image", "--input", "/nonexistent", "--severity", "BOGUS"], ["image", "--input", "/nonexistent", "--severity", ",,"],
                     ["image", "-f", "xml", "--input", "/x"], ["db", "import"]] {
            let run = try Run.program(vigil, args)
            #expect(run.status == 64, "\(args)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(args): \(run.stderr)")
            #expect(run.stderr.hasPrefix("vigil: error: "))
            #expect(!run.stderr.contains("/nonexistent"), "validated before the input is opened")
        }
    }

    @Test func importWithoutFeedsKeepsTheDatabase() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let empty = scratch.path + "/empty-feeds"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let run = try Run.program(vigil, ["db", "import", "--db", db, empty])
        #expect(run.status == 1)
        #expect(run.stderr.contains("the database was not changed"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }
}
