import Foundation
import ImageFixtures
import Testing
import SystemIO
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The 2026-12 hostile-input findings (`../shared/reports/hostile-inputs-2026-12.md`) re-run
/// through the real binary, each test named after its finding. Inputs are generated here, small.
@Suite(.enabled(if: SharedData.vigilBinary != nil))
final class HostileInputTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!

    /// One OSV record: a valid feed to import.
    static let osv = #"{"id":"GHSA-test-0001","schema_version":"1.4.0","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"foo"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]}"#

    func run(_ args: [String]) throws -> Run { try Run.program(vigil, args) }

    /// Not `stat()` here: Foundation's CoreFoundation carries its own copy of `struct stat`, and
    /// which copy a test file sees depended on build order under MemberImportVisibility.
    func fileType(_ path: String) -> FileKind? {
        FileKind(path: path, followLinks: false)
    }

    /// One error line on stderr, naming what was refused.
    func expectOneLineError(_ r: Run, status: Int32 = 1, contains text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(text), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("NSCocoaErrorDomain") && !r.stderr.contains("permission"), "\(r.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: db import (0, D1, E2, F7, C4)

    /// 0 and D1: `--db` naming a FIFO, a directory or a device is refused before anything is
    /// written: the node keeps its type and no `.lock` appears beside it.
    @Test func section0D1DatabaseTargetMustBeARegularFile() throws {
        let feed = scratch.write("feed/a.json", Array(Self.osv.utf8))
        let fifo = scratch.path + "/fifo.db"
        #expect(mkfifo(fifo, 0o644) == 0)
        let dir = scratch.path + "/dir.db"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var targets: [(String, FileKind)] = [(fifo, .fifo), (dir, .directory)]
        let device = scratch.path + "/null.db"
        // A character device like /dev/null (major 1, minor 3: glibc's makedev(1, 3)), when this
        // process may create one (root).
        if mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 { targets.append((device, .characterDevice)) }
        for (target, type) in targets {
            for command in [["db", "import", "--db", target, feed]] {
                let r = try run(command)
                expectOneLineError(r, contains: "not a database file")
                #expect(fileType(target) == type, "\(target) changed type")
                #expect(fileType(target + ".lock") == nil, "\(target).lock was created")
            }
        }
    }

    /// E2: a device given as a feed says what it is, not "permission".
    @Test func e2DeviceAsFeedIsNotAPermissionError() throws {
        let r = try run(["db", "import", "--db", scratch.path + "/t.db", "/dev/zero"])
        expectOneLineError(r, contains: "/dev/zero: is a character device, not a feed file or directory")
        #expect(fileType(scratch.path + "/t.db") == nil)
    }

    /// F7: a corrupt JSON file among feeds fails the import (and names the file); a well-formed
    /// file of unknown format is still skipped, with a warning on stderr rather than stdout.
    @Test func f7CorruptFeedFileIsAnError() throws {
        scratch.write("mixed/a.json", Array(Self.osv.utf8))
        scratch.write("mixed/zz.json", Array("{bad".utf8))
        let db = scratch.path + "/t.db"
        let r = try run(["db", "import", "--db", db, scratch.path + "/mixed"])
        expectOneLineError(r, contains: "zz.json: malformed JSON")
        #expect(fileType(db) == nil)

        try FileManager.default.removeItem(atPath: scratch.path + "/mixed/zz.json")
        scratch.write("mixed/other.json", Array(#"{"not":"a feed"}"#.utf8))
        let ok = try run(["db", "import", "--db", db, scratch.path + "/mixed"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("warning: skipped 1 files of unknown format"), "\(ok.stderr)")
        #expect(!ok.stdout.contains("kipped"))
    }

    /// C4: a plain feed file over the per-file limit is refused before it is read (sparse here).
    @Test func c4OversizedFeedFileIsRefused() throws {
        let big = scratch.write("big/big.json", [])
        #expect(truncate(big, 3 << 30) == 0)
        let r = try run(["db", "import", "--db", scratch.path + "/t.db", big])
        expectOneLineError(r, contains: "exceeds the 2048 MiB limit for one feed file")
    }

    // MARK: watch options (A3, E3, F9)

    /// A3, E3, F9: NaN, infinite, huge and negative values are usage errors (64) naming the option.
    @Test(arguments: [
        ["--dedup-window", "1e300"], ["--dedup-window", "nan"], ["--dedup-window", "1e18"], ["--dedup-window", "-5"],
        ["--rate-limit", "nan"], ["--rate-limit", "-1"], ["--rate-limit", "inf"], ["--burst", "-1"], ["--stats", "-1"],
    ])
    func a3E3F9WatchOptionsAreValidated(option: [String]) throws {
        let events = scratch.write("ev.jsonl", Array(#"{"type":"execve","pid":5,"comm":"sh"}"#.utf8))
        let r = try run(["watch", "--replay", events] + option)
        expectOneLineError(r, status: 64, contains: "\(option[0]) must be a number of")
        #expect(!r.stderr.contains("Missing value"))
    }

    /// A valid window still replays.
    @Test func a3ValidDedupWindowReplays() throws {
        let events = scratch.write("ev.jsonl", Array(#"{"type":"execve","pid":5,"comm":"sh"}"#.utf8))
        let r = try run(["watch", "--replay", events, "--dedup-window", "0.5", "--rate-limit", "0"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    // MARK: rules and replay (A5, B3, C8, A6, F2, F3)

    /// A5: the 10,000-macro chain is an error naming file:line, for `rules validate` and `watch`.
    @Test func a5MacroChainIsAnErrorNotACrash() throws {
        var yaml = ""
        for i in 0..<10_000 { yaml += "- macro: m\(i)\n  condition: m\(i + 1)\n" }
        yaml += "- macro: m10000\n  condition: proc.name=x\n- rule: r\n  desc: d\n  condition: m0\n  output: o\n  priority: INFO\n"
        let rules = scratch.write("macro_chain.yaml", Array(yaml.utf8))
        expectOneLineError(try run(["rules", "validate", rules]), contains: "macro_chain.yaml:")
        let events = scratch.write("ev.jsonl", Array(#"{"type":"execve","pid":5,"comm":"sh"}"#.utf8))
        expectOneLineError(try run(["watch", "--replay", events, "--rules", rules]), contains: "nests deeper than")
    }

    /// B3: exponential macro expansion ends with an error instead of running forever.
    @Test func b3ExponentialMacrosAreAnError() throws {
        var yaml = "- macro: m0\n  condition: proc.name = x\n"
        for i in 1..<60 { yaml += "- macro: m\(i)\n  condition: m\(i - 1) and m\(i - 1)\n" }
        yaml += "- rule: r\n  desc: d\n  condition: m59\n  output: o\n  priority: INFO\n"
        let rules = scratch.write("macro_exp.yaml", Array(yaml.utf8))
        expectOneLineError(try run(["rules", "validate", rules]), contains: "expands to more than")
        expectOneLineError(try run(["rules", "describe", rules]), contains: "expands to more than")
    }

    /// C8 and A6 (`list_exp.yaml`): list doubling is an error naming the list.
    @Test func c8ListDoublingIsAnError() throws {
        var yaml = "- list: l0\n  items: [x]\n"
        for i in 1..<60 { yaml += "- list: l\(i)\n  items: [l\(i - 1), l\(i - 1)]\n" }
        yaml += "- rule: r\n  desc: d\n  condition: proc.name in (l59)\n  output: o\n  priority: INFO\n"
        let rules = scratch.write("list_exp.yaml", Array(yaml.utf8))
        expectOneLineError(try run(["rules", "validate", rules]), contains: "list_exp.yaml:41:3: list 'l20': List expands to")
    }

    /// A6: `/dev/zero` as rules or as a recording stops at a limit with one line.
    @Test func a6UnboundedReadsStopAtLimits() throws {
        expectOneLineError(try run(["rules", "validate", "/dev/zero"]), contains: "more than the 16 MiB limit")
        let events = scratch.write("ev.jsonl", Array(#"{"type":"execve","pid":5,"comm":"sh"}"#.utf8))
        expectOneLineError(try run(["watch", "--replay", events, "--rules", "/dev/zero"]), contains: "more than the 16 MiB limit")
        expectOneLineError(try run(["watch", "--replay", "/dev/zero"]), contains: "line longer than the 16 MiB limit")
    }

    /// F2: a directory as the recording is an error, not "0 events".
    @Test func f2ReplayOfDirectoryIsAnError() throws {
        expectOneLineError(try run(["watch", "--replay", scratch.path]), contains: "is a directory")
    }

    /// F3: `rules validate` refuses the regex `watch` cannot compile.
    @Test func f3ValidateRejectsInvalidRegex() throws {
        let rules = scratch.write("rules_badre.yaml", Array("- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name regex \"((((\"\n  output: o\n  priority: INFO\n".utf8))
        expectOneLineError(try run(["rules", "validate", rules]), contains: "invalid regular expression '(((('")
        let json = try run(["rules", "validate", "--json", rules])
        #expect(json.status == 1 && json.stdout.contains("\"successful\": false"))
    }

    // MARK: config (B5, F4)

    /// F4: `--exit-code` above 255 would wrap (256 exits 0); it is a usage error.
    @Test func f4ExitCodeAbove255IsAUsageError() throws {
        let dockerfile = scratch.write("Dockerfile", Array("FROM alpine:3.18\n".utf8))
        expectOneLineError(try run(["config", dockerfile, "--exit-code", "256"]), status: 64, contains: "--exit-code must be from 0 to 255")
        expectOneLineError(try run(["rootfs", scratch.path, "--exit-code", "-1"]), status: 64, contains: "--exit-code must be from 0 to 255")
    }

    /// B5: a FIFO named as a Dockerfile or a report is refused instead of blocking forever.
    @Test func b5FIFOsAreRefused() throws {
        let fifo = scratch.path + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        expectOneLineError(try run(["config", fifo]), contains: "is a FIFO or socket")
        expectOneLineError(try run(["report", "summary", fifo]), contains: "is a FIFO, not a report file")
    }

    // MARK: report (C3, E1, F8)

    /// E1: a directory as a report says so in plain words.
    @Test func e1ReportDirectoryIsAPlainError() throws {
        let ok = scratch.write("ok.json", Array(#"{"SchemaVersion":2,"Results":[]}"#.utf8))
        expectOneLineError(try run(["report", "diff", ok, scratch.path]), contains: "is a directory, not a report file")
        expectOneLineError(try run(["report", "convert", scratch.path, "-f", "sarif"]), contains: "is a directory, not a report file")
    }

    /// C3: `report convert` reads whole reports up to a documented limit (sparse file here).
    @Test func c3ReportConvertIsBounded() throws {
        let big = scratch.write("big.json", [])
        #expect(truncate(big, 200 << 20) == 0)
        expectOneLineError(try run(["report", "convert", big, "-f", "cyclonedx"]), contains: "larger than the 64 MiB limit")
    }

    /// F8: package names that sanitise alike get distinct files; a 300-character name fits.
    @Test func f8SplitByPackageNamesStayDistinct() throws {
        let long = String(repeating: "p", count: 300)
        let names = ["a/b", "a\\u0000b", "a_b", "", "..", long]
        let vulns = names.enumerated().map { #"{"VulnerabilityID":"CVE-2024-\#($0.offset)","PkgName":"\#($0.element)","Severity":"HIGH"}"# }
        let report = scratch.write("r.json", Array(#"{"SchemaVersion":2,"Results":[{"Target":"x","Vulnerabilities":[\#(vulns.joined(separator: ","))]}]}"#.utf8))
        let out = scratch.path + "/split"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let r = try run(["report", "split", report, "--by", "package", "--out-dir", out])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.count == names.count, "\(files)")
        for line in r.stdout.split(separator: "\n") { #expect(line.hasSuffix("\t1"), "\(r.stdout)") }
    }

    // MARK: rootfs package databases (F6)

    /// F6: a dpkg status that is a directory or a dangling symlink is an error, not zero packages.
    @Test(arguments: ["directory", "dangling", "devzero"])
    func f6UnreadableDpkgStatusIsAnError(kind: String) throws {
        let db = scratch.path + "/t.db"
        let feed = scratch.write("feed/a.json", Array(Self.osv.utf8))
        #expect(try run(["db", "import", "--db", db, feed]).status == 0)
        let root = scratch.path + "/rootfs"
        scratch.write("rootfs/etc/os-release", Array("ID=debian\nVERSION_ID=\"12\"\n".utf8))
        try FileManager.default.createDirectory(atPath: root + "/var/lib/dpkg", withIntermediateDirectories: true)
        let status = root + "/var/lib/dpkg/status"
        switch kind {
        case "directory": try FileManager.default.createDirectory(atPath: status, withIntermediateDirectories: true)
        case "dangling": #expect(symlink("/nonexistent/status", status) == 0)
        default: #expect(symlink("/dev/zero", status) == 0)
        }
        let r = try run(["rootfs", root, "--db", db, "-f", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("var/lib/dpkg/status:"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
