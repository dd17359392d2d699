import Foundation
import ImageFixtures
import Testing
import TestSupport
import VulnDB

/// `vigil db update` end to end through the binary, against the real feeds served by a real HTTP
/// server on 127.0.0.1 (Fixtures/feed_server.py): success, a server dying mid-transfer, kill -9
/// of the updater, and two updates at once. The previous database must survive every failure.
@Suite(.enabled(if: SharedData.exists("data/feeds") && SharedData.vigilBinary != nil), .serialized)
final class DBUpdateTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let feeds = SharedData.path("data/feeds")

    /// A feed server child process; stopped when the value goes away.
    final class FeedServer {
        let process = Process()
        let port: Int

        init(directory: String, scratch: ScratchDirectory, extra: [String] = []) throws {
            let portFile = scratch.path + "/port-\(UUID().uuidString)"
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [SharedData.repoRoot + "/Tests/IntegrationTests/Fixtures/feed_server.py", directory, portFile] + extra
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while !FileManager.default.fileExists(atPath: portFile) {
                guard Date() < deadline, process.isRunning else { throw CocoaError(.fileNoSuchFile) }
                usleep(50_000)
            }
            port = Int(try String(contentsOfFile: portFile, encoding: .utf8)) ?? 0
        }

        var url: String { "http://127.0.0.1:\(port)/" }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// `vigil db info` as source → (advisories, vulnerability records), plus the raw output.
    func sources(_ db: String) throws -> ([String: String], String) {
        let run = try Run.program(vigil, ["db", "info", "--db", db])
        #expect(run.status == 0, "db info failed: \(run.stderr)")
        var out: [String: String] = [:]
        for line in run.stdout.split(separator: "\n") where line.hasPrefix("  ") {
            let parts = line.dropFirst(2).split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            // "N advisories, M vulnerability records, imported …": keep the counts only.
            out[String(parts[0])] = parts[1].components(separatedBy: ", imported").first
        }
        return (out, run.stdout)
    }

    /// A small database to be replaced: Alpine secdb only.
    func seedDatabase(_ name: String) throws -> String {
        let db = scratch.path + "/\(name).db"
        let run = try Run.program(vigil, ["db", "import", "--db", db, feeds + "/alpine-secdb"])
        try #require(run.status == 0, "seed import failed: \(run.stderr)")
        return db
    }

    func leftovers(beside db: String) throws -> [String] {
        let dir = (db as NSString).deletingLastPathComponent, base = (db as NSString).lastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasPrefix(base + ".tmp-") || $0.hasPrefix(base + ".staging-")
        }
    }

    @Test func updateFromLocalHTTPServerSwapsTheDatabase() throws {
        let server = try FeedServer(directory: feeds, scratch: scratch)
        let db = try seedDatabase("http")
        let (before, _) = try sources(db)
        #expect(Set(before.keys) == ["alpine", "wolfi"])

        // A scan holding the old file open while the update replaces it.
        let reader = try VulnDatabase(readOnlyPath: db)
        let oldInfo = try reader.info()

        let start = Date()
        let run = try Run.program(vigil, ["db", "update", "--db", db, "--from", server.url])
        let seconds = Date().timeIntervalSince(start)
        #expect(run.status == 0, "update failed: \(run.stderr)")
        // Not a terminal: plain progress lines on stderr.
        #expect(run.stderr.contains("Fetching "))
        #expect(run.stderr.contains("  alpine: 11 files"))
        #expect(run.stderr.contains("Importing "))
        #expect(run.stderr.contains("New database in place"))
        #expect(run.stdout.contains("Updated \(db) from "))
        print("db update --from \(server.url) (all of shared/data/feeds): \(String(format: "%.2f", seconds)) s wall\n\(run.stdout)")

        // Same counts as a local import of the same directory tree.
        let reference = scratch.path + "/reference.db"
        let imported = try Run.program(vigil, ["db", "import", "--db", reference, feeds])
        #expect(imported.status == 0, "\(imported.stderr)")
        let (after, info) = try sources(db)
        let (expected, _) = try sources(reference)
        #expect(after == expected)
        #expect(after.count > before.count)
        for source in ["alpine", "debian", "ubuntu", "nvd", "osv-PyPI", "osv-Go", "osv-crates.io", "redhat", "alma", "rocky"] {
            #expect(after[source] != nil, "source \(source) missing after update: \(info)")
        }
        #expect(info.contains("http://127.0.0.1:\(server.port)/alpine-secdb/"), "sources name the feed URL: \(info)")
        #expect(info.contains("NVD CPE criteria") && !info.contains(" 0 CWE entries"))
        #expect(try leftovers(beside: db).isEmpty)
        // The reader opened before the swap still sees the old database, unharmed.
        #expect(try reader.info().sources.map(\.id) == oldInfo.sources.map(\.id))
    }

    @Test(.requiresExecutable("/usr/bin/script", "util-linux: gives vigil a terminal"))
    func progressBarOnATerminal() throws {
        let db = scratch.path + "/tty.db"
        let command = "\(vigil) db update --db \(db) --from \(feeds)"
        let run = try Run.program("/usr/bin/script", ["-qfec", command, "/dev/null"], environment: ["TERM": "xterm"])
        #expect(run.status == 0, "\(run.stdout)")
        // One self-rewriting line: carriage return, erase-line, a bar with a percentage, ending
        // complete for the fetch and for the import (counts read from the output, not typed in).
        let fetched = try #require(run.stdout.firstMatch(of: /\r\u{1B}\[K\[#{30}\] 100%  (\d+)\/(\d+) files/), "\(run.stdout.suffix(400))")
        #expect(fetched.1 == fetched.2 && Int(fetched.1)! > 1000)
        let imported = run.stdout.matches(of: /importing (\d+)\/(\d+) files/).last
        #expect(imported.map { $0.1 == $0.2 } == true, "\(run.stdout.suffix(400))")
        #expect(!run.stdout.contains("Listing alpine"), "plain progress lines are for logs, not terminals")
        // every feed the mirror has was fetched and imported (wolfi has no mirror path)
        let fetching = try #require(run.stdout.firstMatch(of: /Fetching \d+ files from (\d+) feeds/))
        #expect(Int(fetching.1)! >= 12)
        #expect(run.stdout.contains("Updated \(db) from \(fetching.1) feeds"), "\(run.stdout.suffix(300))")
    }

    @Test func serverDyingMidTransferLeavesTheOldDatabase() throws {
        let server = try FeedServer(directory: feeds, scratch: scratch, extra: ["--cut", "debian-tracker/DSA-list"])
        let db = try seedDatabase("cut")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        let run = try Run.program(vigil, ["db", "update", "--db", db, "--from", server.url])
        #expect(run.status == 1)
        let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("vigil: error: ") }
        #expect(errors.count == 1, "\(run.stderr)")
        #expect(errors.first?.contains("feed 'debian': \(server.url)debian-tracker/DSA-list") == true, "\(run.stderr)")
        #expect(errors.first.map { $0.contains("bytes") || $0.contains("closed") } == true, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytes)
        #expect(try sources(db).0.keys.sorted() == ["alpine", "wolfi"])
        #expect(try leftovers(beside: db).isEmpty)
    }

    @Test func unreachableServerAndWrongContentAreOneLineErrors() throws {
        let db = try seedDatabase("bad")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        // Nothing listens on port 9 of loopback (discard) in this sandbox.
        let refused = try Run.program(vigil, ["db", "update", "--db", db, "--from", "http://127.0.0.1:9/"])
        #expect(refused.status == 1)
        let refusedErrors = refused.stderr.split(separator: "\n").filter { $0.hasPrefix("vigil: error: ") }
        #expect(refusedErrors == ["vigil: error: feed 'alpine': http://127.0.0.1:9/alpine-secdb/: connection refused"], "\(refused.stderr)")

        // A feed whose URL serves something else (a directory index where a CSV should be).
        let server = try FeedServer(directory: feeds, scratch: scratch)
        let config = scratch.write("feeds.yaml", Array("""
            defaults: false
            feeds:
              - name: cwe
                format: cweCSV
                urls: ["\(server.url)cwe/CWE-TERMS-OF-USE.txt"]
            """.utf8))
        let wrong = try Run.program(vigil, ["db", "update", "--db", db, "--config", config])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("vigil: error: feed 'cwe': \(server.url)cwe/CWE-TERMS-OF-USE.txt: is not a recognised feed file"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("expected cweCSV; the database was not changed"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytes)

        // A malformed config names its line.
        let badConfig = scratch.write("bad.yaml", Array("feeds:\n  - name: x\n    format: yamlish\n".utf8))
        let bad = try Run.program(vigil, ["db", "update", "--db", db, "--config", badConfig])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("vigil: error: \(badConfig):3: unknown format `yamlish`"), "\(bad.stderr)")
    }

    /// Starts `vigil db update` and kills it with SIGKILL once `marker` appears on its stderr.
    func killUpdate(db: String, from: String, when marker: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: vigil)
        p.arguments = ["db", "update", "--db", db, "--from", from]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var seen = ""
        let handle = err.fileHandleForReading
        while !seen.contains(marker) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains(marker), "update ended before `\(marker)`: \(seen)")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        return seen
    }

    @Test func killDashNineLeavesTheOldDatabaseUsable() throws {
        let db = try seedDatabase("killed")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        // Mid-build: the importers are running and the new file is being written.
        _ = try killUpdate(db: db, from: feeds, when: "Importing ")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytes)
        #expect(try sources(db).0.keys.sorted() == ["alpine", "wolfi"])
        #expect(try !leftovers(beside: db).isEmpty, "a killed update leaves its staging directory behind")

        // Mid-download, over HTTP with slow responses.
        let server = try FeedServer(directory: feeds, scratch: scratch, extra: ["--delay", "0.05"])
        _ = try killUpdate(db: db, from: server.url, when: "Fetching ")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytes)

        // The next update clears what the killed ones left and succeeds.
        let run = try Run.program(vigil, ["db", "update", "--db", db, "--from", feeds])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("left by an interrupted update"))
        #expect(try leftovers(beside: db).isEmpty)
        #expect(try sources(db).0["debian"] != nil)
    }

    @Test func concurrentUpdatesTakeTurns() throws {
        let db = try seedDatabase("concurrent")
        let server = try FeedServer(directory: feeds, scratch: scratch)
        nonisolated(unsafe) var runs: [Run?] = [nil, nil]
        let group = DispatchGroup()
        let vigil = self.vigil
        for i in 0..<2 {
            group.enter()
            let from = i == 0 ? server.url : feeds
            DispatchQueue.global().async {
                runs[i] = try? Run.program(vigil, ["db", "update", "--db", db, "--from", from])
                group.leave()
            }
        }
        group.wait()
        for run in runs {
            #expect(run?.status == 0, "\(run?.stderr ?? "no run")")
        }
        #expect(runs.contains { $0?.stderr.contains("Waiting for another database update") == true },
                "one of the two waited for the other's lock")
        let (after, _) = try sources(db)
        #expect(after["debian"] != nil && after["ubuntu"] != nil)
        #expect(try leftovers(beside: db).isEmpty)
    }

    @Test func staleDatabaseWarnsInScans() throws {
        let db = try seedDatabase("stale")
        scratch.write("root/etc/alpine-release", Array("3.10.2\n".utf8))
        scratch.write("root/lib/apk/db/installed", Array("P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\n".utf8))
        let fresh = try Run.program(vigil, ["rootfs", scratch.path + "/root", "--db", db])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(!fresh.stderr.contains("vulnerability database was built"))
        // Pretend the database was built ten days ago.
        let old = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-10 * 86_400))
        let python = try Run.program("/usr/bin/python3", ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE meta SET value=? WHERE key='built_at'\", (sys.argv[2],)); c.commit()", db, old])
        try #require(python.status == 0, "\(python.stderr)")
        let stale = try Run.program(vigil, ["rootfs", scratch.path + "/root", "--db", db])
        #expect(stale.stderr.contains("vigil: warning: the vulnerability database was built 10 days ago"), "\(stale.stderr)")
        let allowed = try Run.program(vigil, ["rootfs", scratch.path + "/root", "--db", db, "--db-max-age", "14d", "--skip-db-update"])
        #expect(!allowed.stderr.contains("vulnerability database was built"))
        let info = try Run.program(vigil, ["db", "info", "--db", db])
        #expect(info.stdout.contains("(10 days ago)"))
        let offline = try Run.program(vigil, ["image", "alpine:3.10", "--offline", "--db", db])
        #expect(offline.status != 0 && offline.stderr.contains("--offline"))
    }
}
