@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// Hostile Java archives written by Fixtures/lang-binaries/make-hostile-jars.py (Python's
/// zipfile): zip bombs by ratio, by total and by nesting, a size that lies, names that escape
/// the archive, 100,001 entries, garbage, a truncated zip, control characters, a 1 GiB sparse
/// "jar". Each gives a one-line warning naming its path (and layer, in an image) and no package
/// it cannot stand behind; nothing crashes.
@Suite(.enabled(if: LangBinaryFixtures.tool("/usr/bin/python3"))) struct JarHostileTests {
    static func makeJars(_ dir: String) throws {
        let script = LangBinaryFixtures.repoRoot + "/Tests/AnalyzersTests/Fixtures/lang-binaries/make-hostile-jars.py"
        let run = try LangBinaryFixtures.run("/usr/bin/python3", [script, dir])
        try #require(run.status == 0, "\(run.err)")
    }

    @Test func hostileArchives() throws {
        let scratch = ScratchDirectory()
        let root = scratch.path + "/root"
        try Self.makeJars(root + "/app")
        let huge = root + "/app/huge.jar"
        FileManager.default.createFile(atPath: huge, contents: nil)
        truncate(huge, 1 << 30)
        let inventory = try InventoryBuilder.build(DirectoryFileSystem(root: root, request: InventoryBuilder.request))
        let found = inventory.applications.filter { $0.type == .jar }.flatMap(\.packages).map { "\($0.databasePath) \($0.name) \($0.version)" }
        #expect(found.sorted() == [
            "app/budget-bomb.jar org.example:ok 1.0.0",
            "app/deep.jar org.example:level1 1.0",
            "app/deep.jar/lib/level2.jar org.example:level2 2.0",
            "app/deep.jar/lib/level2.jar/lib/level3.jar org.example:level3 3.0",
            "app/deep.jar/lib/level2.jar/lib/level3.jar/lib/level4.jar org.example:level4 4.0",
            "app/lying-size.jar org.example:ok 1.0.0",
            "app/manifest-only.jar org.example.widget:widget 2.3",
            "app/plain-utils-4.5.6.jar plain-utils 4.5.6",
            "app/ratio-bomb.jar org.example:ok 1.0.0",
            "app/slip.war org.example:ok 1.0.0",
            "app/tabs.jar g x:a 1.0 [31m",
        ])
        let w = inventory.warnings
        #expect(w.allSatisfy { !$0.contains("\n") })
        func has(_ s: String) -> Bool { w.contains { $0.contains(s) } }
        #expect(has("app/ratio-bomb.jar/lib/zeros.jar: declares 104857600 bytes, over the 64 MiB limit"))
        #expect(has("app/budget-bomb.jar/lib/z4.jar: nested archives inflate to more than 256 MiB in total"))
        #expect(has("app/lying-size.jar/lib/liar.jar: inflates past the 1000 bytes its header declares"))
        #expect(has("app/deep.jar/lib/level2.jar/lib/level3.jar/lib/level4.jar/lib/level5.jar: nested deeper than 3 archives"))
        #expect(has("app/slip.war/../../evil.jar: entry name escapes the archive"))
        #expect(has("app/slip.war//abs/evil.jar: entry name escapes the archive"))
        #expect(has("app/slip.war/WEB-INF/lib/a/../../../x.jar: entry name escapes the archive"))
        #expect(has("app/many-entries.jar: more than 100000 entries; the rest are not read"))
        #expect(has("app/garbage.jar: not a zip archive"))
        #expect(has("app/truncated.jar: not a zip archive"))
        #expect(has("app/huge.jar: 1073741824 bytes, larger than the 128 MiB limit for a Java archive; not analysed"))
        // Each problem once: the unmanaged analyzer does not repeat another analyzer's warnings.
        #expect(Set(w).count == w.count)
    }

    /// In an image, the warning names the layer too; the package carries its layer.
    @Test func warningsNameTheLayer() throws {
        let scratch = ScratchDirectory()
        try Self.makeJars(scratch.path + "/jars")
        var base = TarBuilder()
        base.file("etc/os-release", text: "ID=debian\nVERSION_ID=\"12\"\n")
        var app = TarBuilder()
        app.file("app/garbage.jar", try FixtureBytes.read(scratch.path + "/jars/garbage.jar"))
        app.file("app/lib/manifest-only.jar", try FixtureBytes.read(scratch.path + "/jars/manifest-only.jar"))
        let archive = scratch.write("image.tar", ImageArchiveBuilder(layers: [base.finished(), app.finished()]).dockerArchive())
        let image = try ImageLoader(request: InventoryBuilder.request).load(path: archive)
        let inventory = try InventoryBuilder.build(image.fileSystem)
        #expect(inventory.warnings == ["layer 2: app/garbage.jar: not a zip archive (no end of central directory); not analysed"])
        let pkg = inventory.applications.first { $0.type == .jar }?.packages.first
        #expect(pkg?.layer == 1)
        #expect(pkg?.databasePath == "app/lib/manifest-only.jar")
    }
}

enum FixtureBytes {
    static func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
}
