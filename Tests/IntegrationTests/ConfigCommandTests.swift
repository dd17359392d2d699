import Foundation
import ImageFixtures
import Testing
import TestSupport

/// Whether the feeds `vigil config`'s tests import are here; prints why not.
enum ConfigFeeds {
    static var present: Bool {
        let ok = SharedData.exists("data/feeds/ubuntu/uct") && SharedData.exists("data/feeds/nvd/authored/key-cves.nvd2.json")
        if !ok { print("skipping ConfigCommandTests: \(SharedData.root)/data/feeds/ubuntu/uct or nvd/authored not found (set VIGIL_SHARED)") }
        return ok
    }
}

/// `vigil config` end to end through the real binary, with a database built from the real
/// Ubuntu CVE tracker, Ubuntu OSV and the authored NVD records in `../shared/data/feeds`.
@Suite(.enabled(if: ConfigFeeds.present && SharedData.vigilBinary != nil), .serialized)
final class ConfigCommandTests {
    let scratch = ScratchDirectory()
    let db: String
    let vigil = SharedData.vigilBinary!
    /// The seed's Dockerfile, as the ConfigScan fixtures reproduce it.
    static let seed = SharedData.repoRoot + "/Tests/ConfigScanTests/Fixtures/seed/Dockerfile"

    init() throws {
        db = scratch.path + "/vigil.db"
        let run = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/ubuntu"), SharedData.path("data/feeds/nvd")])
        #expect(run.status == 0, "db import failed: \(run.stderr)")
    }

    func config(_ args: [String], environment: [String: String] = [:]) throws -> Run {
        try Run.program(vigil, ["config"] + args + ["--db", db], environment: environment)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text.prefix(200))")
    }

    func results(_ report: [String: Any]) -> [[String: Any]] { report["Results"] as? [[String: Any]] ?? [] }
    func vulns(_ result: [String: Any]) -> [[String: Any]] { result["Vulnerabilities"] as? [[String: Any]] ?? [] }
    func misconfigs(_ result: [String: Any]) -> [[String: Any]] { result["Misconfigurations"] as? [[String: Any]] ?? [] }
    func cause(_ v: [String: Any]) -> [String: Any] { v["CauseMetadata"] as? [String: Any] ?? [:] }

    @Test func seedDockerfilePredictions() throws {
        let run = try config([Self.seed, "-f", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run.stdout)
        #expect(report["ArtifactType"] as? String == "filesystem")
        let result = try #require(results(report).first)
        #expect(result["Class"] as? String == "config" && result["Type"] as? String == "dockerfile")

        // Root user, from the checks.
        let root = try #require(misconfigs(result).first { $0["ID"] as? String == "DS-0002" })
        #expect(cause(root)["StartLine"] as? Int == 2)
        #expect(misconfigs(result).contains { $0["ID"] as? String == "VGL-DF-016" })

        let vs = vulns(result)
        #expect(vs.allSatisfy { $0["Status"] as? String == "predicted" })
        // End-of-life base image.
        let eol = try #require(vs.first { $0["VulnerabilityID"] as? String == "VGL-EOL-BASE" })
        #expect(eol["PkgName"] as? String == "ubuntu" && eol["InstalledVersion"] as? String == "14.04")
        #expect(cause(eol)["StartLine"] as? Int == 2)
        #expect((eol["Title"] as? String)?.contains("2019-04-25") == true)
        // Both plain-http downloads, at their lines.
        let plain = vs.filter { $0["VulnerabilityID"] as? String == "VGL-PLAIN-DOWNLOAD" }
        #expect(plain.map { cause($0)["StartLine"] as? Int } == [8, 12])
        #expect(plain.allSatisfy { ($0["Description"] as? String)?.contains("man-in-the-middle") == true })
        // bash 4.3 from source: NVD's gnu:bash ranges, Shellshock among them.
        let bash = vs.filter { $0["PkgName"] as? String == "bash" }
        // The expected set comes from the imported NVD data (API pages and one-record files) through
        // the independent checker, not from a typed-in list.
        let checker = try Run.program("/usr/bin/env", ["python3", SharedData.repoRoot + "/scripts/nvd-cpe-check.py",
                                                       SharedData.path("data/feeds/nvd"), "cpe:2.3:a:gnu:bash:4.3:-:*:*:*:*:*:*"])
        let expected = Set(checker.stdout.split(separator: "\n").map(String.init))
        #expect(expected.isSuperset(of: ["CVE-2014-6271", "CVE-2014-7169"]))
        #expect(Set(bash.compactMap { $0["VulnerabilityID"] as? String }) == expected)
        let shellshock = try #require(bash.first { $0["VulnerabilityID"] as? String == "CVE-2014-6271" })
        #expect(shellshock["InstalledVersion"] as? String == "4.3")
        #expect(shellshock["Severity"] as? String == "CRITICAL")
        #expect((shellshock["Description"] as? String)?.hasPrefix("GNU Bash through 4.3") == true)
        #expect(cause(shellshock)["StartLine"] as? Int == 12 && cause(shellshock)["EndLine"] as? Int == 13)
        #expect(cause(shellshock)["CPE"] as? String == "cpe:2.3:a:gnu:bash:*:*:*:*:*:*:*:*")
        #expect((shellshock["PkgIdentifier"] as? [String: Any])?["PURL"] as? String == "pkg:generic/bash@4.3?download_url=http%3A%2F%2Fftp.gnu.org%2Fgnu%2Fbash%2Fbash-4.3.tar.gz")
        // The wget .deb is 1.15-1ubuntu1.14.04.5: every trusty wget fix in the tracker is at or
        // below it, so its distro advisories predict nothing (NVD's "through 1.15" is upstream's
        // view and is not applied to a distro package).
        #expect(!vs.contains { $0["PkgName"] as? String == "wget" })
    }

    /// The trusty wget fixes in the tracker files, read independently of the importer.
    func trustyWgetFixes() throws -> [(id: String, revision: Int)] {
        var out: [(String, Int)] = []
        for dir in ["active", "retired"] {
            let base = SharedData.path("data/feeds/ubuntu/uct/\(dir)")
            for name in try FileManager.default.contentsOfDirectory(atPath: base) where name.hasPrefix("CVE-") {
                let text = try String(contentsOfFile: base + "/" + name, encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("trusty_wget: released (1.15-1ubuntu1.14.04.") {
                    let n = line.split(separator: ".").last!.dropLast()
                    out.append((name, Int(n)!))
                }
            }
        }
        return out
    }

    @Test func olderWgetDebPredictsTheTrackerFixesAboveIt() throws {
        let text = try String(contentsOfFile: Self.seed, encoding: .utf8).replacing("1.14.04.5", with: "1.14.04.2")
        let path = scratch.write("Dockerfile.wget", Array(text.utf8))
        let run = try config([path, "-f", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let vs = vulns(try #require(results(try json(run.stdout)).first))
        let wget = vs.filter { $0["PkgName"] as? String == "wget" }
        let expected = Set(try trustyWgetFixes().filter { $0.revision > 2 }.map(\.id))
        #expect(!expected.isEmpty)
        #expect(Set(wget.compactMap { $0["VulnerabilityID"] as? String }) == expected)
        for v in wget {
            #expect(cause(v)["StartLine"] as? Int == 8 && cause(v)["EndLine"] as? Int == 9)
            #expect((v["FixedVersion"] as? String)?.hasPrefix("1.15-1ubuntu1.14.04.") == true)
            #expect(v["DataSource"].flatMap { ($0 as? [String: Any])?["ID"] as? String } == "ubuntu")
        }
    }

    @Test func tableSarifSeverityAndExitCode() throws {
        let table = try config([Self.seed])
        #expect(table.status == 0)
        for needle in ["Dockerfile (dockerfile)", "DS002 (HIGH)", "(predicted vulnerabilities)", "VGL-EOL-BASE", "CVE-2014-6271", "12-13"] {
            #expect(table.stdout.contains(needle), "table lacks \(needle)")
        }

        let out = scratch.path + "/config.sarif"
        let sarif = try config([Self.seed, "-f", "sarif", "-o", out])
        #expect(sarif.status == 0 && sarif.stdout.isEmpty)
        let doc = try json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self))
        #expect(doc["version"] as? String == "2.1.0")
        let run = try #require((doc["runs"] as? [[String: Any]])?.first)
        let sarifResults = run["results"] as? [[String: Any]] ?? []
        func startLine(_ r: [String: Any]) -> Int? {
            (((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])?["startLine"] as? Int
        }
        #expect(sarifResults.contains { $0["ruleId"] as? String == "DS-0002" && startLine($0) == 2 })
        #expect(sarifResults.contains { $0["ruleId"] as? String == "CVE-2014-6271" && startLine($0) == 12 })

        let critical = try config([Self.seed, "-f", "json", "--severity", "CRITICAL", "--exit-code", "3"])
        #expect(critical.status == 3)
        let result = try #require(results(try json(critical.stdout)).first)
        #expect(vulns(result).allSatisfy { $0["Severity"] as? String == "CRITICAL" } && !vulns(result).isEmpty)
        #expect(misconfigs(result).allSatisfy { $0["Severity"] as? String == "CRITICAL" })

        // Nothing left after filtering: exit 0 even with --exit-code.
        let clean = scratch.write("Dockerfile.clean", Array("FROM alpine:3.23\nUSER app\nHEALTHCHECK CMD true\n".utf8))
        #expect(try config([clean, "--exit-code", "5", "--severity", "CRITICAL"]).status == 0)
    }

    @Test func directoryBuildArgsAndMissingDatabase() throws {
        let dir = scratch.path + "/ctx"
        for (rel, text) in [("Dockerfile", "FROM debian:8\nUSER app\n"), ("svc/api.Dockerfile", "ARG BASE=ubuntu:24.04\nFROM ${BASE}\n"),
                            ("Dockerfile.dev", "FROM alpine:3.23\n"), (".git/Dockerfile", "FROM broken junk ]["), ("README.md", "x")] {
            try FileManager.default.createDirectory(atPath: (dir + "/" + rel as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: dir + "/" + rel, atomically: true, encoding: .utf8)
        }
        let run = try config([dir, "-f", "json", "--build-arg", "BASE=ubuntu:16.04"])
        #expect(run.status == 0, "\(run.stderr)")
        let rs = results(try json(run.stdout))
        #expect(rs.compactMap { $0["Target"] as? String } == ["Dockerfile", "Dockerfile.dev", "svc/api.Dockerfile"])
        let eol = rs.map { vulns($0).filter { $0["VulnerabilityID"] as? String == "VGL-EOL-BASE" }.map { "\($0["PkgName"]!) \($0["InstalledVersion"]!)" } }
        #expect(eol == [["debian 8"], [], ["ubuntu 16.04"]])

        // No database at the default location: the tarball is named in a warning, the rest is reported.
        let home = scratch.path + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let noDB = try Run.program(vigil, ["config", Self.seed, "-f", "json"], environment: ["HOME": home, "VIGIL_DB": "", "XDG_CACHE_HOME": ""])
        #expect(noDB.status == 0, "\(noDB.stderr)")
        #expect(noDB.stderr.contains("bash-4.3.tar.gz (lines 12, 13): no vulnerability database: not matched"), "\(noDB.stderr)")
        let vs = vulns(try #require(results(try json(noDB.stdout)).first))
        #expect(vs.contains { $0["VulnerabilityID"] as? String == "VGL-EOL-BASE" } && !vs.contains { $0["PkgName"] as? String == "bash" })
        // A database named explicitly must exist.
        let missing = try Run.program(vigil, ["config", Self.seed, "--db", scratch.path + "/nope.db"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("vigil: error: ") && missing.stderr.contains("nope.db"))
    }

    // MARK: hostile inputs: one line naming the file (and line), non-zero exit, nothing written

    func expectCleanFailure(_ args: [String], mentions: String, status: Int32 = 1) throws {
        let out = scratch.path + "/should-not-exist-\(UUID().uuidString).json"
        let run = try config(args + ["-f", "json", "-o", out])
        #expect(run.status == status, "\(args): \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)")
        #expect(run.stderr.hasPrefix("vigil: error: "))
        #expect(run.stderr.contains(mentions), "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func hostileDockerfilesFailCleanly() throws {
        let junk = scratch.write("junk.Dockerfile", [0x46, 0x52, 0x4F, 0x4D, 0x0A, 0x00, 0xFF, 0xFE] + (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        try expectCleanFailure([junk], mentions: "junk.Dockerfile:2: NUL byte")
        let heredoc = scratch.write("heredoc.Dockerfile", Array("FROM alpine:3.23\nRUN <<EOF\necho never ends\n".utf8))
        try expectCleanFailure([heredoc], mentions: "heredoc.Dockerfile:2: unterminated heredoc")
        // 100 MB, sparse: refused by its size before a byte is read.
        let huge = scratch.path + "/huge.Dockerfile"
        FileManager.default.createFile(atPath: huge, contents: Data("FROM alpine:3.23\n".utf8))
        let fh = try #require(FileHandle(forWritingAtPath: huge))
        try fh.truncate(atOffset: 100 << 20)
        try fh.close()
        try expectCleanFailure([huge], mentions: "huge.Dockerfile: 104857600 bytes is larger than")
        try expectCleanFailure([scratch.path + "/absent"], mentions: "absent: no such file or directory")
        let empty = scratch.path + "/empty-dir"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try expectCleanFailure([empty], mentions: "no Dockerfile found")
        try expectCleanFailure([Self.seed, "--build-arg", "=x"], mentions: "--build-arg", status: 64)
        let forged = scratch.write("forged.Dockerfile", Array("FROM alpine:3.23\nFROBNICATE x\u{1B}[2J\n".utf8))
        try expectCleanFailure([forged], mentions: "forged.Dockerfile:2:")

        // A 10,000-deep ARG chain is linear: it parses and reports.
        var chain = "ARG A0=x\n"
        for i in 1...10_000 { chain += "ARG A\(i)=$A\(i - 1)\n" }
        chain += "FROM alpine:3.23\nARG A10000\nRUN echo $A10000\n"
        let deep = scratch.write("deep.Dockerfile", Array(chain.utf8))
        let start = Date()
        let run = try config([deep, "-f", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        print("10k-deep ARG chain through vigil config: \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
    }

    // MARK: vigil image --scanners misconfig

    @Test func imageHistoryMisconfigurations() throws {
        var t = TarBuilder()
        t.file("etc/alpine-release", text: "3.10.2\n")
        var builder = ImageArchiveBuilder(layers: [t.finished(), TarBuilder().finished()], repoTag: "history:test")
        builder.history = [
            ("/bin/sh -c #(nop) ADD file:0123abcd in / ", false),
            ("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", true),
            ("/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2", true),
            ("|1 V=4.3 /bin/sh -c curl -fsSLO http://ftp.gnu.org/gnu/bash/bash-$V.tar.gz && tar xzf bash-4.3.tar.gz", false),
            ("EXPOSE map[22/tcp:{}]", true),
            ("CMD [\"/bin/sh\" \"-c\" \"sleep 1\"]", true),
        ]
        let path = scratch.write("history.tar", builder.dockerArchive())
        let run = try Run.program(vigil, ["image", "--input", path, "--scanners", "vuln,misconfig", "-f", "json", "--db", db, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let rs = results(try json(run.stdout))
        let config = try #require(rs.first { $0["Class"] as? String == "config" })
        #expect(config["Target"] as? String == "Dockerfile (image history)")
        let ids = Set(misconfigs(config).compactMap { $0["ID"] as? String })
        #expect(ids.isSuperset(of: ["DS-0002", "DS-0004", "VGL-DF-009", "VGL-DF-016"]), "\(ids)")
        #expect(!ids.contains("DS-0016"), "the base image's CMD is not part of the rebuilt Dockerfile")
        let vs = vulns(config)
        #expect(vs.contains { $0["VulnerabilityID"] as? String == "CVE-2014-6271" && $0["PkgName"] as? String == "bash" })
        #expect(!vs.contains { $0["VulnerabilityID"] as? String == "VGL-EOL-BASE" }, "the OS result reports end of life")

        // misconfig alone: no package result's vulnerabilities, same config result; an unknown scanner is a usage error.
        let only = try Run.program(vigil, ["image", "--input", path, "--scanners", "misconfig", "-f", "json", "--db", db, "--quiet"])
        #expect(only.status == 0)
        #expect(results(try json(only.stdout)).allSatisfy { $0["Class"] as? String == "config" || vulns($0).isEmpty })
        let bad = try Run.program(vigil, ["image", "--input", path, "--scanners", "secret"])
        #expect(bad.status == 64 && bad.stderr.contains("unknown scanner 'secret'"))
    }
}
