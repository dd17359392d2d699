@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// The analyzer over whole trees: grouping into Trivy's targets, nested copies, files dpkg owns,
/// oversized and malformed files (one warning each naming layer and path, the scan goes on).
@Suite struct InstalledLanguageAnalyzerTests {
    static func write(_ root: String, _ files: [String: String]) throws {
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    static func package(_ name: String, _ version: String) -> String { #"{"name": "\#(name)", "version": "\#(version)", "license": "MIT"}"# }

    @Test func rootDirectoryGroupsAsTrivyDoes() throws {
        let root = NSTemporaryDirectory() + "vigil-lang-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(root, [
            "app/node_modules/debug/package.json": Self.package("debug", "4.3.4"),
            "app/node_modules/debug/node_modules/ms/package.json": Self.package("ms", "2.1.2"),
            "app/node_modules/ms/package.json": Self.package("ms", "2.1.3"),
            "app/node_modules/@types/node/package.json": Self.package("@types/node", "20.1.0"),
            "app/node_modules/rxjs/ajax/package.json": #"{"name": "ajax", "main": "x.js"}"#,
            "app/node_modules/bad/package.json": "{\"name\": \"bad\",",
            // Installed by dpkg: Trivy leaves such files to the OS package.
            "usr/share/nodejs/semver/package.json": Self.package("semver", "7.3.5"),
            "var/lib/dpkg/info/node-semver.list": "/usr/share/nodejs/semver\n/usr/share/nodejs/semver/package.json\n",
            "usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.4.gemspec": "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.4\"\nend\n",
            "srv/www/vendor/composer/installed.json": #"{"packages": [{"name": "twig/twig", "version": "v3.4.2"}]}"#,
            "srv/dotnet/App.deps.json": #"{"libraries": {"Newtonsoft.Json/12.0.1": {"type": "package"}}}"#,
            "opt/conda/conda-meta/zlib-1.2.13-h5eee18b_0.json": #"{"name": "zlib", "version": "1.2.13", "license": "Zlib"}"#,
        ])
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
        let targets = inventory.applications.map { "\($0.type.rawValue) \($0.target)" }
        #expect(targets == ["composer-vendor srv/www/vendor/composer/installed.json", "conda-pkg Conda",
                            "dotnet-core srv/dotnet/App.deps.json", "gemspec Ruby", "node-pkg Node.js"])
        let node = try #require(inventory.applications.first { $0.type == .nodePackage })
        #expect(node.packages.map { "\($0.name)@\($0.version) \($0.databasePath)" } == [
            "@types/node@20.1.0 app/node_modules/@types/node/package.json",
            "debug@4.3.4 app/node_modules/debug/package.json",
            "ms@2.1.2 app/node_modules/debug/node_modules/ms/package.json",
            "ms@2.1.3 app/node_modules/ms/package.json",
        ])
        #expect(inventory.warnings.count == 1)
        #expect(inventory.warnings.first?.hasPrefix("app/node_modules/bad/package.json: line 1:") == true)
    }

    @Test func oversizedFileIsRefusedUnreadWithAWarning() throws {
        let root = NSTemporaryDirectory() + "vigil-lang-big-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(root, ["node_modules/a/package.json": Self.package("a", "1.0.0")])
        // A sparse 1 GiB package.json: reading it would take seconds and a GiB of memory.
        let big = root + "/node_modules/huge/package.json"
        try FileManager.default.createDirectory(atPath: root + "/node_modules/huge", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: big, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
        #expect(inventory.applications.flatMap(\.packages).map(\.name) == ["a"])
        #expect(inventory.warnings == ["node_modules/huge/package.json: 1073741824 bytes, more than the 8 MiB limit for this file; not read"])
    }

    @Test func imageLayersAreNamedInWarningsAndKeptOnPackages() throws {
        var l0 = TarBuilder(), l1 = TarBuilder()
        l0.file("app/node_modules/lodash/package.json", text: Self.package("lodash", "4.17.15"))
        l0.file("app/node_modules/qs/package.json", text: Self.package("qs", "6.5.2"))
        l1.file("app/node_modules/lodash/package.json", text: Self.package("lodash", "4.17.21"))
        l1.file("app/vendor/composer/installed.json", text: "[{\"name\": \"a/b\"")
        l1.file("app/node_modules/qs/.wh.package.json", text: "")
        let path = NSTemporaryDirectory() + "vigil-lang-" + UUID().uuidString + ".tar"
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(ImageArchiveBuilder(layers: [l0.finished(), l1.finished()]).dockerArchive()))
        let image = try ImageLoader(request: InventoryBuilder.request).load(path: path)
        let inventory = try InventoryBuilder.build(image.fileSystem)
        let node = try #require(inventory.applications.first { $0.type == .nodePackage })
        #expect(node.packages.map { "\($0.name)@\($0.version) layer \($0.layer ?? -1)" } == ["lodash@4.17.21 layer 1"])
        #expect(inventory.warnings.count == 1)
        let warning = try #require(inventory.warnings.first)
        #expect(warning.hasPrefix("app/vendor/composer/installed.json (layer 2, "))
        #expect(warning.contains("line 1:"))
    }

    @Test func filesBehindASymlinkedDirectoryCountOnceAtTheirRealPath() throws {
        var l0 = TarBuilder(), l1 = TarBuilder()
        l0.file("srv/app/node_modules/a/package.json", text: Self.package("a", "1.0.0"))
        l0.symlink("app", to: "srv/app")
        // A later layer replaces a real directory with a link: what was under it is gone.
        l0.file("old/node_modules/b/package.json", text: Self.package("b", "1.0.0"))
        l1.file(".wh.old", text: "")
        l1.symlink("old", to: "srv/app")
        let path = NSTemporaryDirectory() + "vigil-lang-" + UUID().uuidString + ".tar"
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(ImageArchiveBuilder(layers: [l0.finished(), l1.finished()]).dockerArchive()))
        let image = try ImageLoader(request: InventoryBuilder.request).load(path: path)
        let inventory = try InventoryBuilder.build(image.fileSystem)
        #expect(inventory.applications.flatMap(\.packages).map(\.databasePath) == ["srv/app/node_modules/a/package.json"])
    }
}
