import Foundation
import ImageFixtures
import Scan
import Scanner
import TestSupport
import Testing
import VulnDB
import Analyzers

/// The scan pipeline called in-process gives the report the `vigil` binary prints for the same
/// image, database and options: the command line only parses flags and prints.
@Suite(.requiresShared("data/feeds/alpine-secdb"), .requiresShared("data/feeds/cwe"),
       .requiresShared("data/images/alpine-3.10.4-docker-archive.tar.gz"), .requiresVigilBinary,
       .serialized)
final class InProcessScanTests {
    let scratch = ScratchDirectory()
    let db: String

    /// A database imported in-process from the real feeds (CWE included, so JSON has categories
    /// from the hierarchy), as `vigil db import` builds it.
    init() throws {
        db = scratch.path + "/vigil.db"
        _ = try DatabaseBuilder(destination: db).build(paths: ["alpine-secdb", "cwe"].map { SharedData.path("data/feeds/" + $0) })
    }

    /// The binary's stdout, stderr and status.
    func binary(_ arguments: [String]) throws -> (out: String, err: String, status: Int32) {
        let run = try Run.program(try #require(SharedData.vigilBinary), arguments, currentDirectory: scratch.path)
        return (run.stdout, run.stderr, run.status)
    }

    /// The report without its creation time, the one field two runs legitimately differ in.
    func withoutCreationTime(_ report: String) -> String {
        report.replacing(/"CreatedAt": "[^"]*"/, with: "\"CreatedAt\": \"\"")
    }

    /// Scans in-process and through the binary; the reports and the warnings must be identical.
    func compare(_ source: ScanSource, flags: [String], configure: (inout ScanConfiguration) -> Void = { _ in },
                 listAllPackages: Bool = false) async throws -> ScanOutcome {
        var configuration = ScanConfiguration()
        configuration.classify = true
        // Both read the same (empty) ignore file, whatever the working directories hold.
        let emptyIgnore = scratch.write("empty-ignore", [])
        configuration.ignoreFile = emptyIgnore
        configure(&configuration)
        let warnings = WarningLog()
        let outcome = try await ScanPipeline(configuration: configuration, databasePath: db).run(source, warn: { warnings.append($0) })
        let report = outcome.render(format: .json, color: false, listAllPackages: listAllPackages, toolVersion: "0.1.0")

        let path: [String]
        switch source {
        case .imageArchive(let p): path = ["image", "--input", p]
        case .rootfs(let p): path = ["rootfs", p]
        case .filesystem(let p): path = ["fs", p]
        case .sbom(let p): path = ["sbom", p]
        case .registry(let r): path = ["image", r]
        }
        let ignore = flags.contains("--ignorefile") ? [] : ["--ignorefile", emptyIgnore]
        let run = try binary(path + ["--db", db, "-f", "json", "--db-max-age", "0"] + ignore + flags + (listAllPackages ? ["--list-all-pkgs"] : []))
        #expect(run.status == 0, "\(run.err)")
        #expect(withoutCreationTime(report) == withoutCreationTime(run.out))
        #expect(warnings.lines.map { "vigil: warning: \($0)\n" }.joined() == run.err)
        return outcome
    }

    @Test func realAlpineArchiveGivesTheBinarysJSON() async throws {
        let outcome = try await compare(.imageArchive(path: SharedData.path("data/images/alpine-3.10.4-docker-archive.tar.gz")),
                                        flags: [], listAllPackages: true)
        #expect(outcome.result.inventory.os?.family == "alpine")
        #expect(outcome.result.inventory.packages.count == 14)
    }

    /// An image with an openssl older than secdb's fixes: findings, categories and filters agree too.
    @Test func vulnerableImageGivesTheBinarysJSON() async throws {
        var t = TarBuilder()
        t.file("etc/alpine-release", text: "3.10.2\n")
        t.file("lib/apk/db/installed", text: "P:libssl1.1\nV:1.1.1a-r0\nA:x86_64\no:openssl\n\nP:musl\nV:1.1.22-r1\nA:x86_64\no:musl\n\n")
        let path = scratch.write("alpine-ssl.tar", ImageArchiveBuilder(layers: [t.finished()], repoTag: "alpine-ssl:test").dockerArchive())
        let all = try await compare(.imageArchive(path: path), flags: [])
        #expect(!all.result.findings.isEmpty)
        #expect(all.hasFindings)

        let ignore = scratch.path + "/ignore"
        try "\(all.result.findings[0].vulnerabilityID)\n".write(toFile: ignore, atomically: true, encoding: .utf8)
        let filtered = try await compare(.imageArchive(path: path), flags: ["--ignorefile", ignore, "--ignore-unfixed", "--scanners", "vuln,misconfig"]) {
            $0.ignoreFile = ignore
            $0.ignoreUnfixed = true
            $0.scanners = [.vuln, .misconfig]
        }
        #expect(filtered.result.findings.count < all.result.findings.count)
        #expect(!filtered.result.findings.contains { $0.vulnerabilityID == all.result.findings[0].vulnerabilityID })
    }

    @Test func rootfsGivesTheBinarysJSON() async throws {
        let root = scratch.path + "/rootfs"
        try FileManager.default.createDirectory(atPath: root + "/lib/apk/db", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try "3.10.2\n".write(toFile: root + "/etc/alpine-release", atomically: true, encoding: .utf8)
        try "P:libssl1.1\nV:1.1.1a-r0\nA:x86_64\no:openssl\n\n".write(toFile: root + "/lib/apk/db/installed", atomically: true, encoding: .utf8)
        let outcome = try await compare(.rootfs(path: root), flags: [], listAllPackages: true)
        #expect(outcome.result.artifactType == .filesystem)
        #expect(!outcome.result.findings.isEmpty)
    }
}

/// Warnings collected from the pipeline's sink.
final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
