import Foundation
import ImageFixtures
import Testing
import TestSupport

/// A real registry (Debian's docker-registry, distribution 2.8) on loopback, fed with skopeo.
final class LoopbackRegistry {
    let port: Int
    let root: String
    let process: Process

    static var available: Bool {
        let ok = FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-registry") && FileManager.default.isExecutableFile(atPath: "/usr/bin/skopeo")
        if !ok { print("skipping registry tests: docker-registry and skopeo are needed (apt-get install docker-registry skopeo)") }
        return ok
    }


    init(root: String, htpasswd: String? = nil) throws {
        self.root = root
        port = try LoopbackPort.free()
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        var config = """
            version: 0.1
            log: {level: error}
            storage:
              filesystem: {rootdirectory: \(root)/data}
              delete: {enabled: true}
            http:
              addr: 127.0.0.1:\(port)
            """
        if let htpasswd { config += "\nauth:\n  htpasswd:\n    realm: vigil-test\n    path: \(htpasswd)\n" }
        try config.write(toFile: root + "/config.yml", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
        process.arguments = ["serve", root + "/config.yml"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if let run = try? Run.program("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/v2/"]),
               run.stdout == "200" || run.stdout == "401" { return }
            usleep(100_000)
        }
        throw CLIFailure("registry on port \(port) did not start")
    }

    deinit { Self.stop(process) }

    /// SIGTERM, then SIGKILL: children inherit the test runner's blocked signal mask.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<20 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var host: String { "127.0.0.1:\(port)" }

    /// `skopeo copy` of an OCI layout into the registry.
    func push(layout: String, as name: String, format: String? = nil, all: Bool = false, creds: String? = nil) throws {
        var args = ["copy", "-q", "--dest-tls-verify=false"]
        if let format { args += ["--format", format] }
        if all { args.append("--all") }
        if let creds { args += ["--dest-creds", creds] }
        args += ["oci:\(layout)", "docker://\(host)/\(name)"]
        let run = try Run.program("/usr/bin/skopeo", args)
        guard run.status == 0 else { throw CLIFailure("skopeo push failed: \(run.stderr)") }
    }

    /// Where the registry keeps a blob's bytes on disk.
    func blobData(_ digest: String) -> String {
        let hex = String(digest.dropFirst(7))
        return "\(root)/data/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

@Suite(.enabled(if: LoopbackRegistry.available && SharedData.available && SharedData.vigilBinary != nil), .serialized)
final class RegistryPullTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let db: String
    let registry: LoopbackRegistry

    init() throws {
        db = scratch.path + "/vigil.db"
        let imp = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/alpine-secdb")])
        #expect(imp.status == 0, "\(imp.stderr)")
        registry = try LoopbackRegistry(root: scratch.path + "/registry")
    }

    static func builder(release: String = "3.10.2", libssl: String = "1.1.1c-r0") -> ImageArchiveBuilder {
        var base = TarBuilder()
        base.file("etc/alpine-release", text: "\(release)\n")
        base.file("bin/busybox", [UInt8](repeating: 0x7F, count: 200_000))
        var pkgs = TarBuilder()
        pkgs.file("lib/apk/db/installed", text: "P:libssl1.1\nV:\(libssl)\nA:x86_64\no:openssl\n\nP:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\n")
        pkgs.file("usr/lib/libssl.so.1.1", (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
        return ImageArchiveBuilder(layers: [base.finished(), pkgs.finished()], repoTag: "vigil/app:1")
    }

    func layout(_ name: String, _ files: [(String, [UInt8])]) -> String {
        for (p, bytes) in files { scratch.write("\(name)/\(p)", bytes) }
        return scratch.path + "/" + name
    }

    func scan(_ args: [String], cache: String, stdin: String? = nil) throws -> Run {
        if let stdin {
            let script = "printf '%s' \"$VIGIL_TEST_STDIN\" | \"$0\" \"$@\""
            return try Run.program("/bin/sh", ["-c", script, vigil] + args + ["--db", db, "--quiet"],
                                   environment: ["XDG_CACHE_HOME": cache, "VIGIL_TEST_STDIN": stdin])
        }
        return try Run.program(vigil, args + ["--db", db, "--quiet"], environment: ["XDG_CACHE_HOME": cache])
    }

    /// The parts of a report that must not depend on where the image came from.
    func essence(_ text: String) throws -> String {
        var report = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var metadata = report["Metadata"] as? [String: Any] ?? [:]
        for key in ["RepoTags", "RepoDigests", "Layers"] { metadata[key] = nil }
        report["Metadata"] = metadata
        var results = report["Results"] as? [[String: Any]] ?? []
        for i in results.indices {
            results[i]["Target"] = nil
            for key in ["Vulnerabilities", "Packages"] {
                results[i][key] = (results[i][key] as? [[String: Any]])?.map { item in
                    var item = item
                    item["Fingerprint"] = nil
                    item["Layer"] = (item["Layer"] as? [String: Any])?["DiffID"]
                    if var id = item["PkgIdentifier"] as? [String: Any] { id["UID"] = nil; item["PkgIdentifier"] = id }
                    if var id = item["Identifier"] as? [String: Any] { id["UID"] = nil; item["Identifier"] = id }
                    return item
                }
            }
        }
        report["Results"] = results
        for key in ["CreatedAt", "ArtifactName"] { report[key] = nil }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func ociAndSchema2PullsMatchTheSavedArchive() throws {
        let b = Self.builder()
        let dir = layout("app-oci", b.ociLayoutFiles())
        try registry.push(layout: dir, as: "vigil/app:oci")
        try registry.push(layout: dir, as: "vigil/app:v2s2", format: "v2s2")
        let archive = scratch.write("app.tar", b.dockerArchive())
        let fromArchive = try scan(["image", "--input", archive, "-f", "json", "--list-all-pkgs"], cache: scratch.path + "/c0")
        #expect(fromArchive.status == 0, "\(fromArchive.stderr)")
        #expect(fromArchive.stdout.contains("CVE-2019-1547"))
        for tag in ["oci", "v2s2"] {
            let pulled = try scan(["image", "--insecure", "\(registry.host)/vigil/app:\(tag)", "-f", "json", "--list-all-pkgs"],
                                  cache: scratch.path + "/c-\(tag)")
            #expect(pulled.status == 0, "\(tag): \(pulled.stderr)")
            #expect(try essence(pulled.stdout) == essence(fromArchive.stdout), "\(tag) pull differs from the archive scan")
            #expect(pulled.stdout.contains("\"\(registry.host)/vigil/app@sha256:"), "RepoDigests names the manifest")
        }
    }

    @Test func multiArchIndexPicksThePlatform() throws {
        let amd = Self.builder(release: "3.10.2")
        let arm = Self.builder(release: "3.19.1", libssl: "3.1.4-r1")
        let dir = layout("multi", ImageArchiveBuilder.multiPlatformLayoutFiles([
            ((os: "linux", arch: "amd64", variant: nil), amd), ((os: "linux", arch: "arm64", variant: "v8"), arm),
        ]))
        try registry.push(layout: dir, as: "vigil/multi:1", all: true)
        let def = try scan(["image", "--insecure", "\(registry.host)/vigil/multi:1", "-f", "json"], cache: scratch.path + "/cm")
        #expect(def.status == 0, "\(def.stderr)")
        #expect(def.stdout.contains("\"Name\": \"3.10.2\""))
        let arm64 = try scan(["image", "--insecure", "--platform", "linux/arm64", "\(registry.host)/vigil/multi:1", "-f", "json"], cache: scratch.path + "/cm")
        #expect(arm64.stdout.contains("\"Name\": \"3.19.1\""), "\(arm64.stderr)")
        let none = try scan(["image", "--insecure", "--platform", "linux/s390x", "\(registry.host)/vigil/multi:1"], cache: scratch.path + "/cm")
        #expect(none.status == 1)
        #expect(none.stderr.contains("no image for platform linux/s390x (available: linux/amd64, linux/arm64/v8)"))
    }

    /// Starts the failure proxy in front of the registry.
    func proxy(log: String, cut: String) throws -> (Process, Int) {
        let port = try LoopbackPort.free()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [SharedData.repoRoot + "/Tests/RegistryTests/Fixtures/registry_proxy.py", String(port), String(registry.port), log, cut]
        // No inherited descriptors: a proxy left behind must not hold the test runner's output open.
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        _ = out.fileHandleForReading.availableData // "ready"
        return (p, port)
    }

    func cacheIsClean(_ cache: String) -> Bool {
        let tmp = (try? FileManager.default.contentsOfDirectory(atPath: cache + "/vigil/tmp")) ?? []
        return tmp.isEmpty
    }

    @Test func warmRescanDownloadsNothingAndCutsFailCleanly() throws {
        let dir = layout("app2", Self.builder().ociLayoutFiles())
        try registry.push(layout: dir, as: "vigil/app2:1")
        let log = scratch.path + "/proxy.log", cut = scratch.path + "/cut"
        let (proxyProcess, port) = try proxy(log: log, cut: cut)
        defer { LoopbackRegistry.stop(proxyProcess) }
        let name = "127.0.0.1:\(port)/vigil/app2:1"
        let cache = scratch.path + "/cw"

        // A connection cut in the middle of every blob transfer: one clear error, only whole
        // verified blobs in the cache, and the next run completes.
        let brokenCache = scratch.path + "/cw-broken"
        FileManager.default.createFile(atPath: cut, contents: Data())
        let broken = try scan(["image", "--insecure", name], cache: brokenCache)
        #expect(broken.status == 1)
        #expect(broken.stderr.split(separator: "\n").count == 1, "\(broken.stderr)")
        #expect(broken.stderr.contains("nothing was cached"), "\(broken.stderr)")
        #expect(cacheIsClean(brokenCache))
        try FileManager.default.removeItem(atPath: cut)
        let resumed = try scan(["image", "--insecure", name], cache: brokenCache)
        #expect(resumed.status == 0, "\(resumed.stderr)")

        try? FileManager.default.removeItem(atPath: log)
        let cold = try scan(["image", "--insecure", name, "-f", "json"], cache: cache)
        #expect(cold.status == 0, "\(cold.stderr)")
        let coldBlobs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("GET") && $0.contains("/blobs/") }
        #expect(coldBlobs.count == 3, "config + 2 layers: \(coldBlobs)")

        try FileManager.default.removeItem(atPath: log)
        let warm = try scan(["image", "--insecure", name, "-f", "json"], cache: cache)
        #expect(warm.status == 0)
        let warmRequests = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(!warmRequests.contains("/blobs/"), "second scan fetched blobs: \(warmRequests)")
        #expect(warm.stdout.contains("CVE-2019-1547"))
    }

    @Test func corruptedBlobIsRefusedAndNotCached() throws {
        let b = Self.builder()
        let files = b.ociLayoutFiles()
        let dir = layout("app3", files)
        try registry.push(layout: dir, as: "vigil/app3:1")
        // The second layer as stored in the registry: flip bytes in the middle.
        let manifestBlob = try #require(files.first { $0.0.hasPrefix("blobs/") && String(decoding: $0.1, as: UTF8.self).contains("\"layers\":[") })
        let layers = String(decoding: manifestBlob.1, as: UTF8.self).components(separatedBy: "\"digest\":\"").dropFirst(2).map { $0.prefix(71) }
        let target = registry.blobData(String(layers.last!))
        let original = try Data(contentsOf: URL(fileURLWithPath: target))
        var corrupted = original
        for i in stride(from: corrupted.count / 2, to: corrupted.count / 2 + 64, by: 1) { corrupted[i] ^= 0x5A }
        try corrupted.write(to: URL(fileURLWithPath: target))
        let cache = scratch.path + "/cc"
        let bad = try scan(["image", "--insecure", "\(registry.host)/vigil/app3:1"], cache: cache)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("expected \(layers.last!)"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache + "/vigil/blobs/sha256/" + layers.last!.dropFirst(7)))
        #expect(cacheIsClean(cache))
        try original.write(to: URL(fileURLWithPath: target))
        let good = try scan(["image", "--insecure", "\(registry.host)/vigil/app3:1"], cache: cache)
        #expect(good.status == 0, "\(good.stderr)")
    }

    @Test func unknownImageAndTag() throws {
        let run = try scan(["image", "--insecure", "\(registry.host)/vigil/nothing-here:1"], cache: scratch.path + "/cu")
        #expect(run.status == 1)
        #expect(run.stderr.contains("not found"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func concurrentPullsShareTheCache() throws {
        let dir = layout("app4", Self.builder().ociLayoutFiles())
        try registry.push(layout: dir, as: "vigil/app4:1")
        let cache = scratch.path + "/cp"
        let name = "\(registry.host)/vigil/app4:1"
        // Four processes at once, started together, on an empty cache.
        var processes: [Process] = []
        for _ in 0..<4 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: vigil)
            p.arguments = ["image", "--insecure", name, "-f", "json", "-o", "/dev/null", "--db", db, "--quiet"]
            var env = ProcessInfo.processInfo.environment
            env["XDG_CACHE_HOME"] = cache
            p.environment = env
            processes.append(p)
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0])
        #expect(cacheIsClean(cache))
    }

    @Test(.requiresExecutable("/usr/bin/htpasswd", "apache2-utils"))
    func basicAuthRegistry() throws {
        let htpasswd = scratch.path + "/htpasswd"
        let made = try Run.program("/usr/bin/htpasswd", ["-Bbc", htpasswd, "scanner", "s3cret-pass"])
        #expect(made.status == 0)
        let secured = try LoopbackRegistry(root: scratch.path + "/registry-auth", htpasswd: htpasswd)
        try secured.push(layout: layout("app5", Self.builder().ociLayoutFiles()), as: "vigil/app5:1", creds: "scanner:s3cret-pass")
        let name = "\(secured.host)/vigil/app5:1"
        let anonymous = try scan(["image", "--insecure", name], cache: scratch.path + "/ca")
        #expect(anonymous.status == 1)
        #expect(anonymous.stderr.contains("unauthorized"), "\(anonymous.stderr)")
        let wrong = try scan(["image", "--insecure", name, "--username", "scanner", "--password-stdin"], cache: scratch.path + "/ca", stdin: "nope")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("unauthorized"))
        #expect(!wrong.stderr.contains("nope"), "no secret in messages")
        let right = try scan(["image", "--insecure", name, "--username", "scanner", "--password-stdin", "-f", "json"], cache: scratch.path + "/ca", stdin: "s3cret-pass")
        #expect(right.status == 0, "\(right.stderr)")
        #expect(right.stdout.contains("CVE-2019-1547"))
    }
}
