import Foundation
import ImageFixtures
import SystemIO
import Testing
import TestSupport

/// `vigil fs` over real lockfiles that Debian packages ship (`scripts/fetch-lockfile-fixtures.sh`
/// downloads and unpacks them), each package list compared with what an independent reader gives:
/// Ruby's own `Bundler::LockfileParser` for Gemfile.lock, `jq` for composer.lock, Python's `json`
/// for package-lock.json, PyYAML for pnpm-lock.yaml, `xml.etree` for POMs, and a small Python
/// reader for yarn.lock (no yarn here), all in `scripts/lockfile-oracle.py`. The readers apply Trivy's rules (development-only packages
/// left out), written again in Python, not taken from Vigil.
@Suite(.enabled(if: SharedData.available && SharedData.vigilBinary != nil && LockfileFixtures.available), .serialized)
final class LockfileInventoryTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!
    let project: String
    let report: [String: Any]
    /// Target (project-relative) → the real file it is a copy of.
    var sources: [String: String] = [:]

    init() throws {
        project = scratch.path + "/project"
        let db = scratch.path + "/vigil.db"
        let imported = try Run.program(vigil, ["db", "import", "--db", db, SharedData.path("data/feeds/ghsa")])
        try #require(imported.status == 0, "db import failed: \(imported.stderr)")
        var index = 0
        for file in LockfileFixtures.files() {
            index += 1
            let name = file.hasSuffix(".pom") ? "pom.xml" : (file as NSString).lastPathComponent
            let target = "p\(index)/\(name)"
            try FileManager.default.createDirectory(atPath: project + "/p\(index)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: file, toPath: project + "/" + target)
            // yarn.lock's development dependencies are told apart by the package.json beside it.
            let manifest = (file as NSString).deletingLastPathComponent + "/package.json"
            if name == "yarn.lock", FileManager.default.fileExists(atPath: manifest) {
                try FileManager.default.copyItem(atPath: manifest, toPath: project + "/p\(index)/package.json")
            }
            sources[target] = file
        }
        let scan = try Run.program(vigil, ["fs", project, "--db", db, "-f", "json", "--list-all-pkgs", "--quiet"])
        try #require(scan.status == 0, "vigil fs failed: \(scan.stderr)")
        report = try #require(JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
    }

    /// Target → sorted `name@version` lines of the report.
    func reported() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for r in report["Results"] as? [[String: Any]] ?? [] {
            let packages = r["Packages"] as? [[String: Any]] ?? []
            result[r["Target"] as? String ?? ""] = packages.map { "\($0["Name"] as? String ?? "")@\($0["Version"] as? String ?? "")" }.sorted()
        }
        return result
    }

    func lines(_ text: String) -> [String] { Set(text.split(separator: "\n").map(String.init)).sorted() }

    /// The independent reader's package list for one lockfile.
    func expected(_ target: String, _ file: String) throws -> [String] {
        let name = (target as NSString).lastPathComponent
        let run: Run
        switch name {
        case "Gemfile.lock":
            // Bundler wants a Gemfile to exist somewhere, even to parse a lockfile.
            let gemfile = scratch.write("Gemfile", [])
            run = try Run.program("/usr/bin/ruby", ["-rbundler", "-e", "Bundler::LockfileParser.new(File.read(ARGV[0])).specs.each { |s| puts \"#{s.name}@#{s.version}\" }", file],
                                  environment: ["BUNDLE_GEMFILE": gemfile])
        case "composer.lock":
            run = try Run.program("/usr/bin/jq", ["-r", ".packages[]? | \"\\(.name)@\\(.version)\"", file])
        default:
            run = try Run.program("/usr/bin/env", ["python3", SharedData.repoRoot + "/scripts/lockfile-oracle.py", name, file])
        }
        try #require(run.status == 0, "\(name) reader failed: \(run.stderr)")
        return lines(run.stdout)
    }

    @Test func everyLockfileMatchesItsIndependentReader() throws {
        let got = reported()
        var compared: Set<String> = []
        for (target, file) in sources.sorted(by: { $0.key < $1.key }) {
            let want = try expected(target, file)
            // A lockfile whose every package is development-only gives no result, as in Trivy.
            #expect((got[target] ?? []) == want, "\(target) (\(file))")
            if !want.isEmpty { compared.insert((target as NSString).lastPathComponent) }
        }
        // Every kind was seen with packages, so none of the comparisons above is vacuous.
        #expect(compared == ["Gemfile.lock", "composer.lock", "package-lock.json", "pnpm-lock.yaml", "pom.xml", "yarn.lock"])
        #expect(report["ArtifactType"] as? String == "filesystem")
        let types = Set((report["Results"] as? [[String: Any]] ?? []).compactMap { $0["Type"] as? String })
        #expect(types == ["bundler", "composer", "npm", "pnpm", "pom", "yarn"])
    }

    @Test func oneLockfileAlone() throws {
        let (target, _) = try #require(sources.first { $0.key.hasSuffix("Gemfile.lock") })
        let run = try Run.program(vigil, ["fs", project + "/" + target, "--db", scratch.path + "/vigil.db", "-f", "json", "--list-all-pkgs", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let alone = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = alone["Results"] as? [[String: Any]] ?? []
        #expect(results.count == 1)
        #expect(results.first?["Target"] as? String == "Gemfile.lock")
        #expect(((results.first?["Packages"] as? [[String: Any]]) ?? []).count == (reported()[target] ?? []).count)
    }
}

/// The real lockfiles `scripts/fetch-lockfile-fixtures.sh` unpacks.
enum LockfileFixtures {
    static let packages = SharedData.repoRoot + "/.build/lockfile-fixtures/pkgs"
    static var available: Bool {
        let ok = FileManager.default.fileExists(atPath: packages + "/ruby-asana")
        if !ok { print("skipping: run scripts/fetch-lockfile-fixtures.sh for the Debian packages that ship lockfiles") }
        return ok
    }

    /// Every lockfile of the unpacked packages, and the versioned POMs of the Java libraries
    /// (not their `debian`/`x` copies), sorted.
    static func files() -> [String] {
        let names: Set<String> = ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Gemfile.lock", "composer.lock"]
        var found: [String] = []
        let walker = FileManager.default.enumerator(atPath: packages)
        while let rel = walker?.nextObject() as? String {
            let base = (rel as NSString).lastPathComponent
            let parent = ((rel as NSString).deletingLastPathComponent as NSString).lastPathComponent
            guard names.contains(base) || (base.hasSuffix(".pom") && parent.first?.isNumber == true) else { continue }
            // Some are symbolic links to files of other packages (dangling here): only real files.
            if FileKind(path: packages + "/" + rel, followLinks: false) == .regular { found.append(packages + "/" + rel) }
        }
        return found.sorted()
    }
}
