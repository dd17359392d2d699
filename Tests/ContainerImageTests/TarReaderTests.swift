import ContainerImage
import ImageFixtures
import Testing

@Suite struct TarReaderTests {
    func entries(_ bytes: [UInt8]) throws -> [(TarHeader, [UInt8])] {
        let reader = TarReader(MemorySource(bytes), name: "t.tar")
        var out: [(TarHeader, [UInt8])] = []
        while let h = try reader.next() {
            out.append((h, try reader.readContent(limit: 1 << 20)))
        }
        return out
    }

    @Test func readsFilesLinksAndDirectories() throws {
        var t = TarBuilder()
        t.directory("etc")
        t.file("etc/os-release", text: "ID=alpine\n")
        t.symlink("etc/alias", to: "os-release")
        t.hardLink("etc/hard", to: "etc/os-release")
        let e = try entries(t.finished())
        #expect(e.map(\.0.rawName) == ["etc/", "etc/os-release", "etc/alias", "etc/hard"])
        #expect(e.map(\.0.kind) == [.directory, .file, .symlink, .hardLink])
        #expect(e[1].1 == Array("ID=alpine\n".utf8))
        #expect(e[2].0.linkName == "os-release")
    }

    @Test func paxLongNames() throws {
        let long = String(repeating: "d/", count: 70) + "file.txt"
        var t = TarBuilder()
        t.file(long, text: "x")
        let e = try entries(t.finished())
        #expect(e.count == 1)
        #expect(e[0].0.rawName == long)
    }

    @Test func skipsUnreadData() throws {
        var t = TarBuilder()
        t.file("a", [UInt8](repeating: 7, count: 1000))
        t.file("b", text: "second")
        let reader = TarReader(MemorySource(t.finished()), name: "t.tar")
        _ = try reader.next()
        let b = try reader.next()
        #expect(b?.rawName == "b")
        #expect(try reader.readContent(limit: 100) == Array("second".utf8))
        #expect(try reader.next() == nil)
    }

    @Test func truncatedEntryIsAnError() throws {
        var t = TarBuilder()
        t.lyingFile("big", claimedSize: 4096, actual: [UInt8](repeating: 1, count: 100))
        let reader = TarReader(MemorySource(t.bytes), name: "t.tar")
        _ = try reader.next()
        let error = #expect(throws: ContainerImageError.self) { try reader.next() }
        #expect(error?.code == .truncated)
        #expect(error?.description.contains("'big'") == true)
    }

    @Test func hugeBase256SizeIsTruncatedNotAllocated() throws {
        var t = TarBuilder()
        t.lyingFile("sparse", claimedSize: 10 << 30, actual: [UInt8](repeating: 0, count: 512))
        let reader = TarReader(MemorySource(t.bytes), name: "t.tar")
        let h = try reader.next()
        #expect(h?.size == 10 << 30)
        #expect(throws: ContainerImageError.self) { _ = try reader.readContent(limit: 1 << 20) }
        #expect(throws: ContainerImageError.self) { _ = try reader.next() }
    }

    @Test func corruptHeaderChecksum() throws {
        var bytes = TarBuilder().finished()
        bytes = [UInt8](repeating: 0x41, count: 512) + bytes
        let reader = TarReader(MemorySource(bytes), name: "t.tar")
        let error = #expect(throws: ContainerImageError.self) { _ = try reader.next() }
        #expect(error?.code == .malformedArchive)
    }

    @Test(arguments: [
        ("../etc/passwd", true), ("/etc/passwd", true), ("a/../../b", true),
        ("./etc//os-release", false), ("a/b/../c", false),
    ])
    func pathCleaning(name: String, refused: Bool) throws {
        if refused {
            let e = #expect(throws: ContainerImageError.self) { _ = try ArchivePath.clean(name) }
            #expect(e?.code == .pathTraversal)
        } else {
            let cleaned = try ArchivePath.clean(name)
            #expect(!cleaned.hasPrefix("/") && !cleaned.contains(".."))
        }
    }
}
