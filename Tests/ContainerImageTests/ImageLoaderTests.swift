@testable import ContainerImage
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ImageFixtures
import Testing
import VigilCore

@Suite struct ImageLoaderTests {
    static let request = FileRequest(paths: ["etc/os-release", "usr/lib/os-release", "etc/alpine-release", "lib/apk/db/installed"],
                                     directories: ["var/lib/dpkg/status.d"])

    func baseLayer() -> [UInt8] {
        var t = TarBuilder()
        t.directory("etc")
        t.directory("usr/lib")
        t.file("usr/lib/os-release", text: "ID=debian\nVERSION_ID=\"12\"\n")
        t.symlink("etc/os-release", to: "../usr/lib/os-release")
        t.file("etc/alpine-release", text: "3.19.1\n")
        t.directory("var/lib/dpkg/status.d")
        t.file("var/lib/dpkg/status.d/libc6", text: "Package: libc6\nVersion: 2.36-9\n")
        t.file("var/lib/dpkg/status.d/zlib1g", text: "Package: zlib1g\nVersion: 1:1.2.13\n")
        t.file("bin/big", [UInt8](repeating: 9, count: 5000))
        return t.finished()
    }

    func upperLayer() -> [UInt8] {
        var t = TarBuilder()
        t.file("etc/.wh.alpine-release", [])
        t.file("var/lib/dpkg/status.d/.wh.zlib1g", [])
        t.file("var/lib/dpkg/status.d/openssl", text: "Package: openssl\nVersion: 3.0.11-1\n")
        return t.finished()
    }

    func check(_ image: Image) throws {
        #expect(image.layers.count == 2)
        let fs = image.fileSystem
        let osr = try fs.file(at: "etc/os-release")
        #expect(osr?.path == "usr/lib/os-release")
        #expect(osr?.layer == 0)
        #expect(try fs.file(at: "etc/alpine-release") == nil, "whiteout hides the lower file")
        let status = try fs.files(in: "var/lib/dpkg/status.d").map(\.path)
        #expect(status == ["var/lib/dpkg/status.d/libc6", "var/lib/dpkg/status.d/openssl"])
        #expect(try fs.file(at: "var/lib/dpkg/status.d/openssl")?.layer == 1)
        #expect(image.diffIDs == [sha256Digest(baseLayer()), sha256Digest(upperLayer())])
    }

    @Test(arguments: [false, true])
    func dockerArchive(gzipped: Bool) throws {
        let dir = ScratchDirectory()
        let builder = ImageArchiveBuilder(layers: [baseLayer(), upperLayer()], repoTag: "test:1")
        let path = dir.write("img.tar", builder.dockerArchive(gzipped: gzipped))
        let image = try ImageLoader(request: Self.request).load(path: path)
        try check(image)
        #expect(image.repoTags == ["test:1"])
        #expect(image.id == sha256Digest(builder.config()))
        #expect(image.format == "docker-archive")
    }

    @Test func ociLayoutDirectoryAndArchive() throws {
        let dir = ScratchDirectory()
        let builder = ImageArchiveBuilder(layers: [baseLayer(), upperLayer()])
        for (p, bytes) in builder.ociLayoutFiles(platformIndex: true) { dir.write("layout/" + p, bytes) }
        let fromDir = try ImageLoader(request: Self.request).load(path: dir.path + "/layout")
        try check(fromDir)
        #expect(fromDir.layers.allSatisfy { $0.digest != nil }, "OCI layers are gzip: digest differs from diff ID")
        let fromTar = try ImageLoader(request: Self.request).load(path: dir.write("oci.tar", builder.ociArchive()))
        try check(fromTar)
    }

    @Test func opaqueDirectoryHidesLowerContents() throws {
        var upper = TarBuilder()
        upper.file("var/lib/dpkg/status.d/.wh..wh..opq", [])
        upper.file("var/lib/dpkg/status.d/tzdata", text: "Package: tzdata\nVersion: 2024a-0\n")
        let dir = ScratchDirectory()
        let path = dir.write("img.tar", ImageArchiveBuilder(layers: [baseLayer(), upper.finished()]).dockerArchive())
        let image = try ImageLoader(request: Self.request).load(path: path)
        #expect(try image.fileSystem.files(in: "var/lib/dpkg/status.d").map(\.path) == ["var/lib/dpkg/status.d/tzdata"])
    }

    // MARK: hostile archives: each one error naming the archive and layer

    func loadError(_ bytes: [UInt8], request: FileRequest = request) -> ContainerImageError? {
        let dir = ScratchDirectory()
        let path = dir.write("bad.tar", bytes)
        return #expect(throws: ContainerImageError.self) { _ = try ImageLoader(request: request).load(path: path) }
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd"])
    func pathTraversalInLayer(name: String) {
        var evil = TarBuilder()
        evil.file(name, text: "root::0:0::/root:/bin/sh\n")
        let e = loadError(ImageArchiveBuilder(layers: [baseLayer(), evil.finished()]).dockerArchive())
        #expect(e?.reason == .pathTraversal)
        #expect(e?.description.contains("layer") == true)
        #expect(e?.description.contains(name) == true)
    }

    @Test func symlinkLoop() throws {
        var t = TarBuilder()
        t.symlink("etc/os-release", to: "os-release2")
        t.symlink("etc/os-release2", to: "os-release")
        let dir = ScratchDirectory()
        let path = dir.write("img.tar", ImageArchiveBuilder(layers: [t.finished()]).dockerArchive())
        let image = try ImageLoader(request: Self.request).load(path: path)
        let e = #expect(throws: ContainerImageError.self) { _ = try image.fileSystem.file(at: "etc/os-release") }
        #expect(e?.reason == .symlinkLoop)
    }

    @Test func truncatedLayer() {
        var t = TarBuilder()
        t.lyingFile("usr/bin/tool", claimedSize: 100_000, actual: [UInt8](repeating: 1, count: 3000))
        let e = loadError(ImageArchiveBuilder(layers: [t.bytes]).dockerArchive())
        #expect(e?.reason == .truncated)
        #expect(e?.description.contains("layer") == true)
    }

    @Test func truncatedArchive() {
        let full = ImageArchiveBuilder(layers: [baseLayer()]).dockerArchive(gzipped: true)
        let e = loadError(Array(full.prefix(full.count - 200)))
        #expect(e?.reason == .truncated)
    }

    @Test func wrongDiffID() {
        var b = ImageArchiveBuilder(layers: [baseLayer(), upperLayer()])
        b.diffIDOverride = [sha256Digest(baseLayer()), "sha256:" + String(repeating: "0", count: 64)]
        let e = loadError(b.dockerArchive())
        #expect(e?.reason == .digestMismatch)
        #expect(e?.description.contains("layer 2") == true)
    }

    @Test func manifestNamesMissingLayer() {
        let e = loadError(ImageArchiveBuilder(layers: [baseLayer(), upperLayer()]).dockerArchive(omitLayer: 1))
        #expect(e?.reason == .missingBlob)
        #expect(e?.description.contains("layer 2") == true)
    }

    @Test func hugeSparseHeaderOnWantedFile() {
        var t = TarBuilder()
        t.lyingFile("etc/os-release", claimedSize: 10 << 30, actual: [UInt8](repeating: 0x41, count: 1024))
        let e = loadError(ImageArchiveBuilder(layers: [t.bytes]).dockerArchive())
        #expect(e?.reason == .tooLarge)
        #expect(e?.description.contains("etc/os-release") == true)
    }

    @Test func gzipBombLayer() throws {
        // 64 concatenated members of 16 MiB zeros: 1 GiB from ~1 MB, ratio ~1000:1.
        let member = Gzip.compress([UInt8](repeating: 0, count: 16 << 20), level: 9)
        let bomb = Array([[UInt8]](repeating: member, count: 64).joined())
        var tar = TarBuilder()
        tar.file("manifest.json", text: "[]")
        tar.file("layer/layer.tar", bomb)
        let e = loadError(tar.finished())
        #expect(e?.reason == .decompressionBomb)
    }

    @Test func notAnArchive() {
        let e = loadError(Array("hello, this is not an image".utf8))
        #expect(e?.reason == .malformedArchive)
    }
}

@Suite struct OCIDigestTests {
    @Test func digestThatNamesAPathIsRefused() throws {
        let dir = ScratchDirectory()
        dir.write("secret", Array("not a blob".utf8))
        dir.write("layout/oci-layout", Array("{\"imageLayoutVersion\":\"1.0.0\"}".utf8))
        dir.write("layout/index.json", Array(#"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../secret","size":10}]}"#.utf8))
        let e = #expect(throws: ContainerImageError.self) { _ = try ImageLoader(request: FileRequest()).load(path: dir.path + "/layout") }
        #expect(e?.reason == .malformedManifest)
        #expect(e?.description.contains("invalid digest") == true)
    }

    @Test(arguments: [("sha256:" + String(repeating: "a", count: 64), true), ("sha256:abc", false),
                      ("sha512:" + String(repeating: "a", count: 64), false), ("sha256:" + String(repeating: "A", count: 64), false)])
    func digestSyntax(digest: String, valid: Bool) {
        #expect(ImageLoader.isValidDigest(digest) == valid)
    }
}

@Suite struct ImageLoaderHostileTests {
    func layer() -> [UInt8] {
        var t = TarBuilder()
        t.file("etc/alpine-release", text: "3.19.1\n")
        return t.finished()
    }

    @Test(arguments: [1, 4, 8, 20])
    func truncatedGzipTrailer(cut: Int) {
        let dir = ScratchDirectory()
        let full = ImageArchiveBuilder(layers: [layer()]).dockerArchive(gzipped: true)
        let path = dir.write("cut.tar.gz", Array(full.dropLast(cut)))
        let e = #expect(throws: ContainerImageError.self) { _ = try ImageLoader(request: ImageLoaderTests.request).load(path: path) }
        #expect(e?.reason == .truncated)
    }

    @Test func layoutBlobMustBeARegularFile() throws {
        let dir = ScratchDirectory()
        let builder = ImageArchiveBuilder(layers: [layer()])
        var layerBlob = ""
        for (p, bytes) in builder.ociLayoutFiles() {
            dir.write("l/" + p, bytes)
            if bytes.first == 0x1F { layerBlob = dir.path + "/l/" + p }
        }
        try FileManager.default.removeItem(atPath: layerBlob)
        try FileManager.default.createSymbolicLink(atPath: layerBlob, withDestinationPath: "/dev/zero")
        let e = #expect(throws: ContainerImageError.self) { _ = try ImageLoader(request: ImageLoaderTests.request).load(path: dir.path + "/l") }
        #expect(e?.description.contains("not a regular file") == true)
        try FileManager.default.removeItem(atPath: layerBlob)
        #expect(mkfifo(layerBlob, 0o644) == 0)
        let f = #expect(throws: ContainerImageError.self) { _ = try ImageLoader(request: ImageLoaderTests.request).load(path: dir.path + "/l") }
        #expect(f?.description.contains("not a regular file") == true)
    }

    @Test func rootfsFIFOIsAnErrorNotAHang() throws {
        let dir = ScratchDirectory()
        dir.write("root/etc/hostname", Array("x".utf8))
        #expect(mkfifo(dir.path + "/root/etc/os-release", 0o644) == 0)
        let fs = try DirectoryFileSystem(root: dir.path + "/root")
        let e = #expect(throws: ContainerImageError.self) { _ = try fs.file(at: "etc/os-release") }
        #expect(e?.description.contains("not a regular file") == true)
    }

    @Test(arguments: [
        ("linux/arm64", "linux/arm64", true), ("linux/arm", "linux/arm64", false), ("linux/arm64", "linux/arm", false),
        ("linux/amd", "linux/amd64", false), ("linux/arm/v7", "linux/arm/v7", true), ("linux/arm/v6", "linux/arm/v7", false),
        ("linux/arm64/v8", "linux/arm64", true), ("windows/amd64", "linux/amd64", false),
    ])
    func platformMatching(offered: String, requested: String, matches: Bool) {
        #expect(ImageLoader.platformMatches(offered, requested: requested) == matches)
    }
}
