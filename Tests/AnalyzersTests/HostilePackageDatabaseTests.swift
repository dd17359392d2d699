@testable import Analyzers
import ContainerImage
import Foundation
import ImageFixtures
import Testing

/// The package-database findings of the 2026-12 hostile-input report (F6, C2), named after them.
@Suite struct HostilePackageDatabaseTests {
    static let status = "Package: bash\nStatus: install ok installed\nVersion: 5.0\n"

    /// An image whose top layer holds `entry` at the dpkg status path.
    static func image(_ entry: LayerContents.Entry) -> LayeredFileSystem {
        var lower = LayerContents()
        lower.entries[DpkgAnalyzer.statusPath] = .file(Array(status.utf8))
        var upper = LayerContents()
        upper.entries[DpkgAnalyzer.statusPath] = entry
        return LayeredFileSystem(layers: [lower, upper], layerNames: ["l1", "l2"])
    }

    /// F6 (image): a device, a directory, a hard link to itself or to a missing member hides the
    /// packages of the lower layer; that is an error naming the database, not zero packages.
    @Test(arguments: [
        (LayerContents.Entry.other, "a device, FIFO or socket"),
        (.directory, "a directory"),
        (.hardLink(DpkgAnalyzer.statusPath), "a hard link to 'var/lib/dpkg/status'"),
        (.hardLink("missing/member"), "a hard link to 'missing/member'"),
        (.symlink("/nowhere/status"), "a symbolic link to '/nowhere/status'"),
    ])
    func f6HiddenStatusInImageIsAnError(entry: LayerContents.Entry, reason: String) {
        #expect {
            _ = try DpkgAnalyzer.analyze(Self.image(entry))
        } throws: { error in
            "\(error)".hasPrefix("var/lib/dpkg/status: ") && "\(error)".contains(reason)
        }
    }

    /// The same view with a regular file on top still reads its packages, and an image with no
    /// status at all has none (absent is not an error).
    @Test func f6RegularAndAbsentStatusStillWork() throws {
        let packages = try DpkgAnalyzer.analyze(Self.image(.file(Array(Self.status.utf8))))
        #expect(packages.map(\.name) == ["bash"])
        #expect(try DpkgAnalyzer.analyze(LayeredFileSystem(layers: [LayerContents()], layerNames: ["l1"])).isEmpty)
    }

    /// F6 (rootfs): a directory or a symlink that resolves to nothing inside the root.
    @Test func f6HiddenStatusInRootfsIsAnError() throws {
        for kind in ["directory", "dangling"] {
            let scratch = ScratchDirectory()
            let status = scratch.path + "/" + DpkgAnalyzer.statusPath
            try FileManager.default.createDirectory(atPath: (status as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if kind == "directory" {
                try FileManager.default.createDirectory(atPath: status, withIntermediateDirectories: false)
            } else {
                try FileManager.default.createSymbolicLink(atPath: status, withDestinationPath: "/dev/zero")
            }
            let fs = try DirectoryFileSystem(root: scratch.path)
            #expect(throws: AnalyzerError.self, "\(kind)") { _ = try DpkgAnalyzer.analyze(fs) }
        }
    }

    /// F6 for apk: the same check guards `lib/apk/db/installed`.
    @Test func f6HiddenApkDatabaseIsAnError() {
        var layer = LayerContents()
        layer.entries[ApkAnalyzer.installedPath] = .directory
        #expect(throws: AnalyzerError.self) { _ = try ApkAnalyzer.analyze(LayeredFileSystem(layers: [layer], layerNames: ["l1"])) }
    }

    /// C2: a status made mostly of continuation lines parses in place (it used to be split into
    /// one array element per line, 1.2 GB for 64 MiB); the result is unchanged.
    @Test func c2ContinuationLinesParseInPlace() throws {
        var text = "Package: bash\nStatus: install ok installed\nVersion: 5.0\nDescription: x\n"
        text += String(repeating: " .\n", count: 200_000)
        text += "\nPackage: zlib1g\r\nStatus: install ok installed\r\nVersion: 1:1.2.13\r\n"
        let packages = try DpkgAnalyzer.parse(Array(text.utf8), path: "status")
        #expect(packages.map(\.name) == ["bash", "zlib1g"])
        #expect(packages.last?.epoch == 1)
        #expect(try DpkgAnalyzer.parse([], path: "status").isEmpty)
        #expect(try DpkgAnalyzer.parse(Array("Package: a\nVersion: 1\n".utf8), path: "status").map(\.version) == ["1"])
        // Line numbers in errors still count every line.
        #expect {
            _ = try DpkgAnalyzer.parse(Array((text + "\n\nbad line\n").utf8), path: "status")
        } throws: { error in
            "\(error)".contains("line 200011: expected 'Field: value'")
        }
    }
}
