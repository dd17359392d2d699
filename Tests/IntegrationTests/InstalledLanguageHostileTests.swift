import Foundation
import ImageFixtures
import Testing
import TestSupport

/// Hostile language metadata in an image, through the real binary: a 1 GiB `package.json`
/// (zeros, gzip-compressed to a few MiB) must be refused by its size limit without being read,
/// and malformed package.json, gemspec, installed.json, deps.json and packages.config files, and
/// JSON nested 100,000 deep, must each cost one warning line naming the layer and path while the
/// good packages beside them are still reported.
@Suite(.enabled(if: SharedData.vigilBinary != nil && LanguageFixtures.works(["python3", "-V"])))
final class InstalledLanguageHostileTests {
    let scratch = ScratchDirectory()
    let vigil = SharedData.vigilBinary!


    @Test func oversizedAndMalformedMetadataAreOneWarningEach() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let files = [
            "app/node_modules/good/package.json": #"{"name": "good", "version": "1.0.0"}"#,
            "app/node_modules/bad/package.json": "{\"name\": \"bad\", \"version\": ",
            "app/node_modules/deep/package.json": deep,
            "usr/lib/ruby/gems/3.1.0/specifications/bad-1.0.gemspec": "Gem::Specification.new do |s|\n  s.name = gem_name\n",
            "app/vendor/composer/installed.json": #"{"packages": "nope"}"#,
            "app/bin/App.deps.json": #"{"libraries": {"A/1.0": {"type": "package"}"#,
            "app/packages.config": "<packages><package id=\"A\" version=\"1\"></packages",
        ]
        let image = scratch.path + "/hostile.tar"
        let script = SharedData.repoRoot + "/scripts/build-hostile-language-image.py"
        let input = try JSONSerialization.data(withJSONObject: files)
        let stdin = scratch.path + "/files.json"
        try input.write(to: URL(fileURLWithPath: stdin))
        let build = try Run.program("/bin/sh", ["-c", "python3 \"$0\" \"$1\" app/node_modules/huge/package.json 1073741824 < \"$2\"",
                                                script, image, stdin])
        try #require(build.status == 0, "\(build.stderr)")
        let db = scratch.path + "/vigil.db"
        let feed = scratch.path + "/feed/a.json"
        try FileManager.default.createDirectory(atPath: scratch.path + "/feed", withIntermediateDirectories: true)
        try Data(#"{"id":"GHSA-test-0001","schema_version":"1.4.0","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"good"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0.1"}]}]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: feed))
        let imported = try Run.program(vigil, ["db", "import", "--db", db, feed])
        try #require(imported.status == 0, "\(imported.stderr)")
        let scan = try Run.program(vigil, ["image", "--input", image, "--db", db, "-f", "json", "--list-all-pkgs"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let warnings = scan.stderr.split(separator: "\n").filter { $0.contains("layer 1") }
        for path in files.keys.sorted() where path != "app/node_modules/good/package.json" {
            #expect(warnings.filter { $0.contains(path) }.count == 1, "\(path): \(scan.stderr)")
        }
        let huge = warnings.filter { $0.contains("app/node_modules/huge/package.json") }
        #expect(huge.count == 1 && huge[0].contains("1073741824 bytes") && huge[0].contains("not read"), "\(scan.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        let node = (report["Results"] as? [[String: Any]] ?? []).first { $0["Type"] as? String == "node-pkg" }
        #expect((node?["Packages"] as? [[String: Any]])?.map { $0["Name"] as? String } == ["good"])
        let vulnerabilities = node?["Vulnerabilities"] as? [[String: Any]] ?? []
        #expect(vulnerabilities.map { $0["VulnerabilityID"] as? String } == ["GHSA-test-0001"])
        #expect(vulnerabilities.first?["PkgPath"] as? String == "app/node_modules/good/package.json")
        #expect((vulnerabilities.first?["Layer"] as? [String: Any])?["DiffID"] != nil)
    }
}
