import Foundation
import ImageFixtures
import Testing
import TestSupport

/// Java archives and Go binaries matched end to end by the real `vigil` binary against the real
/// GHSA and Go advisories of ../shared: an image whose second layer holds Debian's log4j-core jar
/// twice, with only its pom.properties version rewritten by `zip` to 2.14.1 (Log4Shell) and to
/// 2.17.1 (fixed), nested once in a war, and Debian's runc (built with Go 1.19.8) for `stdlib`.
/// The expected advisories come from Fixtures/osv-affected-ids.py (univers's Maven and Go
/// version classes over the same advisory files), never from a typed-in list.
@Suite(.enabled(if: SharedData.exists("data/feeds/ghsa") && SharedData.exists("data/feeds/go-osv") && SharedData.vigilBinary != nil
    && FileManager.default.fileExists(atPath: SharedData.repoRoot + "/.build/lang-binary-fixtures/pkgs/runc.version")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") && UniversProbe.available,
    "needs ../shared feeds, the vigil binary, zip, python3 with univers and scripts/fetch-lang-binary-fixtures.sh"),
    .serialized)
final class LanguageBinaryMatchingTests {
    static let pkgs = SharedData.repoRoot + "/.build/lang-binary-fixtures/pkgs"
    /// Debian's versioned name is a symlink to `log4j-core.jar`: the file itself is copied.
    static let log4j = URL(fileURLWithPath: pkgs + "/liblog4j2-java/usr/share/java/log4j-core-2.19.0.jar").resolvingSymlinksInPath().path
    static let pom = "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties"

    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let results: [[String: Any]]

    /// Debian's log4j-core jar with only its pom.properties `version=` line changed.
    static func rewritten(_ version: String, in scratch: ScratchDirectory) throws -> [UInt8] {
        let stage = scratch.path + "/stage-\(version)"
        try FileManager.default.createDirectory(atPath: stage + "/" + (Self.pom as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let original = try Run.program("/usr/bin/unzip", ["-p", Self.log4j, Self.pom])
        let edited = original.stdout.split(separator: "\n").map { $0.hasPrefix("version=") ? "version=\(version)" : String($0) }.joined(separator: "\n") + "\n"
        try edited.write(toFile: stage + "/" + Self.pom, atomically: true, encoding: .utf8)
        let jar = scratch.path + "/log4j-core-\(version).jar"
        try FileManager.default.copyItem(atPath: Self.log4j, toPath: jar)
        let zip = try Run.program("/usr/bin/zip", ["-q", jar, Self.pom], currentDirectory: stage)
        try #require(zip.status == 0, "zip: \(zip.stdout) \(zip.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: jar)))
    }

    init() throws {
        var base = TarBuilder()
        base.file("etc/os-release", text: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n")
        var app = TarBuilder()
        let vulnerable = try Self.rewritten("2.14.1", in: scratch), fixed = try Self.rewritten("2.17.1", in: scratch)
        app.file("app/lib/log4j-core-2.14.1.jar", vulnerable)
        app.file("app/old/log4j-core-2.17.1.jar", fixed)
        // The vulnerable jar again, inside a war (deflated by zip, as WEB-INF/lib usually is).
        let war = scratch.path + "/war"
        try FileManager.default.createDirectory(atPath: war + "/WEB-INF/lib", withIntermediateDirectories: true)
        try Data(vulnerable).write(to: URL(fileURLWithPath: war + "/WEB-INF/lib/log4j-core-2.14.1.jar"))
        let zip = try Run.program("/usr/bin/zip", ["-q", "-r", scratch.path + "/shop.war", "WEB-INF"], currentDirectory: war)
        try #require(zip.status == 0, "zip: \(zip.stdout) \(zip.stderr)")
        app.file("srv/shop.war", Array(try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/shop.war"))))
        app.file("usr/local/bin/runc", Array(try Data(contentsOf: URL(fileURLWithPath: Self.pkgs + "/runc/usr/sbin/runc"))), mode: 0o755)
        let image = scratch.write("image.tar", ImageArchiveBuilder(layers: [base.finished(), app.finished()]).dockerArchive())
        let db = scratch.path + "/vigil.db"
        let imported = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/ghsa"), SharedData.path("data/feeds/go-osv")])
        try #require(imported.status == 0, "db import: \(imported.stderr)")
        let scan = try Run.program(vigil, ["image", "--input", image, "--db", db, "-f", "json", "--list-all-pkgs", "--quiet"])
        try #require(scan.status == 0, "scan: \(scan.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        results = report["Results"] as? [[String: Any]] ?? []
    }

    /// Each affecting advisory as its id plus aliases, from the independent range check.
    static func expected(_ feed: String, _ ecosystem: String, _ name: String, _ version: String) throws -> [Set<String>] {
        let run = try Run.program("/usr/bin/env", ["python3", SharedData.repoRoot + "/Tests/IntegrationTests/Fixtures/osv-affected-ids.py",
                                                   SharedData.path("data/feeds/" + feed), ecosystem, name, version])
        try #require(run.status == 0, "osv-affected-ids.py: \(run.stderr)")
        return run.stdout.split(separator: "\n").map { Set($0.split(separator: " ").map(String.init)) }
    }

    /// The findings of one package at one path, each as its id plus vendor ids.
    func findings(target: String, path: String?, name: String) -> [Set<String>] {
        let result = results.first { $0["Target"] as? String == target }
        return (result?["Vulnerabilities"] as? [[String: Any]] ?? []).filter {
            $0["PkgName"] as? String == name && (path == nil || $0["PkgPath"] as? String == path)
        }.map { Set([$0["VulnerabilityID"] as? String ?? ""] + ($0["VendorIDs"] as? [String] ?? [])) }
    }

    /// Every expected advisory is found once (under its id or an alias), and nothing else.
    func check(_ found: [Set<String>], _ expected: [Set<String>], _ what: String) {
        #expect(found.count == expected.count, "\(what): \(found) vs \(expected)")
        for advisory in expected { #expect(found.contains { !$0.isDisjoint(with: advisory) }, "\(what): \(advisory.sorted()) missing") }
    }

    @Test func log4ShellAtTheRewrittenVersionsAndInsideTheWar() throws {
        let name = "org.apache.logging.log4j:log4j-core"
        let vulnerable = try Self.expected("ghsa", "Maven", name, "2.14.1")
        #expect(vulnerable.contains { $0.contains("CVE-2021-44228") }, "the feed's Log4Shell advisory covers 2.14.1")
        check(findings(target: "Java", path: "app/lib/log4j-core-2.14.1.jar", name: name), vulnerable, "2.14.1")
        check(findings(target: "Java", path: "srv/shop.war/WEB-INF/lib/log4j-core-2.14.1.jar", name: name), vulnerable, "2.14.1 in the war")
        check(findings(target: "Java", path: "app/old/log4j-core-2.17.1.jar", name: name), try Self.expected("ghsa", "Maven", name, "2.17.1"), "2.17.1")
        let java = try #require(results.first { $0["Target"] as? String == "Java" })
        #expect(java["Class"] as? String == "lang-pkgs")
        #expect(java["Type"] as? String == "jar")
        let packages = java["Packages"] as? [[String: Any]] ?? []
        let jar = try #require(packages.first { $0["FilePath"] as? String == "app/lib/log4j-core-2.14.1.jar" })
        #expect(jar["ID"] as? String == "org.apache.logging.log4j:log4j-core:2.14.1")
        #expect((jar["Identifier"] as? [String: Any])?["PURL"] as? String == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
        #expect((jar["Layer"] as? [String: Any])?["DiffID"] != nil)
    }

    @Test func goStdlibOfRunc() throws {
        let head = try Run.program("/usr/bin/go", ["version", SharedData.repoRoot + "/.build/lang-binary-fixtures/pkgs/runc/usr/sbin/runc"])
        let goVersion = try #require(head.stdout.split(separator: " ").last.map { String($0.dropFirst(2)).trimmingCharacters(in: .whitespacesAndNewlines) })
        let runc = try #require(results.first { $0["Target"] as? String == "usr/local/bin/runc" })
        #expect(runc["Type"] as? String == "gobinary")
        #expect(runc["Class"] as? String == "lang-pkgs")
        let stdlib = (runc["Packages"] as? [[String: Any]] ?? []).first { $0["Name"] as? String == "stdlib" }
        #expect(stdlib?["Version"] as? String == "v" + goVersion)
        #expect((stdlib?["Identifier"] as? [String: Any])?["PURL"] as? String == "pkg:golang/stdlib@v\(goVersion)")
        check(findings(target: "usr/local/bin/runc", path: nil, name: "stdlib"), try Self.expected("go-osv", "Go", "stdlib", goVersion), "stdlib \(goVersion)")
    }
}

/// Whether python3 can import univers (scripts/fetch-lang-binary-fixtures.sh installs it).
enum UniversProbe {
    static let available = (try? Run.program("/usr/bin/env", ["python3", "-c", "import univers"]).status) == 0
}
