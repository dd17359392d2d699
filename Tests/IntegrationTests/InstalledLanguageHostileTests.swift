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

    /// Writes a one-layer docker archive whose layer streams `files` (path → text) plus a
    /// `size`-byte file at `bigPath`, hashing the tar for its diff ID as it goes. The big file
    /// repeats a 16 KiB random block: it compresses about 64:1, under the loader's
    /// decompression-bomb ratio, as a real oversized file would.
    static let builder = #"""
    import gzip, hashlib, io, json, os, sys, tarfile
    out, big_path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = json.loads(sys.stdin.read())
    block = os.urandom(16384)
    class Filler:
        def __init__(self, n): self.left = n
        def read(self, n=-1):
            n = self.left if n < 0 else min(n, self.left)
            self.left -= n
            return (block * (n // len(block) + 1))[:n]
    class Tee:
        def __init__(self, gz): self.gz, self.sha = gz, hashlib.sha256()
        def write(self, b): self.sha.update(b); self.gz.write(b); return len(b)
    layer = out + ".layer"
    with open(layer, "wb") as raw:
        gz = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1)
        tee = Tee(gz)
        tar = tarfile.open(fileobj=tee, mode="w|", format=tarfile.GNU_FORMAT)
        for name, text in sorted(files.items()):
            data = text.encode()
            info = tarfile.TarInfo(name); info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(big_path); info.size = size
        tar.addfile(info, Filler(size))
        tar.close(); gz.close()
    diff_id = "sha256:" + tee.sha.hexdigest()
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode()
    with tarfile.open(out, "w") as img:
        img.add(layer, arcname="layer.tar.gz")
        for name, data in (("config.json", config),
                           ("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["hostile:1"],
                                                          "Layers": ["layer.tar.gz"]}]).encode())):
            info = tarfile.TarInfo(name); info.size = len(data)
            img.addfile(info, io.BytesIO(data))
    """#

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
        let script = scratch.path + "/build.py"
        try Data(Self.builder.utf8).write(to: URL(fileURLWithPath: script))
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
